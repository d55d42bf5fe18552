// The scalar syntax of the configuration file: durations, sizes, booleans,
// numbers and ${env:NAME} references, and what its messages share (the
// "did you mean" suggestion, a value quoted for a message). Kept apart from
// the schema walk (config.cc) so each rule is small and tested on its own,
// and in a library of its own (config_values) so that declared formats
// (src/format/declared), which the exporter below the agent uses, read
// their scalars and report their mistakes the same way.
//
// Error messages are predicates meant to follow a subject chosen by the
// caller ("'5x' is not a duration: ..."), because only the caller knows
// whether the value may be shown (a secret never is). They never contain the
// value themselves.
#ifndef OTELPACK_CONFIG_VALUES_H_
#define OTELPACK_CONFIG_VALUES_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "otelpack/status.h"

namespace otelpack::config {

// Reads an environment variable: nullopt when it is not set. Injected so tests
// need not touch the process environment.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// The process environment (getenv).
EnvLookup ProcessEnvironment();

// "200ms", "5s", "1.5s", "1m30s", "2h"; "0" alone is allowed without a unit.
// A plain number is refused (which unit would it be?). The result must be a
// whole number of milliseconds and at most 100 years.
Result<std::chrono::milliseconds> ParseDuration(std::string_view text);

// "20MiB", "512KiB", "1GiB", "100B" or a plain integer meaning bytes; an
// optional space before the unit. KB/MB/GB are refused: they are 1000-based
// to some and 1024-based to others.
Result<std::uint64_t> ParseSize(std::string_view text);

// "true" or "false" (also True/TRUE/False/FALSE, as YAML 1.2 allows).
Result<bool> ParseBool(std::string_view text);

// A decimal integer, optionally negative; no "+", no "0x", no "1_000".
Result<long long> ParseInteger(std::string_view text);

// A decimal number such as "1.5" or "2".
Result<double> ParseNumber(std::string_view text);

// The result of replacing every ${env:NAME} in a scalar.
struct Expansion {
  std::string text;           // with the references replaced
  bool substituted = false;   // at least one reference was replaced
  std::vector<std::string> errors;  // each names the variable, never a value
};

// Replaces ${env:NAME} by the variable's value (several per scalar allowed;
// the replacement is not scanned again). "$${" is a literal "${". An unset
// variable, a malformed reference or an unterminated "${" is an error; the
// text of a malformed reference is not repeated (it may be part of a secret).
Expansion ExpandEnv(std::string_view text, const EnvLookup& env);

// Optimal string alignment distance (adjacent transpositions count 1),
// ignoring ASCII case: how far a mistyped key is from a known one.
std::size_t EditDistance(std::string_view a, std::string_view b);

// The name of `known` that `name` looks like a typo of (at most 2 edits, and
// fewer than half that name's length), for "did you mean ...?"; empty when
// none is that close.
std::string ClosestName(std::string_view name, std::span<const std::string> known);
std::string ClosestName(std::string_view name, std::span<const std::string_view> known);

// `text` quoted for a message: 'text', cut after 60 characters ("...'"),
// control characters shown as '?'. Only for values that may be shown.
std::string QuotedForMessage(std::string_view text);

// The first `max_bytes` bytes of a file (all of it when smaller): a caller
// that asks for one byte more than it accepts knows a file is too large
// without reading it all. The error's message is the reason alone (the
// system's, e.g. "No such file or directory"), for the caller to name the file.
Result<std::string> ReadFileUpTo(const std::string& path, std::size_t max_bytes);

// 5000ms -> "5s", 90000ms -> "90s", 200ms -> "200ms", 3600000ms -> "1h".
std::string FormatDuration(std::chrono::milliseconds d);
// 20971520 -> "20MiB", 1000 -> "1000B".
std::string FormatSize(std::uint64_t bytes);

}  // namespace otelpack::config

#endif  // OTELPACK_CONFIG_VALUES_H_

// The agent's YAML configuration file -> agent::AgentOptions.
//
//   Result<agent::AgentOptions> base = config::OptionsFromEnvironment();
//   config::LoadedConfig loaded = config::LoadConfigFile("otelpack.yaml", *base);
//   config::CheckExporterReady(&loaded);  // unless the endpoint is filled in later
//   for (const config::ConfigError& e : loaded.errors) {
//     std::fprintf(stderr, "%s\n", config::FormatError("otelpack.yaml", e).c_str());
//   }
//
// The schema is Collector-like (receivers, exporter, telemetry, service) and
// every key is documented with its default in docs/configuration.md. Parsing
// starts from `base` and changes only what the document sets, so a key left
// out keeps its default (or its OTELPACK_* environment value).
//
// Every problem is collected, not only the first: an unknown key (with the
// closest known key when it looks mistyped), a wrong type, a value out of
// range, an unset ${env:NAME}, a YAML syntax error. Each names the dotted key
// and its line and column. No secret (api_key, password, secret,
// bearer_token, a header's value) and no value that came from the
// environment ever appears in an error message.
#ifndef OTELPACK_CONFIG_CONFIG_H_
#define OTELPACK_CONFIG_CONFIG_H_

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "agent/options.h"
#include "config/values.h"
#include "otelpack/status.h"

namespace otelpack::config {

struct ConfigError {
  std::string key;  // dotted path, e.g. "exporter.retry.initial_interval"; empty for the whole file
  int line = 0;     // 1-based; 0 when the problem has no place in the file
  int column = 0;   // 1-based
  std::string message;
};

// Where a key's value is in the document (1-based).
struct Location {
  int line = 0;
  int column = 0;
};

struct LoadedConfig {
  agent::AgentOptions options;
  std::vector<ConfigError> errors;
  // Every key the document set -> where its value is, so that a problem
  // found later (a port that cannot be bound, say) can point at the line.
  std::map<std::string, Location, std::less<>> locations;

  bool ok() const { return errors.empty(); }
};

// Larger files are refused: a configuration is a few KiB.
inline constexpr std::size_t kMaxConfigBytes = 1u << 20;

// Defaults, with the exporter overlaid by the OTELPACK_* environment
// variables (ExporterOptions::FromEnvironment): the usual `base`.
Result<agent::AgentOptions> OptionsFromEnvironment();

// Applies the YAML document to `base`. An empty document changes nothing.
// A relative file path the document names for a declared format
// (exporter.format) is read from `base_dir` (empty: the working directory).
// Does not require the exporter's endpoint, project or credentials: see
// CheckExporterReady.
LoadedConfig ParseConfig(std::string_view yaml_text, const agent::AgentOptions& base,
                         const EnvLookup& env = ProcessEnvironment(), std::string_view base_dir = {});

// ParseConfig on the file's contents. A file that cannot be read (or is
// larger than kMaxConfigBytes) is one error naming the path.
LoadedConfig LoadConfigFile(const std::string& path, const agent::AgentOptions& base,
                            const EnvLookup& env = ProcessEnvironment());

// What ParseConfig leaves out because `otelpack run --embedded-sink` fills it
// in itself: ExporterOptions::Validate (endpoint and project_id set, ...) and
// credentials that match auth.scheme. Appends an error for each failure, at
// the key's line when the document set it.
void CheckExporterReady(LoadedConfig* config);

// "FILE:LINE:COL: KEY: MESSAGE"; without a line "FILE: KEY: MESSAGE"; without
// a key the "KEY: " part is left out.
std::string FormatError(const std::string& source, const ConfigError& error);

}  // namespace otelpack::config

#endif  // OTELPACK_CONFIG_CONFIG_H_

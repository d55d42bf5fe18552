// The machinery of a declaration's walk, shared by the document's keys
// (parse.cc) and the templates (template_parse.cc): where errors go, where a
// node is (down to a column inside a scalar), a mapping's entries with their
// places, the limits that stop a hostile document early.
//
// Internal to src/format/declared.
#ifndef OTELPACK_FORMAT_DECLARED_PARSE_WALK_H_
#define OTELPACK_FORMAT_DECLARED_PARSE_WALK_H_

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/values.h"
#include "config/yaml_util.h"
#include "format/declared/declaration.h"
#include "format/declared/parse.h"

namespace otelpack::format::declared::internal {

// "a mapping", "a list", "empty", "a single value", for "must be X, not Y".
using config::YamlTypeName;

// The place of a YAML mark (1-based), {} when it has none.
Place PlaceOf(const YAML::Mark& mark);
Place PlaceOf(const YAML::Node& node);

// "parent.key", or "key" at the top.
std::string KeyPath(std::string_view parent, std::string_view key);

class Walk {
 public:
  // `text` is the document the nodes were read from, when known: with it a
  // mistake inside a scalar is pointed at by its column.
  Walk(const config::EnvLookup& env, std::optional<std::string_view> text, std::vector<DeclarationError>* errors)
      : env_(env), text_(text), errors_(errors) {}

  const config::EnvLookup& env() const { return env_; }
  // Records a mistake. One past kMaxErrors stops the walk: CountNode and
  // Charge say no from then on.
  void Error(std::string key, Place at, std::string message);
  bool stopped() const { return stopped_; }

  // Where byte `offset` of scalar `node` (which is at `at`) is. Exact when
  // the scalar is written on one line as it reads (plain, or quoted without
  // escapes) and the document's text is known; otherwise `at`, with *exact
  // false.
  Place PlaceIn(const YAML::Node& node, Place at, std::size_t offset, bool* exact) const;

  // Counts one template value: false past kMaxTemplateNodes (reported once).
  bool CountNode(const std::string& key, Place at);
  // False past kMaxTemplateDepth (reported once).
  bool CheckDepth(int depth, const std::string& key, Place at);
  // Counts `bytes` read at `key` (its dotted key and its text): false past
  // kMaxExpandedBytes (reported once), and the walk stops reading.
  bool Charge(std::size_t bytes, const std::string& key, Place at);

 private:
  const config::EnvLookup& env_;
  std::optional<std::string_view> text_;
  std::vector<DeclarationError>* errors_;
  std::size_t nodes_ = 0;
  std::size_t bytes_ = 0;
  bool stopped_ = false;
  bool too_many_reported_ = false;
  bool too_deep_reported_ = false;
  bool too_large_reported_ = false;
};

// One key of a mapping and its value.
struct Entry {
  std::string key;
  Place key_at;
  YAML::Node value;
  Place value_at;  // the key's place when the value is empty (YAML gives it none)
};

// The entries of a mapping (`key` is its dotted key), in document order. A
// key that is not a single value, or appears twice, is reported and left out.
std::vector<Entry> Entries(Walk& walk, const YAML::Node& mapping, const std::string& key);

// The entry named `name`, or null.
const Entry* FindEntry(const std::vector<Entry>& entries, std::string_view name);

// Reports `entry` of the mapping at `parent` as unknown: with the closest of
// `known` when it looks mistyped, else with the list of `known`.
void ReportUnknownKey(Walk& walk, const std::string& parent, const Entry& entry,
                      std::span<const std::string_view> known);

// "has no value: expected ..." / "must be ..., not a list" when `entry` is
// not a non-empty single value; the value's text otherwise.
std::optional<std::string> ScalarText(Walk& walk, const std::string& key, const Entry& entry,
                                      std::string_view expected);

}  // namespace otelpack::format::declared::internal

#endif  // OTELPACK_FORMAT_DECLARED_PARSE_WALK_H_

// Template values (docs/formats.md, "Templates"): YAML -> Template, and the
// scalar rules headers share with them (which string is a reference, how a
// literal's ${env:NAME} and $$ are read).
//
// Internal to src/format/declared.
#ifndef OTELPACK_FORMAT_DECLARED_TEMPLATE_PARSE_H_
#define OTELPACK_FORMAT_DECLARED_TEMPLATE_PARSE_H_

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>

#include "format/declared/declaration.h"
#include "format/declared/parse_walk.h"

namespace otelpack::format::declared::internal {

// A string that starts with '$' but not "$$" (a literal '$') or "${" (an
// environment variable).
bool IsReferenceText(std::string_view text);

// A literal string as written: ${env:NAME} replaced, a leading "$$" read as
// one '$'.
struct StringLiteral {
  std::string text;
  bool from_env = false;  // a variable was substituted: the text is never shown
};
// Reports an unset variable or a malformed ${...} at `at` (nullopt then).
std::optional<StringLiteral> ReadStringLiteral(Walk& walk, std::string_view raw, const std::string& key, Place at);

// The reference a scalar spells (IsReferenceText must hold); a syntax error
// is reported at its column (nullopt then).
std::optional<Reference> ReadReference(Walk& walk, const YAML::Node& scalar, Place at, const std::string& key);

// The template `node` (at `at`, keyed `key`) writes; `depth` is its level
// (an event's object is 1). Mistakes are reported and read as null.
Template ReadTemplate(Walk& walk, const YAML::Node& node, Place at, const std::string& key, int depth);

// An event or the envelope: a mapping that is an object (not a $each list).
std::optional<Template> ReadObjectTemplate(Walk& walk, const Entry& entry, const std::string& key);

}  // namespace otelpack::format::declared::internal

#endif  // OTELPACK_FORMAT_DECLARED_TEMPLATE_PARSE_H_

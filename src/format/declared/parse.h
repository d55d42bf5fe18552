// A declaration document (docs/formats.md) -> its parse tree (declaration.h).
//
//   ParsedDeclaration parsed = LoadDeclarationFile("format.yaml");
//   for (const DeclarationError& e : parsed.errors) {
//     std::fprintf(stderr, "%s\n", FormatError(parsed.declaration.source, e).c_str());
//   }
//
// This checks the document's shape: its keys (with "did you mean" for a near
// miss), the framing, the envelope's and events' being mappings, request
// paths and headers that can go into a request as written, template values
// (literals, references, objects, lists, $each, $flatten) and the syntax of
// references and conversions. What they mean for a signal (does the field
// exist, does the conversion apply) is compile.h's to check.
//
// Every problem is collected, not only the first, each with its dotted key
// ("traces.event.status") and FILE:LINE:COL, in the order of the document.
// No value that came from ${env:NAME} ever appears in a message.
#ifndef OTELPACK_FORMAT_DECLARED_PARSE_H_
#define OTELPACK_FORMAT_DECLARED_PARSE_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "config/values.h"
#include "format/declared/declaration.h"
#include "format/declared/declaration_error.h"

namespace YAML {
class Node;
}

namespace otelpack::format::declared {

// A declaration is a few KiB; larger documents are refused.
inline constexpr std::size_t kMaxDeclarationBytes = 1u << 20;
// How deep templates nest: an event's own object is level 1.
inline constexpr int kMaxTemplateDepth = 32;
// Template values (literals, references, objects, lists, $each, $flatten
// entries) in a whole declaration. YAML aliases count at every use.
inline constexpr std::size_t kMaxTemplateNodes = 10'000;
// The bytes of keys (dotted, as messages name them) and values the walk
// reads, YAML aliases counted at every use: a few KiB of aliases must not
// make gigabytes of tree or of messages. Far above what 10,000 values need.
inline constexpr std::size_t kMaxExpandedBytes = 16u << 20;
// Mistakes reported: with one more the parser stops reading, and says so.
inline constexpr std::size_t kMaxErrors = 100;

struct ParsedDeclaration {
  // As far as it could be read; use it only when ok().
  Declaration declaration;
  std::vector<DeclarationError> errors;

  bool ok() const { return errors.empty(); }
};

// Parses a declaration document; `source` names it in messages (and becomes
// Declaration::source). An empty document is the built-in format (every
// optional part left out).
ParsedDeclaration ParseDeclaration(std::string_view yaml_text, std::string source,
                                   const config::EnvLookup& env = config::ProcessEnvironment());

// The same for a declaration inside another YAML document (the agent's
// configuration's `format:` section): every key is prefixed with
// `key_prefix` ("format" gives "format.traces.event..."). Without the
// document's text, a mistake inside a scalar is placed at the scalar (its
// message then says at which character).
ParsedDeclaration ParseDeclarationNode(const YAML::Node& node, std::string source, std::string key_prefix,
                                       const config::EnvLookup& env = config::ProcessEnvironment());

// ParseDeclaration on a file's contents, named by its path. A file that
// cannot be read, or is larger than kMaxDeclarationBytes, is one error that
// names the path.
ParsedDeclaration LoadDeclarationFile(const std::string& path,
                                      const config::EnvLookup& env = config::ProcessEnvironment());

}  // namespace otelpack::format::declared

#endif  // OTELPACK_FORMAT_DECLARED_PARSE_H_

// The syntax of a reference in a declared format (docs/formats.md,
// "Reference syntax"):
//
//   $resource.attributes["service.name"] | default("unknown") | case(a="x", else=y)
//
// Only the syntax. Which fields a signal has, which conversions exist, what
// arguments they take and where they apply is compile.h's business, so a
// reference that parses here may still be refused there.
//
// Offsets are bytes into the text: the caller turns them into the column of
// the mistake inside the YAML scalar when it can.
#ifndef OTELPACK_FORMAT_DECLARED_REFERENCE_SYNTAX_H_
#define OTELPACK_FORMAT_DECLARED_REFERENCE_SYNTAX_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "format/declared/declaration.h"

namespace otelpack::format::declared {

struct ReferenceSyntax {
  // When ok(): path, key, conversions and text (without the spaces at its
  // end); the places (Reference::at, Conversion::at) are left for the caller.
  Reference reference;
  std::vector<std::size_t> conversion_offsets;  // where each conversion's name starts
  std::string error;  // empty when the text is a reference; never repeats the text
  std::size_t error_offset = 0;

  bool ok() const { return error.empty(); }
};

// Parses `text`, which starts with '$' (the caller decides that a string is
// a reference: not "$$", not "${").
//
//   reference  = "$" path { "|" conversion }
//   path       = name { "." name } [ "[" string "]" ]
//   conversion = name [ "(" arg { "," arg } ")" ]
//   arg        = value | name "=" value
//   value      = string | number | true | false | null | word
//
// A name is [a-z_][a-z0-9_]*; a string is "..." with \" and \\ as its only
// escapes; a number is an integer (64-bit) or has a fraction or an exponent
// (a double); a word is [A-Za-z_][A-Za-z0-9_.-]* and stands for the string it
// spells. Spaces and tabs (and line breaks, which a YAML block scalar
// leaves) are allowed around '|', ',', '=' and the parentheses, and at the
// end; nowhere inside a path.
ReferenceSyntax ParseReferenceSyntax(std::string_view text);

}  // namespace otelpack::format::declared

#endif  // OTELPACK_FORMAT_DECLARED_REFERENCE_SYNTAX_H_

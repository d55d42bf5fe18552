// A mistake in a declaration, found when it is loaded -- by the parser (its
// shape) or the compiler (what it means for a signal): where it was written,
// under which key, and what is wrong, so that it reads as
// `format.yaml:9:17: traces.event.SpanNam: unknown field $nme (did you mean
// $name?)`. One type for both passes, so every caller reports them alike.
#ifndef OTELPACK_FORMAT_DECLARED_DECLARATION_ERROR_H_
#define OTELPACK_FORMAT_DECLARED_DECLARATION_ERROR_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/str_cat.h"
#include "format/declared/declaration.h"
#include "otelpack/status.h"

namespace otelpack::format::declared {

struct DeclarationError {
  std::string key;  // dotted: "traces.event.status", "traces.event.events.$item.name"; empty for the whole document
  Place at;         // {0, 0} when the problem has no place in the document
  std::string message;
};

// "SOURCE:LINE:COL: KEY: MESSAGE"; without a place "SOURCE: KEY: MESSAGE";
// without a key the "KEY: " part is left out (as config::FormatError).
inline std::string FormatError(std::string_view source, const DeclarationError& error) {
  std::string out(source);
  if (error.at.line > 0) StrAppend(&out, ":", error.at.line, ":", error.at.column);
  StrAppend(&out, ": ");
  if (!error.key.empty()) StrAppend(&out, error.key, ": ");
  StrAppend(&out, error.message);
  return out;
}

// InvalidArgument listing every error, one a line; OK when there is none.
inline Status DeclarationErrorsStatus(std::string_view source, const std::vector<DeclarationError>& errors) {
  if (errors.empty()) return Status::Ok();
  std::string message;
  for (const DeclarationError& e : errors) StrAppend(&message, message.empty() ? "" : "\n", FormatError(source, e));
  return Status::InvalidArgument(message);
}

}  // namespace otelpack::format::declared

#endif  // OTELPACK_FORMAT_DECLARED_DECLARATION_ERROR_H_

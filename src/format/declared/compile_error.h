// A mistake in what a declaration means (compile.h), found when it is
// loaded: where it was written, under which key, and what is wrong, so that
// it reads as `format.yaml:9:17: traces.event.SpanNam: unknown field $nme
// (did you mean $name?)`. The same three fields as the parser's errors.
#ifndef OTELPACK_FORMAT_DECLARED_COMPILE_ERROR_H_
#define OTELPACK_FORMAT_DECLARED_COMPILE_ERROR_H_

#include <string>
#include <string_view>
#include <vector>

#include "format/declared/declaration.h"
#include "otelpack/status.h"

namespace otelpack::format::declared {

struct CompileError {
  std::string key;  // dotted: "traces.event.status", "traces.event.events.$item.name"
  Place at;
  std::string message;
};

// "SOURCE:LINE:COL: KEY: MESSAGE" (the place left out when unknown).
std::string FormatCompileError(std::string_view source, const CompileError& e);

// InvalidArgument listing every error, one a line; OK when there is none.
Status CompileErrorsStatus(std::string_view source, const std::vector<CompileError>& errors);

}  // namespace otelpack::format::declared

#endif  // OTELPACK_FORMAT_DECLARED_COMPILE_ERROR_H_

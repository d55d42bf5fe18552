// A declaration checked whole: what the parser finds wrong with its shape,
// then, when it has none, what the compiler finds wrong with its meaning,
// in one list. What `Format::Parse`, the agent's configuration and
// `otelpack validate` report.
#ifndef OTELPACK_FORMAT_DECLARED_CHECK_H_
#define OTELPACK_FORMAT_DECLARED_CHECK_H_

#include <memory>
#include <string_view>
#include <vector>

#include "format/declared/declaration.h"
#include "format/declared/parse.h"

namespace otelpack::format::declared {

struct CheckedDeclaration {
  std::shared_ptr<const Declaration> declaration;  // null when there are errors
  std::vector<DeclarationError> errors;

  bool ok() const { return errors.empty(); }
};

// `key_prefix` is what the parser was given (ParseDeclarationNode's): the
// compiler's keys get it too ("exporter.format" + ".traces.event.name").
CheckedDeclaration Check(ParsedDeclaration parsed, std::string_view key_prefix = {});

}  // namespace otelpack::format::declared

#endif  // OTELPACK_FORMAT_DECLARED_CHECK_H_

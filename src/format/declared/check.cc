#include "format/declared/check.h"

#include <utility>

#include "common/str_cat.h"
#include "format/declared/compile.h"

namespace otelpack::format::declared {

CheckedDeclaration Check(ParsedDeclaration parsed, std::string_view key_prefix) {
  CheckedDeclaration out;
  if (!parsed.ok()) {
    out.errors = std::move(parsed.errors);
    return out;
  }
  // The project id and extra fields change what is written, never whether
  // the declaration is valid: the exporter compiles it again with its own.
  CompileResult compiled = Compile(parsed.declaration, {});
  if (!compiled.ok()) {
    for (DeclarationError& e : compiled.errors) {
      std::string key = key_prefix.empty() ? std::move(e.key) : StrCat(key_prefix, e.key.empty() ? "" : ".", e.key);
      out.errors.push_back({std::move(key), e.at, std::move(e.message)});
    }
    return out;
  }
  out.declaration = std::make_shared<const Declaration>(std::move(parsed.declaration));
  return out;
}

}  // namespace otelpack::format::declared

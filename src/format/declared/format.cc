// otelpack::Format (include/otelpack/format.h): a checked declaration.
#include "otelpack/format.h"

#include <string>
#include <utility>

#include "format/declared/check.h"
#include "format/declared/parse.h"

namespace otelpack {
namespace {

using format::declared::CheckedDeclaration;

Result<std::shared_ptr<const Format>> FromChecked(CheckedDeclaration checked, std::string_view source) {
  if (!checked.ok()) {
    std::string message;
    for (const format::declared::DeclarationError& e : checked.errors) {
      if (!message.empty()) message += '\n';
      message += format::declared::FormatError(source, e);
    }
    return Status::InvalidArgument(std::move(message));
  }
  return std::make_shared<const Format>(std::move(checked.declaration));
}

}  // namespace

Format::Format(std::shared_ptr<const format::declared::Declaration> declaration)
    : declaration_(std::move(declaration)) {}

const std::string& Format::source() const { return declaration_->source; }

Result<std::shared_ptr<const Format>> Format::Parse(std::string_view yaml, std::string source) {
  const std::string name = source;
  return FromChecked(format::declared::Check(format::declared::ParseDeclaration(yaml, std::move(source))), name);
}

Result<std::shared_ptr<const Format>> Format::Load(const std::string& path) {
  return FromChecked(format::declared::Check(format::declared::LoadDeclarationFile(path)), path);
}

std::shared_ptr<const Format> Format::BuiltIn() {
  // A declaration that leaves every part out is the built-in format, the
  // extra fields included (compile.h).
  static const std::shared_ptr<const Format> built_in = [] {
    auto declaration = std::make_shared<format::declared::Declaration>();
    declaration->source = "built-in";
    return std::make_shared<const Format>(std::move(declaration));
  }();
  return built_in;
}

}  // namespace otelpack

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

bool NamesProject(const format::declared::Template& t) {
  using Kind = format::declared::Template::Kind;
  switch (t.kind) {
    case Kind::kLiteral: return false;
    case Kind::kReference: return t.reference.path.size() == 1 && t.reference.path[0] == "project_id";
    case Kind::kObject:
      for (const format::declared::Member& m : t.members) {
        if (m.flatten && m.flatten->from.path.size() == 1 && m.flatten->from.path[0] == "project_id") return true;
        for (const format::declared::Template& v : m.value) {
          if (NamesProject(v)) return true;
        }
      }
      return false;
    case Kind::kArray:
    case Kind::kEach:
      for (const format::declared::Template& item : t.items) {
        if (NamesProject(item)) return true;
      }
      return false;
  }
  return false;
}

}  // namespace

bool Format::uses_project_id() const {
  const format::declared::Declaration& d = *declaration_;
  // What it leaves out is the built-in format's, which names the project.
  if (!d.headers || !d.traces || !d.logs || !d.metrics) return true;
  if (d.framing == format::declared::Framing::kEnvelope && (!d.envelope || NamesProject(*d.envelope))) return true;
  for (const format::declared::Header& h : *d.headers) {
    if (NamesProject(h.value)) return true;
  }
  for (const auto* signal : {&d.traces, &d.logs, &d.metrics}) {
    if (NamesProject((*signal)->event)) return true;
  }
  return false;
}

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

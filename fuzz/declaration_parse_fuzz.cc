// Fuzzes the declaration parser (src/format/declared/parse.h): any text
// parses or is refused with messages -- never a crash, a hang or a leak. A
// declaration that parses has what the compiler relies on: a path in every
// reference, one value per member, an $item per $each, object events, request
// paths and header values that can go into a request. No message shows a
// value from the environment. Text that starts with '$' also goes through the
// reference grammar alone, whose offsets must stay inside the text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "format/declared/parse.h"
#include "format/declared/reference_syntax.h"

namespace {

using otelpack::format::declared::Declaration;
using otelpack::format::declared::DeclarationError;
using otelpack::format::declared::Header;
using otelpack::format::declared::Member;
using otelpack::format::declared::ParsedDeclaration;
using otelpack::format::declared::Reference;
using otelpack::format::declared::ReferenceSyntax;
using otelpack::format::declared::SignalFormat;
using otelpack::format::declared::Template;

constexpr std::string_view kSecret = "S3CR3T";

void Require(bool condition) {
  if (!condition) std::abort();
}

void CheckReference(const Reference& r) {
  Require(!r.path.empty());
  for (const std::string& name : r.path) Require(!name.empty());
  for (const auto& c : r.conversions) Require(!c.name.empty());
}

void CheckTemplate(const Template& t) {
  switch (t.kind) {
    case Template::Kind::kLiteral:
      return;
    case Template::Kind::kReference:
      CheckReference(t.reference);
      return;
    case Template::Kind::kObject:
      for (const Member& m : t.members) {
        if (m.flatten) {
          Require(m.value.empty());
          CheckReference(m.flatten->from);
        } else {
          Require(m.value.size() == 1);
          CheckTemplate(m.value[0]);
        }
      }
      return;
    case Template::Kind::kArray:
      for (const Template& item : t.items) CheckTemplate(item);
      return;
    case Template::Kind::kEach:
      CheckReference(t.reference);
      Require(t.items.size() == 1);
      CheckTemplate(t.items[0]);
      return;
  }
  std::abort();
}

void CheckDeclaration(const Declaration& d) {
  if (d.envelope) {
    Require(d.envelope->kind == Template::Kind::kObject);
    CheckTemplate(*d.envelope);
  }
  if (d.headers) {
    for (const Header& h : *d.headers) {
      Require(!h.name.empty());
      if (h.value.kind == Template::Kind::kReference) {
        CheckReference(h.value.reference);
      } else {
        Require(h.value.kind == Template::Kind::kLiteral);
        Require(h.value.literal.string_value.find_first_of("\r\n") == std::string::npos);
      }
    }
  }
  for (const std::optional<SignalFormat>* s : {&d.traces, &d.logs, &d.metrics}) {
    if (!*s) continue;
    Require(!(*s)->path.empty() && (*s)->path.front() == '/');
    Require((*s)->path.find_first_of(" \r\n") == std::string::npos);
    Require((*s)->event.kind == Template::Kind::kObject);
    CheckTemplate((*s)->event);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const otelpack::config::EnvLookup kEnv = [](std::string_view name) -> std::optional<std::string> {
    if (name == "KEY") return std::string(kSecret);
    if (name == "CRLF") return std::string(kSecret) + "\r\n";
    return std::nullopt;
  };
  const ParsedDeclaration parsed = otelpack::format::declared::ParseDeclaration(text, "fuzz.yaml", kEnv);
  if (parsed.ok()) {
    CheckDeclaration(parsed.declaration);
  } else {
    const bool secret_written = text.find(kSecret) != std::string_view::npos;
    for (const DeclarationError& e : parsed.errors) {
      Require(!e.message.empty());
      Require(secret_written || e.message.find(kSecret) == std::string::npos);
    }
  }

  if (!text.empty() && text.front() == '$') {
    const ReferenceSyntax r = otelpack::format::declared::ParseReferenceSyntax(text);
    if (r.ok()) {
      CheckReference(r.reference);
      Require(r.conversion_offsets.size() == r.reference.conversions.size());
      for (std::size_t offset : r.conversion_offsets) Require(offset < text.size());
    } else {
      Require(r.error_offset <= text.size());
    }
  }
  return 0;
}

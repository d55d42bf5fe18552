// What the parser's tests share: an environment from a map, and a parse tree
// written out as indented text, so that a test states a whole tree (kinds,
// keys in order, paths, conversions and their arguments, places) as one
// string a reader can check against the YAML.
//
//   object @8:5
//     Timestamp @9:5: $start_time @9:16 | rfc3339 @9:30 (digits=9)
//     Events @19:5: each $events @20:14
//       item: object @21:14
//
// Literals: "text", 3 (an integer), 2.5d (a double), true, null.
#ifndef OTELPACK_FORMAT_DECLARED_PARSE_TEST_UTIL_H_
#define OTELPACK_FORMAT_DECLARED_PARSE_TEST_UTIL_H_

#include <charconv>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/str_cat.h"
#include "config/values.h"
#include "format/declared/declaration.h"
#include "format/declared/parse.h"

namespace otelpack::format::declared::testing {

inline config::EnvLookup MapEnv(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

// Every error, formatted, one a line.
inline std::string AllErrors(const ParsedDeclaration& parsed) {
  std::string out;
  for (const DeclarationError& e : parsed.errors) out += FormatError(parsed.declaration.source, e) + "\n";
  return out;
}

class TreeWriter {
 public:
  explicit TreeWriter(bool places) : places_(places) {}

  std::string Write(const Template& t) {
    Value(t, 0);
    return std::move(out_);
  }

  static std::string LiteralText(const Literal& l) {
    switch (l.type) {
      case Literal::Type::kNull:
        return "null";
      case Literal::Type::kBool:
        return l.bool_value ? "true" : "false";
      case Literal::Type::kInt:
        return StrCat(l.int_value);
      case Literal::Type::kDouble:
        return StrCat(l.double_value, "d");
      case Literal::Type::kString:
        return StrCat("\"", l.string_value, "\"");
    }
    return "?";
  }

  std::string ReferenceText(const Reference& r) const {
    std::string out = "$";
    for (std::size_t i = 0; i < r.path.size(); ++i) StrAppend(&out, i == 0 ? "" : ".", r.path[i]);
    if (r.key) StrAppend(&out, "[\"", *r.key, "\"]");
    StrAppend(&out, At(r.at));
    for (const Conversion& c : r.conversions) {
      StrAppend(&out, " | ", c.name, At(c.at));
      if (c.arguments.empty()) continue;
      out += " (";
      for (std::size_t i = 0; i < c.arguments.size(); ++i) {
        const Argument& a = c.arguments[i];
        StrAppend(&out, i == 0 ? "" : ", ", a.name, a.name.empty() ? "" : "=", LiteralText(a.value));
      }
      out += ")";
    }
    return out;
  }

 private:
  std::string At(const Place& p) const { return places_ ? StrCat(" @", p.line, ":", p.column) : ""; }

  // The value's first line goes on the current line; its children below.
  void Value(const Template& t, int indent) {
    const std::string pad(static_cast<std::size_t>(indent + 2), ' ');
    switch (t.kind) {
      case Template::Kind::kLiteral:
        StrAppend(&out_, LiteralText(t.literal), At(t.at), "\n");
        return;
      case Template::Kind::kReference:
        StrAppend(&out_, ReferenceText(t.reference), "\n");
        return;
      case Template::Kind::kObject:
        StrAppend(&out_, "object", At(t.at), "\n");
        for (const Member& m : t.members) {
          out_ += pad;
          if (m.flatten) {
            Flattened(*m.flatten, m.at);
          } else {
            StrAppend(&out_, m.key, At(m.at), ": ");
            Value(m.value.at(0), indent + 2);
          }
        }
        return;
      case Template::Kind::kArray:
        StrAppend(&out_, "array", At(t.at), "\n");
        for (const Template& item : t.items) {
          StrAppend(&out_, pad, "- ");
          Value(item, indent + 2);
        }
        return;
      case Template::Kind::kEach:
        StrAppend(&out_, "each ", ReferenceText(t.reference), At(t.at), "\n", pad, "item: ");
        Value(t.items.at(0), indent + 2);
        return;
    }
  }

  void Flattened(const Flatten& f, const Place& member_at) {
    StrAppend(&out_, "$flatten", At(member_at), ": ", ReferenceText(f.from), At(f.at));
    if (!f.prefix.empty()) StrAppend(&out_, " prefix=\"", f.prefix, "\"");
    for (const auto& [name, keys] : {std::pair{"include", &f.include}, std::pair{"exclude", &f.exclude}}) {
      if (keys->empty()) continue;
      StrAppend(&out_, " ", name, "=[");
      for (std::size_t i = 0; i < keys->size(); ++i) StrAppend(&out_, i == 0 ? "" : ",", (*keys)[i]);
      out_ += "]";
    }
    out_ += "\n";
  }

  bool places_;
  std::string out_;
};

// The tree of `t`, with places or without.
inline std::string Tree(const Template& t, bool places = true) { return TreeWriter(places).Write(t); }

}  // namespace otelpack::format::declared::testing

#endif  // OTELPACK_FORMAT_DECLARED_PARSE_TEST_UTIL_H_

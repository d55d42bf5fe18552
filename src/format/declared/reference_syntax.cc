// The reference grammar (reference_syntax.h): a recursive descent over the
// scalar's bytes, stopping at the first mistake with its offset.
#include "format/declared/reference_syntax.h"

#include <charconv>
#include <cstdint>
#include <utility>

#include "common/str_cat.h"
#include "config/values.h"

namespace otelpack::format::declared {
namespace {

bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsNameChar(char c) { return IsLower(c) || IsUpper(c) || IsDigit(c) || c == '_'; }
bool IsWordStart(char c) { return IsLower(c) || IsUpper(c) || c == '_'; }
bool IsWordChar(char c) { return IsNameChar(c) || c == '.' || c == '-'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// A character as a message shows it: the scalar may hold anything.
std::string Shown(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (c == ' ') return "a space";
  if (u > 0x20 && u < 0x7f) return StrCat("'", c, "'");
  constexpr char kHex[] = "0123456789abcdef";
  return StrCat("byte 0x", kHex[u >> 4], kHex[u & 0xf]);
}

// -?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?; *fractional when it is not an integer.
bool IsNumber(std::string_view s, bool* fractional) {
  std::size_t i = 0;
  auto digits = [&] {
    const std::size_t start = i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    return i > start;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (!digits()) return false;
  *fractional = false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return false;
    *fractional = true;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
    *fractional = true;
  }
  return i == s.size();
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {
    // As written, less the spaces (or a block scalar's line break) at the end.
    std::size_t end = text.size();
    while (end > 0 && IsSpace(text[end - 1])) --end;
    out_.reference.text = std::string(text.substr(0, end));
  }

  ReferenceSyntax Run() && {
    pos_ = 1;  // the '$'
    if (!Path()) return std::move(out_);
    SkipSpaces();
    while (!AtEnd()) {
      if (Peek() != '|') {
        const bool ends_path = out_.reference.key && out_.reference.conversions.empty() &&
                               (Peek() == '.' || Peek() == '[');
        Fail(pos_, StrCat("unexpected ", Shown(Peek()), ": expected '|' and a conversion, or the end",
                          ends_path ? " (the [\"key\"] ends the path)" : ""));
        return std::move(out_);
      }
      ++pos_;
      SkipSpaces();
      if (!Conversion()) return std::move(out_);
      SkipSpaces();
    }
    return std::move(out_);
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
  void SkipSpaces() {
    while (!AtEnd() && IsSpace(text_[pos_])) ++pos_;
  }
  // What is at the cursor, for "expected X after Y, not Z".
  std::string Found() const { return AtEnd() ? "the end" : Shown(Peek()); }

  bool Fail(std::size_t at, std::string message) {
    out_.error = std::move(message);
    out_.error_offset = at;
    out_.reference = Reference{};
    out_.conversion_offsets.clear();
    return false;
  }

  // A name of `what` (a field, a conversion, an argument) `where` ("after
  // '$'"): [a-z_][a-z0-9_]*.
  bool Name(std::string_view what, std::string_view where, std::string* out) {
    const std::size_t start = pos_;
    while (!AtEnd() && IsNameChar(Peek())) ++pos_;
    const std::string_view name = text_.substr(start, pos_ - start);
    if (name.empty()) {
      return Fail(start, StrCat("expected ", what, " ", where, ", not ", Found(),
                                " (a name is a-z, 0-9 and _, not starting with a digit)"));
    }
    if (IsDigit(name.front())) return Fail(start, StrCat(what, " does not start with a digit"));
    for (std::size_t i = 0; i < name.size(); ++i) {
      if (IsUpper(name[i])) return Fail(start + i, StrCat(what, " is lowercase: a-z, 0-9 and _"));
    }
    *out = std::string(name);
    return true;
  }

  bool Path() {
    Reference& r = out_.reference;
    std::string name;
    if (!Name("a field name", "after '$'", &name)) return false;
    r.path.push_back(std::move(name));
    while (Peek() == '.') {
      ++pos_;
      if (!Name("a field name", "after '.'", &name)) return false;
      r.path.push_back(std::move(name));
    }
    if (Peek() != '[') return true;
    ++pos_;
    if (Peek() != '"') {
      return Fail(pos_, StrCat("expected a quoted key after '[', such as [\"service.name\"], not ", Found()));
    }
    std::string key;
    if (!String(&key)) return false;
    if (Peek() != ']') return Fail(pos_, StrCat("expected ']' after the key, not ", Found()));
    ++pos_;
    r.key = std::move(key);
    return true;
  }

  // At the opening '"'.
  bool String(std::string* out) {
    const std::size_t start = pos_++;
    while (true) {
      if (AtEnd()) return Fail(start, "the string has no closing '\"'");
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c == '\\') {
        if (pos_ + 1 >= text_.size()) return Fail(start, "the string has no closing '\"'");
        const char escaped = text_[pos_ + 1];
        if (escaped != '"' && escaped != '\\') {
          return Fail(pos_, StrCat("unknown escape '\\' then ", Shown(escaped),
                                   ": a string knows only \\\" and \\\\"));
        }
        out->push_back(escaped);
        pos_ += 2;
        continue;
      }
      out->push_back(c);
      ++pos_;
    }
  }

  bool Conversion() {
    const std::size_t start = pos_;
    declared::Conversion c;
    if (!Name("a conversion name", "after '|'", &c.name)) return false;
    SkipSpaces();
    if (Peek() == '(') {
      ++pos_;
      SkipSpaces();
      if (Peek() == ')') return Fail(pos_, StrCat("empty parentheses: write ", c.name, " without them"));
      std::string_view after = "after '('";
      while (true) {
        Argument arg;
        if (!ArgumentAt(after, &arg)) return false;
        c.arguments.push_back(std::move(arg));
        SkipSpaces();
        if (Peek() == ',') {
          ++pos_;
          SkipSpaces();
          after = "after ','";
          continue;
        }
        if (Peek() == ')') {
          ++pos_;
          break;
        }
        return Fail(pos_, AtEnd() ? StrCat("expected ')' to close the arguments of ", c.name)
                                  : StrCat("expected ',' or ')' after an argument, not ", Found()));
      }
    }
    out_.reference.conversions.push_back(std::move(c));
    out_.conversion_offsets.push_back(start);
    return true;
  }

  // `value` or `name = value`.
  bool ArgumentAt(std::string_view where, Argument* out) {
    if (!IsWordStart(Peek())) return Value(StrCat("an argument ", where), &out->value);
    const std::size_t start = pos_;
    while (!AtEnd() && IsWordChar(Peek())) ++pos_;
    const std::string_view word = text_.substr(start, pos_ - start);
    const std::size_t after_word = pos_;
    SkipSpaces();
    if (Peek() != '=') {
      pos_ = after_word;
      out->value = WordLiteral(word);
      return true;
    }
    pos_ = start;
    if (!Name("an argument's name", where, &out->name)) return false;
    if (pos_ != after_word) {
      return Fail(pos_, "an argument's name is a-z, 0-9 and _, not starting with a digit");
    }
    SkipSpaces();
    ++pos_;  // '='
    SkipSpaces();
    return Value(StrCat("a value after '", out->name, "='"), &out->value);
  }

  bool Value(std::string_view what, Literal* out) {
    const char c = Peek();
    if (c == '"') {
      out->type = Literal::Type::kString;
      return String(&out->string_value);
    }
    if (IsDigit(c) || c == '-') return Number(out);
    if (IsWordStart(c)) {
      const std::size_t start = pos_;
      while (!AtEnd() && IsWordChar(Peek())) ++pos_;
      *out = WordLiteral(text_.substr(start, pos_ - start));
      return true;
    }
    return Fail(pos_, StrCat("expected ", what, ": a \"string\", a number, true, false, null or a word; not ",
                             Found()));
  }

  static Literal WordLiteral(std::string_view word) {
    Literal l;
    if (word == "null") return l;
    if (word == "true" || word == "false") {
      l.type = Literal::Type::kBool;
      l.bool_value = word == "true";
      return l;
    }
    l.type = Literal::Type::kString;
    l.string_value = std::string(word);
    return l;
  }

  bool Number(Literal* out) {
    const std::size_t start = pos_;
    // The token runs to the next delimiter, so that "3s" is one mistake.
    while (!AtEnd() && !IsSpace(Peek()) && Peek() != ',' && Peek() != ')' && Peek() != '|') ++pos_;
    const std::string_view token = text_.substr(start, pos_ - start);
    bool fractional = false;
    if (!IsNumber(token, &fractional)) {
      return Fail(start, StrCat(config::QuotedForMessage(token),
                                " is not a number (e.g. 3, -1, 2.5 or 1e-3); quote it for a string"));
    }
    const char* first = token.data();
    const char* last = token.data() + token.size();
    if (!fractional) {
      out->type = Literal::Type::kInt;
      const auto [end, ec] = std::from_chars(first, last, out->int_value);
      if (ec != std::errc() || end != last) return Fail(start, StrCat(token, " is too large an integer (64 bits)"));
      return true;
    }
    out->type = Literal::Type::kDouble;
    const auto [end, ec] = std::from_chars(first, last, out->double_value);
    if (ec != std::errc() || end != last) return Fail(start, StrCat(token, " is a number out of a double's range"));
    return true;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  ReferenceSyntax out_;
};

}  // namespace

ReferenceSyntax ParseReferenceSyntax(std::string_view text) {
  if (text.empty() || text.front() != '$') {
    ReferenceSyntax out;
    out.error = "a reference starts with '$'";
    return out;
  }
  return Parser(text).Run();
}

}  // namespace otelpack::format::declared

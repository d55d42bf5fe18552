// Template values (template_parse.h): scalars by YAML 1.2's core schema,
// references by reference_syntax.h, objects, lists, $each and $flatten.
#include "format/declared/template_parse.h"

#include <charconv>
#include <cstdint>
#include <limits>
#include <span>
#include <utility>

#include "common/str_cat.h"
#include "format/declared/reference_syntax.h"

namespace otelpack::format::declared::internal {
namespace {

constexpr std::string_view kTemplateKeys[] = {"$each", "$item", "$flatten"};
constexpr std::string_view kEachKeys[] = {"$each", "$item"};
constexpr std::string_view kFlattenKeys[] = {"from", "prefix", "include", "exclude"};
constexpr std::string_view kFlattenExample = "$attributes, or {from: $attributes, prefix: \"attr.\"}";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHexDigit(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool IsOctalDigit(char c) { return c >= '0' && c <= '7'; }

template <typename Predicate>
bool AllOf(std::string_view s, Predicate p) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!p(c)) return false;
  }
  return true;
}

// (\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? -- YAML 1.2's float without
// its sign, normalized for from_chars ("1." -> "1.0", ".5" -> "0.5").
std::optional<std::string> YamlFloat(std::string_view s) {
  std::string out;
  std::size_t i = 0;
  const std::size_t whole = i;
  while (i < s.size() && IsDigit(s[i])) out += s[i++];
  if (i == whole) out += '0';
  const bool has_whole = i > whole;
  if (i < s.size() && s[i] == '.') {
    out += s[i++];
    const std::size_t fraction = i;
    while (i < s.size() && IsDigit(s[i])) out += s[i++];
    if (i == fraction) {
      if (!has_whole) return std::nullopt;
      out += '0';
    }
  } else if (!has_whole) {
    return std::nullopt;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    out += s[i++];
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) out += s[i++];
    const std::size_t exponent = i;
    while (i < s.size() && IsDigit(s[i])) out += s[i++];
    if (i == exponent) return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  return out;
}

enum class Plain : std::uint8_t { kString, kLiteral, kError };

// What a plain scalar is under YAML 1.2's core schema (null was settled by
// yaml-cpp): a boolean, an integer (decimal, 0x hex, 0o octal), a float, or
// else a string. An integer needs 64 bits at most and a float must be
// finite, or JSON could not carry it: *error says so.
Plain ResolvePlain(std::string_view s, Literal* out, std::string* error) {
  if (s == "true" || s == "True" || s == "TRUE" || s == "false" || s == "False" || s == "FALSE") {
    out->type = Literal::Type::kBool;
    out->bool_value = s.front() == 't' || s.front() == 'T';
    return Plain::kLiteral;
  }
  const bool negative = !s.empty() && s.front() == '-';
  const std::string_view body = !s.empty() && (s.front() == '-' || s.front() == '+') ? s.substr(1) : s;
  if (body == ".inf" || body == ".Inf" || body == ".INF" || s == ".nan" || s == ".NaN" || s == ".NAN") {
    *error = "is not a finite number, which JSON cannot write; quote it for a string";
    return Plain::kError;
  }
  int base = 10;
  std::string digits;
  if (s.starts_with("0x") && AllOf(s.substr(2), IsHexDigit)) {
    base = 16;
    digits = s.substr(2);
  } else if (s.starts_with("0o") && AllOf(s.substr(2), IsOctalDigit)) {
    base = 8;
    digits = s.substr(2);
  } else if (AllOf(body, IsDigit)) {
    digits = StrCat(negative ? "-" : "", body);
  }
  if (!digits.empty()) {
    out->type = Literal::Type::kInt;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out->int_value, base);
    if (ec != std::errc() || end != digits.data() + digits.size()) {
      *error = "is too large an integer (64 bits); quote it for a string";
      return Plain::kError;
    }
    return Plain::kLiteral;
  }
  std::optional<std::string> number = YamlFloat(body);
  if (!number) return Plain::kString;
  if (negative) number->insert(0, "-");
  out->type = Literal::Type::kDouble;
  const char* last = number->data() + number->size();
  const auto [end, ec] = std::from_chars(number->data(), last, out->double_value);
  if (ec != std::errc() || end != last) {
    *error = "is a number out of a double's range; quote it for a string";
    return Plain::kError;
  }
  return Plain::kLiteral;
}

Template ReadScalar(Walk& walk, const YAML::Node& node, Place at, const std::string& key) {
  Template t;
  t.at = at;
  const std::string& tag = node.Tag();
  const std::string& text = node.Scalar();
  if (tag == "?") {
    std::string error;
    switch (ResolvePlain(text, &t.literal, &error)) {
      case Plain::kLiteral:
        return t;
      case Plain::kError:
        walk.Error(key, at, StrCat(config::QuotedForMessage(text), " ", error));
        return t;
      case Plain::kString:
        break;
    }
  } else if (tag != "!" && tag != "tag:yaml.org,2002:str") {
    walk.Error(key, at,
               StrCat("has the YAML tag ", config::QuotedForMessage(tag),
                      ": only !!str is understood here (or quote the value for a string)"));
    return t;
  }
  if (IsReferenceText(text)) {
    if (std::optional<Reference> r = ReadReference(walk, node, at, key)) {
      t.kind = Template::Kind::kReference;
      t.reference = std::move(*r);
    }
    return t;
  }
  if (std::optional<StringLiteral> s = ReadStringLiteral(walk, text, key, at)) {
    t.literal.type = Literal::Type::kString;
    t.literal.string_value = std::move(s->text);
  }
  return t;
}

// A value that must be a reference ($each, $flatten, from).
std::optional<Reference> RequireReference(Walk& walk, const YAML::Node& node, Place at, const std::string& key,
                                          std::string_view example) {
  if (node.IsNull()) {
    walk.Error(key, at, StrCat("has no value: expected a reference such as ", example));
  } else if (!node.IsScalar()) {
    walk.Error(key, at, StrCat("must be a reference such as ", example, ", not ", YamlTypeName(node)));
  } else if (!IsReferenceText(node.Scalar())) {
    walk.Error(key, at, StrCat("must be a reference (a string that starts with $) such as ", example));
  } else {
    return ReadReference(walk, node, at, key);
  }
  return std::nullopt;
}

void ReportDollarKey(Walk& walk, const std::string& parent, const Entry& e) {
  const std::string key = KeyPath(parent, e.key);
  if (e.key == "$item") {
    walk.Error(key, e.key_at, "goes with $each: {$each: <a list>, $item: <the template of each element>}");
    return;
  }
  const std::string closest = config::ClosestName(e.key, kTemplateKeys);
  if (!closest.empty()) {
    walk.Error(key, e.key_at, StrCat("unknown key; did you mean '", closest, "'?"));
    return;
  }
  walk.Error(key, e.key_at,
             StrCat("is not a template key ($each, $item or $flatten); for a literal key write $", e.key));
}

Template ReadEach(Walk& walk, const std::vector<Entry>& entries, Place at, const std::string& key, int depth) {
  Template t;
  t.kind = Template::Kind::kEach;
  t.at = at;
  for (const Entry& e : entries) {
    if (e.key == "$each" || e.key == "$item") continue;
    if (!config::ClosestName(e.key, kEachKeys).empty()) {
      ReportUnknownKey(walk, key, e, kEachKeys);
    } else {
      walk.Error(KeyPath(key, e.key), e.key_at,
                 "is not allowed next to $each: a list mapped by a template has only $each and $item");
    }
  }
  const Entry* each = FindEntry(entries, "$each");
  std::optional<Reference> list = RequireReference(walk, each->value, each->value_at, KeyPath(key, "$each"),
                                                   "$events");
  if (list) t.reference = std::move(*list);
  const Entry* item = FindEntry(entries, "$item");
  if (item == nullptr) {
    walk.Error(key, at, "has $each without $item (the template of each element)");
    return t;
  }
  t.items.push_back(ReadTemplate(walk, item->value, item->value_at, KeyPath(key, "$item"), depth + 1));
  return t;
}

// `include` or `exclude`: a non-empty list of keys.
void ReadKeyList(Walk& walk, const Entry& e, const std::string& key, std::vector<std::string>* out) {
  if (!e.value.IsSequence()) {
    walk.Error(key, e.value_at,
               StrCat("must be a list of keys such as [http.method, http.route], not ", YamlTypeName(e.value)));
    return;
  }
  if (e.value.size() == 0) {
    walk.Error(key, e.value_at, "is an empty list: leave it out");
    return;
  }
  std::size_t index = 0;
  for (const YAML::Node& item : e.value) {
    const std::string item_key = StrCat(key, "[", index++, "]");
    const Place item_at = item.IsNull() ? e.value_at : PlaceOf(item);
    if (!walk.Charge(item_key.size() + (item.IsScalar() ? item.Scalar().size() : 0), item_key, item_at)) return;
    if (!item.IsScalar()) {
      walk.Error(item_key, item_at,
                 StrCat("must be a key (a single value), not ", YamlTypeName(item)));
      continue;
    }
    out->push_back(item.Scalar());
  }
}

// {from, prefix, include, exclude}.
void ReadFlattenOptions(Walk& walk, const YAML::Node& node, Place at, const std::string& key, Flatten* f) {
  const std::vector<Entry> entries = Entries(walk, node, key);
  for (const Entry& e : entries) {
    const std::string child = KeyPath(key, e.key);
    if (e.key == "from") {
      std::optional<Reference> from = RequireReference(walk, e.value, e.value_at, child, "$attributes");
      if (from) f->from = std::move(*from);
    } else if (e.key == "prefix") {
      if (!e.value.IsNull() && !e.value.IsScalar()) {
        walk.Error(child, e.value_at, StrCat("must be a string, not ", YamlTypeName(e.value)));
      } else if (e.value.IsScalar() && walk.Charge(e.value.Scalar().size(), child, e.value_at)) {
        f->prefix = e.value.Scalar();
      }
    } else if (e.key == "include" || e.key == "exclude") {
      ReadKeyList(walk, e, child, e.key == "include" ? &f->include : &f->exclude);
    } else {
      ReportUnknownKey(walk, key, e, kFlattenKeys);
    }
  }
  if (FindEntry(entries, "from") == nullptr) {
    walk.Error(key, at, "has no from: the map to flatten, such as from: $attributes");
  }
}

// One $flatten entry (a reference or options) -> one member.
void AddFlatten(Walk& walk, const YAML::Node& node, Place at, const std::string& key, Place key_at,
                std::vector<Member>* members) {
  if (!walk.CountNode(key, at) || !walk.Charge(key.size(), key, at)) return;
  Flatten f;
  f.at = at;
  if (node.IsMap()) {
    ReadFlattenOptions(walk, node, at, key, &f);
  } else if (std::optional<Reference> from = RequireReference(walk, node, at, key, kFlattenExample)) {
    f.from = std::move(*from);
  }
  Member m;
  m.flatten = std::move(f);
  m.at = key_at;
  members->push_back(std::move(m));
}

// `$flatten: <entry>` or `$flatten: [<entry>, ...]`, in order.
void ReadFlatten(Walk& walk, const Entry& e, const std::string& key, std::vector<Member>* members) {
  if (!e.value.IsSequence()) {
    AddFlatten(walk, e.value, e.value_at, key, e.key_at, members);
    return;
  }
  if (e.value.size() == 0) walk.Error(key, e.value_at, StrCat("is an empty list: expected ", kFlattenExample));
  std::size_t index = 0;
  for (const YAML::Node& item : e.value) {
    const std::string item_key = StrCat(key, "[", index++, "]");
    const Place item_at = item.IsNull() ? e.value_at : PlaceOf(item);
    if (item.IsSequence()) {
      walk.Error(item_key, item_at, StrCat("must be ", kFlattenExample, ", not a list"));
      continue;
    }
    AddFlatten(walk, item, item_at, item_key, e.key_at, members);
  }
}

Template ReadMapping(Walk& walk, const YAML::Node& node, Place at, const std::string& key, int depth) {
  const std::vector<Entry> entries = Entries(walk, node, key);
  if (FindEntry(entries, "$each") != nullptr) return ReadEach(walk, entries, at, key, depth);
  Template t;
  t.kind = Template::Kind::kObject;
  t.at = at;
  for (const Entry& e : entries) {
    const std::string child = KeyPath(key, e.key);
    if (e.key == "$flatten") {
      ReadFlatten(walk, e, child, &t.members);
      continue;
    }
    Member m;
    m.key = e.key;
    if (e.key.starts_with("$$")) {
      m.key.erase(0, 1);
    } else if (e.key.starts_with("$")) {
      ReportDollarKey(walk, key, e);
      continue;
    }
    m.value.push_back(ReadTemplate(walk, e.value, e.value_at, child, depth + 1));
    m.at = e.key_at;
    t.members.push_back(std::move(m));
  }
  return t;
}

}  // namespace

bool IsReferenceText(std::string_view text) {
  return text.starts_with("$") && !text.starts_with("$$") && !text.starts_with("${");
}

std::optional<StringLiteral> ReadStringLiteral(Walk& walk, std::string_view raw, const std::string& key, Place at) {
  // "$$" escapes the '$' that would make a reference; what follows is read
  // as any literal ("$${" alone is ExpandEnv's own escape for "${").
  std::string_view rest = raw;
  std::string_view dollar;
  if (raw.starts_with("$$") && !raw.starts_with("$${")) {
    dollar = "$";
    rest.remove_prefix(2);
  }
  config::Expansion x = config::ExpandEnv(rest, walk.env());
  if (!x.errors.empty()) {
    for (const std::string& m : x.errors) walk.Error(key, at, StrCat("the value ", m));
    return std::nullopt;
  }
  return StringLiteral{StrCat(dollar, x.text), x.substituted};
}

std::optional<Reference> ReadReference(Walk& walk, const YAML::Node& scalar, Place at, const std::string& key) {
  ReferenceSyntax r = ParseReferenceSyntax(scalar.Scalar());
  bool exact = false;
  if (!r.ok()) {
    const Place error_at = walk.PlaceIn(scalar, at, r.error_offset, &exact);
    if (!exact) StrAppend(&r.error, " (at character ", r.error_offset + 1, " of the reference)");
    walk.Error(key, error_at, std::move(r.error));
    return std::nullopt;
  }
  r.reference.at = walk.PlaceIn(scalar, at, 0, &exact);
  for (std::size_t i = 0; i < r.reference.conversions.size(); ++i) {
    r.reference.conversions[i].at = walk.PlaceIn(scalar, at, r.conversion_offsets[i], &exact);
  }
  return std::move(r.reference);
}

Template ReadTemplate(Walk& walk, const YAML::Node& node, Place at, const std::string& key, int depth) {
  Template t;
  t.at = at;
  if (!walk.CountNode(key, at) || !walk.CheckDepth(depth, key, at)) return t;
  if (!walk.Charge(key.size() + (node.IsScalar() ? node.Scalar().size() : 0), key, at)) return t;
  if (!node.IsDefined() || node.IsNull()) return t;
  if (node.IsMap()) return ReadMapping(walk, node, at, key, depth);
  if (!node.IsSequence()) return ReadScalar(walk, node, at, key);
  t.kind = Template::Kind::kArray;
  std::size_t index = 0;
  for (const YAML::Node& item : node) {
    const Place item_at = item.IsNull() ? at : PlaceOf(item);
    t.items.push_back(ReadTemplate(walk, item, item_at, StrCat(key, "[", index++, "]"), depth + 1));
  }
  return t;
}

std::optional<Template> ReadObjectTemplate(Walk& walk, const Entry& entry, const std::string& key) {
  if (!entry.value.IsMap()) {
    walk.Error(key, entry.value_at,
               entry.value.IsNull()
                   ? std::string("has no value: expected a mapping (an object template)")
                   : StrCat("must be a mapping (an object template), not ", YamlTypeName(entry.value)));
    return std::nullopt;
  }
  Template t = ReadTemplate(walk, entry.value, entry.value_at, key, 1);
  if (t.kind == Template::Kind::kEach) {
    walk.Error(key, entry.value_at, "must be an object, not a list: $each makes one");
    return std::nullopt;
  }
  return t;
}

}  // namespace otelpack::format::declared::internal

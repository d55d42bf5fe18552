// What a declaration's event templates mean (resolve.h): references against
// the field tables, conversions against their field's type.
#include "format/declared/resolve.h"

#include <algorithm>
#include <cmath>

#include "common/ascii.h"
#include "common/str_cat.h"
#include "config/values.h"
#include "format/json_writer.h"

namespace otelpack::format::declared {
namespace {

using enum FieldType;

// Every conversion docs/formats.md lists, for suggestions.
const std::vector<std::string_view> kConversionNames = {
    "base64", "unix_ns", "unix_us", "unix_ms", "unix_s",  "rfc3339",       "ns",           "us", "ms",
    "s",      "number",  "case",    "strings", "json",    "string",        "default",      "null_if_empty",
    "omit_if_empty"};

// "$name", "$parent.trace_id", "$attributes[\"k\"]": the reference without
// its conversions.
std::string RefName(const Reference& ref) {
  std::string s = "$";
  for (std::size_t i = 0; i < ref.path.size(); ++i) StrAppend(&s, i == 0 ? "" : ".", ref.path[i]);
  if (ref.key) StrAppend(&s, "[\"", *ref.key, "\"]");
  return s;
}

// What applies to a type, for "does not apply" messages.
std::string_view Hint(FieldType type, bool numbered_enum) {
  switch (type) {
    case kTraceId:
    case kSpanId: return "use base64";
    case kTime: return "use unix_ns, unix_us, unix_ms, unix_s or rfc3339";
    case kDuration: return "use ns, us, ms or s";
    case kString: return "use case(...)";
    case kInt:
    case kUint:
    case kDouble:
    case kNumber:
    case kBool: return "use string";
    case kEnum: return numbered_enum ? "use number or case(...)" : "use case(...)";
    case kMap: return "use strings or json";
    case kAny: return "use json or string";
    case kList: return "map it with $each";
    case kUintList: return "use null_if_empty or omit_if_empty";
  }
  return "";
}

bool CanBeEmpty(FieldType t) { return t == kString || t == kMap || t == kList || t == kUintList || t == kAny; }

}  // namespace

std::optional<std::string> LiteralJson(const Literal& literal, std::string* error) {
  char digits[format::kMaxNumberChars];
  switch (literal.type) {
    case Literal::Type::kNull: return "null";
    case Literal::Type::kBool: return literal.bool_value ? "true" : "false";
    case Literal::Type::kInt: return std::string(digits, format::WriteInt(literal.int_value, digits));
    case Literal::Type::kDouble:
      if (!std::isfinite(literal.double_value)) {
        *error = "NaN and infinities cannot be written in JSON";
        return std::nullopt;
      }
      return std::string(digits, format::WriteDouble(literal.double_value, digits));
    case Literal::Type::kString: {
      Buffer b;
      AppendJsonString(literal.string_value, &b);
      return std::string(b.view());
    }
  }
  *error = "unknown literal";
  return std::nullopt;
}

void Resolver::Error(const std::string& key, Place at, std::string message) {
  errors_->push_back({key, at, std::move(message)});
}

std::optional<RNode> Resolver::Event(const Template& event, Context context, const std::string& key) {
  if (event.kind != Template::Kind::kObject) {
    Error(key, event.at, "an event is a JSON object: write its members as a mapping");
    return std::nullopt;
  }
  RNode node;
  if (!Node(event, context, false, false, 1, key, &node)) return std::nullopt;
  return node;
}

bool Resolver::Node(const Template& t, Context context, bool in_item, bool member, int depth,
                    const std::string& key, RNode* out) {
  switch (t.kind) {
    case Template::Kind::kLiteral: {
      std::string error;
      std::optional<std::string> json = LiteralJson(t.literal, &error);
      if (!json) {
        Error(key, t.at, error);
        return false;
      }
      out->kind = RNode::Kind::kLiteral;
      out->json = std::move(*json);
      return true;
    }
    case Template::Kind::kReference: {
      std::optional<ValueSpec> spec = ResolveReference(t.reference, context, in_item, member, key);
      if (!spec) return false;
      out->kind = RNode::Kind::kValue;
      out->value = std::move(*spec);
      return true;
    }
    case Template::Kind::kObject:
    case Template::Kind::kArray:
    case Template::Kind::kEach:
      if (depth > kMaxTemplateDepth) {
        Error(key, t.at, StrCat("nested deeper than ", kMaxTemplateDepth,
                                " levels (the events must stay within the backend's JSON nesting limit)"));
        return false;
      }
      break;
  }
  if (t.kind == Template::Kind::kObject) return Object(t, context, in_item, depth, key, out);
  if (t.kind == Template::Kind::kEach) return Each(t, context, in_item, depth, key, out);
  out->kind = RNode::Kind::kArray;
  bool ok = true;
  for (std::size_t i = 0; i < t.items.size(); ++i) {
    RNode item;
    ok = Node(t.items[i], context, in_item, false, depth + 1, StrCat(key, "[", i, "]"), &item) && ok;
    out->items.push_back(std::move(item));
  }
  return ok;
}

bool Resolver::Object(const Template& t, Context context, bool in_item, int depth, const std::string& key,
                      RNode* out) {
  out->kind = RNode::Kind::kObject;
  bool ok = true;
  for (const Member& m : t.members) {
    RMember r;
    if (m.flatten) {
      r.flatten.emplace();
      ok = ResolveFlatten(*m.flatten, context, in_item, StrCat(key, ".$flatten"), &*r.flatten) && ok;
    } else if (m.value.size() == 1) {
      r.key = m.key;
      r.value.emplace_back();
      ok = Node(m.value[0], context, in_item, true, depth + 1, StrCat(key, ".", m.key), &r.value[0]) && ok;
    } else {
      Error(StrCat(key, ".", m.key), m.at, "a member needs exactly one value");
      ok = false;
    }
    out->members.push_back(std::move(r));
  }
  return ok;
}

bool Resolver::Each(const Template& t, Context context, bool in_item, int depth, const std::string& key,
                    RNode* out) {
  out->kind = RNode::Kind::kEach;
  const Reference& ref = t.reference;
  if (in_item) {
    Error(key, t.at, "$each inside $item: lists do not nest");
    return false;
  }
  if (t.items.size() != 1) {
    Error(key, t.at, "$each needs an $item template");
    return false;
  }
  if (!ResolveField(ref, context, in_item, key, &out->value)) return false;
  ValueSpec& list = out->value;
  if (list.type() != kList) {
    Error(key, ref.at,
          StrCat("$each maps a list of records; ", RefName(ref), " is ", TypeName(list.type()),
                 list.type() == kUintList ? ": write it without $each" : ""));
    return false;
  }
  bool ok = true;
  for (const Conversion& conv : ref.conversions) {
    if (conv.name == "omit_if_empty") {
      list.omit_if_empty = true;
    } else if (conv.name == "null_if_empty") {
      list.null_if_empty = true;
    } else {
      Error(key, conv.at, StrCat("conversion ", conv.name, " does not apply to a list mapped by $each; use "
                                 "null_if_empty or omit_if_empty"));
      ok = false;
    }
  }
  RNode item;
  ok = Node(t.items[0], list.field->element, true, false, depth + 1, StrCat(key, ".$item"), &item) && ok;
  out->items.push_back(std::move(item));
  return ok;
}

bool Resolver::ResolveFlatten(const Flatten& f, Context context, bool in_item, const std::string& key,
                              RFlatten* out) {
  if (!ResolveField(f.from, context, in_item, key, &out->from)) return false;
  if (out->from.type() != kMap) {
    Error(key, f.from.at, StrCat("$flatten writes a map's entries; ", RefName(f.from), " is ",
                                 TypeName(out->from.type())));
    return false;
  }
  bool ok = true;
  for (const Conversion& conv : f.from.conversions) {
    if (conv.name == "strings" && conv.arguments.empty()) {
      out->from.form = Form::kStrings;
    } else {
      Error(key, conv.at, StrCat("conversion ", conv.name, " does not apply to $flatten; use strings"));
      ok = false;
    }
  }
  out->prefix = f.prefix;
  out->include = f.include;
  out->exclude = f.exclude;
  return ok;
}

std::optional<ValueSpec> Resolver::ResolveReference(const Reference& ref, Context context, bool in_item,
                                                    bool member, const std::string& key) {
  ValueSpec spec;
  if (!ResolveField(ref, context, in_item, key, &spec)) return std::nullopt;
  if (spec.type() == kList) {
    Error(key, ref.at, StrCat(RefName(ref), " is a list; map it with {$each: ", RefName(ref), ", $item: {...}}"));
    return std::nullopt;
  }
  if (!ResolveConversions(ref, member, key, &spec)) return std::nullopt;
  return spec;
}

bool Resolver::ResolveField(const Reference& ref, Context context, bool in_item, const std::string& key,
                            ValueSpec* spec) {
  std::vector<std::string> path = ref.path;
  Context where = context;
  if (!path.empty() && path[0] == "parent") {
    if (!in_item || !ParentContext(context, &where)) {
      Error(key, ref.at, StrCat("$parent outside $item: ", RefName(ref), " names the record's own field as ",
                                path.size() > 1 ? "$" + path[1] : std::string("$name")));
      return false;
    }
    if (path.size() == 1) {
      Error(key, ref.at, "$parent is not a value: name one of the record's fields, as $parent.trace_id");
      return false;
    }
    path.erase(path.begin());
    spec->parent = true;
  }
  std::string name;
  for (std::size_t i = 0; i < path.size(); ++i) StrAppend(&name, i == 0 ? "" : ".", path[i]);
  const FieldInfo* f = FindField(where, name);
  if (f == nullptr) {
    const std::string members = GroupMembers(where, name);
    if (!members.empty()) {
      Error(key, ref.at, StrCat(RefName(ref), " is not a value: name one of its fields: ", members));
      return false;
    }
    std::vector<std::string_view> names = FieldNames(where);
    std::vector<std::string> parents;
    Context record;
    if (in_item && !spec->parent && ParentContext(context, &record)) {
      for (std::string_view n : FieldNames(record)) parents.push_back(StrCat("parent.", n));
      for (const std::string& n : parents) names.push_back(n);
    }
    // A record's field named from inside $item: the record's, through $parent.
    const std::string parent_name = StrCat("parent.", name);
    const bool of_record = !parents.empty() && FindField(record, name) != nullptr;
    const std::string closest = of_record ? parent_name : config::ClosestName(name, names);
    Error(key, ref.at, StrCat("unknown field $", spec->parent ? "parent." : "", name,
                              closest.empty() ? "" : StrCat(" (did you mean $", spec->parent ? "parent." : "",
                                                            closest, "?)")));
    return false;
  }
  spec->field = f;
  if (ref.key) {
    if (f->type != kMap) {
      Error(key, ref.at, StrCat("[\"", *ref.key, "\"] picks one attribute of a map; $", name, " is ",
                                TypeName(f->type)));
      return false;
    }
    spec->pick = *ref.key;
  }
  return true;
}

bool Resolver::ResolveConversions(const Reference& ref, bool member, const std::string& key, ValueSpec* spec) {
  bool ok = true;
  const Conversion* format = nullptr;
  std::vector<std::string_view> seen;
  for (const Conversion& conv : ref.conversions) {
    const bool modifier = conv.name == "default" || conv.name == "null_if_empty" || conv.name == "omit_if_empty" ||
                          conv.name == "string";
    if (modifier && std::find(seen.begin(), seen.end(), conv.name) != seen.end()) {
      Error(key, conv.at, StrCat("conversion ", conv.name, " given twice"));
      ok = false;
      continue;
    }
    seen.push_back(conv.name);
    ok = ResolveConversion(ref, conv, key, spec, &format) && ok;
  }
  if (!ok) return false;
  const Place at = ref.conversions.empty() ? ref.at : ref.conversions.back().at;
  if (spec->omit_if_empty && !member) {
    Error(key, at, "omit_if_empty leaves out an object's member; here use null_if_empty or default(...)");
    return false;
  }
  if (spec->omit_if_empty && spec->default_json) {
    Error(key, at, "default and omit_if_empty together: an absent value is either replaced or left out");
    return false;
  }
  if (spec->quote && (spec->is_case || spec->form == Form::kStrings || spec->form == Form::kJson)) {
    Error(key, at, StrCat("conversion string after ", format->name, ", which writes its own value"));
    return false;
  }
  if (spec->type() == kAny && spec->quote) {
    spec->quote = false;
    spec->form = Form::kString;
  }
  // Strings (ids, names, enum names, RFC 3339 text) are strings already.
  const FieldType t = spec->type();
  const bool numeric = t == kInt || t == kUint || t == kDouble || t == kNumber || t == kBool ||
                       ((t == kTime || t == kDuration) && spec->time.style == format::TimeFormat::Style::kUnix) ||
                       (t == kEnum && spec->number);
  if (!numeric) spec->quote = false;
  return true;
}

bool Resolver::ResolveConversion(const Reference& ref, const Conversion& conv, const std::string& key,
                                 ValueSpec* spec, const Conversion** format) {
  const FieldType t = spec->type();
  const bool numbered = t == kEnum && spec->field->enumeration->has_numbers;
  const auto not_applicable = [&] {
    Error(key, conv.at, StrCat("conversion ", conv.name, " does not apply to ", RefName(ref), " (", TypeName(t),
                               "); ", Hint(t, numbered)));
    return false;
  };
  const auto no_arguments = [&] {
    if (conv.arguments.empty()) return true;
    Error(key, conv.at, StrCat("conversion ", conv.name, " takes no arguments"));
    return false;
  };
  const auto set_format = [&] {
    if (*format != nullptr) {
      Error(key, conv.at, StrCat("conversion ", conv.name, " after ", (*format)->name,
                                 ": a value is written in one form"));
      return false;
    }
    *format = &conv;
    return true;
  };
  const std::string& n = conv.name;
  if (n == "base64") {
    if (t != kTraceId && t != kSpanId) return not_applicable();
    if (!no_arguments() || !set_format()) return false;
    spec->form = Form::kBase64;
    return true;
  }
  const bool unix_time = n == "unix_ns" || n == "unix_us" || n == "unix_ms" || n == "unix_s";
  const bool duration = n == "ns" || n == "us" || n == "ms" || n == "s";
  if (unix_time || duration || n == "rfc3339") {
    if ((duration && t != kDuration) || (!duration && t != kTime)) return not_applicable();
    if (!set_format()) return false;
    const std::string_view unit = duration ? std::string_view(n) : std::string_view(n).substr(5);
    spec->time = {};
    if (n == "rfc3339") {
      spec->time.style = format::TimeFormat::Style::kRfc3339;
    } else {
      spec->time.unit_digits = unit == "ns" ? 0 : unit == "us" ? 3 : unit == "ms" ? 6 : 9;
    }
    return TimeArguments(conv, key, spec);
  }
  if (n == "number") {
    if (!numbered) return not_applicable();
    if (!no_arguments() || !set_format()) return false;
    spec->number = true;
    return true;
  }
  if (n == "case") {
    if (t != kEnum && t != kString) return not_applicable();
    if (!set_format()) return false;
    return CaseArguments(ref, conv, key, spec);
  }
  if (n == "strings" || n == "json") {
    if (t != kMap && !(n == "json" && t == kAny)) return not_applicable();
    if (!no_arguments() || !set_format()) return false;
    spec->form = n == "json" ? Form::kJson : Form::kStrings;
    return true;
  }
  if (n == "string") {
    if (t == kMap || t == kUintList) return not_applicable();
    if (!no_arguments()) return false;
    spec->quote = true;
    return true;
  }
  if (n == "null_if_empty" || n == "omit_if_empty") {
    if (n == "null_if_empty" && !CanBeEmpty(t)) return not_applicable();
    if (!no_arguments()) return false;
    (n == "null_if_empty" ? spec->null_if_empty : spec->omit_if_empty) = true;
    return true;
  }
  if (n == "default") {
    if (conv.arguments.size() != 1 || !conv.arguments[0].name.empty()) {
      Error(key, conv.at, "default takes one value: default(\"unknown\")");
      return false;
    }
    std::string error;
    spec->default_json = LiteralJson(conv.arguments[0].value, &error);
    if (!spec->default_json) Error(key, conv.at, StrCat("default: ", error));
    return spec->default_json.has_value();
  }
  const std::string closest = config::ClosestName(n, kConversionNames);
  Error(key, conv.at, StrCat("unknown conversion ", n, closest.empty() ? "" : StrCat(" (did you mean ", closest, "?)")));
  return false;
}

bool Resolver::TimeArguments(const Conversion& conv, const std::string& key, ValueSpec* spec) {
  format::TimeFormat& f = spec->time;
  const bool rfc3339 = f.style == format::TimeFormat::Style::kRfc3339;
  const std::string_view takes = rfc3339 ? "digits=N (0 to 9)"
                                 : f.unit_digits == 0 ? "no arguments"
                                                      : "round=down|nearest and decimals=N (1 to 9)";
  bool round_given = false;
  for (const Argument& a : conv.arguments) {
    const Literal& v = a.value;
    const bool integer = v.type == Literal::Type::kInt;
    if (rfc3339 && a.name == "digits" && integer && v.int_value >= 0 && v.int_value <= 9) {
      f.digits = static_cast<std::uint8_t>(v.int_value);
    } else if (!rfc3339 && f.unit_digits > 0 && a.name == "decimals" && integer && v.int_value >= 1 &&
               v.int_value <= 9) {
      f.decimals = static_cast<std::uint8_t>(v.int_value);
    } else if (!rfc3339 && f.unit_digits > 0 && a.name == "round" && v.type == Literal::Type::kString &&
               (v.string_value == "down" || v.string_value == "nearest")) {
      f.round_nearest = v.string_value == "nearest";
      round_given = true;
    } else {
      Error(key, conv.at, StrCat("bad argument ", a.name.empty() ? "(unnamed)" : a.name, " of ", conv.name,
                                 ": it takes ", takes));
      return false;
    }
  }
  if (round_given && f.decimals > 0) {
    Error(key, conv.at, StrCat(conv.name, ": round= applies to integers; decimals=N always rounds half up"));
    return false;
  }
  return true;
}

bool Resolver::CaseArguments(const Reference& ref, const Conversion& conv, const std::string& key,
                             ValueSpec* spec) {
  spec->is_case = true;
  const EnumInfo* e = spec->type() == kEnum ? spec->field->enumeration : nullptr;
  if (conv.arguments.empty()) {
    Error(key, conv.at, "case needs name=value arguments: case(error=\"error\", else=\"ok\")");
    return false;
  }
  bool ok = true;
  bool else_given = false;
  for (const Argument& a : conv.arguments) {
    if (a.name.empty()) {
      Error(key, conv.at, "case takes name=value arguments: case(error=\"error\", else=\"ok\")");
      ok = false;
      continue;
    }
    std::string error;
    std::optional<std::string> json = LiteralJson(a.value, &error);
    if (!json) {
      Error(key, conv.at, StrCat("case: ", error));
      ok = false;
      continue;
    }
    const bool duplicate = (a.name == "else" && else_given) ||
                           std::any_of(spec->cases.begin(), spec->cases.end(),
                                       [&](const auto& c) { return c.first == a.name; });
    if (duplicate) {
      Error(key, conv.at, StrCat("case names ", a.name, " twice"));
      ok = false;
      continue;
    }
    if (a.name == "else") {
      spec->case_else = *json;
      else_given = true;
      continue;
    }
    if (e != nullptr && std::find(e->names.begin(), e->names.end(), a.name) == e->names.end()) {
      std::string names;
      for (std::string_view name : e->names) {
        if (!name.empty()) StrAppend(&names, names.empty() ? "" : ", ", name);
      }
      Error(key, conv.at, StrCat("case: ", RefName(ref), " has no value ", a.name, "; its values are ", names));
      ok = false;
      continue;
    }
    spec->cases.emplace_back(a.name, std::move(*json));
  }
  return ok;
}

}  // namespace otelpack::format::declared

// Declaration nodes built in code (build.h).
#include "format/declared/build.h"

namespace otelpack::format::declared::build {

Literal Str(std::string s) {
  Literal l;
  l.type = Literal::Type::kString;
  l.string_value = std::move(s);
  return l;
}

Literal Int(std::int64_t v) {
  Literal l;
  l.type = Literal::Type::kInt;
  l.int_value = v;
  return l;
}

Literal Dbl(double v) {
  Literal l;
  l.type = Literal::Type::kDouble;
  l.double_value = v;
  return l;
}

Literal Bool(bool v) {
  Literal l;
  l.type = Literal::Type::kBool;
  l.bool_value = v;
  return l;
}

Literal Null() { return Literal{}; }

Argument Arg(std::string name, Literal value) { return Argument{std::move(name), std::move(value)}; }

Conversion Conv(std::string name, std::vector<Argument> arguments) {
  return Conversion{std::move(name), std::move(arguments), {}};
}

Template Lit(Literal value) {
  Template t;
  t.kind = Template::Kind::kLiteral;
  t.literal = std::move(value);
  return t;
}

Reference MakeReference(const std::string& dotted, std::vector<Conversion> conversions,
                        std::optional<std::string> key) {
  Reference r;
  r.text = "$" + dotted;
  for (std::size_t start = 0;;) {
    const std::size_t dot = dotted.find('.', start);
    r.path.push_back(dotted.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (key) r.text += "[\"" + *key + "\"]";
  for (const Conversion& c : conversions) r.text += " | " + c.name;
  r.key = std::move(key);
  r.conversions = std::move(conversions);
  return r;
}

Template Ref(const std::string& dotted, std::vector<Conversion> conversions) {
  Template t;
  t.kind = Template::Kind::kReference;
  t.reference = MakeReference(dotted, std::move(conversions));
  return t;
}

Template Pick(const std::string& dotted, std::string key, std::vector<Conversion> conversions) {
  Template t;
  t.kind = Template::Kind::kReference;
  t.reference = MakeReference(dotted, std::move(conversions), std::move(key));
  return t;
}

Template Object(std::vector<std::pair<std::string, Template>> members) {
  Template t;
  t.kind = Template::Kind::kObject;
  for (auto& [key, value] : members) Add(&t, std::move(key), std::move(value));
  return t;
}

Template Array(std::vector<Template> items) {
  Template t;
  t.kind = Template::Kind::kArray;
  t.items = std::move(items);
  return t;
}

Template Each(const std::string& list, Template item, std::vector<Conversion> conversions) {
  Template t;
  t.kind = Template::Kind::kEach;
  t.reference = MakeReference(list, std::move(conversions));
  t.items.push_back(std::move(item));
  return t;
}

void Add(Template* object, std::string key, Template value) {
  Member m;
  m.key = std::move(key);
  m.value.push_back(std::move(value));
  object->members.push_back(std::move(m));
}

void AddFlatten(Template* object, const std::string& map, std::string prefix, std::vector<std::string> include,
                std::vector<std::string> exclude, std::vector<Conversion> conversions) {
  Member m;
  m.flatten.emplace();
  m.flatten->from = MakeReference(map, std::move(conversions));
  m.flatten->prefix = std::move(prefix);
  m.flatten->include = std::move(include);
  m.flatten->exclude = std::move(exclude);
  object->members.push_back(std::move(m));
}

SignalFormat SignalAt(std::string path, Template event) {
  SignalFormat s;
  s.path = std::move(path);
  s.event = std::move(event);
  return s;
}

}  // namespace otelpack::format::declared::build

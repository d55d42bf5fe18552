// The schema walk's machinery (section.h).
#include "config/section.h"

#include <algorithm>
#include <charconv>
#include <limits>

#include "config/yaml_util.h"

namespace otelpack::config::internal {
namespace {

bool HasControlCharacter(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

std::string SizeRangeMessage(std::uint64_t min, std::uint64_t max) {
  return StrCat("must be between ", FormatSize(min), " and ", FormatSize(max));
}

}  // namespace

Location LocationOf(const YAML::Mark& mark) {
  if (mark.is_null() || mark.line < 0 || mark.column < 0) return {};
  return {mark.line + 1, mark.column + 1};
}

std::string Subject(std::string_view text, Secrecy secrecy, bool substituted) {
  if (secrecy == Secrecy::kSecret || substituted) return "the value";
  return QuotedForMessage(text);
}

std::string RangeMessage(long long min, long long max) {
  if (max == std::numeric_limits<long long>::max()) return StrCat("must be at least ", min);
  return StrCat("must be between ", min, " and ", max);
}

Location Walk::Find(std::string_view key) const {
  std::string_view k = key;
  while (true) {
    auto it = out_->locations.find(k);
    if (it != out_->locations.end()) return it->second;
    const std::size_t dot = k.rfind('.');
    if (dot == std::string_view::npos) return {};
    k = k.substr(0, dot);
  }
}

void Walk::Error(const std::string& key, Location at, std::string message) {
  failed_.insert(key);
  out_->errors.push_back({key, at.line, at.column, std::move(message)});
}

Section::Section(Walk* walk, std::string path, const YAML::Node& node, Location at)
    : walk_(walk), path_(std::move(path)) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!node.IsMap()) {
    walk_->Error(path_, at, StrCat("must be a mapping (key: value lines), not ", YamlTypeName(node)));
    return;
  }
  for (auto it = node.begin(); it != node.end(); ++it) {
    const Location key_at = LocationOf(it->first.Mark());
    if (!it->first.IsScalar()) {
      walk_->Error(path_, key_at, "has a key that is not a plain name");
      continue;
    }
    const std::string& key = it->first.Scalar();
    if (std::any_of(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.key == key; })) {
      Error(key, key_at, "appears twice in the same mapping");
      continue;
    }
    // An empty value has no place of its own: yaml-cpp marks it where the
    // next token starts, on another line.
    const Location value_at = it->second.IsNull() ? key_at : LocationOf(it->second.Mark());
    entries_.push_back({key, key_at, value_at, it->second});
  }
}

Section::Entry* Section::Take(std::string_view key) {
  if (std::find(known_.begin(), known_.end(), key) == known_.end()) known_.emplace_back(key);
  for (Entry& e : entries_) {
    if (e.key == key) {
      e.known = true;
      // A mapping's own mark is its first key's; its place is its key's line.
      walk_->Record(PathOf(key), e.value.IsMap() ? e.key_at : e.value_at);
      return &e;
    }
  }
  return nullptr;
}

std::string Section::PathOf(std::string_view key) const {
  return path_.empty() ? std::string(key) : StrCat(path_, ".", key);
}

Location Section::KeyLocation(std::string_view key) const {
  for (const Entry& e : entries_) {
    if (e.key == key) return e.key_at;
  }
  return {};
}

bool Section::Raw(std::string_view key, YAML::Node* out, Location* at) {
  Entry* e = Take(key);
  if (e == nullptr) return false;
  *out = e->value;
  *at = e->value.IsMap() ? e->key_at : e->value_at;
  return true;
}

std::vector<std::string> Section::Keys() {
  std::vector<std::string> keys;
  for (Entry& e : entries_) {
    e.known = true;
    keys.push_back(e.key);
  }
  return keys;
}

std::optional<Section::Scalar> Section::ReadScalar(std::string_view key, std::string_view expected,
                                                   bool null_is_empty, Secrecy secrecy) {
  Entry* e = Take(key);
  if (e == nullptr) return std::nullopt;
  if (e->value.IsNull()) {
    if (null_is_empty) return Scalar{"", e->value_at, false};
    Error(key, e->value_at, StrCat("has no value: expected ", expected));
    return std::nullopt;
  }
  if (!e->value.IsScalar()) {
    Error(key, e->value_at, StrCat("must be ", expected, ", not ", YamlTypeName(e->value)));
    return std::nullopt;
  }
  Expansion x = ExpandEnv(e->value.Scalar(), walk_->env());
  if (!x.errors.empty()) {
    for (std::string& m : x.errors) Error(key, e->value_at, StrCat("the value ", m));
    return std::nullopt;
  }
  if (x.text.empty() && !null_is_empty) {
    Error(key, e->value_at, StrCat("is empty: expected ", expected));
    return std::nullopt;
  }
  if (HasControlCharacter(x.text)) {
    // Every string ends up in a header, a path or an address.
    Error(key, e->value_at, StrCat(Subject(x.text, secrecy, x.substituted), " contains a control character"));
    return std::nullopt;
  }
  return Scalar{std::move(x.text), e->value_at, x.substituted};
}

bool Section::String(std::string_view key, std::string* out, Secrecy secrecy) {
  std::optional<Scalar> s = ReadScalar(key, "a string", true, secrecy);
  if (!s) return false;
  *out = std::move(s->text);
  return true;
}

bool Section::Bool(std::string_view key, bool* out) {
  std::optional<Scalar> s = ReadScalar(key, "true or false", false);
  if (!s) return false;
  Result<bool> v = ParseBool(s->text);
  if (!v.ok()) {
    Error(key, s->at, StrCat(Subject(s->text, Secrecy::kPlain, s->substituted), " ", v.status().message()));
    return false;
  }
  *out = *v;
  return true;
}

bool Section::Duration(std::string_view key, std::chrono::milliseconds* out, std::chrono::milliseconds min,
                       std::chrono::milliseconds max) {
  std::optional<Scalar> s = ReadScalar(key, "a duration such as 200ms, 5s or 1m", false);
  if (!s) return false;
  Result<std::chrono::milliseconds> v = ParseDuration(s->text);
  if (!v.ok()) {
    Error(key, s->at, StrCat(Subject(s->text, Secrecy::kPlain, s->substituted), " ", v.status().message()));
    return false;
  }
  if (*v < min || *v > max) {
    Error(key, s->at, StrCat("must be between ", FormatDuration(min), " and ", FormatDuration(max)));
    return false;
  }
  *out = *v;
  return true;
}

bool Section::Seconds(std::string_view key, std::chrono::seconds* out, std::chrono::seconds min,
                      std::chrono::seconds max) {
  std::chrono::milliseconds ms{};
  if (!Duration(key, &ms, min, max)) return false;
  if (ms.count() % 1000 != 0) {
    Error(key, walk_->Find(PathOf(key)), "must be a whole number of seconds (e.g. 60s)");
    return false;
  }
  *out = std::chrono::duration_cast<std::chrono::seconds>(ms);
  return true;
}

bool Section::Size(std::string_view key, std::size_t* out, std::uint64_t min, std::uint64_t max) {
  std::optional<Scalar> s = ReadScalar(key, "a size such as 20MiB, 512KiB or 1048576", false);
  if (!s) return false;
  Result<std::uint64_t> v = ParseSize(s->text);
  if (!v.ok()) {
    Error(key, s->at, StrCat(Subject(s->text, Secrecy::kPlain, s->substituted), " ", v.status().message()));
    return false;
  }
  if (*v < min || *v > max || *v > std::numeric_limits<std::size_t>::max()) {
    Error(key, s->at, SizeRangeMessage(min, max));
    return false;
  }
  *out = static_cast<std::size_t>(*v);
  return true;
}

bool Section::Number(std::string_view key, double* out, double min, double max, bool max_inclusive) {
  std::optional<Scalar> s = ReadScalar(key, "a number", false);
  if (!s) return false;
  Result<double> v = ParseNumber(s->text);
  if (!v.ok()) {
    Error(key, s->at, StrCat(Subject(s->text, Secrecy::kPlain, s->substituted), " ", v.status().message()));
    return false;
  }
  if (*v < min || *v > max || (!max_inclusive && *v == max)) {
    Error(key, s->at, StrCat("must be at least ", min, max_inclusive ? " and at most " : " and less than ", max));
    return false;
  }
  *out = *v;
  return true;
}

bool Section::ListenAddress(std::string_view key, std::string* out) {
  constexpr std::string_view kExpected = "host:port, e.g. 127.0.0.1:4318 or [::1]:4318 (port 0..65535)";
  std::optional<Scalar> s = ReadScalar(key, kExpected, false);
  if (!s) return false;
  const std::string_view text = s->text;
  const std::size_t colon = text.rfind(':');
  bool valid = colon != std::string_view::npos && colon > 0;
  if (valid) {
    std::string_view host = text.substr(0, colon);
    const std::string_view port = text.substr(colon + 1);
    if (host.front() == '[') {
      valid = host.size() > 2 && host.back() == ']';
    } else {
      valid = host.find(':') == std::string_view::npos;  // a v6 address needs brackets
    }
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    valid = valid && !port.empty() && ec == std::errc() && end == port.data() + port.size() && value <= 65535;
    valid = valid && host.find(' ') == std::string_view::npos;
  }
  if (!valid) {
    Error(key, s->at, StrCat(Subject(s->text, Secrecy::kPlain, s->substituted), " is not ", kExpected));
    return false;
  }
  *out = std::move(s->text);
  return true;
}

bool Section::IntegerList(std::string_view key, std::vector<int>* out, int min, int max,
                          std::size_t max_items) {
  Entry* e = Take(key);
  if (e == nullptr) return false;
  if (!e->value.IsSequence()) {
    Error(key, e->value_at, StrCat("must be a list of integers such as [429, 503], not ", YamlTypeName(e->value)));
    return false;
  }
  if (e->value.size() > max_items) {
    Error(key, e->value_at, StrCat("has ", e->value.size(), " items; at most ", max_items, " are allowed"));
    return false;
  }
  std::vector<int> values;
  bool ok = true;
  std::size_t index = 0;
  for (const YAML::Node& item : e->value) {
    const std::string item_key = StrCat(key, "[", index++, "]");
    const Location at = LocationOf(item.Mark());
    if (!item.IsScalar()) {
      Error(item_key, at, StrCat("must be an integer, not ", YamlTypeName(item)));
      ok = false;
      continue;
    }
    Expansion x = ExpandEnv(item.Scalar(), walk_->env());
    for (std::string& m : x.errors) Error(item_key, at, StrCat("the value ", m));
    if (!x.errors.empty()) {
      ok = false;
      continue;
    }
    Result<long long> v = ParseInteger(x.text);
    if (!v.ok()) {
      Error(item_key, at, StrCat(Subject(x.text, Secrecy::kPlain, x.substituted), " ", v.status().message()));
      ok = false;
    } else if (*v < min || *v > max) {
      Error(item_key, at, RangeMessage(min, max));
      ok = false;
    } else {
      values.push_back(static_cast<int>(*v));
    }
  }
  if (!ok) return false;
  *out = std::move(values);
  return true;
}

Section Section::Child(std::string_view key) {
  Entry* e = Take(key);
  if (e == nullptr) return Section(walk_, PathOf(key), YAML::Node(), {});
  return Section(walk_, PathOf(key), e->value, e->value_at);
}

void Section::Finish() {
  for (const Entry& e : entries_) {
    if (e.known) continue;
    const std::string closest = ClosestName(e.key, known_);
    if (!closest.empty()) {
      Error(e.key, e.key_at, StrCat("unknown key; did you mean '", closest, "'?"));
      continue;
    }
    std::string expected;
    for (std::size_t i = 0; i < known_.size(); ++i) StrAppend(&expected, i == 0 ? " " : ", ", known_[i]);
    if (hide_unknown_names_) {
      walk_->Error(path_, e.key_at,
                   StrCat("has an unknown key (not shown: it may be a credential in the wrong place); "
                          "expected one of:", expected));
    } else {
      Error(e.key, e.key_at, StrCat("unknown key; expected one of:", expected));
    }
  }
}

}  // namespace otelpack::config::internal

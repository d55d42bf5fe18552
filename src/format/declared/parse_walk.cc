// The declaration walk's machinery (parse_walk.h).
#include "format/declared/parse_walk.h"

#include <algorithm>
#include <unordered_set>
#include <utility>

#include "common/str_cat.h"

namespace otelpack::format::declared::internal {

Place PlaceOf(const YAML::Mark& mark) {
  if (mark.is_null() || mark.line < 0 || mark.column < 0) return {};
  return {mark.line + 1, mark.column + 1};
}

Place PlaceOf(const YAML::Node& node) { return PlaceOf(node.Mark()); }

std::string KeyPath(std::string_view parent, std::string_view key) {
  return parent.empty() ? std::string(key) : StrCat(parent, ".", key);
}

void Walk::Error(std::string key, Place at, std::string message) {
  if (errors_->size() >= kMaxErrors) {
    stopped_ = true;
    return;
  }
  errors_->push_back({std::move(key), at, std::move(message)});
}

Place Walk::PlaceIn(const YAML::Node& node, Place at, std::size_t offset, bool* exact) const {
  *exact = offset == 0;
  if (!text_ || !node.IsScalar()) return at;
  const YAML::Mark mark = node.Mark();
  if (mark.pos < 0 || static_cast<std::size_t>(mark.pos) >= text_->size()) return at;
  const auto pos = static_cast<std::size_t>(mark.pos);
  const std::string& scalar = node.Scalar();
  // A quoted scalar reads as written when it has no escapes (and no folded
  // line breaks); a block scalar (| or >) starts on the next line.
  std::size_t start = pos;
  if (node.Tag() != "?") {
    const char quote = (*text_)[pos];
    if (quote != '"' && quote != '\'') return at;
    start = pos + 1;
  }
  if (scalar.find('\n') != std::string::npos || text_->substr(start, scalar.size()) != scalar) return at;
  *exact = true;
  return {mark.line + 1, mark.column + 1 + static_cast<int>(start - pos + offset)};
}

bool Walk::CountNode(const std::string& key, Place at) {
  if (stopped_) return false;
  if (++nodes_ <= kMaxTemplateNodes) return true;
  if (!too_many_reported_) {
    too_many_reported_ = true;
    Error(key, at, StrCat("is past the limit of ", kMaxTemplateNodes, " template values in a declaration"));
  }
  return false;
}

bool Walk::CheckDepth(int depth, const std::string& key, Place at) {
  if (depth <= kMaxTemplateDepth) return true;
  if (!too_deep_reported_) {
    too_deep_reported_ = true;
    Error(key, at, StrCat("nests deeper than ", kMaxTemplateDepth, " levels"));
  }
  return false;
}

bool Walk::Charge(std::size_t bytes, const std::string& key, Place at) {
  if (stopped_) return false;
  bytes_ += bytes;
  if (bytes_ <= kMaxExpandedBytes) return true;
  if (!too_large_reported_) {
    too_large_reported_ = true;
    Error(key, at,
          StrCat("is past the limit of ", config::FormatSize(kMaxExpandedBytes),
                 " of keys and values read (YAML aliases count at every use)"));
  }
  return false;
}

std::vector<Entry> Entries(Walk& walk, const YAML::Node& mapping, const std::string& key) {
  std::vector<Entry> entries;
  // A set, not a scan per key: a hostile megabyte can hold 100,000 keys.
  std::unordered_set<std::string> seen;
  for (auto it = mapping.begin(); it != mapping.end(); ++it) {
    const Place key_at = PlaceOf(it->first);
    // What the entry's dotted key will cost, whether it is kept or reported.
    const std::size_t name_size = it->first.IsScalar() ? it->first.Scalar().size() : 0;
    if (!walk.Charge(key.size() + name_size + 1, key, key_at)) break;
    if (it->first.IsNull()) {
      // YAML reads `null:` and `~:` as no key at all.
      walk.Error(key, key_at, "has an empty or null key (a key named null is written \"null\")");
      continue;
    }
    if (!it->first.IsScalar()) {
      walk.Error(key, key_at, StrCat("has a key that is ", YamlTypeName(it->first), ", not a single value"));
      continue;
    }
    const std::string& name = it->first.Scalar();
    if (!seen.insert(name).second) {
      walk.Error(KeyPath(key, name), key_at, "appears twice in the same mapping");
      continue;
    }
    // An empty value has no place of its own: yaml-cpp marks it where the
    // next token starts, on another line.
    const Place value_at = it->second.IsNull() ? key_at : PlaceOf(it->second);
    entries.push_back({name, key_at, it->second, value_at});
  }
  return entries;
}

const Entry* FindEntry(const std::vector<Entry>& entries, std::string_view name) {
  auto it = std::find_if(entries.begin(), entries.end(), [&](const Entry& e) { return e.key == name; });
  return it == entries.end() ? nullptr : &*it;
}

void ReportUnknownKey(Walk& walk, const std::string& parent, const Entry& entry,
                      std::span<const std::string_view> known) {
  const std::string closest = config::ClosestName(entry.key, known);
  if (!closest.empty()) {
    walk.Error(KeyPath(parent, entry.key), entry.key_at, StrCat("unknown key; did you mean '", closest, "'?"));
    return;
  }
  std::string expected;
  for (std::size_t i = 0; i < known.size(); ++i) StrAppend(&expected, i == 0 ? " " : ", ", known[i]);
  walk.Error(KeyPath(parent, entry.key), entry.key_at, StrCat("unknown key; expected one of:", expected));
}

std::optional<std::string> ScalarText(Walk& walk, const std::string& key, const Entry& entry,
                                      std::string_view expected) {
  if (entry.value.IsNull()) {
    walk.Error(key, entry.value_at, StrCat("has no value: expected ", expected));
    return std::nullopt;
  }
  if (!entry.value.IsScalar()) {
    walk.Error(key, entry.value_at, StrCat("must be ", expected, ", not ", YamlTypeName(entry.value)));
    return std::nullopt;
  }
  return entry.value.Scalar();
}

}  // namespace otelpack::format::declared::internal

// The machinery of the schema walk: a Section is one YAML mapping of the
// schema; its getters read a key into an option, report what is wrong with
// it (naming the dotted key, its line and the accepted values) and remember
// that the key is known. Finish() then reports every key nobody asked for,
// with the closest known key as a suggestion. config.cc is the schema itself,
// written with these getters, so it reads like docs/configuration.md.
//
// Internal to src/config.
#ifndef OTELPACK_CONFIG_SECTION_H_
#define OTELPACK_CONFIG_SECTION_H_

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/str_cat.h"
#include "config/config.h"
#include "config/values.h"

namespace otelpack::config::internal {

// A secret's value is never shown in a message; neither is a value that came
// from the environment (it may be a secret put in the wrong place).
enum class Secrecy { kPlain, kSecret };

Location LocationOf(const YAML::Mark& mark);

// The state of one document's walk: the output, and the keys found wrong.
class Walk {
 public:
  Walk(const EnvLookup& env, LoadedConfig* out, std::string base_dir = {})
      : env_(env), out_(out), base_dir_(std::move(base_dir)) {}

  const EnvLookup& env() const { return env_; }
  // Where a relative file path in the document is read from: the document's
  // folder ("" for the working directory).
  const std::string& base_dir() const { return base_dir_; }
  void Record(const std::string& key, Location at) { out_->locations[key] = at; }
  bool Has(std::string_view key) const { return out_->locations.contains(key); }
  // Where `key` is, or its nearest enclosing key that the document has.
  Location Find(std::string_view key) const;

  void Error(const std::string& key, Location at, std::string message);
  // At Find(key).
  void ErrorAtKey(const std::string& key, std::string message) { Error(key, Find(key), std::move(message)); }
  // True when an error was reported for `key`: checks across keys skip it.
  bool Failed(std::string_view key) const { return failed_.contains(key); }

 private:
  const EnvLookup& env_;
  LoadedConfig* out_;
  std::string base_dir_;
  std::set<std::string, std::less<>> failed_;
};

// One YAML mapping of the schema.
class Section {
 public:
  // `node` is the value at `path` ("" for the document), `at` where it is.
  // Absent or null: an empty section. Another type is an error.
  Section(Walk* walk, std::string path, const YAML::Node& node, Location at);

  // Each getter reads `key` into *out when the document has it and it is
  // valid, and returns true then; absent leaves *out alone and returns false;
  // invalid reports an error and returns false.
  bool String(std::string_view key, std::string* out, Secrecy secrecy = Secrecy::kPlain);
  bool Bool(std::string_view key, bool* out);
  bool Duration(std::string_view key, std::chrono::milliseconds* out, std::chrono::milliseconds min,
                std::chrono::milliseconds max);
  // A duration that must be a whole number of seconds.
  bool Seconds(std::string_view key, std::chrono::seconds* out, std::chrono::seconds min,
               std::chrono::seconds max);
  bool Size(std::string_view key, std::size_t* out, std::uint64_t min, std::uint64_t max);
  bool Number(std::string_view key, double* out, double min, double max, bool max_inclusive);
  // "host:port" or "[v6]:port", port 0..65535.
  bool ListenAddress(std::string_view key, std::string* out);
  bool IntegerList(std::string_view key, std::vector<int>* out, int min, int max, std::size_t max_items);

  template <typename T>
  bool Integer(std::string_view key, T* out, long long min, long long max);

  // One of `choices` (their names, exactly).
  template <typename E>
  bool Choice(std::string_view key, E* out, std::initializer_list<std::pair<std::string_view, E>> choices,
              Secrecy secrecy = Secrecy::kPlain);

  // The mapping at `key` (empty when absent).
  Section Child(std::string_view key);

  // The raw YAML at `key` and where its value is, taken as known: for a value
  // with a schema of its own (the exporter's format). Absent: false.
  bool Raw(std::string_view key, YAML::Node* out, Location* at);

  // Every key of this section, all taken as known: for free-form mappings.
  std::vector<std::string> Keys();
  Location KeyLocation(std::string_view key) const;
  std::string PathOf(std::string_view key) const;
  // Reports a problem with `key` of this section.
  void Error(std::string_view key, Location at, std::string message) {
    walk_->Error(PathOf(key), at, std::move(message));
  }

  // In a section that holds credentials an unknown key is shown only when it
  // is a near miss of a known one: `auth: {sk-live-123}` makes the
  // credential a key.
  void HideUnknownKeyNames() { hide_unknown_names_ = true; }
  // Reports the keys no getter asked for.
  void Finish();

 private:
  struct Entry {
    std::string key;
    Location key_at;
    Location value_at;
    YAML::Node value;
    bool known = false;
  };
  struct Scalar {
    std::string text;
    Location at;
    bool substituted = false;
  };

  // Registers `key` as known; the entry, or null when absent.
  Entry* Take(std::string_view key);
  // The scalar at `key` with ${env:...} expanded; nullopt when absent or
  // reported. `expected` says what the key takes ("a duration", ...).
  std::optional<Scalar> ReadScalar(std::string_view key, std::string_view expected, bool null_is_empty,
                                   Secrecy secrecy = Secrecy::kPlain);
  Walk* walk_;
  std::string path_;
  std::vector<Entry> entries_;
  std::vector<std::string> known_;
  bool hide_unknown_names_ = false;
};

// How a value is named in a message: quoted, or "the value" when it may not
// be shown.
std::string Subject(std::string_view text, Secrecy secrecy, bool substituted);

// "must be between MIN and MAX", with "at least" / "at most" for open ends.
std::string RangeMessage(long long min, long long max);

template <typename T>
bool Section::Integer(std::string_view key, T* out, long long min, long long max) {
  std::optional<Scalar> s = ReadScalar(key, "an integer", false);
  if (!s) return false;
  Result<long long> v = ParseInteger(s->text);
  if (!v.ok()) {
    Error(key, s->at, StrCat(Subject(s->text, Secrecy::kPlain, s->substituted), " ", v.status().message()));
    return false;
  }
  if (*v < min || *v > max) {
    Error(key, s->at, RangeMessage(min, max));
    return false;
  }
  *out = static_cast<T>(*v);
  return true;
}

template <typename E>
bool Section::Choice(std::string_view key, E* out,
                     std::initializer_list<std::pair<std::string_view, E>> choices, Secrecy secrecy) {
  std::optional<Scalar> s = ReadScalar(key, "a name", false, secrecy);
  if (!s) return false;
  std::string names;
  std::size_t i = 0;
  for (const auto& [name, value] : choices) {
    if (s->text == name) {
      *out = value;
      return true;
    }
    StrAppend(&names, i == 0 ? "" : (i + 1 == choices.size() ? " or " : ", "), name);
    ++i;
  }
  Error(key, s->at, StrCat(Subject(s->text, secrecy, s->substituted), " is not valid: expected ", names));
  return false;
}

}  // namespace otelpack::config::internal

#endif  // OTELPACK_CONFIG_SECTION_H_

// The scalar syntax of the configuration file (values.h).
#include "config/values.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>

#include "common/ascii.h"
#include "common/str_cat.h"

namespace otelpack::config {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsNameStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }

bool IsNameChar(char c) { return IsNameStart(c) || IsDigit(c); }

constexpr std::uint64_t kMicrosPerMilli = 1000;
// 100 years: far beyond any sensible setting, far below overflow.
constexpr std::uint64_t kMaxDurationMicros = 100ull * 366 * 24 * 3600 * 1'000'000;

constexpr std::string_view kDurationSyntax =
    "expected a number and a unit ms, s, m or h (e.g. 200ms, 5s, 1m30s)";

struct DurationUnit {
  std::string_view name;
  std::uint64_t micros;
};

// "ms" before "m": the longest name that matches wins.
constexpr DurationUnit kDurationUnits[] = {
    {"ms", 1000}, {"s", 1'000'000}, {"m", 60'000'000}, {"h", 3'600'000'000}};

struct SizeUnit {
  std::string_view name;
  std::uint64_t bytes;
};

constexpr SizeUnit kSizeUnits[] = {
    {"", 1}, {"B", 1}, {"KiB", 1ull << 10}, {"MiB", 1ull << 20}, {"GiB", 1ull << 30}, {"TiB", 1ull << 40}};

constexpr std::string_view kAmbiguousSizeUnits[] = {"K", "k", "KB", "kB", "M", "MB", "G", "GB", "T", "TB"};

template <typename Name>
std::string Closest(std::string_view name, std::span<const Name> known) {
  std::string_view closest;
  std::size_t best = 3;  // farther than 2 edits is not a typo
  for (std::string_view k : known) {
    const std::size_t d = EditDistance(name, k);
    if (d < best && d < std::max<std::size_t>(k.size() / 2, 1)) {
      best = d;
      closest = k;
    }
  }
  return std::string(closest);
}

// Longest value shown in a message.
constexpr std::size_t kMaxShown = 60;

}  // namespace

EnvLookup ProcessEnvironment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

Result<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  if (text == "0") return std::chrono::milliseconds(0);
  if (text.empty()) return Status::InvalidArgument(StrCat("is empty: ", kDurationSyntax));
  if (std::all_of(text.begin(), text.end(), IsDigit)) {
    return Status::InvalidArgument("has no unit: a duration needs ms, s, m or h (e.g. 30s)");
  }
  std::uint64_t total_micros = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    // One component: digits, an optional fraction, a unit.
    std::uint64_t whole = 0;
    std::size_t digits = 0;
    for (; i < text.size() && IsDigit(text[i]); ++i, ++digits) {
      if (whole > kMaxDurationMicros) return Status::InvalidArgument("is too long a duration");
      whole = whole * 10 + static_cast<std::uint64_t>(text[i] - '0');
    }
    std::uint64_t fraction = 0;
    std::uint64_t fraction_scale = 1;
    if (i < text.size() && text[i] == '.') {
      ++i;
      for (; i < text.size() && IsDigit(text[i]); ++i, ++digits) {
        // Digits past the 9th cannot matter at millisecond resolution.
        if (fraction_scale < 1'000'000'000) {
          fraction = fraction * 10 + static_cast<std::uint64_t>(text[i] - '0');
          fraction_scale *= 10;
        }
      }
    }
    if (digits == 0) return Status::InvalidArgument(StrCat("is not a duration: ", kDurationSyntax));
    const DurationUnit* unit = nullptr;
    for (const DurationUnit& u : kDurationUnits) {
      if (text.substr(i, u.name.size()) == u.name) {
        unit = &u;
        break;
      }
    }
    if (unit == nullptr) return Status::InvalidArgument(StrCat("is not a duration: ", kDurationSyntax));
    i += unit->name.size();
    if (whole > kMaxDurationMicros / unit->micros) return Status::InvalidArgument("is too long a duration");
    total_micros += whole * unit->micros + fraction * unit->micros / fraction_scale;
    if (total_micros > kMaxDurationMicros) return Status::InvalidArgument("is too long a duration");
  }
  if (total_micros % kMicrosPerMilli != 0) {
    return Status::InvalidArgument("is not a whole number of milliseconds");
  }
  return std::chrono::milliseconds(static_cast<long long>(total_micros / kMicrosPerMilli));
}

Result<std::uint64_t> ParseSize(std::string_view text) {
  constexpr std::string_view kSyntax =
      "is not a size: expected bytes as an integer or with a unit B, KiB, MiB or GiB (e.g. 20MiB)";
  std::size_t i = 0;
  std::uint64_t number = 0;
  for (; i < text.size() && IsDigit(text[i]); ++i) {
    if (number > std::numeric_limits<std::uint64_t>::max() / 10) {
      return Status::InvalidArgument("is too large a size");
    }
    number = number * 10 + static_cast<std::uint64_t>(text[i] - '0');
  }
  if (i == 0) return Status::InvalidArgument(kSyntax);
  std::string_view unit = text.substr(i);
  if (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  for (std::string_view ambiguous : kAmbiguousSizeUnits) {
    if (unit == ambiguous) {
      return Status::InvalidArgument(
          StrCat("has the ambiguous unit ", unit, ": write KiB, MiB or GiB (powers of 1024) or plain bytes"));
    }
  }
  for (const SizeUnit& u : kSizeUnits) {
    if (unit != u.name || (u.name.empty() && i != text.size())) continue;
    if (number > std::numeric_limits<std::uint64_t>::max() / u.bytes) {
      return Status::InvalidArgument("is too large a size");
    }
    return number * u.bytes;
  }
  return Status::InvalidArgument(kSyntax);
}

Result<bool> ParseBool(std::string_view text) {
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  return Status::InvalidArgument("is not a boolean: expected true or false");
}

Result<long long> ParseInteger(std::string_view text) {
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range) return Status::InvalidArgument("is too large an integer");
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return Status::InvalidArgument("is not an integer");
  }
  return value;
}

Result<double> ParseNumber(std::string_view text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value,
                                   std::chars_format::fixed);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return Status::InvalidArgument("is not a number (e.g. 1.5)");
  }
  return value;
}

Expansion ExpandEnv(std::string_view text, const EnvLookup& env) {
  Expansion out;
  out.text.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (text.substr(i, 3) == "$${") {
      out.text += "${";
      i += 3;
      continue;
    }
    if (text.substr(i, 2) != "${") {
      out.text += text[i++];
      continue;
    }
    const std::size_t close = text.find('}', i + 2);
    if (close == std::string_view::npos) {
      out.errors.push_back("has a \"${\" without its \"}\" (a literal \"${\" is written \"$${\")");
      break;
    }
    const std::string_view inner = text.substr(i + 2, close - i - 2);
    i = close + 1;
    constexpr std::string_view kPrefix = "env:";
    if (inner.substr(0, kPrefix.size()) != kPrefix) {
      out.errors.push_back(
          "has a \"${...}\" that is not ${env:NAME} (a literal \"${\" is written \"$${\")");
      continue;
    }
    const std::string_view name = inner.substr(kPrefix.size());
    if (name.empty() || !IsNameStart(name.front()) || !std::all_of(name.begin(), name.end(), IsNameChar)) {
      out.errors.push_back(
          "has an invalid variable name in ${env:NAME}: letters, digits and _, not starting with a digit");
      continue;
    }
    std::optional<std::string> value = env ? env(name) : std::nullopt;
    if (!value) {
      out.errors.push_back(StrCat("refers to the environment variable ", name, ", which is not set"));
      continue;
    }
    out.text += *value;
    out.substituted = true;
  }
  return out;
}

std::size_t EditDistance(std::string_view a, std::string_view b) {
  // Three rows of the classic table: enough for the transposition rule.
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  auto same = [](char x, char y) { return AsciiToLower(x) == AsciiToLower(y); };
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = previous[j - 1] + (same(a[i - 1], b[j - 1]) ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
      if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) && same(a[i - 2], b[j - 1])) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::string ClosestName(std::string_view name, std::span<const std::string> known) {
  return Closest(name, known);
}

std::string ClosestName(std::string_view name, std::span<const std::string_view> known) {
  return Closest(name, known);
}

std::string QuotedForMessage(std::string_view text) {
  std::string shown = "'";
  for (char c : text.substr(0, kMaxShown)) {
    auto u = static_cast<unsigned char>(c);
    shown += (u < 0x20 || u == 0x7f) ? '?' : c;
  }
  shown += text.size() > kMaxShown ? "...'" : "'";
  return shown;
}

Result<std::string> ReadFileUpTo(const std::string& path, std::size_t max_bytes) {
  std::ifstream file(path, std::ios::binary);
  int error = file ? 0 : errno;
  std::string text;
  if (file) {
    text.resize(max_bytes);
    file.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(file.gcount()));
    if (!file && !file.eof()) error = errno;  // a directory, an I/O error
  }
  if (error != 0 || (!file && !file.eof())) {
    return Status::InvalidArgument(error != 0 ? std::strerror(error) : "it could not be read");
  }
  return text;
}

std::string FormatDuration(std::chrono::milliseconds d) {
  const long long ms = d.count();
  if (ms == 0) return "0s";
  if (ms % 3'600'000 == 0) return StrCat(ms / 3'600'000, "h");
  if (ms % 60'000 == 0) return StrCat(ms / 60'000, "m");
  if (ms % 1000 == 0) return StrCat(ms / 1000, "s");
  return StrCat(ms, "ms");
}

std::string FormatSize(std::uint64_t bytes) {
  for (std::string_view unit : {"TiB", "GiB", "MiB", "KiB"}) {
    const SizeUnit* u = std::find_if(std::begin(kSizeUnits), std::end(kSizeUnits),
                                     [&](const SizeUnit& s) { return s.name == unit; });
    if (bytes != 0 && bytes % u->bytes == 0) return StrCat(bytes / u->bytes, unit);
  }
  return StrCat(bytes, "B");
}

}  // namespace otelpack::config

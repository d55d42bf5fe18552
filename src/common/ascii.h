// ASCII case folding for the protocol tokens we compare: HTTP header names
// and values, media types, auth schemes, codec and option names. These are
// ASCII by their specifications, so a byte outside A-Z is never folded:
// unlike std::tolower, the result does not depend on the C locale, and a
// UTF-8 byte never compares equal to a letter.
#ifndef OTELPACK_COMMON_ASCII_H_
#define OTELPACK_COMMON_ASCII_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace otelpack {

constexpr char AsciiToLower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// True when `a` and `b` are the same once A-Z are folded to a-z.
constexpr bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (AsciiToLower(a[i]) != AsciiToLower(b[i])) return false;
  }
  return true;
}

// True when `s` begins with `prefix`, A-Z folded to a-z.
constexpr bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

// `s` without the spaces and tabs around it (HTTP's optional whitespace).
constexpr std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A copy of `s` with A-Z folded to a-z.
inline std::string AsciiLowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiToLower(c);
  return out;
}

}  // namespace otelpack

#endif  // OTELPACK_COMMON_ASCII_H_

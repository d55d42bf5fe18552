// Loadgen helpers: short strings formatted on the stack and attribute lists
// collected on the stack, both copied into an arena when done.
#ifndef OTELPACK_LOADGEN_FMT_H_
#define OTELPACK_LOADGEN_FMT_H_

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

#include "otelpack/arena.h"
#include "otelpack/model.h"

namespace otelpack::loadgen::internal {

// Formats short strings on the stack, then copies them into an arena.
class Fmt {
 public:
  Fmt& operator<<(std::string_view s) {
    std::size_t n = std::min(s.size(), sizeof(buf_) - n_);
    std::memcpy(buf_ + n_, s.data(), n);
    n_ += n;
    return *this;
  }
  Fmt& Num(std::uint64_t v) {
    n_ = static_cast<std::size_t>(std::to_chars(buf_ + n_, buf_ + sizeof(buf_), v).ptr - buf_);
    return *this;
  }
  Fmt& Hex(std::uint64_t v, int digits) {
    static constexpr char kHex[] = "0123456789abcdef";
    for (int i = digits - 1; i >= 0 && n_ < sizeof(buf_); --i) buf_[n_++] = kHex[(v >> (4 * i)) & 15];
    return *this;
  }
  std::string_view In(Arena* arena) const { return arena->Copy({buf_, n_}); }

 private:
  char buf_[320];
  std::size_t n_ = 0;
};

// Collects key-values on the stack; Finish() copies them into the arena.
class AttrList {
 public:
  void Str(std::string_view k, std::string_view v) { Add(k, AnyValue::String(v)); }
  void Int(std::string_view k, std::int64_t v) { Add(k, AnyValue::Int(v)); }
  void Dbl(std::string_view k, double v) { Add(k, AnyValue::Double(v)); }
  void Bool(std::string_view k, bool v) { Add(k, AnyValue::Bool(v)); }
  void Add(std::string_view k, AnyValue v) {
    if (n_ < kMax) kv_[n_++] = {k, v};
  }
  std::size_t size() const { return n_; }
  void Truncate(std::size_t n) { n_ = std::min(n, n_); }
  Attributes Finish(Arena* arena) const { return arena->Copy(std::span<const KeyValue>(kv_, n_)); }

 private:
  static constexpr std::size_t kMax = 40;
  KeyValue kv_[kMax];
  std::size_t n_ = 0;
};

}  // namespace otelpack::loadgen::internal

#endif  // OTELPACK_LOADGEN_FMT_H_

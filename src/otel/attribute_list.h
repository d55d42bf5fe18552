// What the span and the log recordables share to record into their arenas: a
// list that grows in an Arena, the attribute upsert (a key set again gets the
// new value, as the SDK's own SpanData and ReadWriteLogRecord do), and the
// SDK's ids and strings as the model's.
#ifndef OTELPACK_OTEL_ATTRIBUTE_LIST_H_
#define OTELPACK_OTEL_ATTRIBUTE_LIST_H_

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string_view>

#include "opentelemetry/common/attribute_value.h"
#include "opentelemetry/nostd/span.h"
#include "opentelemetry/nostd/string_view.h"
#include "otel/values.h"
#include "otelpack/arena.h"
#include "otelpack/model.h"

namespace otelpack::otel {

// A list that grows inside an Arena by doubling; outgrown storage stays in the
// arena until it is destroyed (at most as much again as the list).
template <typename T>
class ArenaList {
 public:
  T& Append(Arena& arena) {
    if (size_ == capacity_) Grow(arena, capacity_ == 0 ? 4 : capacity_ * 2);
    return data_[size_++];
  }
  // Room for `n` items in all, when the count is known in advance.
  void Reserve(Arena& arena, std::size_t n) {
    if (n > capacity_) Grow(arena, n);
  }
  std::span<T> items() { return {data_, size_}; }
  std::span<const T> items() const { return {data_, size_}; }
  std::size_t size() const { return size_; }

 private:
  void Grow(Arena& arena, std::size_t capacity) {
    std::span<T> bigger = arena.Make<T>(capacity);
    std::copy(data_, data_ + size_, bigger.data());
    data_ = bigger.data();
    capacity_ = capacity;
  }

  T* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

inline std::string_view View(opentelemetry::nostd::string_view s) { return {s.data(), s.size()}; }

template <std::size_t N>
void CopyId(opentelemetry::nostd::span<const std::uint8_t, N> from, std::array<std::uint8_t, N>& to) {
  std::copy(from.begin(), from.end(), to.begin());
}

inline std::uint32_t Saturated(std::size_t n) {
  return n > std::numeric_limits<std::uint32_t>::max() ? std::numeric_limits<std::uint32_t>::max()
                                                         : static_cast<std::uint32_t>(n);
}

// How a recordable copies attribute values.
struct ValueCopy {
  std::size_t max_length = std::numeric_limits<std::size_t>::max();  // the SDK's value length limit
  BytesAs bytes = BytesAs::kIntArray;
};

// Sets `key` to `value` in `list`: a key already there gets the new value;
// a new key is appended while the list holds fewer than `limit`. False when
// the attribute was dropped for the limit (the caller counts it).
inline bool UpsertAttribute(ArenaList<KeyValue>& list, opentelemetry::nostd::string_view key,
                            const opentelemetry::common::AttributeValue& value, std::size_t limit, ValueCopy copy,
                            Arena& arena) {
  const std::string_view k = View(key);
  for (KeyValue& kv : list.items()) {
    if (kv.key == k) {
      kv.value = CopyAttributeValue(value, copy.max_length, arena, copy.bytes);
      return true;
    }
  }
  if (list.size() >= limit) return false;
  KeyValue& kv = list.Append(arena);
  kv.key = arena.Copy(k);
  kv.value = CopyAttributeValue(value, copy.max_length, arena, copy.bytes);
  return true;
}

}  // namespace otelpack::otel

#endif  // OTELPACK_OTEL_ATTRIBUTE_LIST_H_

// KeyTable (plan.h): the compile-time key table of picked attributes and of
// flatten's include and exclude lists.
#include "format/declared/plan.h"

#include <cstring>

namespace otelpack::format::declared {
namespace {

// Reads the key's length and its first and last eight bytes (fewer for a
// short key): attribute keys differ there (`http.request.method`,
// `http.response.status_code`), and a lookup costs a few instructions
// instead of a pass over the key.
std::uint64_t Hash(std::string_view k) {
  const std::size_t n = k.size();
  std::uint64_t a = 0, b = 0;
  if (n >= 8) {
    std::memcpy(&a, k.data(), 8);
    std::memcpy(&b, k.data() + n - 8, 8);
  } else if (n >= 4) {
    std::uint32_t x, y;
    std::memcpy(&x, k.data(), 4);
    std::memcpy(&y, k.data() + n - 4, 4);
    a = x;
    b = y;
  } else if (n > 0) {
    a = static_cast<unsigned char>(k[0]) | (static_cast<std::uint64_t>(static_cast<unsigned char>(k[n / 2])) << 8) |
        (static_cast<std::uint64_t>(static_cast<unsigned char>(k[n - 1])) << 16);
  }
  std::uint64_t h = (a ^ (b * 0x9E3779B97F4A7C15ULL) ^ n) * 0xFF51AFD7ED558CCDULL;
  return h ^ (h >> 29);
}

}  // namespace

void KeyTable::Add(std::string_view key, std::uint32_t value) {
  for (const std::string& k : keys_) {
    if (k == key) return;
  }
  keys_.emplace_back(key);
  values_.push_back(value);
}

void KeyTable::Build() {
  std::size_t capacity = 4;
  while (capacity < 2 * keys_.size()) capacity *= 2;
  index_.assign(capacity, 0);
  mask_ = capacity - 1;
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    std::uint64_t slot = Hash(keys_[i]) & mask_;
    while (index_[slot] != 0) slot = (slot + 1) & mask_;
    index_[slot] = static_cast<std::int32_t>(i + 1);
  }
}

std::int64_t KeyTable::Find(std::string_view key) const {
  if (keys_.empty()) return -1;
  for (std::uint64_t slot = Hash(key) & mask_;; slot = (slot + 1) & mask_) {
    const std::int32_t i = index_[slot];
    if (i == 0) return -1;
    const std::string& k = keys_[static_cast<std::size_t>(i - 1)];
    if (k.size() == key.size() && (key.empty() || std::memcmp(k.data(), key.data(), key.size()) == 0)) {
      return values_[static_cast<std::size_t>(i - 1)];
    }
  }
}

}  // namespace otelpack::format::declared

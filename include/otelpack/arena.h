// Arena: owns the storage behind the model's views while a batch is built.
//
// Allocation is a pointer bump inside blocks of `block_size` bytes; nothing is
// freed until the arena is destroyed or Reset(). Not thread-safe.
#ifndef OTELPACK_ARENA_H_
#define OTELPACK_ARENA_H_

#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

namespace otelpack {

class Arena {
 public:
  explicit Arena(std::size_t block_size = 64 * 1024) : block_size_(block_size) {}
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  // A copy of `s` that lives as long as the arena.
  std::string_view Copy(std::string_view s) {
    if (s.empty()) return {};
    char* p = static_cast<char*>(Allocate(s.size(), 1));
    std::memcpy(p, s.data(), s.size());
    return {p, s.size()};
  }

  // `n` value-initialised objects of a trivially destructible type.
  template <typename T>
  std::span<T> Make(std::size_t n) {
    static_assert(std::is_trivially_destructible_v<T>, "the arena never runs destructors");
    if (n == 0) return {};
    T* p = static_cast<T*>(Allocate(sizeof(T) * n, alignof(T)));
    for (std::size_t i = 0; i < n; ++i) new (p + i) T();
    return {p, n};
  }

  // A copy of `items`.
  template <typename T>
  std::span<const T> Copy(std::span<const T> items) {
    if constexpr (std::is_trivially_copyable_v<T>) {
      if (items.empty()) return {};
      T* p = static_cast<T*>(Allocate(items.size_bytes(), alignof(T)));
      std::memcpy(static_cast<void*>(p), items.data(), items.size_bytes());
      return {p, items.size()};
    } else {
      std::span<T> out = Make<T>(items.size());
      for (std::size_t i = 0; i < items.size(); ++i) out[i] = items[i];
      return out;
    }
  }

  // Forgets every allocation but keeps the first block for reuse.
  void Reset() {
    if (blocks_.size() > 1) blocks_.resize(1);
    used_ = 0;
    block_end_ = blocks_.empty() ? 0 : blocks_.front().size;
    reserved_ = block_end_;
  }

  std::size_t bytes_reserved() const { return reserved_; }

 private:
  void* Allocate(std::size_t size, std::size_t align) {
    std::size_t offset = (used_ + align - 1) & ~(align - 1);
    if (blocks_.empty() || offset + size > block_end_) {
      std::size_t n = size + align > block_size_ ? size + align : block_size_;
      blocks_.push_back({std::make_unique_for_overwrite<std::byte[]>(n), n});  // not zeroed
      reserved_ += n;
      block_end_ = n;
      // new[] storage is aligned for any fundamental type.
      offset = 0;
    }
    used_ = offset + size;
    return blocks_.back().data.get() + offset;
  }

  std::size_t block_size_;
  struct Block {
    std::unique_ptr<std::byte[]> data;
    std::size_t size;
  };
  std::vector<Block> blocks_;
  std::size_t used_ = 0;
  std::size_t block_end_ = 0;
  std::size_t reserved_ = 0;
};

}  // namespace otelpack

#endif  // OTELPACK_ARENA_H_

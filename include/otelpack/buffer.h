// Buffer: a growable byte buffer that never zero-fills.
//
// Encoders reserve the worst case, write through a raw pointer and commit what
// they wrote; Clear() keeps the capacity so a buffer reused across batches
// stops allocating once it has reached its working size.
#ifndef OTELPACK_BUFFER_H_
#define OTELPACK_BUFFER_H_

#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>

namespace otelpack {

class Buffer {
 public:
  Buffer() = default;
  explicit Buffer(std::size_t capacity) { Reserve(capacity); }
  Buffer(Buffer&&) noexcept = default;
  Buffer& operator=(Buffer&&) noexcept = default;
  Buffer(const Buffer& other) { Append(other.view()); }
  Buffer& operator=(const Buffer& other) {
    if (this != &other) { Clear(); Append(other.view()); }
    return *this;
  }

  const char* data() const { return data_.get(); }
  char* data() { return data_.get(); }
  std::size_t size() const { return size_; }
  std::size_t capacity() const { return capacity_; }
  bool empty() const { return size_ == 0; }
  std::string_view view() const { return {data_.get(), size_}; }

  void Clear() { size_ = 0; }
  // REQUIRES: n <= size()
  void Truncate(std::size_t n) { size_ = n; }

  // Ensures room for `n` more bytes and returns where they go; call Commit()
  // with the number actually written.
  char* ReserveAppend(std::size_t n) {
    if (capacity_ - size_ < n) Grow(size_ + n);
    return data_.get() + size_;
  }
  // REQUIRES: size() + n <= capacity()
  void Commit(std::size_t n) { size_ += n; }

  void Reserve(std::size_t capacity) {
    if (capacity > capacity_) Grow(capacity);
  }

  void Append(std::string_view s) {
    if (s.empty()) return;
    char* p = ReserveAppend(s.size());
    std::memcpy(p, s.data(), s.size());
    size_ += s.size();
  }
  void Append(char c) {
    if (size_ == capacity_) Grow(size_ + 1);
    data_[size_++] = c;
  }

  // Releases the memory.
  void Shrink() {
    data_.reset();
    size_ = capacity_ = 0;
  }

 private:
  void Grow(std::size_t min_capacity) {
    std::size_t cap = capacity_ < 256 ? 256 : capacity_;
    while (cap < min_capacity) cap += cap / 2;
    std::unique_ptr<char[]> next(new char[cap]);  // not value-initialised: no zero-fill
    if (size_ > 0) std::memcpy(next.get(), data_.get(), size_);
    data_ = std::move(next);
    capacity_ = cap;
  }

  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace otelpack

#endif  // OTELPACK_BUFFER_H_

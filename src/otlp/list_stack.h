// How both OTLP decoders build the model's lists in one pass: a list's items
// are gathered on a scratch stack of their type and copied into the arena
// once the list is complete. A nested list (an event's attributes within a
// span's, a key-value list within an attribute) is pushed above its parent's
// items and popped before the parent goes on, so every list's items stay
// contiguous and one stack per type serves every nesting level. The stacks
// are reused from request to request by one thread: no heap allocation per
// span.
//
// Every item is pushed once before it can reach the arena, so a budget on
// pushes bounds both the stacks and the arena: a request built to amplify
// (millions of empty list items, 2 or 3 bytes each on the wire, 24 to 40
// bytes decoded) is refused before it takes the memory. A request within the
// budget may hold up to about three times it at its peak: the arena, the
// stacks, and the stacks' spare capacity while they grow.
#ifndef OTELPACK_OTLP_LIST_STACK_H_
#define OTELPACK_OTLP_LIST_STACK_H_

#include <algorithm>
#include <cstddef>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "common/str_cat.h"
#include "otelpack/arena.h"
#include "otelpack/model.h"

namespace otelpack::otlp {

// One stack per list item type of the model.
class ListStacks {
 public:
  template <typename T>
  std::vector<T>& For() {
    return std::get<std::vector<T>>(stacks_);
  }

  // After a request of unusual size, gives the memory back. A stack holds
  // only the lists open at once: a typical request (512 spans) needs about
  // 100 KB of them, all stacks together.
  void Trim() {
    std::apply([](auto&... stack) { (TrimOne(stack), ...); }, stacks_);
  }

 private:
  template <typename T>
  static void TrimOne(std::vector<T>& stack) {
    constexpr std::size_t kKeepBytes = 1 << 20;
    if (stack.capacity() * sizeof(T) > kKeepBytes) std::vector<T>().swap(stack);
  }

  std::tuple<std::vector<ResourceSpans>, std::vector<ScopeSpans>, std::vector<Span>,
             std::vector<SpanEvent>, std::vector<SpanLink>, std::vector<KeyValue>,
             std::vector<AnyValue>>
      stacks_;
};

// The bytes of list items one request may decode into: 8 times the body
// (1 MiB at least). Real requests take 1-2 times.
class DecodeBudget {
 public:
  static constexpr std::size_t kAmplification = 8;
  static constexpr std::size_t kMinBytes = 1 << 20;

  explicit DecodeBudget(std::size_t body_bytes)
      : limit_(std::max(kMinBytes, body_bytes * kAmplification)) {}

  // False once the request has taken more than the budget; it stays false.
  bool Take(std::size_t bytes) {
    taken_ += bytes;
    return taken_ <= limit_;
  }

  std::string Message() const {
    return StrCat("the decoded request would take more than ", limit_ >> 20, " MiB (",
                  kAmplification, "x its size): refused");
  }

 private:
  const std::size_t limit_;
  std::size_t taken_ = 0;
};

// One list being gathered, from construction until CopyTo; the destructor
// pops it, with whatever a failed nested list left above it. Items are
// pushed whole: a nested list of the same type may grow (and move) the stack
// while an item is being decoded, so decode it into a local first.
template <typename T>
class StackList {
 public:
  StackList(ListStacks& stacks, DecodeBudget& budget)
      : stack_(stacks.For<T>()), base_(stack_.size()), budget_(budget) {}
  ~StackList() { stack_.resize(base_); }
  StackList(const StackList&) = delete;
  StackList& operator=(const StackList&) = delete;

  std::size_t size() const { return stack_.size() - base_; }

  // False, and nothing pushed, when the budget is exhausted.
  [[nodiscard]] bool Push(const T& item) {
    if (!budget_.Take(sizeof(T))) [[unlikely]] return false;
    stack_.push_back(item);
    return true;
  }

  // Drops what was pushed (a repeated JSON key: the last one counts).
  void Clear() { stack_.resize(base_); }

  // The list, copied into `arena`.
  std::span<const T> CopyTo(Arena& arena) const {
    return arena.Copy(std::span<const T>(stack_).subspan(base_));
  }

 private:
  std::vector<T>& stack_;
  const std::size_t base_;
  DecodeBudget& budget_;
};

}  // namespace otelpack::otlp

#endif  // OTELPACK_OTLP_LIST_STACK_H_

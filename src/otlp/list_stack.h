// How both OTLP decoders build the model's lists in one pass: a list's items
// are gathered on a scratch stack of their type and copied into the arena
// once the list is complete. A nested list (an event's attributes within a
// span's, a key-value list within an attribute) is pushed above its parent's
// items and popped before the parent goes on, so every list's items stay
// contiguous and one stack per type serves every nesting level. The stacks
// are reused from request to request by one thread: no heap allocation per
// span.
//
// The budget counts what a request takes: every item pushed (each reaches
// the arena at most once) and every byte the stacks grow by. So a request
// built to amplify (millions of empty list items, 2 or 3 bytes each on the
// wire, 24 to 40 bytes decoded) is refused before it takes the memory, and
// one within the budget holds at most the budget in its arena and stacks,
// beyond the capacity the stacks kept from earlier requests (Trim: at most
// 1 MiB each) and, for the moment a stack grows, its old copy.
#ifndef OTELPACK_OTLP_LIST_STACK_H_
#define OTELPACK_OTLP_LIST_STACK_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
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
             std::vector<AnyValue>, std::vector<ResourceLogs>, std::vector<ScopeLogs>,
             std::vector<LogRecord>, std::vector<ResourceMetrics>, std::vector<ScopeMetrics>,
             std::vector<Metric>, std::vector<NumberDataPoint>, std::vector<HistogramDataPoint>,
             std::vector<ExponentialHistogramDataPoint>, std::vector<SummaryDataPoint>,
             std::vector<Exemplar>, std::vector<ValueAtQuantile>, std::vector<std::uint64_t>,
             std::vector<double>>
      stacks_;
};

// The bytes one request may decode into: 8 times the body (1 MiB at least;
// real requests take 1-2 times), and never more than `max_bytes`
// (DecodeLimits::max_decoded_bytes) less `parse_bytes`, what parsing the
// body takes besides (the JSON parser's index), whatever the body's size.
class DecodeBudget {
 public:
  static constexpr std::size_t kAmplification = 8;
  static constexpr std::size_t kMinBytes = 1 << 20;

  DecodeBudget(std::size_t body_bytes, std::size_t max_bytes, std::size_t parse_bytes = 0)
      : capped_(Cap(max_bytes, parse_bytes) < Proportional(body_bytes)),
        limit_(std::min(Cap(max_bytes, parse_bytes), Proportional(body_bytes))) {}

  // False once the request has taken more than the budget; it stays false.
  bool Take(std::size_t bytes) {
    taken_ += bytes;
    return taken_ <= limit_;
  }

  std::string Message() const {
    return capped_ ? StrCat("the decoded request would take more than ", limit_, " bytes (max_decoded_size): refused")
                   : StrCat("the decoded request would take more than ", limit_ >> 20, " MiB (", kAmplification,
                            "x its size): refused");
  }

 private:
  static std::size_t Proportional(std::size_t body_bytes) {
    return std::max(kMinBytes, body_bytes * kAmplification);
  }
  static std::size_t Cap(std::size_t max_bytes, std::size_t parse_bytes) {
    return max_bytes > parse_bytes ? max_bytes - parse_bytes : 0;
  }

  const bool capped_;
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

  // False, and nothing pushed, when the budget is exhausted. Once per list
  // item: always inlined.
  [[nodiscard, gnu::always_inline]] bool Push(const T& item) {
    if (stack_.size() == stack_.capacity() && !Grow()) [[unlikely]] return false;
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
  // Doubles the stack's capacity, if the budget has room for the new part.
  // Out of line, so that Push stays small.
  [[gnu::noinline]] bool Grow() {
    const std::size_t capacity = stack_.capacity();
    const std::size_t grown = std::max<std::size_t>(2 * capacity, 64);
    if (!budget_.Take((grown - capacity) * sizeof(T))) return false;
    stack_.reserve(grown);
    return true;
  }

  std::vector<T>& stack_;
  const std::size_t base_;
  DecodeBudget& budget_;
};

}  // namespace otelpack::otlp

#endif  // OTELPACK_OTLP_LIST_STACK_H_

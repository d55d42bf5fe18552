// Plans of a shape known when otelpack is built. A runner goes from op to op
// with one dispatch each (a switch on the op's code); for a plan whose ops'
// codes are a list fixed at build time, the codes can be template
// arguments instead, and every op's writer is chosen by the compiler: no
// dispatch, and the writers of consecutive ops are scheduled together.
// Measured on the article's spans (callgrind, instructions a span): 2,407
// with the dispatch, 2,268 without; the hand-written encoder is 2,115.
//
// Only the codes are fixed. Texts, keys, flags, forms and tables are the
// plan's, read from it as by the dispatching runner, so any declaration
// that compiles to the same codes (the article's event under other key
// names, say) runs shaped, and one whose codes differ runs the usual way
// with the same output. The shaped encoders are separate classes: inlined
// into the dispatching encoder's loop they made its code worse (measured:
// +3 % instructions).
#ifndef OTELPACK_FORMAT_DECLARED_SHAPE_H_
#define OTELPACK_FORMAT_DECLARED_SHAPE_H_

#include <cstddef>
#include <cstdint>

#include "format/declared/plain_writers.h"
#include "format/declared/plan.h"

namespace otelpack::format::declared {

// The codes of a block's ops, in order (plan.h: a FieldId or a Step, with
// kPlain for a plain op); the last is a Step::kEnd.
template <std::uint8_t... kCodes>
struct Codes {
  static constexpr std::size_t kSize = sizeof...(kCodes);

  // Calls fn.template operator()<code>() for each code, in order.
  template <typename Fn>
  OTELPACK_HOT static void Each(Fn&& fn) {
    (fn.template operator()<kCodes>(), ...);
  }

  // Whether block `b` of `plan` has exactly these codes.
  static bool Match(const Plan& plan, const Block& b) {
    static constexpr std::uint8_t kWant[] = {kCodes...};
    if (b.end - b.begin != kSize) return false;
    for (std::size_t i = 0; i < kSize; ++i) {
      if (plan.ops[b.begin + i].code != kWant[i]) return false;
    }
    return true;
  }

  // The index of the first op of `code`, or kSize.
  static constexpr std::size_t IndexOf(std::uint8_t code) {
    constexpr std::uint8_t kAll[] = {kCodes...};
    for (std::size_t i = 0; i < kSize; ++i) {
      if (kAll[i] == code) return i;
    }
    return kSize;
  }
};

// An event block of codes `Event` whose one list (the op of `kList`, mapped
// with $each) has an item block of codes `Item`.
template <typename EventCodes, std::uint8_t kList, typename ItemCodes>
struct EventShape {
  using Event = EventCodes;
  using Item = ItemCodes;
  static constexpr std::uint8_t kListCode = kList;
  static_assert(Event::IndexOf(kList) < Event::kSize, "the list is one of the event's ops");

  static bool Match(const Plan& plan) {
    if (plan.blocks.empty() || !Event::Match(plan, plan.blocks[0])) return false;
    const Op& list = plan.ops[plan.blocks[0].begin + Event::IndexOf(kList)];
    return list.arg < plan.blocks.size() && Item::Match(plan, plan.blocks[list.arg]);
  }
};

}  // namespace otelpack::format::declared

#endif  // OTELPACK_FORMAT_DECLARED_SHAPE_H_

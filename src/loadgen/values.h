// Loadgen attribute, event and link values: what each kind of span carries,
// written into the batch arena.
#ifndef OTELPACK_LOADGEN_VALUES_H_
#define OTELPACK_LOADGEN_VALUES_H_

#include <cstdint>
#include <span>
#include <string_view>

#include "loadgen/internal.h"
#include "otelpack/arena.h"
#include "otelpack/model.h"

namespace otelpack::loadgen::internal {

// What the attributes of one span are made from.
struct SpanFacts {
  OpKind kind = OpKind::kInternal;
  Language lang = Language::kJava;
  std::string_view verb;          // HTTP method, SQL verb, cache command, publish/process
  std::string_view noun;          // resource, table, key prefix, topic, class
  std::string_view route;         // URL template (server, client)
  std::string_view service;       // this service's name
  std::string_view service_word;  // "checkout" for "checkout-service"
  std::string_view peer;          // the called service (client)
  std::uint64_t duration_ns = 0;
  bool error = false;
};

// Makes values in `*batch` (every view returned lives as long as the arena's
// current contents). With `exotic` the results also carry every value type
// and every awkward string (see GeneratorOptions::all_value_types).
class ValueMaker {
 public:
  explicit ValueMaker(Arena* batch) : arena_(batch) {}

  // Resource attributes for a service, written into `*into` (not the batch).
  Attributes Resource(std::string_view service, Language lang, Rng& rng, Arena* into, bool exotic);
  // 5 to 15 attributes (more with `exotic`).
  Attributes SpanAttributes(const SpanFacts& f, Rng& rng, bool exotic);
  // 1 to 3 ordinary events between start and end.
  std::span<const SpanEvent> Events(std::uint64_t start, std::uint64_t end, Rng& rng, bool exotic);
  // The "exception" event (and sometimes a retry event before it).
  std::span<const SpanEvent> ExceptionEvents(const ExceptionText& exc, std::string_view stacktrace,
                                             std::uint64_t start, std::uint64_t end, Rng& rng,
                                             bool exotic);
  // One link to the given span.
  std::span<const SpanLink> LinkTo(const TraceId& trace, const SpanId& span, Rng& rng, bool exotic);

 private:
  Arena* arena_;
};

}  // namespace otelpack::loadgen::internal

#endif  // OTELPACK_LOADGEN_VALUES_H_

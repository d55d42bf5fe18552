// For tests, benchmarks and fuzzing: every event an encoder writes, in one
// request body with no limits (the batch builder without its splitting), so
// encoders can be checked and timed on their own.
#ifndef OTELPACK_FORMAT_TESTING_WHOLE_BODY_H_
#define OTELPACK_FORMAT_TESTING_WHOLE_BODY_H_

#include <cstdint>
#include <string_view>

#include "format/encoder.h"
#include "format/envelope.h"
#include "otelpack/buffer.h"

namespace otelpack::testing {

class WholeBody final : public EventSink {
 public:
  explicit WholeBody(const Envelope& envelope) : envelope_(envelope) {}

  // Encodes `data` into *body (cleared first), wrapped in the envelope.
  template <typename View>
  void Encode(SignalEncoder<View>& encoder, View data, Buffer* body, std::int64_t sent_at_ms = 1732480000000) {
    body_ = body;
    events_ = 0;
    body->Clear();
    envelope_.AppendPrefix(body);
    encoder.Encode(data, *this);
    envelope_.AppendSuffix(sent_at_ms, body);
  }
  std::size_t events() const { return events_; }

  Buffer& BeginEvent() override {
    if (events_ > 0) envelope_.AppendSeparator(body_);
    return *body_;
  }
  void EndEvent(std::string_view) override { ++events_; }

 private:
  const Envelope& envelope_;
  Buffer* body_ = nullptr;
  std::size_t events_ = 0;
};

}  // namespace otelpack::testing

#endif  // OTELPACK_FORMAT_TESTING_WHOLE_BODY_H_

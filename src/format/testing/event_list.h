// For tests and fuzzing of the encoders: a sink that keeps each event and
// the name it was ended with.
#ifndef OTELPACK_FORMAT_TESTING_EVENT_LIST_H_
#define OTELPACK_FORMAT_TESTING_EVENT_LIST_H_

#include <string>
#include <string_view>
#include <vector>

#include "format/encoder.h"
#include "otelpack/buffer.h"

namespace otelpack::testing {

// Every event of an Encode call as its own string, with its record name.
class EventList final : public EventSink {
 public:
  Buffer& BeginEvent() override {
    start_ = buffer_.size();
    return buffer_;
  }
  void EndEvent(std::string_view record_name) override {
    events.emplace_back(buffer_.view().substr(start_));
    names.emplace_back(record_name);
  }

  // Forgets the events, for a sink kept across Encode calls.
  void Clear() {
    buffer_.Clear();
    events.clear();
    names.clear();
  }

  std::vector<std::string> events;
  std::vector<std::string> names;

 private:
  Buffer buffer_;
  std::size_t start_ = 0;
};

}  // namespace otelpack::testing

#endif  // OTELPACK_FORMAT_TESTING_EVENT_LIST_H_

// The encoder's interface: one signal's data -> the backend's JSON events.
//
// An encoder walks its signal's data (resource -> scope -> records), prepares
// what is the same for a whole resource or scope once, and writes one event
// per record into an EventSink: the batch builder (src/batch/), which owns the
// request bodies and decides where each event goes. The encoder knows nothing
// of bodies, limits or separators; the builder knows nothing of spans.
//
//   for each record:
//     Buffer& out = sink.BeginEvent();   // the open body, separator written
//     ... append the event's JSON to out ...
//     sink.EndEvent(name);               // the builder checks its size
#ifndef OTELPACK_FORMAT_ENCODER_H_
#define OTELPACK_FORMAT_ENCODER_H_

#include <string_view>

#include "otelpack/buffer.h"
#include "otelpack/model.h"

namespace otelpack {

class EventSink {
 public:
  // The buffer the next event is appended to. Valid until EndEvent.
  virtual Buffer& BeginEvent() = 0;
  // The event appended since BeginEvent is complete. `record_name` names the
  // record (a span's name, a metric's name) in the log line of an event that
  // is too large to send.
  virtual void EndEvent(std::string_view record_name) = 0;

 protected:
  ~EventSink() = default;
};

// Writes every record of a signal's data as one event each, in order. Never
// fails: any input gives valid JSON in valid UTF-8. Not thread-safe; meant to
// be kept and reused (it caches per-resource pieces and allocates nothing
// per record).
template <typename View>
class SignalEncoder {
 public:
  virtual ~SignalEncoder() = default;
  virtual void Encode(View data, EventSink& sink) = 0;
};

using TracesEncoder = SignalEncoder<TracesView>;
using LogsEncoder = SignalEncoder<LogsView>;
using MetricsEncoder = SignalEncoder<MetricsView>;

}  // namespace otelpack

#endif  // OTELPACK_FORMAT_ENCODER_H_

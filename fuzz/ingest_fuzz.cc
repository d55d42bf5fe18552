// Fuzzes the sink's body parser: any bytes give OK or a clear error, never a
// crash. An accepted body's events are views inside the input, carry the ids
// their type allows, and each one, alone in a body of its own, is accepted
// again as the same event: the text the store keeps is a valid event.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "sink/validator.h"

namespace {

using otelpack::sink::EventRecord;
using otelpack::sink::EventType;
using otelpack::sink::IsLowerHex;

bool IdsFitTheType(const EventRecord& e) {
  switch (e.type) {
    case EventType::kSpan: return IsLowerHex(e.trace_id, 32) && IsLowerHex(e.span_id, 16);
    case EventType::kLog:
      return (e.trace_id.empty() || IsLowerHex(e.trace_id, 32)) &&
             (e.span_id.empty() || IsLowerHex(e.span_id, 16));
    case EventType::kMetric: return e.trace_id.empty() && e.span_id.empty();
  }
  return false;
}

// `e` alone in a body parses to the same event.
bool ReparsesAlone(const EventRecord& e) {
  static otelpack::sink::BodyParser parser;
  std::string text = "{\"project_id\":\"p\",\"sent_at\":0,\"events\":[";
  text.append(e.json);
  text.append("]}");
  const std::size_t size = text.size();
  text.append(otelpack::sink::kJsonPadding, '\0');
  otelpack::sink::IngestBody body;
  if (!parser.Parse(std::string_view(text.data(), size), {}, &body).ok()) return false;
  if (body.events.size() != 1) return false;
  const EventRecord& again = body.events[0];
  return again.type == e.type && again.json == e.json && again.service == e.service &&
         again.name == e.name && again.time_ms == e.time_ms && again.trace_id == e.trace_id &&
         again.span_id == e.span_id;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static otelpack::sink::BodyParser parser;
  std::string text(reinterpret_cast<const char*>(data), size);
  text.append(otelpack::sink::kJsonPadding, '\0');
  std::string_view json(text.data(), size);
  otelpack::sink::IngestBody body;
  otelpack::Status s = parser.Parse(json, {}, &body);
  if (s.ok()) {
    if (otelpack::sink::CountByType(body.events).total() != body.events.size()) std::abort();
    for (const EventRecord& e : body.events) {
      if (e.json.data() < json.data() || e.json.data() + e.json.size() > json.data() + json.size()) std::abort();
      if (!IdsFitTheType(e)) std::abort();
      if (!ReparsesAlone(e)) std::abort();
    }
  } else if (s.message().empty()) {
    std::abort();  // an error must say what is wrong
  }
  return 0;
}

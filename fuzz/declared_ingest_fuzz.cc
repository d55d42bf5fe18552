// Fuzzes the sink's reader of declared-format bodies (SinkOptions::format):
// any bytes give OK or a clear error, never a crash, in each framing. An
// accepted body's events are views inside the input, of a signal the route
// takes, and each one, alone in a body of its own, is accepted again with the
// same type, service and name: the text the store keeps is a valid event.
// The first byte picks the framing (envelope with a shared path, NDJSON,
// array).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "otelpack/format.h"
#include "sink/ingest_protocol.h"

namespace {

using otelpack::sink::BodyReader;
using otelpack::sink::EventRecord;
using otelpack::sink::IngestBody;
using otelpack::sink::IngestRoute;

struct Framing {
  const char* yaml;
  const char* before;  // around one event, to read it alone again
  const char* after;
};

constexpr Framing kFramings[] = {
    {R"(
envelope: {tenant: $project_id, data: {items: $events}, sent: $sent_at}
headers: {}
traces: {path: /s, event: {kind: span, svc: $service, op: $name, state: $trace_state | omit_if_empty}}
logs: {path: /s, event: {kind: log, svc: $service, ev: $event_name | default("")}}
metrics: {path: /m, event: {m: $metric.name}}
)",
     R"({"tenant":"p","data":{"items":[)", "]},\"sent\":0}"},
    {R"(
framing: ndjson
headers: {}
traces: {path: /s, event: {Svc: $service, Name: $name, Attrs: $attributes | json}}
logs: {path: /l, event: {b: $body}}
metrics: {path: /m, event: {m: $metric.name}}
)",
     "", "\n"},
    {R"(
framing: array
headers: {}
traces: {path: /s, event: {traceId: $trace_id, name: $name, localEndpoint: {serviceName: $service}}}
logs: {path: /l, event: {b: $body}}
metrics: {path: /m, event: {m: $metric.name}}
)",
     "[", "]"},
};

struct Reader {
  std::unique_ptr<otelpack::sink::IngestProtocol> protocol;
  std::unique_ptr<BodyReader> reader;
  std::unique_ptr<BodyReader> again;
};

Reader Make(const Framing& f) {
  auto format = otelpack::Format::Parse(f.yaml, "fuzz.yaml");
  if (!format.ok()) std::abort();
  auto protocol = otelpack::sink::NewDeclaredProtocol(**format, "p", {100, 64});
  if (!protocol.ok()) std::abort();
  Reader r;
  r.protocol = std::move(protocol).value();
  r.reader = r.protocol->NewReader();
  r.again = r.protocol->NewReader();
  return r;
}

otelpack::Status Read(BodyReader* reader, const std::string& text, IngestBody* body) {
  std::string padded = text;
  padded.append(otelpack::sink::kJsonPadding, '\0');
  static std::string keep;  // the views in *body point into it until the next call
  keep = std::move(padded);
  return reader->Read(std::string_view(keep.data(), text.size()), IngestRoute{"/s", "p", 0}, body);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static Reader readers[3] = {Make(kFramings[0]), Make(kFramings[1]), Make(kFramings[2])};
  const std::size_t which = data[0] % 3;
  Reader& r = readers[which];
  std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  text.append(otelpack::sink::kJsonPadding, '\0');
  const std::string_view json(text.data(), size - 1);
  IngestBody body;
  const otelpack::Status s = r.reader->Read(json, IngestRoute{"/s", "p", 0}, &body);
  if (!s.ok()) {
    if (s.message().empty()) std::abort();
    return 0;
  }
  if (body.events.size() > 100) std::abort();
  for (const EventRecord& e : body.events) {
    if (e.json.data() < json.data() || e.json.data() + e.json.size() > json.data() + json.size()) std::abort();
    if (which != 0 && e.type != otelpack::sink::EventType::kSpan) std::abort();  // /s takes spans only there
    if (e.type == otelpack::sink::EventType::kMetric) std::abort();
    IngestBody alone;
    const std::string one = std::string(kFramings[which].before) + std::string(e.json) + kFramings[which].after;
    if (!Read(r.again.get(), one, &alone).ok() || alone.events.size() != 1) std::abort();
    const EventRecord& a = alone.events[0];
    if (a.type != e.type || a.json != e.json || a.service != e.service || a.name != e.name) std::abort();
  }
  return 0;
}

// Fuzzes the event encoder with arbitrary strings and numbers: whatever goes
// in, what comes out must be valid JSON in valid UTF-8 that the sink accepts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "format/envelope.h"
#include "format/span_encoder.h"
#include "sink/validator.h"

namespace {

// Reads the fuzz input as a stream of pieces.
class Reader {
 public:
  Reader(const std::uint8_t* d, std::size_t n) : d_(d), n_(n) {}
  std::string_view Str() {
    std::size_t len = n_ > 0 ? d_[0] % 48 : 0;
    if (n_ > 0) Skip(1);
    len = std::min(len, n_);
    std::string_view s(reinterpret_cast<const char*>(d_), len);
    Skip(len);
    return s;
  }
  std::uint64_t U64() {
    std::uint64_t v = 0;
    std::size_t k = std::min<std::size_t>(8, n_);
    std::memcpy(&v, d_, k);
    Skip(k);
    return v;
  }
  bool empty() const { return n_ == 0; }

 private:
  void Skip(std::size_t k) { d_ += k; n_ -= k; }
  const std::uint8_t* d_;
  std::size_t n_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace otelpack;
  Reader r(data, size);
  std::vector<KeyValue> attrs;
  attrs.reserve(32);  // kvlist values point into it: it must never reallocate
  std::vector<AnyValue> items;
  items.reserve(8);
  while (!r.empty() && attrs.size() < 32) {
    std::string_view key = r.Str();
    std::uint64_t pick = r.U64();
    AnyValue v;
    switch (pick % 7) {
      case 0: v = AnyValue::String(r.Str()); break;
      case 1: v = AnyValue::Int(static_cast<std::int64_t>(r.U64())); break;
      case 2: { std::uint64_t bits = r.U64(); double d; std::memcpy(&d, &bits, 8); v = AnyValue::Double(d); break; }
      case 3: v = AnyValue::Bool(pick & 8); break;
      case 4: v = AnyValue::Bytes(r.Str()); break;
      case 5:
        if (items.size() < 8) { items.push_back(AnyValue::String(r.Str())); }
        v = AnyValue::Array(items);
        break;
      default: v = AnyValue::KvList({attrs.data(), attrs.size() / 2}); break;
    }
    attrs.push_back({key, v});
  }
  KeyValue service[] = {{"service.name", AnyValue::String(attrs.empty() ? "" : attrs[0].key)}};
  Span span;
  span.span_id.bytes[0] = 1;
  span.name = attrs.size() > 1 ? attrs[1].key : "";
  span.status_message = attrs.size() > 2 ? attrs[2].key : "";
  span.start_time_unix_nano = size * 1'000'003ull;
  span.end_time_unix_nano = size * 7'000'001ull;
  span.attributes = attrs;
  SpanEvent ev{span.name, span.end_time_unix_nano, attrs};
  span.events = {&ev, 1};

  SpanEncoder encoder;
  encoder.BeginResource(Resource{service});
  static const Envelope envelope = Envelope::ForProject("fuzz");
  Buffer body;
  envelope.AppendPrefix(&body);
  encoder.AppendSpan(span, &body);
  envelope.AppendSuffix(1, &body);
  std::string text(body.view());
  text.append(sink::kJsonPadding, '\0');
  static sink::BodyParser parser;
  sink::IngestBody parsed;
  Status s = parser.Parse({text.data(), body.size()}, {}, &parsed);
  if (!s.ok() || parsed.events.size() != 1) std::abort();
  return 0;
}

// Fuzzes the sink's body parser: any bytes give OK or a clear error, never a
// crash; an accepted body's events are views inside the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "sink/validator.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static otelpack::sink::BodyParser parser;
  std::string text(reinterpret_cast<const char*>(data), size);
  text.append(otelpack::sink::kJsonPadding, '\0');
  std::string_view json(text.data(), size);
  otelpack::sink::IngestBody body;
  otelpack::Status s = parser.Parse(json, {}, &body);
  if (s.ok()) {
    for (const auto& e : body.events) {
      if (e.json.data() < json.data() || e.json.data() + e.json.size() > json.data() + json.size()) std::abort();
      if (!otelpack::sink::IsLowerHex(e.trace_id, 32) || !otelpack::sink::IsLowerHex(e.span_id, 16)) std::abort();
    }
  } else if (s.message().empty()) {
    std::abort();  // an error must say what is wrong
  }
  return 0;
}

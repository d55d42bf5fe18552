// For the SDK adapter's tests: the real sink's stored events, parsed, and
// the ids and resources the tests give the SDK.
#ifndef OTELPACK_OTEL_TESTING_SDK_TEST_UTIL_H_
#define OTELPACK_OTEL_TESTING_SDK_TEST_UTIL_H_

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "opentelemetry/nostd/span.h"
#include "opentelemetry/sdk/resource/resource.h"
#include "opentelemetry/trace/span_id.h"
#include "opentelemetry/trace/trace_id.h"
#include "sink/sink.h"

namespace otelpack::otel::testing {

inline opentelemetry::sdk::resource::Resource Service(const std::string& name) {
  return opentelemetry::sdk::resource::Resource::Create({{"service.name", name}});
}

inline std::string Hex(opentelemetry::nostd::span<const std::uint8_t> id) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::uint8_t b : id) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

// 16 bytes counting up from `first`.
inline opentelemetry::trace::TraceId TraceIdOf(std::uint8_t first) {
  std::uint8_t bytes[16];
  for (int i = 0; i < 16; ++i) bytes[i] = static_cast<std::uint8_t>(first + i);
  return opentelemetry::trace::TraceId(bytes);
}

// Seven zero bytes, then `last`.
inline opentelemetry::trace::SpanId SpanIdOf(std::uint8_t last) {
  std::uint8_t bytes[8] = {0, 0, 0, 0, 0, 0, 0, last};
  return opentelemetry::trace::SpanId(bytes);
}

// The sink's stored events, parsed; `type` keeps only events of that "type"
// ("span", "log", "metric"), empty keeps all.
class StoredEvents {
 public:
  explicit StoredEvents(const sink::Sink& sink, std::string_view type = {}) {
    auto all = sink.AllEvents();
    EXPECT_TRUE(all.ok()) << all.status().ToString();
    if (!all.ok()) return;
    for (const std::string& text : *all) {
      parsers_.emplace_back();
      simdjson::dom::element e = parsers_.back().parse(simdjson::padded_string(text)).value();
      if (type.empty() || std::string_view(e["type"]) == type) events_.push_back(e);
    }
  }
  std::size_t size() const { return events_.size(); }
  simdjson::dom::element operator[](std::size_t i) const { return events_.at(i); }
  auto begin() const { return events_.begin(); }
  auto end() const { return events_.end(); }
  // The one event whose `key` is the string `value` (a span's "operation", a metric's "name").
  simdjson::dom::element By(std::string_view key, std::string_view value) const {
    std::vector<simdjson::dom::element> found = All(key, value);
    EXPECT_EQ(found.size(), 1u) << key << " = " << value;
    return found.at(0);
  }
  // Every event whose `key` is the string `value`.
  std::vector<simdjson::dom::element> All(std::string_view key, std::string_view value) const {
    std::vector<simdjson::dom::element> found;
    for (const auto& e : events_) {
      std::string_view v;
      if (e[key].get(v) == simdjson::SUCCESS && v == value) found.push_back(e);
    }
    return found;
  }
  simdjson::dom::element ByOperation(std::string_view operation) const { return By("operation", operation); }

 private:
  std::deque<simdjson::dom::parser> parsers_;
  std::vector<simdjson::dom::element> events_;
};

// The number of fields of a JSON object.
inline std::size_t Fields(simdjson::dom::element e) {
  std::size_t n = 0;
  for (auto field : e.get_object()) {
    (void)field;
    ++n;
  }
  return n;
}

}  // namespace otelpack::otel::testing

#endif  // OTELPACK_OTEL_TESTING_SDK_TEST_UTIL_H_

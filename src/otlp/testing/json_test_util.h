// Test helpers for the OTLP/JSON decoders' tests: a decode whose input is
// gone before the result is looked at, the check of a refusal's message, ids
// as hex, and a request's keys respelled (lowerCamelCase to the .proto
// names). Header-only, for tests.
#ifndef OTELPACK_OTLP_TESTING_JSON_TEST_UTIL_H_
#define OTELPACK_OTLP_TESTING_JSON_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "otelpack/arena.h"
#include "otlp/decode.h"

namespace otelpack::testing {

// A decoded request and the arena it lives in.
template <typename D>
struct DecodedBox {
  Arena arena;
  Result<D> result = Status::Internal("not decoded");
};

// Decodes a copy of `json` with `decode` (DecodeLogsJson...) and overwrites
// the copy before returning, so that every view must point into the arena.
template <typename D>
std::unique_ptr<DecodedBox<D>> DecodeCopy(Result<D> (*decode)(std::string_view, Arena&, const otlp::DecodeLimits&),
                                          std::string_view json, const otlp::DecodeLimits& limits) {
  auto d = std::make_unique<DecodedBox<D>>();
  std::string copy(json);
  d->result = decode(copy, d->arena, limits);
  std::fill(copy.begin(), copy.end(), 'X');
  return d;
}

// That `decode` refuses `json` as InvalidArgument with `message`: the
// whole message, or its start when `message` ends with '*'.
template <typename D>
void ExpectInvalid(Result<D> (*decode)(std::string_view, Arena&, const otlp::DecodeLimits&), std::string_view json,
                   std::string_view message) {
  auto d = DecodeCopy(decode, json, {});
  ASSERT_FALSE(d->result.ok()) << json;
  EXPECT_EQ(d->result.status().code(), StatusCode::kInvalidArgument) << json;
  const std::string_view got = d->result.status().message();
  if (!message.empty() && message.back() == '*') {
    EXPECT_EQ(got.substr(0, message.size() - 1), message.substr(0, message.size() - 1)) << json << "\n  gave: " << got;
  } else {
    EXPECT_EQ(got, message) << json;
  }
}

inline std::string Hex(std::span<const std::uint8_t> bytes) {
  std::string out;
  for (std::uint8_t b : bytes) {
    out += "0123456789abcdef"[b >> 4];
    out += "0123456789abcdef"[b & 15];
  }
  return out;
}

// `json` with every quoted occurrence of each pair's first name replaced by
// its second ("timeUnixNano" -> "time_unix_nano").
inline std::string RenameKeys(std::string_view json,
                              std::initializer_list<std::pair<std::string_view, std::string_view>> names) {
  std::string out(json);
  for (auto [from_name, to_name] : names) {
    const std::string from = "\"" + std::string(from_name) + "\"";
    const std::string to = "\"" + std::string(to_name) + "\"";
    for (std::size_t at = out.find(from); at != std::string::npos; at = out.find(from, at + to.size())) {
      out.replace(at, from.size(), to);
    }
  }
  return out;
}

}  // namespace otelpack::testing

#endif  // OTELPACK_OTLP_TESTING_JSON_TEST_UTIL_H_

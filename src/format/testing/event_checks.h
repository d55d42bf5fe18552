// For the encoders' tests: small readers of parsed events (simdjson), and
// the sink that keeps each event (event_list.h).
#ifndef OTELPACK_FORMAT_TESTING_EVENT_CHECKS_H_
#define OTELPACK_FORMAT_TESTING_EVENT_CHECKS_H_

#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "format/testing/event_list.h"

namespace otelpack::testing {

// `json` parsed as one object, checked to be valid UTF-8 and JSON.
inline simdjson::dom::object ParseObject(simdjson::dom::parser& parser, const std::string& json) {
  EXPECT_TRUE(simdjson::validate_utf8(json.data(), json.size())) << json;
  simdjson::dom::object o;
  EXPECT_EQ(parser.parse(json).get_object().get(o), simdjson::SUCCESS) << json;
  return o;
}

// Whether `json` holds `piece` as written, e.g. EXPECT_TRUE(Contains(json, "\"value\":42}")).
inline ::testing::AssertionResult Contains(const std::string& json, const std::string& piece) {
  if (json.find(piece) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "no " << piece << "\n  in " << json;
}

// The keys of an object, in order.
inline std::vector<std::string> Keys(simdjson::dom::object o) {
  std::vector<std::string> keys;
  for (simdjson::dom::key_value_pair kv : o) keys.emplace_back(kv.key);
  return keys;
}

inline std::string Str(simdjson::dom::element e) { return std::string(e.get_string().value()); }

// The nesting depth of a value: 0 for a scalar, 1 for a flat array or object.
inline int Depth(simdjson::dom::element e) {
  int d = 0;
  if (e.type() == simdjson::dom::element_type::ARRAY) {
    simdjson::dom::array a = e.get_array().value();
    for (simdjson::dom::element x : a) d = std::max(d, Depth(x));
    return d + 1;
  }
  if (e.type() == simdjson::dom::element_type::OBJECT) {
    simdjson::dom::object o = e.get_object().value();
    for (simdjson::dom::key_value_pair kv : o) d = std::max(d, Depth(kv.value));
    return d + 1;
  }
  return 0;
}

// A hostile string (quotes, backslash, controls, valid multi-byte UTF-8, and
// overlong, surrogate, too-large and truncated sequences) and what an encoder
// must make of it: each maximal invalid subpart becomes U+FFFD.
inline const std::string kHostile =
    "\"q\" \\ \n\t\x01\x1f h\xC3\xA9 \xE6\x97\xA5 \xF0\x9F\x8E\x89 bad:\xC0\xAF\xED\xA0\x80\xF4\x90\x80\x80\xE2\x82";
inline const std::string kHostileRepaired =
    std::string("\"q\" \\ \n\t\x01\x1f h\xC3\xA9 \xE6\x97\xA5 \xF0\x9F\x8E\x89 bad:") + "\xEF\xBF\xBD\xEF\xBF\xBD" +
    "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" + "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" + "\xEF\xBF\xBD";

}  // namespace otelpack::testing

#endif  // OTELPACK_FORMAT_TESTING_EVENT_CHECKS_H_

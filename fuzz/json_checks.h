// What the fuzz targets check in any JSON they are given or make: abort on
// a broken promise, and how deep a parsed value nests (the sink refuses
// bodies deeper than 64).
#ifndef OTELPACK_FUZZ_JSON_CHECKS_H_
#define OTELPACK_FUZZ_JSON_CHECKS_H_

#include <simdjson.h>

#include <algorithm>
#include <cstdlib>

namespace otelpack::fuzz {

inline void Check(bool ok) {
  if (!ok) std::abort();
}

// 0 for a scalar, 1 for a flat array or object.
inline int Depth(simdjson::dom::element e) {
  int d = 0;
  if (e.is_array()) {
    simdjson::dom::array a = e.get_array().value();
    for (simdjson::dom::element x : a) d = std::max(d, Depth(x));
    return d + 1;
  }
  if (e.is_object()) {
    simdjson::dom::object o = e.get_object().value();
    for (simdjson::dom::key_value_pair kv : o) d = std::max(d, Depth(kv.value));
    return d + 1;
  }
  return 0;
}

}  // namespace otelpack::fuzz

#endif  // OTELPACK_FUZZ_JSON_CHECKS_H_

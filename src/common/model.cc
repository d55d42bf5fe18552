#include "otelpack/model.h"

namespace otelpack {

std::string_view ServiceName(const Resource& resource) {
  for (const KeyValue& kv : resource.attributes) {
    if (kv.key == "service.name" && kv.value.type() == ValueType::kString) {
      return kv.value.string_value();
    }
  }
  return "unknown";
}

std::size_t CountSpans(TracesView traces) {
  std::size_t n = 0;
  for (const ResourceSpans& rs : traces)
    for (const ScopeSpans& ss : rs.scope_spans) n += ss.spans.size();
  return n;
}

}  // namespace otelpack

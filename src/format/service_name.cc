#include "format/service_name.h"

namespace otelpack {

std::string_view ServiceName(const Resource& resource) {
  for (const KeyValue& kv : resource.attributes) {
    if (kv.key == "service.name" && kv.value.type() == ValueType::kString) {
      return kv.value.string_value();
    }
  }
  return "unknown";
}

}  // namespace otelpack

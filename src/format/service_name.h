// The backend's "service" field: which service a resource's records came from.
#ifndef OTELPACK_FORMAT_SERVICE_NAME_H_
#define OTELPACK_FORMAT_SERVICE_NAME_H_

#include <string_view>

#include "otelpack/model/common.h"

namespace otelpack {

// The value of the resource attribute `service.name` when it is a string,
// else "unknown": the backend's rule (docs/wire-protocol.md), not OTLP's.
std::string_view ServiceName(const Resource& resource);

}  // namespace otelpack

#endif  // OTELPACK_FORMAT_SERVICE_NAME_H_

// The protobuf decoders' per-thread scratch stacks (proto_reader.h).
#include "otlp/proto_reader.h"

namespace otelpack::otlp::proto_internal {

ListStacks& ThreadStacks() {
  thread_local ListStacks stacks;
  return stacks;
}

void TrimThreadStacks() { ThreadStacks().Trim(); }

}  // namespace otelpack::otlp::proto_internal

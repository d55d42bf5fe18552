// Test support: otelpack's model <-> the libprotobuf messages generated from
// the OTLP .proto files, an implementation independent of ours, to check the
// hand-written decoder and encoder against (and to build requests in tests).
#ifndef OTELPACK_OTLP_PROTO_TESTING_MODEL_PROTO_H_
#define OTELPACK_OTLP_PROTO_TESTING_MODEL_PROTO_H_

#include <string>
#include <string_view>

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "otelpack/model.h"

namespace otelpack::otlp::testing {

namespace pb = ::opentelemetry::proto;
using ExportRequest = pb::collector::trace::v1::ExportTraceServiceRequest;

// The request libprotobuf would build for `traces`. Zero parent span ids
// become an empty parent_span_id, as SDKs send root spans.
void ModelToProto(TracesView traces, ExportRequest* out);

// Empty when `model` holds exactly what `proto` says (ids byte for byte, an
// empty parent_span_id equal to a zero one, an absent resource, scope or
// status equal to an empty one, doubles bit for bit); else the path of the
// first difference, e.g. "resource_spans[0].scope_spans[1].spans[3].name:
// proto \"a\" model \"b\"".
std::string DiffProtoAndModel(const ExportRequest& proto, TracesView model);

// Parses `bytes` with libprotobuf, allowing nesting deeper than its default
// limit of 100 (attribute values may nest that deep). False when invalid.
bool ParseRequest(std::string_view bytes, ExportRequest* out);

}  // namespace otelpack::otlp::testing

#endif  // OTELPACK_OTLP_PROTO_TESTING_MODEL_PROTO_H_

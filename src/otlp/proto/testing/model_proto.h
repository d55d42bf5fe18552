// Test support: otelpack's model <-> the libprotobuf messages generated from
// the OTLP .proto files, an implementation independent of ours, to check the
// hand-written decoders and encoders against (and to build requests in
// tests). One overload per signal.
#ifndef OTELPACK_OTLP_PROTO_TESTING_MODEL_PROTO_H_
#define OTELPACK_OTLP_PROTO_TESTING_MODEL_PROTO_H_

#include <google/protobuf/message.h>

#include <string>
#include <string_view>

#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "otelpack/model.h"

namespace otelpack::otlp::testing {

namespace pb = ::opentelemetry::proto;
using ExportRequest = pb::collector::trace::v1::ExportTraceServiceRequest;
using ExportLogsRequest = pb::collector::logs::v1::ExportLogsServiceRequest;
using ExportMetricsRequest = pb::collector::metrics::v1::ExportMetricsServiceRequest;

// The request libprotobuf would build for the data. All-zero ids that mean
// "none" (a root span's parent, a log record or exemplar outside a trace)
// become empty, as SDKs send them; an empty ExponentialBuckets side and an
// empty body are left unset.
void ModelToProto(TracesView traces, ExportRequest* out);
void ModelToProto(LogsView logs, ExportLogsRequest* out);
void ModelToProto(MetricsView metrics, ExportMetricsRequest* out);

// Empty when `model` holds exactly what `proto` says (ids byte for byte, an
// empty id equal to a zero one where "none" is allowed, an absent message
// equal to an empty one, doubles bit for bit, an unknown temporality equal to
// unspecified); else the path of the first difference, e.g.
// "resource_spans[0].scope_spans[1].spans[3].name: proto \"a\" model \"b\"".
std::string DiffProtoAndModel(const ExportRequest& proto, TracesView model);
std::string DiffProtoAndModel(const ExportLogsRequest& proto, LogsView model);
std::string DiffProtoAndModel(const ExportMetricsRequest& proto, MetricsView model);

// Parses `bytes` with libprotobuf, allowing nesting deeper than its default
// limit of 100 (attribute values may nest that deep). False when invalid.
bool ParseRequest(std::string_view bytes, google::protobuf::Message* out);

}  // namespace otelpack::otlp::testing

#endif  // OTELPACK_OTLP_PROTO_TESTING_MODEL_PROTO_H_

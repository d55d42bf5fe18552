// The model -> protobuf Export*ServiceRequest, for load generation,
// benchmarks and tests: the bytes libprotobuf writes for the same data
// (fields in number order, proto3 defaults left out). The common messages
// and the levels above the records are written once (proto_schema.h), each
// signal's records below. Written for clarity, not speed: each nested message
// is encoded into its own buffer and then appended with its length (the load
// tools encode their requests once, before the clock starts).
#include <bit>
#include <cstdint>
#include <string>

#include "otlp/decode.h"
#include "otlp/proto_schema.h"
#include "otlp/wire.h"

namespace otelpack::otlp {
namespace {

using wire::PutBytes;
using wire::PutTag;
using wire::PutVarint;

// proto3: a scalar equal to its default is not written.
void PutString(std::uint32_t field, std::string_view s, std::string* out) {
  if (!s.empty()) PutBytes(field, s, out);
}

void PutUint(std::uint32_t field, std::uint64_t v, std::string* out) {
  if (v == 0) return;
  PutTag(field, wire::kVarint, out);
  PutVarint(v, out);
}

void PutFixed64(std::uint32_t field, std::uint64_t v, std::string* out) {
  if (v == 0) return;
  PutTag(field, wire::kFixed64, out);
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}

void PutFixed32(std::uint32_t field, std::uint32_t v, std::string* out) {
  if (v == 0) return;
  PutTag(field, wire::kFixed32, out);
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}

template <std::size_t N>
std::string_view IdBytes(const std::array<std::uint8_t, N>& id) {
  return {reinterpret_cast<const char*>(id.data()), N};
}

void PutKeyValue(std::uint32_t field, const KeyValue& kv, std::string* out);

void PutAnyValue(std::uint32_t field, const AnyValue& v, std::string* out) {
  std::string m;
  switch (v.type()) {
    case ValueType::kEmpty:
      break;
    case ValueType::kString:
      PutBytes(1, v.string_value(), &m);  // oneof members are written even when empty
      break;
    case ValueType::kBool:
      PutTag(2, wire::kVarint, &m);
      PutVarint(v.bool_value() ? 1 : 0, &m);
      break;
    case ValueType::kInt:
      PutTag(3, wire::kVarint, &m);
      PutVarint(static_cast<std::uint64_t>(v.int_value()), &m);
      break;
    case ValueType::kDouble: {
      PutTag(4, wire::kFixed64, &m);
      const auto bits = std::bit_cast<std::uint64_t>(v.double_value());
      for (int i = 0; i < 8; ++i) m.push_back(static_cast<char>(bits >> (8 * i)));
      break;
    }
    case ValueType::kBytes:
      PutBytes(7, v.string_value(), &m);
      break;
    case ValueType::kArray: {
      std::string array;
      for (const AnyValue& e : v.array_value()) PutAnyValue(1, e, &array);
      PutBytes(5, array, &m);
      break;
    }
    case ValueType::kKvList: {
      std::string list;
      for (const KeyValue& kv : v.kvlist_value()) PutKeyValue(1, kv, &list);
      PutBytes(6, list, &m);
      break;
    }
  }
  PutBytes(field, m, out);
}

void PutKeyValue(std::uint32_t field, const KeyValue& kv, std::string* out) {
  std::string m;
  PutString(1, kv.key, &m);
  PutAnyValue(2, kv.value, &m);
  PutBytes(field, m, out);
}

void PutAttributes(std::uint32_t field, Attributes attributes, std::string* out) {
  for (const KeyValue& kv : attributes) PutKeyValue(field, kv, out);
}

// Resource { attributes = 1; dropped_attributes_count = 2; }
void PutResource(std::uint32_t field, const Resource& resource, std::string* out) {
  std::string m;
  PutAttributes(1, resource.attributes, &m);
  PutUint(2, resource.dropped_attributes_count, &m);
  PutBytes(field, m, out);
}

// InstrumentationScope { name = 1; version = 2; attributes = 3; dropped_attributes_count = 4; }
void PutScope(std::uint32_t field, const InstrumentationScope& scope, std::string* out) {
  std::string m;
  PutString(1, scope.name, &m);
  PutString(2, scope.version, &m);
  PutAttributes(3, scope.attributes, &m);
  PutUint(4, scope.dropped_attributes_count, &m);
  PutBytes(field, m, out);
}

// Export*ServiceRequest { repeated Resource* = 1; }, each resource group
// { resource = 1; repeated Scope* = 2; schema_url = 3; } and each scope group
// { scope = 1; repeated record = 2; schema_url = 3; }; `put_record` writes one
// record as field 2 of its scope group.
template <typename Schema, typename PutRecord>
void PutRequest(typename Schema::View view, std::string* out, PutRecord put_record) {
  for (const typename Schema::ResourceGroup& rg : view) {
    std::string resource_group;
    PutResource(1, rg.resource, &resource_group);
    for (const typename Schema::ScopeGroup& sg : rg.*Schema::kScopeGroupsOf) {
      std::string scope_group;
      PutScope(1, sg.scope, &scope_group);
      for (const typename Schema::Record& record : sg.*Schema::kRecordsOf) put_record(record, &scope_group);
      PutString(3, sg.schema_url, &scope_group);
      PutBytes(2, scope_group, &resource_group);
    }
    PutString(3, rg.schema_url, &resource_group);
    PutBytes(1, resource_group, out);
  }
}

// --- Traces -------------------------------------------------------------------

void PutSpan(const Span& s, std::string* out) {
  std::string m;
  PutBytes(1, IdBytes(s.trace_id.bytes), &m);
  PutBytes(2, IdBytes(s.span_id.bytes), &m);
  PutString(3, s.trace_state, &m);
  if (s.parent_span_id.valid()) PutBytes(4, IdBytes(s.parent_span_id.bytes), &m);
  PutString(5, s.name, &m);
  PutUint(6, static_cast<std::uint64_t>(s.kind), &m);
  PutFixed64(7, s.start_time_unix_nano, &m);
  PutFixed64(8, s.end_time_unix_nano, &m);
  PutAttributes(9, s.attributes, &m);
  PutUint(10, s.dropped_attributes_count, &m);
  for (const SpanEvent& e : s.events) {
    std::string event;
    PutFixed64(1, e.time_unix_nano, &event);
    PutString(2, e.name, &event);
    PutAttributes(3, e.attributes, &event);
    PutUint(4, e.dropped_attributes_count, &event);
    PutBytes(11, event, &m);
  }
  PutUint(12, s.dropped_events_count, &m);
  for (const SpanLink& l : s.links) {
    std::string link;
    PutBytes(1, IdBytes(l.trace_id.bytes), &link);
    PutBytes(2, IdBytes(l.span_id.bytes), &link);
    PutString(3, l.trace_state, &link);
    PutAttributes(4, l.attributes, &link);
    PutUint(5, l.dropped_attributes_count, &link);
    PutFixed32(6, l.flags, &link);
    PutBytes(13, link, &m);
  }
  PutUint(14, s.dropped_links_count, &m);
  if (s.status_code != SpanStatusCode::kUnset || !s.status_message.empty()) {
    std::string status;
    PutString(2, s.status_message, &status);
    PutUint(3, static_cast<std::uint64_t>(s.status_code), &status);
    PutBytes(15, status, &m);
  }
  PutFixed32(16, s.flags, &m);
  PutBytes(2, m, out);  // ScopeSpans.spans
}

}  // namespace

void EncodeTracesProto(TracesView traces, std::string* out) {
  PutRequest<TracesSchema>(traces, out, PutSpan);
}

}  // namespace otelpack::otlp

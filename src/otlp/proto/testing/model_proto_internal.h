// Test support, internal to model_proto*.cc: what converting and comparing
// the model and the libprotobuf messages needs for every signal (attribute
// values, ids, resources and scopes, and the comparison's vocabulary).
#ifndef OTELPACK_OTLP_PROTO_TESTING_MODEL_PROTO_INTERNAL_H_
#define OTELPACK_OTLP_PROTO_TESTING_MODEL_PROTO_INTERNAL_H_

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "opentelemetry/proto/common/v1/common.pb.h"
#include "opentelemetry/proto/resource/v1/resource.pb.h"
#include "otelpack/model.h"

namespace otelpack::otlp::testing::internal {

namespace common = ::opentelemetry::proto::common::v1;

template <std::size_t N>
std::string IdBytes(const std::array<std::uint8_t, N>& id) {
  return std::string(reinterpret_cast<const char*>(id.data()), N);
}

template <std::size_t N>
bool IsZero(const std::array<std::uint8_t, N>& id) {
  for (std::uint8_t b : id) {
    if (b != 0) return false;
  }
  return true;
}

// An id as SDKs send it: all zero (none) as an empty field.
template <std::size_t N>
std::string IdOrEmpty(const std::array<std::uint8_t, N>& id) {
  return IsZero(id) ? std::string() : IdBytes(id);
}

void ValueToProto(const AnyValue& v, common::AnyValue* out);

template <typename Repeated>
void AttributesToProto(Attributes attributes, Repeated* out) {
  for (const KeyValue& kv : attributes) {
    common::KeyValue* p = out->Add();
    p->set_key(std::string(kv.key));
    ValueToProto(kv.value, p->mutable_value());
  }
}

// What every ResourceSpans/Logs/Metrics and Scope* holds besides its list.
template <typename PbResourceGroup, typename ResourceGroup>
void ResourceGroupToProto(const ResourceGroup& in, PbResourceGroup* out) {
  AttributesToProto(in.resource.attributes, out->mutable_resource()->mutable_attributes());
  out->mutable_resource()->set_dropped_attributes_count(in.resource.dropped_attributes_count);
  out->set_schema_url(std::string(in.schema_url));
}

template <typename PbScopeGroup, typename ScopeGroup>
void ScopeGroupToProto(const ScopeGroup& in, PbScopeGroup* out) {
  common::InstrumentationScope* scope = out->mutable_scope();
  scope->set_name(std::string(in.scope.name));
  scope->set_version(std::string(in.scope.version));
  AttributesToProto(in.scope.attributes, scope->mutable_attributes());
  scope->set_dropped_attributes_count(in.scope.dropped_attributes_count);
  out->set_schema_url(std::string(in.schema_url));
}

// Collects the first difference between a message and the model, as a path.
class Differ {
 public:
  std::string Take() { return std::move(diff_); }
  bool failed() const { return !diff_.empty(); }

  void Fail(const std::string& path, const std::string& what) {
    if (diff_.empty()) diff_ = path + ": " + what;
  }

  void Str(const std::string& path, const std::string& proto, std::string_view model);

  template <typename A, typename B>
  void Num(const std::string& path, A proto, B model) {
    if (static_cast<std::uint64_t>(proto) != static_cast<std::uint64_t>(model)) {
      Fail(path, "proto " + std::to_string(proto) + " model " + std::to_string(model));
    }
  }

  // Bit for bit: NaN equals NaN, -0.0 differs from 0.0.
  void Double(const std::string& path, double proto, double model);
  void OptionalDouble(const std::string& path, bool proto_has, double proto, std::optional<double> model);

  // `empty_is_zero`: an empty id in the message is an all-zero one.
  template <std::size_t N>
  void Id(const std::string& path, const std::string& proto, const std::array<std::uint8_t, N>& model,
          bool empty_is_zero) {
    if (empty_is_zero && proto.empty() && IsZero(model)) return;
    if (proto != IdBytes(model)) Fail(path, "ids differ");
  }

  void Value(const std::string& path, const common::AnyValue& p, const AnyValue& m);

  template <typename Repeated>
  void Attrs(const std::string& path, const Repeated& p, Attributes m) {
    if (static_cast<std::size_t>(p.size()) != m.size()) {
      return Fail(path, "proto " + std::to_string(p.size()) + " attributes, model " + std::to_string(m.size()));
    }
    for (int i = 0; i < p.size() && !failed(); ++i) {
      const KeyValue& kv = m[static_cast<std::size_t>(i)];
      std::string at = path + "[" + std::to_string(i) + "]";
      Str(at + ".key", p[i].key(), kv.key);
      Value(at + ".value", p[i].value(), kv.value);
    }
  }

  // A list's sizes; false (and the difference noted) when they differ.
  template <typename Repeated, typename T>
  bool SameSize(const std::string& path, const Repeated& p, std::span<const T> m) {
    if (static_cast<std::size_t>(p.size()) == m.size()) return true;
    Fail(path, "proto " + std::to_string(p.size()) + " model " + std::to_string(m.size()));
    return false;
  }

  // Every element of a list, compared by `each(path, proto, model)`.
  template <typename Repeated, typename T, typename Each>
  void List(const std::string& path, const Repeated& p, std::span<const T> m, Each each) {
    if (!SameSize(path, p, m)) return;
    for (int i = 0; i < p.size() && !failed(); ++i) {
      each(path + "[" + std::to_string(i) + "]", p[i], m[static_cast<std::size_t>(i)]);
    }
  }

  // What every resource group and scope group holds besides its list.
  template <typename PbGroup, typename Group>
  void ResourceGroupFields(const std::string& path, const PbGroup& p, const Group& m) {
    Attrs(path + ".resource.attributes", p.resource().attributes(), m.resource.attributes);
    Num(path + ".resource.dropped_attributes_count", p.resource().dropped_attributes_count(),
        m.resource.dropped_attributes_count);
    Str(path + ".schema_url", p.schema_url(), m.schema_url);
  }

  template <typename PbGroup, typename Group>
  void ScopeGroupFields(const std::string& path, const PbGroup& p, const Group& m) {
    Str(path + ".scope.name", p.scope().name(), m.scope.name);
    Str(path + ".scope.version", p.scope().version(), m.scope.version);
    Attrs(path + ".scope.attributes", p.scope().attributes(), m.scope.attributes);
    Num(path + ".scope.dropped_attributes_count", p.scope().dropped_attributes_count(),
        m.scope.dropped_attributes_count);
    Str(path + ".schema_url", p.schema_url(), m.schema_url);
  }

 private:
  std::string diff_;
};

}  // namespace otelpack::otlp::testing::internal

#endif  // OTELPACK_OTLP_PROTO_TESTING_MODEL_PROTO_INTERNAL_H_

// Test support: random OTLP messages built with libprotobuf, for the
// cross-checks of every signal: attribute values of every type (nested,
// extreme numbers, NaN, empty strings, unset values), valid UTF-8 text, ids,
// resources and scopes, and unknown fields of every wire type, which a decoder
// must skip. The same seed gives the same message.
#ifndef OTELPACK_OTLP_PROTO_TESTING_RANDOM_PROTO_H_
#define OTELPACK_OTLP_PROTO_TESTING_RANDOM_PROTO_H_

#include <google/protobuf/message.h>

#include <cstdint>
#include <random>
#include <string>

#include "opentelemetry/proto/common/v1/common.pb.h"
#include "opentelemetry/proto/resource/v1/resource.pb.h"

namespace otelpack::otlp::testing {

class RandomProto {
 public:
  // `unknown_fields`: Unknown() adds some to half the messages it is given.
  RandomProto(std::uint64_t seed, bool unknown_fields) : rng_(seed), unknown_(unknown_fields) {}

  // Fills `request` with 1 to 3 resource groups (ResourceSpans, ...) of 0 to
  // 3 scope groups each; `records(scope_group)` adds one scope group's
  // records. `add_group(request)` and `add_scope_group(group)` add one.
  template <typename Request, typename AddGroup, typename AddScopeGroup, typename Records>
  void Groups(Request* request, AddGroup add_group, AddScopeGroup add_scope_group, Records records) {
    for (int r = Between(1, 3); r > 0; --r) {
      auto* group = add_group(request);
      if (Chance(0.9)) Resource(group->mutable_resource());
      if (Chance(0.5)) group->set_schema_url("https://opentelemetry.io/schemas/1.21.0");
      for (int s = Between(0, 3); s > 0; --s) {
        auto* scope_group = add_scope_group(group);
        if (Chance(0.8)) Scope(scope_group->mutable_scope());
        if (Chance(0.3)) scope_group->set_schema_url(Text());
        records(scope_group);
        Unknown(scope_group);
      }
      Unknown(group);
    }
    Unknown(request);
  }

  void Resource(::opentelemetry::proto::resource::v1::Resource* out);
  void Scope(::opentelemetry::proto::common::v1::InstrumentationScope* out);

  // 0 to 8 attributes at depth 0, 0 to 3 deeper.
  template <typename Repeated>
  void Attributes(Repeated* out, int depth = 0) {
    for (int i = Between(0, depth == 0 ? 8 : 3); i > 0; --i) {
      ::opentelemetry::proto::common::v1::KeyValue* kv = out->Add();
      kv->set_key(Text());
      if (Chance(0.95)) Value(kv->mutable_value(), depth);
      Unknown(kv);
    }
  }

  // Every field of a resource and of a scope set, none to its default.
  void EveryResourceField(::opentelemetry::proto::resource::v1::Resource* out);
  void EveryScopeField(::opentelemetry::proto::common::v1::InstrumentationScope* out);

  // One attribute of every value type, nested ones included.
  template <typename Repeated>
  void EveryValueType(Repeated* out) {
    for (int type = 0; type < 7; ++type) {
      ::opentelemetry::proto::common::v1::KeyValue* kv = out->Add();
      kv->set_key("type " + std::to_string(type));
      EveryValueTypeInto(type, kv->mutable_value());
    }
  }

  // Any value, arrays and key-value lists down to depth 4.
  void Value(::opentelemetry::proto::common::v1::AnyValue* v, int depth = 0);

  // Valid UTF-8 (proto3 requires it of strings): ASCII, escapes, multi-byte.
  std::string Text();
  // `n` random bytes, never all zero.
  std::string Id(int n);
  // A double, often a special one: 0, -0, infinities, NaN, the smallest, huge.
  double Double();
  // Adds unknown fields to half the messages, when asked to.
  void Unknown(google::protobuf::Message* m);

  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  std::uint32_t Below(std::uint32_t n) { return static_cast<std::uint32_t>(rng_() % n); }
  int Between(int lo, int hi) { return lo + static_cast<int>(Below(static_cast<std::uint32_t>(hi - lo + 1))); }
  std::uint64_t Bits() { return rng_(); }

 private:
  void EveryValueTypeInto(int type, ::opentelemetry::proto::common::v1::AnyValue* v);

  std::mt19937_64 rng_;
  bool unknown_;
};

}  // namespace otelpack::otlp::testing

#endif  // OTELPACK_OTLP_PROTO_TESTING_RANDOM_PROTO_H_

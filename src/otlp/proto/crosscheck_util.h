// The steps every signal's cross-check against libprotobuf takes
// (crosscheck_*_test.cc): decoding with limits no test data reaches, a
// request decoded as libprotobuf parses it, our encoding as libprotobuf's,
// every cut of a request refused exactly when libprotobuf refuses it,
// damaged requests that never crash the decoder.
#ifndef OTELPACK_OTLP_PROTO_CROSSCHECK_UTIL_H_
#define OTELPACK_OTLP_PROTO_CROSSCHECK_UTIL_H_

#include <gtest/gtest.h>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/stubs/logging.h>

#include <cstdint>
#include <cstdio>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "otelpack/arena.h"
#include "otlp/decode.h"
#include "otlp/proto/testing/model_proto.h"

namespace otelpack::otlp::crosscheck {

// Limits no test data reaches: decoding keeps everything.
constexpr DecodeLimits kKeepAll{.max_attributes = 1 << 20,
                                .max_events_per_span = 1 << 20,
                                .max_links_per_span = 1 << 20,
                                .max_value_bytes = 1 << 30,
                                .max_depth = 1000,
                                .max_exemplars = 1 << 20,
                                .max_buckets = 1 << 20};

template <typename View>
using DecodeFn = Result<Decoded<View>> (*)(std::string_view, Arena&, const DecodeLimits&);

// The fields of the message types reachable from `m`'s that `m` sets
// nowhere (a proto3 scalar is set when not zero), as full names: empty when
// `m` sets every field of every message at least once.
inline std::set<std::string> FieldsNeverSet(const google::protobuf::Message& m) {
  std::set<std::string> all, set;
  std::set<const google::protobuf::Descriptor*> seen;
  auto every_field = [&](auto& self, const google::protobuf::Descriptor* d) -> void {
    if (!seen.insert(d).second) return;
    for (int i = 0; i < d->field_count(); ++i) {
      all.insert(d->field(i)->full_name());
      if (d->field(i)->message_type() != nullptr) self(self, d->field(i)->message_type());
    }
  };
  auto set_fields = [&](auto& self, const google::protobuf::Message& message) -> void {
    const google::protobuf::Reflection* r = message.GetReflection();
    std::vector<const google::protobuf::FieldDescriptor*> fields;
    r->ListFields(message, &fields);
    for (const google::protobuf::FieldDescriptor* f : fields) {
      set.insert(f->full_name());
      if (f->message_type() == nullptr) continue;
      if (!f->is_repeated()) {
        self(self, r->GetMessage(message, f));
        continue;
      }
      for (int i = 0; i < r->FieldSize(message, f); ++i) self(self, r->GetRepeatedMessage(message, f, i));
    }
  };
  every_field(every_field, m.GetDescriptor());
  set_fields(set_fields, m);
  std::set<std::string> never;
  for (const std::string& name : all) {
    if (set.count(name) == 0) never.insert(name);
  }
  return never;
}

// `bytes`, a valid request, decoded by ours as libprotobuf parses it, and
// nothing left out. `what` names the case in failures.
template <typename Request, typename View>
void ExpectDecodedAsLibprotobuf(std::string_view bytes, DecodeFn<View> decode, std::size_t (*count)(View),
                                const std::string& what) {
  Request parsed;
  ASSERT_TRUE(testing::ParseRequest(bytes, &parsed)) << what << ": libprotobuf refuses it";
  Arena arena;
  Result<Decoded<View>> decoded = decode(bytes, arena, kKeepAll);
  ASSERT_TRUE(decoded.ok()) << what << ": " << decoded.status().ToString();
  EXPECT_EQ(decoded->rejected, 0u) << what << ": " << decoded->rejection;
  EXPECT_EQ(decoded->records, count(decoded->data)) << what;
  EXPECT_EQ(testing::DiffProtoAndModel(parsed, decoded->data), "") << what;
}

// What ours decodes from `bytes`, encoded by ours: libprotobuf parses it to
// the same model, and writes the very same bytes for that model.
template <typename Request, typename View>
void ExpectOurEncodingIsLibprotobufs(std::string_view bytes, DecodeFn<View> decode,
                                     void (*encode)(View, std::string*), const std::string& what) {
  Arena arena;
  Result<Decoded<View>> decoded = decode(bytes, arena, kKeepAll);
  ASSERT_TRUE(decoded.ok()) << what << ": " << decoded.status().ToString();
  std::string ours;
  encode(decoded->data, &ours);
  Request parsed;
  ASSERT_TRUE(testing::ParseRequest(ours, &parsed)) << what << ": libprotobuf refuses our encoding";
  EXPECT_EQ(testing::DiffProtoAndModel(parsed, decoded->data), "") << what;
  Request theirs;
  testing::ModelToProto(decoded->data, &theirs);
  EXPECT_TRUE(theirs.SerializeAsString() == ours) << what << ": the encodings differ";
}

// Every cut point of `bytes`: a prefix of a valid message is valid exactly
// when it ends between two top-level fields, and then it must decode to what
// libprotobuf parses.
template <typename Request, typename View>
void ExpectEveryCutAsLibprotobuf(std::string_view bytes, DecodeFn<View> decode) {
  // libprotobuf logs each string it finds cut inside a UTF-8 sequence.
  google::protobuf::LogHandler* previous = google::protobuf::SetLogHandler(nullptr);
  Arena arena;
  int accepted = 0;
  for (std::size_t cut = 0; cut <= bytes.size(); ++cut) {
    std::string_view prefix = bytes.substr(0, cut);
    Request parsed;
    const bool valid = testing::ParseRequest(prefix, &parsed);
    arena.Reset();
    Result<Decoded<View>> decoded = decode(prefix, arena, kKeepAll);
    if (!decoded.ok()) {
      EXPECT_EQ(decoded.status().code(), StatusCode::kInvalidArgument) << decoded.status().ToString();
      EXPECT_FALSE(decoded.status().message().empty());
    }
    ASSERT_EQ(decoded.ok(), valid) << "cut at " << cut << " of " << bytes.size() << ": "
                                   << (decoded.ok() ? "we accept" : decoded.status().ToString());
    if (valid) {
      ++accepted;
      ASSERT_EQ(testing::DiffProtoAndModel(parsed, decoded->data), "") << "cut at " << cut;
    }
  }
  google::protobuf::SetLogHandler(previous);
  EXPECT_GT(accepted, 1);
}

// 3000 copies of `valid` with 1 to 4 bytes changed, cut or inserted each:
// decoded or refused as invalid, never a crash; `count(data)` is what
// `records` says when decoded.
template <typename View>
void ExpectDamageNeverCrashes(const std::string& valid, std::uint64_t seed, DecodeFn<View> decode,
                              std::size_t (*count)(View)) {
  std::mt19937_64 rng(seed);
  Arena arena;
  int accepted = 0, refused = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string bytes = valid;
    const int damage = 1 + static_cast<int>(rng() % 4);
    for (int d = 0; d < damage; ++d) {
      const std::size_t at = rng() % bytes.size();
      switch (rng() % 3) {
        case 0:
          bytes[at] = static_cast<char>(rng());
          break;
        case 1:
          bytes.resize(at);
          break;
        default:
          bytes.insert(at, 1, static_cast<char>(rng()));
          break;
      }
      if (bytes.empty()) break;
    }
    arena.Reset();
    Result<Decoded<View>> decoded = decode(bytes, arena, DecodeLimits());
    if (decoded.ok()) {
      ++accepted;
      EXPECT_EQ(decoded->records, count(decoded->data));
    } else {
      ++refused;
      EXPECT_EQ(decoded.status().code(), StatusCode::kInvalidArgument) << decoded.status().ToString();
    }
  }
  EXPECT_GT(refused, 0);
  std::printf("damaged requests: %d decoded, %d refused\n", accepted, refused);
}

}  // namespace otelpack::otlp::crosscheck

#endif  // OTELPACK_OTLP_PROTO_CROSSCHECK_UTIL_H_

// Test support: random OTLP messages built with libprotobuf (random_proto.h).
#include "otlp/proto/testing/random_proto.h"

#include <google/protobuf/unknown_field_set.h>

#include <limits>

namespace otelpack::otlp::testing {

namespace common = ::opentelemetry::proto::common::v1;

void RandomProto::Resource(::opentelemetry::proto::resource::v1::Resource* out) {
  Attributes(out->mutable_attributes());
  out->set_dropped_attributes_count(Below(3));
  Unknown(out);
}

void RandomProto::Scope(common::InstrumentationScope* out) {
  out->set_name(Text());
  out->set_version(Text());
  Attributes(out->mutable_attributes());
  out->set_dropped_attributes_count(Below(3));
  Unknown(out);
}

void RandomProto::EveryResourceField(::opentelemetry::proto::resource::v1::Resource* out) {
  EveryValueType(out->mutable_attributes());
  out->set_dropped_attributes_count(2);
}

void RandomProto::EveryScopeField(common::InstrumentationScope* out) {
  out->set_name("io.opentelemetry.example");
  out->set_version("1.32.0");
  EveryValueType(out->mutable_attributes());
  out->set_dropped_attributes_count(1);
}

void RandomProto::Value(common::AnyValue* v, int depth) {
  switch (Below(depth < 4 ? 9 : 7)) {
    case 0:
      v->set_string_value(Text());
      break;
    case 1:
      v->set_bool_value(Chance(0.5));
      break;
    case 2: {
      const std::int64_t extremes[] = {0, -1, std::numeric_limits<std::int64_t>::min(),
                                       std::numeric_limits<std::int64_t>::max()};
      v->set_int_value(Chance(0.3) ? extremes[Below(4)] : static_cast<std::int64_t>(rng_()));
      break;
    }
    case 3:
      v->set_double_value(Double());
      break;
    case 4: {
      std::string b(Below(40), '\0');
      for (char& c : b) c = static_cast<char>(rng_());
      v->set_bytes_value(b);
      break;
    }
    case 5:
      v->set_string_value("");  // set, yet empty: still a string
      break;
    case 6:
      break;  // no value at all: empty
    case 7:
      for (int i = Between(0, 4); i > 0; --i) Value(v->mutable_array_value()->add_values(), depth + 1);
      if (v->value_case() != common::AnyValue::kArrayValue) v->mutable_array_value();
      Unknown(v->mutable_array_value());
      break;
    case 8:
      Attributes(v->mutable_kvlist_value()->mutable_values(), depth + 1);
      if (v->value_case() != common::AnyValue::kKvlistValue) v->mutable_kvlist_value();
      Unknown(v->mutable_kvlist_value());
      break;
  }
  Unknown(v);
}

void RandomProto::EveryValueTypeInto(int type, common::AnyValue* v) {
  switch (type) {
    case 0:
      v->set_string_value(Text() + "é");
      break;
    case 1:
      v->set_bool_value(true);
      break;
    case 2:
      v->set_int_value(-42);
      break;
    case 3:
      v->set_double_value(Double() + 0.5);
      break;
    case 4:
      v->set_bytes_value(std::string("\x00\xff", 2));
      break;
    case 5:
      v->mutable_array_value()->add_values()->set_int_value(1);
      break;
    default: {
      common::KeyValue* kv = v->mutable_kvlist_value()->add_values();
      kv->set_key("nested");
      kv->mutable_value()->set_string_value("value");
      break;
    }
  }
}

std::string RandomProto::Text() {
  static const char* const kPieces[] = {"GET /api/v1/orders", "http.method", "é", "日本語", "🙂",
                                        "\"quoted\"", "back\\slash", "tab\tnew\nline", "", "x"};
  std::string s;
  for (int i = Between(0, 3); i > 0; --i) s += kPieces[Below(10)];
  return s;
}

std::string RandomProto::Id(int n) {
  std::string id(static_cast<std::size_t>(n), '\0');
  for (char& c : id) c = static_cast<char>(rng_());
  id[0] = static_cast<char>(id[0] | 1);  // never all zero: a valid id
  return id;
}

double RandomProto::Double() {
  const double specials[] = {0.0, -0.0, std::numeric_limits<double>::infinity(),
                             -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN(),
                             std::numeric_limits<double>::denorm_min(), 1e308};
  return Chance(0.4) ? specials[Below(7)] : std::uniform_real_distribution<double>(-1e9, 1e9)(rng_);
}

// Unknown fields of every wire type protobuf still uses (groups are
// deprecated and no OTLP producer writes them).
void RandomProto::Unknown(google::protobuf::Message* m) {
  if (!unknown_ || !Chance(0.5)) return;
  google::protobuf::UnknownFieldSet* u = m->GetReflection()->MutableUnknownFields(m);
  const int base = 1000 + static_cast<int>(rng_() % 5000);
  u->AddVarint(base, rng_());
  u->AddFixed32(base + 1, static_cast<std::uint32_t>(rng_()));
  u->AddFixed64(base + 2, rng_());
  u->AddLengthDelimited(base + 3, "unknown \x01\x02 bytes");
  u->AddVarint(536870911, 1);  // the largest field number
}

}  // namespace otelpack::otlp::testing

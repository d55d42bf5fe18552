// The model's common part: attribute values, ids, resources and scopes,
// shared by every signal (traces.h, logs.h, metrics.h).
//
// Every type of the model is a *view*: strings are std::string_view and lists
// are std::span, pointing at storage owned by someone else (an otelpack::Arena,
// a decoded request body, the caller's own variables). A view is cheap to copy
// and never allocates. The storage must outlive every call that receives the
// view: Exporter::Export encodes the data before it returns, so the caller may
// free the storage as soon as Export has returned.
#ifndef OTELPACK_MODEL_COMMON_H_
#define OTELPACK_MODEL_COMMON_H_

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace otelpack {

struct KeyValue;

enum class ValueType : std::uint8_t {
  kEmpty = 0,  // an unset value; written as JSON null
  kString,
  kBool,
  kInt,        // int64
  kDouble,
  kBytes,      // arbitrary bytes; written as base64
  kArray,
  kKvList,     // a nested key-value list; written as a JSON object
};

// One attribute value of any OTLP type. 24 bytes, trivially copyable.
class AnyValue {
 public:
  constexpr AnyValue() : type_(ValueType::kEmpty), i_(0), size_(0) {}

  static constexpr AnyValue String(std::string_view s) { return Ref(ValueType::kString, s.data(), s.size()); }
  static constexpr AnyValue Bytes(std::string_view b) { return Ref(ValueType::kBytes, b.data(), b.size()); }
  static constexpr AnyValue Bool(bool b) { AnyValue v; v.type_ = ValueType::kBool; v.b_ = b; return v; }
  static constexpr AnyValue Int(std::int64_t i) { AnyValue v; v.type_ = ValueType::kInt; v.i_ = i; return v; }
  static constexpr AnyValue Double(double d) { AnyValue v; v.type_ = ValueType::kDouble; v.d_ = d; return v; }
  static AnyValue Array(std::span<const AnyValue> a) { return Ref(ValueType::kArray, a.data(), a.size()); }
  static AnyValue KvList(std::span<const KeyValue> kv) { return Ref(ValueType::kKvList, kv.data(), kv.size()); }

  ValueType type() const { return type_; }
  // Each accessor REQUIRES: type() is the matching type.
  bool bool_value() const { return b_; }
  std::int64_t int_value() const { return i_; }
  double double_value() const { return d_; }
  std::string_view string_value() const { return {static_cast<const char*>(ptr_), size_}; }  // kString, kBytes
  std::span<const AnyValue> array_value() const { return {static_cast<const AnyValue*>(ptr_), size_}; }
  std::span<const KeyValue> kvlist_value() const;

 private:
  static constexpr AnyValue Ref(ValueType t, const void* p, std::size_t n) {
    AnyValue v;
    v.type_ = t;
    v.ptr_ = p;
    v.size_ = n;
    return v;
  }

  ValueType type_;
  union {
    bool b_;
    std::int64_t i_;
    double d_;
    const void* ptr_;
  };
  std::size_t size_;
};

struct KeyValue {
  std::string_view key;
  AnyValue value;
};

inline std::span<const KeyValue> AnyValue::kvlist_value() const {
  return {static_cast<const KeyValue*>(ptr_), size_};
}

using Attributes = std::span<const KeyValue>;

struct TraceId {
  std::array<std::uint8_t, 16> bytes{};
  bool valid() const { for (auto b : bytes) if (b) return true; return false; }
};

struct SpanId {
  std::array<std::uint8_t, 8> bytes{};
  // All-zero means "no span": a root span's parent id is invalid.
  bool valid() const { for (auto b : bytes) if (b) return true; return false; }
};

struct Resource {
  Attributes attributes;
  std::uint32_t dropped_attributes_count = 0;
};

struct InstrumentationScope {
  std::string_view name;
  std::string_view version;
  Attributes attributes;
  std::uint32_t dropped_attributes_count = 0;
};

}  // namespace otelpack

#endif  // OTELPACK_MODEL_COMMON_H_

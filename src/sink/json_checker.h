// JsonChecker: the building blocks of the ingest body's schema check on
// simdjson's On-Demand API, shared by the body walk (validator.cc) and the
// three event schemas (span_schema.cc, log_schema.cc, metric_schema.cc).
//
// On-Demand only validates what it is asked to read, so every check reads its
// whole value with a typed getter: nothing is skipped, and a body that passes
// is valid JSON throughout. The checker keeps the path to the value being
// checked, so that an error names it ("events[3].buckets[1].le: expected
// number or null").
//
// Values are passed as od::value& everywhere: passed by value, the compiler
// builds the 24-byte iterator in pieces and reloads it whole in the callee, a
// store-forwarding stall at every call that made the check 40% slower.
#ifndef OTELPACK_SINK_JSON_CHECKER_H_
#define OTELPACK_SINK_JSON_CHECKER_H_

#include <simdjson.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/str_cat.h"
#include "otelpack/status.h"
#include "sink/validator.h"

namespace otelpack::sink {

namespace od = simdjson::ondemand;

// The position of `key` in `names`, or -1. The array form is for the hot
// path: with the names known at compile time the comparisons are inlined.
int FindName(std::span<const std::string_view> names, std::string_view key);
template <std::size_t N>
int FindName(const std::array<std::string_view, N>& names, std::string_view key) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == key) return static_cast<int>(i);
  }
  return -1;
}

// Not thread-safe; reused from body to body.
class JsonChecker {
 public:
  // Starts a body: an empty path, these limits (which must outlive the body).
  void Reset(const BodyLimits* limits) {
    limits_ = limits;
    path_.clear();
  }
  const BodyLimits& limits() const { return *limits_; }

  // Pushes a path segment for the lifetime of the scope. A key must outlive
  // the scope (keys point into the parser's unescaped strings).
  class Scope {
   public:
    Scope(JsonChecker* c, std::string_view key) : c_(c) { c_->path_.push_back({key, 0, false}); }
    Scope(JsonChecker* c, std::size_t index) : c_(c) { c_->path_.push_back({{}, index, true}); }
    ~Scope() { c_->path_.pop_back(); }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    JsonChecker* c_;
  };

  // Errors at the current path. Schema: the value breaks the schema.
  // Malformed: the text is not JSON. Error: simdjson's INCORRECT_TYPE is the
  // schema's "expected <what>", any other error malformed JSON.
  Status Schema(std::string_view what) const;
  Status Malformed(simdjson::error_code error) const;
  Status Error(simdjson::error_code error, std::string_view what) const;
  // A Schema error when `depth` (the body object is 1) is past the limit.
  Status Enter(int depth) const;

  // Each check reads the whole value, or refuses it with an error at the
  // current path.
  Status String(od::value& value, std::string_view* out);
  Status NonEmptyString(od::value& value, std::string_view* out);
  Status Bool(od::value& value);
  // Exactly `digits` lowercase hex digits.
  Status Hex(od::value& value, std::size_t digits, std::string_view* out);
  // `digits` lowercase hex digits but not all zero (the document writes an
  // absent id as null), or null: *out is then empty. An all-zero id is
  // refused with `all_zero_message`.
  Status HexOrNull(od::value& value, std::size_t digits, std::string_view all_zero_message,
                   std::string_view* out);
  // A string among `names`; *index is its position. Else Schema(expected).
  template <std::size_t N>
  Status Enum(od::value& value, const std::array<std::string_view, N>& names,
              std::string_view expected, int* index);
  // An integer in 0..2^63-1 (times, sent_at, dropped counts).
  Status NonNegativeInt(od::value& value, std::int64_t* out);
  // As NonNegativeInt, or null.
  Status NonNegativeIntOrNull(od::value& value, std::int64_t* out);
  // An integer in 0..2^64-1: OTLP's counts are uint64.
  Status Count(od::value& value);
  // An integer in -2^31..2^31-1: OTLP's int32 and enum fields.
  Status Int32(od::value& value);
  // Any number that is not negative.
  Status NonNegativeNumber(od::value& value);
  // A number (an integer must fit int64: the document writes a double that
  // happens to be integral with ".0") or null (no value, NaN, +-Inf).
  Status NumberOrNull(od::value& value);
  // Reads a null: *is_null false (nothing read) when the value is not null.
  Status Null(od::value& value, bool* is_null);
  // An attribute value (docs/wire-protocol.md, "Values"): string, bool, int64,
  // double, null, or an array or object of values, at `depth` and below.
  Status AnyValue(od::value& value, int depth) { return Value(value, depth, false); }
  // Any JSON value at `depth` and below, integers of any size included: the
  // members of a declared format's event, whose shapes the sink cannot know.
  Status AnyJson(od::value& value, int depth) { return Value(value, depth, true); }
  // An object of attribute values keyed by any string, at `depth`.
  Status Attributes(od::value& value, int depth);

  // An object at `depth`, each field visited by visit(key, value) with the
  // field's key on the path.
  template <typename Visit>
  Status Object(od::value& value, int depth, Visit visit);
  // An object at `depth` with exactly the fields `names` (any order), each
  // checked by check(index into names, value, depth of the value).
  template <std::size_t N, typename Check>
  Status FixedObject(od::value& value, int depth, const std::array<std::string_view, N>& names,
                     Check check);
  // An array at `depth`, each element checked by check(element, its depth).
  template <typename Check>
  Status Array(od::value& value, int depth, Check check);

 private:
  struct Segment {
    std::string_view key;  // empty with is_index
    std::size_t index = 0;
    bool is_index = false;
  };
  // kUint64: 2^63..2^64-1; kTooBig: an integer past that.
  enum class NumberKind { kInt64, kUint64, kTooBig, kDouble };
  // Reads a number (or refuses a value that is not one with "expected
  // <what>"); *as_int is set for kInt64, *as_double for kDouble.
  Status Number(od::value& value, std::string_view what, NumberKind* kind, std::int64_t* as_int,
                double* as_double);
  // Number without the check that the value is one: the caller has made it.
  Status ReadNumber(od::value& value, NumberKind* kind, std::int64_t* as_int, double* as_double);
  // Number refusing a double with "expected <what>".
  Status Integer(od::value& value, std::string_view what, NumberKind* kind, std::int64_t* out);
  Status NonNegativeInt(od::value& value, std::string_view what, std::int64_t* out);
  std::string Path() const;
  // AnyValue, or with `any_integer` AnyJson.
  Status Value(od::value& value, int depth, bool any_integer);

  const BodyLimits* limits_ = nullptr;
  std::vector<Segment> path_;
};

template <std::size_t N>
Status JsonChecker::Enum(od::value& value, const std::array<std::string_view, N>& names,
                         std::string_view expected, int* index) {
  std::string_view text;
  const simdjson::error_code e = value.get_string().get(text);
  if (e != simdjson::SUCCESS && e != simdjson::INCORRECT_TYPE) return Malformed(e);
  *index = e == simdjson::SUCCESS ? FindName(names, text) : -1;
  return *index >= 0 ? Status::Ok() : Schema(StrCat("expected ", expected));
}

template <typename Visit>
Status JsonChecker::Object(od::value& value, int depth, Visit visit) {
  if (Status s = Enter(depth); !s.ok()) return s;
  od::object object;
  if (auto e = value.get_object().get(object)) return Error(e, "object");
  for (auto field_result : object) {
    od::field field;
    if (auto e = std::move(field_result).get(field)) return Malformed(e);
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return Malformed(e);
    Scope scope(this, key);
    if (Status s = visit(key, field.value()); !s.ok()) return s;
  }
  return Status::Ok();
}

template <std::size_t N, typename Check>
Status JsonChecker::FixedObject(od::value& value, int depth,
                                const std::array<std::string_view, N>& names, Check check) {
  std::array<bool, N> seen{};
  Status s = Object(value, depth, [&](std::string_view key, od::value& v) {
    const int index = FindName(names, key);
    if (index < 0) return Schema("unknown field");
    if (seen[static_cast<std::size_t>(index)]) return Schema("duplicate field");
    seen[static_cast<std::size_t>(index)] = true;
    return check(index, v, depth + 1);
  });
  if (!s.ok()) return s;
  for (std::size_t i = 0; i < N; ++i) {
    if (!seen[i]) {
      Scope scope(this, names[i]);
      return Schema("missing");
    }
  }
  return Status::Ok();
}

template <typename Check>
Status JsonChecker::Array(od::value& value, int depth, Check check) {
  if (Status s = Enter(depth); !s.ok()) return s;
  od::array array;
  if (auto e = value.get_array().get(array)) return Error(e, "array");
  std::size_t index = 0;
  for (auto element : array) {
    Scope scope(this, index++);
    od::value item;
    if (auto e = element.get(item)) return Malformed(e);
    if (Status s = check(item, depth + 1); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace otelpack::sink

#endif  // OTELPACK_SINK_JSON_CHECKER_H_

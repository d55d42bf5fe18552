// The schema check's building blocks: path-naming errors and the value checks
// every event type shares.
#include "sink/json_checker.h"

#include <limits>
#include <utility>

#include "common/json_text.h"
#include "common/str_cat.h"

namespace otelpack::sink {
namespace {

bool IsPlainKey(std::string_view key) {
  if (key.empty() || key.size() > 64) return false;
  for (char c : key) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          c == '_')) {
      return false;
    }
  }
  return true;
}

}  // namespace

int FindName(std::span<const std::string_view> names, std::string_view key) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == key) return static_cast<int>(i);
  }
  return -1;
}

std::string JsonChecker::Path() const {
  std::string out;
  for (const Segment& s : path_) {
    if (s.is_index) {
      StrAppend(&out, "[", s.index, "]");
    } else if (IsPlainKey(s.key)) {
      if (!out.empty()) out.push_back('.');
      out.append(s.key);
    } else {
      out.push_back('[');
      AppendJsonString(&out, PrintableExcerpt(s.key));
      out.push_back(']');
    }
  }
  return out.empty() ? std::string("body") : out;
}

Status JsonChecker::Schema(std::string_view what) const {
  return Status::InvalidArgument(StrCat(Path(), ": ", what));
}

Status JsonChecker::Malformed(simdjson::error_code error) const {
  return Status::InvalidArgument(
      StrCat("malformed JSON at ", Path(), ": ", simdjson::error_message(error)));
}

Status JsonChecker::Error(simdjson::error_code error, std::string_view what) const {
  if (error == simdjson::INCORRECT_TYPE) return Schema(StrCat("expected ", what));
  return Malformed(error);
}

Status JsonChecker::Enter(int depth) const {
  if (depth > limits_->max_depth) {
    return Schema(StrCat("JSON nesting deeper than ", limits_->max_depth));
  }
  return Status::Ok();
}

Status JsonChecker::String(od::value& value, std::string_view* out) {
  if (auto e = value.get_string().get(*out)) return Error(e, "string");
  return Status::Ok();
}

Status JsonChecker::NonEmptyString(od::value& value, std::string_view* out) {
  if (Status s = String(value, out); !s.ok()) return s;
  return out->empty() ? Schema("expected a non-empty string") : Status::Ok();
}

Status JsonChecker::Bool(od::value& value) {
  od::json_type type;
  if (auto e = value.type().get(type)) return Malformed(e);
  if (type != od::json_type::boolean) return Schema("expected true or false");
  bool b;
  // Typed by its first letter: a bad literal ("tru") is malformed JSON.
  if (auto e = value.get_bool().get(b)) return Malformed(e);
  return Status::Ok();
}

Status JsonChecker::Hex(od::value& value, std::size_t digits, std::string_view* out) {
  const simdjson::error_code e = value.get_string().get(*out);
  if (e == simdjson::SUCCESS && IsLowerHex(*out, digits)) return Status::Ok();
  if (e != simdjson::SUCCESS && e != simdjson::INCORRECT_TYPE) return Malformed(e);
  return Schema(StrCat("expected ", digits, " lowercase hex digits"));
}

Status JsonChecker::HexOrNull(od::value& value, std::size_t digits,
                              std::string_view all_zero_message, std::string_view* out) {
  *out = {};
  bool is_null;
  if (Status s = Null(value, &is_null); !s.ok() || is_null) return s;
  const simdjson::error_code e = value.get_string().get(*out);
  if (e != simdjson::SUCCESS && e != simdjson::INCORRECT_TYPE) return Malformed(e);
  if (e != simdjson::SUCCESS || !IsLowerHex(*out, digits)) {
    return Schema(StrCat("expected ", digits, " lowercase hex digits or null"));
  }
  if (out->find_first_not_of('0') == std::string_view::npos) {
    return Schema(all_zero_message);
  }
  return Status::Ok();
}

Status JsonChecker::Number(od::value& value, std::string_view what, NumberKind* kind,
                           std::int64_t* as_int, double* as_double) {
  od::json_type json_type;
  if (auto e = value.type().get(json_type)) return Malformed(e);
  if (json_type != od::json_type::number) return Schema(StrCat("expected ", what));
  return ReadNumber(value, kind, as_int, as_double);
}

Status JsonChecker::ReadNumber(od::value& value, NumberKind* kind, std::int64_t* as_int,
                               double* as_double) {
  od::number_type type;
  if (auto e = value.get_number_type().get(type)) return Malformed(e);
  switch (type) {
    case od::number_type::floating_point_number:
      *kind = NumberKind::kDouble;
      if (auto e = value.get_double().get(*as_double)) return Malformed(e);
      return Status::Ok();
    case od::number_type::signed_integer:
      *kind = NumberKind::kInt64;
      if (auto e = value.get_int64().get(*as_int)) return Malformed(e);
      return Status::Ok();
    case od::number_type::unsigned_integer: {
      std::uint64_t u;
      // Past 2^64-1 simdjson reads no integer.
      *kind = value.get_uint64().get(u) == simdjson::SUCCESS ? NumberKind::kUint64
                                                             : NumberKind::kTooBig;
      return Status::Ok();
    }
  }
  *kind = NumberKind::kTooBig;
  return Status::Ok();
}

Status JsonChecker::Integer(od::value& value, std::string_view what, NumberKind* kind,
                            std::int64_t* out) {
  *out = 0;
  double d;
  if (Status s = Number(value, what, kind, out, &d); !s.ok()) return s;
  return *kind == NumberKind::kDouble ? Schema(StrCat("expected ", what)) : Status::Ok();
}

Status JsonChecker::NonNegativeInt(od::value& value, std::string_view what, std::int64_t* out) {
  NumberKind kind;
  if (Status s = Integer(value, what, &kind, out); !s.ok()) return s;
  if (kind != NumberKind::kInt64) return Schema("integer out of range");
  if (*out < 0) return Schema("expected a non-negative integer");
  return Status::Ok();
}

Status JsonChecker::NonNegativeInt(od::value& value, std::int64_t* out) {
  return NonNegativeInt(value, "integer", out);
}

Status JsonChecker::NonNegativeIntOrNull(od::value& value, std::int64_t* out) {
  *out = 0;
  bool is_null;
  if (Status s = Null(value, &is_null); !s.ok() || is_null) return s;
  return NonNegativeInt(value, "integer or null", out);
}

Status JsonChecker::Count(od::value& value) {
  NumberKind kind;
  std::int64_t i;
  if (Status s = Integer(value, "integer", &kind, &i); !s.ok()) return s;
  if (kind == NumberKind::kTooBig) return Schema("integer out of range");
  if (i < 0) return Schema("expected a non-negative integer");
  return Status::Ok();
}

Status JsonChecker::Int32(od::value& value) {
  NumberKind kind;
  std::int64_t i;
  if (Status s = Integer(value, "integer", &kind, &i); !s.ok()) return s;
  if (kind != NumberKind::kInt64 || i < std::numeric_limits<std::int32_t>::min() ||
      i > std::numeric_limits<std::int32_t>::max()) {
    return Schema("integer out of int32 range");
  }
  return Status::Ok();
}

Status JsonChecker::NonNegativeNumber(od::value& value) {
  NumberKind kind;
  std::int64_t i = 0;
  double d = 0;
  if (Status s = Number(value, "number", &kind, &i, &d); !s.ok()) return s;
  if (kind == NumberKind::kUint64 || kind == NumberKind::kTooBig) {
    return Schema("number out of range");
  }
  if (i < 0 || d < 0) return Schema("expected a non-negative number");
  return Status::Ok();
}

Status JsonChecker::NumberOrNull(od::value& value) {
  bool is_null;
  if (Status s = Null(value, &is_null); !s.ok() || is_null) return s;
  NumberKind kind;
  std::int64_t i;
  double d;
  if (Status s = Number(value, "number or null", &kind, &i, &d); !s.ok()) return s;
  if (kind == NumberKind::kUint64 || kind == NumberKind::kTooBig) {
    return Schema("integer out of int64 range");
  }
  return Status::Ok();
}

Status JsonChecker::Null(od::value& value, bool* is_null) {
  *is_null = false;
  od::json_type type;
  if (auto e = value.type().get(type)) return Malformed(e);
  if (type != od::json_type::null) return Status::Ok();
  bool null = false;
  if (auto e = value.is_null().get(null)) return Malformed(e);
  if (!null) return Malformed(simdjson::N_ATOM_ERROR);
  *is_null = true;
  return Status::Ok();
}

Status JsonChecker::Value(od::value& value, int depth, bool any_integer) {
  od::json_type type;
  if (auto e = value.type().get(type)) return Malformed(e);
  switch (type) {
    case od::json_type::object:
      if (!any_integer) return Attributes(value, depth);
      return Object(value, depth, [this, depth](std::string_view, od::value& v) { return AnyJson(v, depth + 1); });
    case od::json_type::array:
      return Array(value, depth, [this, any_integer](od::value& item, int d) { return Value(item, d, any_integer); });
    case od::json_type::number: {
      NumberKind kind;
      std::int64_t i;
      double d;
      if (Status s = ReadNumber(value, &kind, &i, &d); !s.ok()) return s;
      if (!any_integer && (kind == NumberKind::kUint64 || kind == NumberKind::kTooBig)) {
        return Schema("integer out of int64 range");
      }
      return Status::Ok();
    }
    case od::json_type::string: {
      std::string_view s;
      if (auto e = value.get_string().get(s)) return Malformed(e);
      return Status::Ok();
    }
    case od::json_type::boolean:
      return Bool(value);
    case od::json_type::null: {
      bool is_null;
      return Null(value, &is_null);
    }
  }
  return Malformed(simdjson::TAPE_ERROR);
}

Status JsonChecker::Attributes(od::value& value, int depth) {
  return Object(value, depth,
                [this, depth](std::string_view, od::value& v) { return AnyValue(v, depth + 1); });
}

}  // namespace otelpack::sink

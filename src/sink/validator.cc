// The schema check of an ingest body (docs/wire-protocol.md, "Body", "Span
// event", "Values"), on simdjson's On-Demand API.
//
// On-Demand only validates what it is asked to read, so the walker reads every
// value of the body with a typed getter: nothing is skipped, and each event is
// therefore fully checked, JSON syntax included. It also captures each event's
// raw text (object::raw_json, then reset() to walk it), which is what the store
// keeps: the event exactly as the sender wrote it.
#include "sink/validator.h"

#include <simdjson.h>

#include <array>
#include <string>
#include <utility>

#include "common/str_cat.h"
#include "common/json_text.h"

namespace otelpack::sink {

static_assert(kJsonPadding >= simdjson::SIMDJSON_PADDING, "callers must pad for simdjson");

namespace od = simdjson::ondemand;

bool IsLowerHex(std::string_view s, std::size_t n) {
  if (s.size() != n) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

namespace {

// The span event's fields: the twelve required ones first, then the optional
// extra fields.
enum EventField : int {
  kType, kTraceId, kSpanId, kParentSpanId, kService, kOperation, kStartTimeMs, kDurationMs,
  kStatus, kStatusMessage, kAttributes, kEvents,
  kKind, kTraceState, kLinks, kResource, kScope, kDropped,
  kEventFieldCount
};
constexpr int kRequiredEventFields = kEvents + 1;
constexpr std::array<std::string_view, kEventFieldCount> kEventFieldNames = {
    "type", "trace_id", "span_id", "parent_span_id", "service", "operation", "start_time_ms",
    "duration_ms", "status", "status_message", "attributes", "events",
    "kind", "trace_state", "links", "resource", "scope", "dropped"};

constexpr std::array<std::string_view, 3> kBodyFields = {"project_id", "events", "sent_at"};
constexpr std::array<std::string_view, 3> kSpanEventFields = {"name", "timestamp_ms", "attributes"};
constexpr std::array<std::string_view, 4> kLinkFields = {"trace_id", "span_id", "trace_state",
                                                         "attributes"};
constexpr std::array<std::string_view, 3> kScopeFields = {"name", "version", "attributes"};
constexpr std::array<std::string_view, 3> kDroppedFields = {"attributes", "events", "links"};
constexpr std::array<std::string_view, 6> kSpanKinds = {"unspecified", "internal", "server",
                                                        "client",      "producer", "consumer"};

template <std::size_t N>
int FindName(const std::array<std::string_view, N>& names, std::string_view key) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == key) return static_cast<int>(i);
  }
  return -1;
}

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

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' ||
                        s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

// Walks one body. Keeps the path to the value being checked so that an error
// can name it; the path's keys point into the parser's unescaped strings.
class Walker {
 public:
  explicit Walker(const BodyLimits& limits) : limits_(limits) {}

  Status Body(od::document& doc, IngestBody* out);

 private:
  struct Segment {
    std::string_view key;  // empty with is_index
    std::size_t index = 0;
    bool is_index = false;
  };
  // Pushes a path segment for the lifetime of the scope.
  class Scope {
   public:
    Scope(Walker* w, std::string_view key) : w_(w) { w_->path_.push_back({key, 0, false}); }
    Scope(Walker* w, std::size_t index) : w_(w) { w_->path_.push_back({{}, index, true}); }
    ~Scope() { w_->path_.pop_back(); }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    Walker* w_;
  };

  Status Event(od::value value, EventRecord* out);
  Status EventFieldValue(int field, od::value value, EventRecord* out);
  Status AnyValue(od::value value, int depth);
  Status Attributes(od::value value, int depth);
  Status SpanEvents(od::value value, int depth);
  Status Links(od::value value, int depth);
  template <std::size_t N, typename Check>
  Status FixedObject(od::value value, int depth, const std::array<std::string_view, N>& names,
                     Check check);

  Status String(od::value value, std::string_view* out);
  Status Hex(od::value value, std::size_t digits, std::string_view* out);
  Status NonNegativeInt(od::value value, std::int64_t* out);
  Status NonNegativeNumber(od::value value);
  Status Enter(int depth);

  std::string Path() const;
  // A schema violation at the current path.
  Status Schema(std::string_view what) const;
  // A simdjson error at the current path: INCORRECT_TYPE is the schema's
  // "expected <what>", anything else malformed JSON.
  Status Error(simdjson::error_code error, std::string_view what) const;
  Status Malformed(simdjson::error_code error) const;

  const BodyLimits& limits_;
  std::vector<Segment> path_;
};

std::string Walker::Path() const {
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

Status Walker::Schema(std::string_view what) const {
  return Status::InvalidArgument(StrCat(Path(), ": ", what));
}

Status Walker::Malformed(simdjson::error_code error) const {
  return Status::InvalidArgument(
      StrCat("malformed JSON at ", Path(), ": ", simdjson::error_message(error)));
}

Status Walker::Error(simdjson::error_code error, std::string_view what) const {
  if (error == simdjson::INCORRECT_TYPE) return Schema(StrCat("expected ", what));
  return Malformed(error);
}

Status Walker::Enter(int depth) {
  if (depth > limits_.max_depth) {
    return Schema(StrCat("JSON nesting deeper than ", limits_.max_depth));
  }
  return Status::Ok();
}

Status Walker::String(od::value value, std::string_view* out) {
  if (auto e = value.get_string().get(*out)) return Error(e, "string");
  return Status::Ok();
}

Status Walker::Hex(od::value value, std::size_t digits, std::string_view* out) {
  const simdjson::error_code e = value.get_string().get(*out);
  if (e == simdjson::SUCCESS && IsLowerHex(*out, digits)) return Status::Ok();
  if (e != simdjson::SUCCESS && e != simdjson::INCORRECT_TYPE) return Malformed(e);
  return Schema(StrCat("expected ", digits, " lowercase hex digits"));
}

Status Walker::NonNegativeInt(od::value value, std::int64_t* out) {
  od::json_type json_type;
  if (auto e = value.type().get(json_type)) return Malformed(e);
  if (json_type != od::json_type::number) return Schema("expected integer");
  od::number_type type;
  if (auto e = value.get_number_type().get(type)) return Malformed(e);
  if (type == od::number_type::floating_point_number) return Schema("expected integer");
  if (type != od::number_type::signed_integer) return Schema("integer out of range");
  if (auto e = value.get_int64().get(*out)) return Malformed(e);
  if (*out < 0) return Schema("expected a non-negative integer");
  return Status::Ok();
}

Status Walker::NonNegativeNumber(od::value value) {
  od::json_type json_type;
  if (auto e = value.type().get(json_type)) return Malformed(e);
  if (json_type != od::json_type::number) return Schema("expected number");
  od::number_type type;
  if (auto e = value.get_number_type().get(type)) return Malformed(e);
  if (type == od::number_type::floating_point_number) {
    double d;
    if (auto e = value.get_double().get(d)) return Malformed(e);
    if (d < 0) return Schema("expected a non-negative number");
  } else if (type == od::number_type::signed_integer) {
    std::int64_t i;
    if (auto e = value.get_int64().get(i)) return Malformed(e);
    if (i < 0) return Schema("expected a non-negative number");
  } else {
    return Schema("number out of range");
  }
  return Status::Ok();
}

// An attribute value (docs/wire-protocol.md, "Values"): string, bool, int64,
// double, null, or an array or object of values.
Status Walker::AnyValue(od::value value, int depth) {
  od::json_type type;
  if (auto e = value.type().get(type)) return Malformed(e);
  switch (type) {
    case od::json_type::object:
      return Attributes(value, depth);
    case od::json_type::array: {
      if (Status s = Enter(depth); !s.ok()) return s;
      od::array array;
      if (auto e = value.get_array().get(array)) return Malformed(e);
      std::size_t index = 0;
      for (auto element : array) {
        Scope scope(this, index++);
        od::value item;
        if (auto e = element.get(item)) return Malformed(e);
        if (Status s = AnyValue(item, depth + 1); !s.ok()) return s;
      }
      return Status::Ok();
    }
    case od::json_type::number: {
      od::number_type number;
      if (auto e = value.get_number_type().get(number)) return Malformed(e);
      if (number == od::number_type::floating_point_number) {
        double d;
        if (auto e = value.get_double().get(d)) return Malformed(e);
      } else if (number == od::number_type::signed_integer) {
        std::int64_t i;
        if (auto e = value.get_int64().get(i)) return Malformed(e);
      } else {
        return Schema("integer out of int64 range");
      }
      return Status::Ok();
    }
    case od::json_type::string: {
      std::string_view s;
      if (auto e = value.get_string().get(s)) return Malformed(e);
      return Status::Ok();
    }
    case od::json_type::boolean: {
      bool b;
      if (auto e = value.get_bool().get(b)) return Malformed(e);
      return Status::Ok();
    }
    case od::json_type::null: {
      bool is_null = false;
      if (auto e = value.is_null().get(is_null)) return Malformed(e);
      if (!is_null) return Malformed(simdjson::N_ATOM_ERROR);
      return Status::Ok();
    }
  }
  return Malformed(simdjson::TAPE_ERROR);
}

// An object of attribute values, keyed by any string.
Status Walker::Attributes(od::value value, int depth) {
  if (Status s = Enter(depth); !s.ok()) return s;
  od::object object;
  if (auto e = value.get_object().get(object)) return Error(e, "object");
  for (auto field_result : object) {
    od::field field;
    if (auto e = std::move(field_result).get(field)) return Malformed(e);
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return Malformed(e);
    Scope scope(this, key);
    if (Status s = AnyValue(field.value(), depth + 1); !s.ok()) return s;
  }
  return Status::Ok();
}

// An object with exactly the fields `names` (any order), each checked by
// check(index into names, value, depth of the value).
template <std::size_t N, typename Check>
Status Walker::FixedObject(od::value value, int depth, const std::array<std::string_view, N>& names,
                           Check check) {
  if (Status s = Enter(depth); !s.ok()) return s;
  od::object object;
  if (auto e = value.get_object().get(object)) return Error(e, "object");
  std::array<bool, N> seen{};
  for (auto field_result : object) {
    od::field field;
    if (auto e = std::move(field_result).get(field)) return Malformed(e);
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return Malformed(e);
    Scope scope(this, key);
    const int index = FindName(names, key);
    if (index < 0) return Schema("unknown field");
    if (seen[static_cast<std::size_t>(index)]) return Schema("duplicate field");
    seen[static_cast<std::size_t>(index)] = true;
    if (Status s = check(index, field.value(), depth + 1); !s.ok()) return s;
  }
  for (std::size_t i = 0; i < N; ++i) {
    if (!seen[i]) {
      Scope scope(this, names[i]);
      return Schema("missing");
    }
  }
  return Status::Ok();
}

// "events": [{"name": string, "timestamp_ms": integer, "attributes": object}]
Status Walker::SpanEvents(od::value value, int depth) {
  if (Status s = Enter(depth); !s.ok()) return s;
  od::array array;
  if (auto e = value.get_array().get(array)) return Error(e, "array");
  std::size_t index = 0;
  for (auto element : array) {
    Scope scope(this, index++);
    od::value item;
    if (auto e = element.get(item)) return Malformed(e);
    Status s = FixedObject(item, depth + 1, kSpanEventFields, [this](int f, od::value v, int d) {
      std::string_view name;
      std::int64_t timestamp;
      switch (f) {
        case 0: return String(v, &name);
        case 1: return NonNegativeInt(v, &timestamp);
        default: return Attributes(v, d);
      }
    });
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

// "links": [{"trace_id": hex32, "span_id": hex16, "trace_state": string, "attributes": object}]
Status Walker::Links(od::value value, int depth) {
  if (Status s = Enter(depth); !s.ok()) return s;
  od::array array;
  if (auto e = value.get_array().get(array)) return Error(e, "array");
  std::size_t index = 0;
  for (auto element : array) {
    Scope scope(this, index++);
    od::value item;
    if (auto e = element.get(item)) return Malformed(e);
    Status s = FixedObject(item, depth + 1, kLinkFields, [this](int f, od::value v, int d) {
      std::string_view text;
      switch (f) {
        case 0: return Hex(v, 32, &text);
        case 1: return Hex(v, 16, &text);
        case 2: return String(v, &text);
        default: return Attributes(v, d);
      }
    });
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

// `value` is at event depth + 1.
Status Walker::EventFieldValue(int field, od::value value, EventRecord* out) {
  constexpr int kDepth = 4;
  std::string_view text;
  switch (field) {
    case kType:
      if (Status s = String(value, &text); !s.ok()) return s;
      return text == "span" ? Status::Ok() : Schema("expected \"span\"");
    case kTraceId: return Hex(value, 32, &out->trace_id);
    case kSpanId: return Hex(value, 16, &out->span_id);
    case kParentSpanId: {
      od::json_type type;
      if (auto e = value.type().get(type)) return Malformed(e);
      if (type == od::json_type::null) {
        bool is_null = false;
        if (auto e = value.is_null().get(is_null)) return Malformed(e);
        return is_null ? Status::Ok() : Malformed(simdjson::N_ATOM_ERROR);
      }
      if (type != od::json_type::string || !Hex(value, 16, &text).ok()) {
        return Schema("expected 16 lowercase hex digits or null");
      }
      if (text == "0000000000000000") return Schema("a root span's parent must be null");
      return Status::Ok();
    }
    case kService: return String(value, &out->service);
    case kOperation: return String(value, &out->operation);
    case kStartTimeMs: return NonNegativeInt(value, &out->start_time_ms);
    case kDurationMs: return NonNegativeNumber(value);
    case kStatus:
      if (Status s = String(value, &text); !s.ok()) return s;
      return text == "ok" || text == "error" ? Status::Ok()
                                             : Schema("expected \"ok\" or \"error\"");
    case kStatusMessage: return String(value, &text);
    case kAttributes: return Attributes(value, kDepth);
    case kEvents: return SpanEvents(value, kDepth);
    case kKind:
      if (Status s = String(value, &text); !s.ok()) return s;
      return FindName(kSpanKinds, text) >= 0
                 ? Status::Ok()
                 : Schema("expected unspecified, internal, server, client, producer or consumer");
    case kTraceState: return String(value, &text);
    case kLinks: return Links(value, kDepth);
    case kResource: return Attributes(value, kDepth);
    case kScope:
      return FixedObject(value, kDepth, kScopeFields, [this](int f, od::value v, int d) {
        std::string_view s;
        return f < 2 ? String(v, &s) : Attributes(v, d);
      });
    case kDropped:
      return FixedObject(value, kDepth, kDroppedFields, [this](int, od::value v, int) {
        std::int64_t count;
        return NonNegativeInt(v, &count);
      });
    default:
      return Schema("unknown field");
  }
}

// One span event (depth 3).
Status Walker::Event(od::value value, EventRecord* out) {
  if (Status s = Enter(3); !s.ok()) return s;
  od::object object;
  if (auto e = value.get_object().get(object)) return Error(e, "object");
  // Take the raw text first (this skips to the end of the object), then rewind
  // and check every field.
  std::string_view raw;
  if (auto e = object.raw_json().get(raw)) return Malformed(e);
  out->json = Trim(raw);
  if (auto e = object.reset().error()) return Malformed(e);

  std::array<bool, kEventFieldCount> seen{};
  for (auto field_result : object) {
    od::field field;
    if (auto e = std::move(field_result).get(field)) return Malformed(e);
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return Malformed(e);
    Scope scope(this, key);
    const int index = FindName(kEventFieldNames, key);
    if (index < 0) return Schema("unknown field");
    if (seen[static_cast<std::size_t>(index)]) return Schema("duplicate field");
    seen[static_cast<std::size_t>(index)] = true;
    if (Status s = EventFieldValue(index, field.value(), out); !s.ok()) return s;
  }
  for (int i = 0; i < kRequiredEventFields; ++i) {
    if (!seen[static_cast<std::size_t>(i)]) {
      Scope scope(this, kEventFieldNames[static_cast<std::size_t>(i)]);
      return Schema("missing");
    }
  }
  return Status::Ok();
}

Status Walker::Body(od::document& doc, IngestBody* out) {
  od::object root;
  if (auto e = doc.get_object().get(root)) {
    return e == simdjson::INCORRECT_TYPE ? Schema("expected a JSON object") : Malformed(e);
  }
  std::array<bool, kBodyFields.size()> seen{};
  for (auto field_result : root) {
    od::field field;
    if (auto e = std::move(field_result).get(field)) return Malformed(e);
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return Malformed(e);
    Scope scope(this, key);
    const int index = FindName(kBodyFields, key);
    if (index < 0) return Schema("unknown field");
    if (seen[static_cast<std::size_t>(index)]) return Schema("duplicate field");
    seen[static_cast<std::size_t>(index)] = true;
    od::value value = field.value();
    if (index == 0) {
      if (Status s = String(value, &out->project_id); !s.ok()) return s;
    } else if (index == 2) {
      if (Status s = NonNegativeInt(value, &out->sent_at); !s.ok()) return s;
    } else {
      if (Status s = Enter(2); !s.ok()) return s;
      od::array events;
      if (auto e = value.get_array().get(events)) return Error(e, "array");
      for (auto element : events) {
        if (out->events.size() >= limits_.max_events) {
          return Status::TooLarge(
              StrCat("events: more than ", limits_.max_events, " events in one request"));
        }
        Scope item_scope(this, out->events.size());
        od::value item;
        if (auto e = element.get(item)) return Malformed(e);
        EventRecord record;
        if (Status s = Event(item, &record); !s.ok()) return s;
        out->events.push_back(record);
      }
    }
  }
  for (std::size_t i = 0; i < kBodyFields.size(); ++i) {
    if (!seen[i]) {
      Scope scope(this, kBodyFields[i]);
      return Schema("missing");
    }
  }
  // Anything but whitespace after the body object is malformed.
  if (!doc.current_location().error()) {
    return Status::InvalidArgument("malformed JSON: content after the body object");
  }
  return Status::Ok();
}

}  // namespace

struct BodyParser::Impl {
  od::parser parser;
};

BodyParser::BodyParser() : impl_(std::make_unique<Impl>()) {}
BodyParser::~BodyParser() = default;

Status BodyParser::Parse(std::string_view json, const BodyLimits& limits, IngestBody* body) {
  body->project_id = {};
  body->sent_at = 0;
  body->events.clear();
  od::document doc;
  if (auto e = impl_->parser.iterate(json.data(), json.size(), json.size() + kJsonPadding).get(doc)) {
    return Status::InvalidArgument(StrCat("malformed JSON: ", simdjson::error_message(e)));
  }
  Walker walker(limits);
  return walker.Body(doc, body);
}

}  // namespace otelpack::sink

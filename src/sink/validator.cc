// The ingest body's walk (docs/wire-protocol.md, "Body"): the body's own
// fields, then each event, checked against the schema its "type" names
// (span_schema.cc, log_schema.cc, metric_schema.cc) with the building blocks
// of json_checker.h.
//
// Each event's raw text is captured first (object::raw_json, then reset() to
// walk it): the store keeps the event exactly as the sender wrote it.
#include "sink/validator.h"

#include <simdjson.h>

#include <array>
#include <memory>
#include <utility>

#include "common/str_cat.h"
#include "sink/event_schema.h"
#include "sink/json_checker.h"

namespace otelpack::sink {

static_assert(kJsonPadding >= simdjson::SIMDJSON_PADDING, "callers must pad for simdjson");

namespace {

// kIsLowerHexDigit[c]: c is one of 0-9a-f.
constexpr std::array<bool, 256> kIsLowerHexDigit = [] {
  std::array<bool, 256> table{};
  for (char c : std::string_view("0123456789abcdef")) table[static_cast<unsigned char>(c)] = true;
  return table;
}();

}  // namespace

// Without a branch per digit: every span has 64 of them or more, and a
// branch per digit made this a tenth of the time spent checking a body.
bool IsLowerHex(std::string_view s, std::size_t n) {
  if (s.size() != n) return false;
  bool all = true;
  for (char c : s) all &= kIsLowerHexDigit[static_cast<unsigned char>(c)];
  return all;
}

EventCounts CountByType(std::span<const EventRecord> events) {
  EventCounts counts;
  for (const EventRecord& e : events) ++counts[e.type];
  return counts;
}

Status EventSchema::Scope(od::value& value) {
  return c_.FixedObject(value, kEventFieldDepth, kScopeFields, [this](int f, od::value& v, int d) {
    std::string_view s;
    return f < 2 ? c_.String(v, &s) : c_.Attributes(v, d);
  });
}

Status EventSchema::CheckFieldSet(std::uint32_t seen, std::uint32_t required,
                                  std::uint32_t allowed, std::string_view what) {
  if ((seen & required) == required && (seen & ~allowed) == 0) return Status::Ok();
  const std::span<const std::string_view> names = Fields();
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::uint32_t bit = std::uint32_t{1} << i;
    if ((required & bit) != 0 && (seen & bit) == 0) {
      JsonChecker::Scope scope(&c_, names[i]);
      return c_.Schema("missing");
    }
  }
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::uint32_t bit = std::uint32_t{1} << i;
    if ((seen & bit) != 0 && (allowed & bit) == 0) {
      JsonChecker::Scope scope(&c_, names[i]);
      return c_.Schema(StrCat("not a field of ", what));
    }
  }
  return Status::Ok();
}

namespace {

constexpr std::array<std::string_view, 3> kBodyFields = {"project_id", "events", "sent_at"};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' ||
                        s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

// Walks one body, refusing it at the first problem.
class BodyWalker {
 public:
  BodyWalker() {
    schemas_[static_cast<std::size_t>(EventType::kSpan)] = NewSpanSchema(&c_);
    schemas_[static_cast<std::size_t>(EventType::kLog)] = NewLogSchema(&c_);
    schemas_[static_cast<std::size_t>(EventType::kMetric)] = NewMetricSchema(&c_);
  }

  Status Body(od::document& doc, const BodyLimits& limits, IngestBody* out);

 private:
  Status Events(od::value& value, IngestBody* out);
  Status Event(od::value& value, EventRecord* out);
  // The schema an event's "type" names: from its value, or from the event
  // `object` (walking it up to its "type").
  Status TypeOf(od::value& value, EventSchema** schema);
  Status FindType(od::object& object, EventSchema** schema);
  // A field the event's type does not have: "unknown field", or "not a field
  // of a log event" when another type has it.
  Status UnknownField(std::string_view key, EventType type) const;

  JsonChecker c_;
  std::array<std::unique_ptr<EventSchema>, kEventTypeCount> schemas_;
};

Status BodyWalker::UnknownField(std::string_view key, EventType type) const {
  for (const auto& schema : schemas_) {
    if (FindName(schema->Fields(), key) >= 0) {
      return c_.Schema(StrCat("not a field of a ", EventTypeName(type), " event"));
    }
  }
  return c_.Schema("unknown field");
}

Status BodyWalker::TypeOf(od::value& value, EventSchema** schema) {
  int index = -1;
  if (Status s = c_.Enum(value, kEventTypeNames, "\"span\", \"log\" or \"metric\"", &index);
      !s.ok()) {
    return s;
  }
  *schema = schemas_[static_cast<std::size_t>(index)].get();
  return Status::Ok();
}

Status BodyWalker::FindType(od::object& object, EventSchema** schema) {
  for (auto field_result : object) {
    od::field field;
    if (auto e = std::move(field_result).get(field)) return c_.Malformed(e);
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return c_.Malformed(e);
    if (key != "type") continue;
    JsonChecker::Scope scope(&c_, key);
    return TypeOf(field.value(), schema);
  }
  JsonChecker::Scope scope(&c_, "type");
  return c_.Schema("missing");
}

// One event (depth 3).
Status BodyWalker::Event(od::value& value, EventRecord* out) {
  if (Status s = c_.Enter(kEventDepth); !s.ok()) return s;
  od::object object;
  if (auto e = value.get_object().get(object)) return c_.Error(e, "object");
  // Take the raw text first (this skips to the end of the object), then rewind
  // to check every field.
  std::string_view raw;
  if (auto e = object.raw_json().get(raw)) return c_.Malformed(e);
  out->json = Trim(raw);
  if (auto e = object.reset().error()) return c_.Malformed(e);

  // The type chooses the schema. otelpack writes it first, so it is read in
  // passing; anywhere else it is looked for, and the walk starts over.
  EventSchema* schema = nullptr;
  std::uint32_t seen = 0;
  od::object_iterator it;
  od::object_iterator end;
  if (auto e = object.begin().get(it)) return c_.Malformed(e);
  if (auto e = object.end().get(end)) return c_.Malformed(e);
  if (it != end) {
    od::field field;
    if (auto e = (*it).get(field)) return c_.Malformed(e);
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return c_.Malformed(e);
    if (key == "type") {
      JsonChecker::Scope scope(&c_, key);
      if (Status s = TypeOf(field.value(), &schema); !s.ok()) return s;
      seen = std::uint32_t{1} << schema->FieldId(key);
      ++it;
    }
  }
  if (schema == nullptr) {
    if (auto e = object.reset().error()) return c_.Malformed(e);
    if (Status s = FindType(object, &schema); !s.ok()) return s;
    if (auto e = object.reset().error()) return c_.Malformed(e);
    if (auto e = object.begin().get(it)) return c_.Malformed(e);
  }

  schema->Begin(out);
  for (; it != end; ++it) {
    od::field field;
    if (auto e = (*it).get(field)) return c_.Malformed(e);
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return c_.Malformed(e);
    JsonChecker::Scope scope(&c_, key);
    const int id = schema->FieldId(key);
    if (id < 0) return UnknownField(key, out->type);
    const std::uint32_t bit = std::uint32_t{1} << id;
    if ((seen & bit) != 0) return c_.Schema("duplicate field");
    seen |= bit;
    if (Status s = schema->Field(id, field.value(), out); !s.ok()) return s;
  }
  return schema->End(seen);
}

Status BodyWalker::Events(od::value& value, IngestBody* out) {
  if (Status s = c_.Enter(2); !s.ok()) return s;
  od::array events;
  if (auto e = value.get_array().get(events)) return c_.Error(e, "array");
  for (auto element : events) {
    if (out->events.size() >= c_.limits().max_events) {
      return Status::TooLarge(
          StrCat("events: more than ", c_.limits().max_events, " events in one request"));
    }
    JsonChecker::Scope item_scope(&c_, out->events.size());
    od::value item;
    if (auto e = element.get(item)) return c_.Malformed(e);
    EventRecord record;
    if (Status s = Event(item, &record); !s.ok()) return s;
    out->events.push_back(record);
  }
  return Status::Ok();
}

Status BodyWalker::Body(od::document& doc, const BodyLimits& limits, IngestBody* out) {
  c_.Reset(&limits);
  od::object root;
  if (auto e = doc.get_object().get(root)) {
    return e == simdjson::INCORRECT_TYPE ? c_.Schema("expected a JSON object") : c_.Malformed(e);
  }
  std::array<bool, kBodyFields.size()> seen{};
  for (auto field_result : root) {
    od::field field;
    if (auto e = std::move(field_result).get(field)) return c_.Malformed(e);
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return c_.Malformed(e);
    JsonChecker::Scope scope(&c_, key);
    const int index = FindName(kBodyFields, key);
    if (index < 0) return c_.Schema("unknown field");
    if (seen[static_cast<std::size_t>(index)]) return c_.Schema("duplicate field");
    seen[static_cast<std::size_t>(index)] = true;
    od::value value = field.value();
    Status s = index == 0   ? c_.String(value, &out->project_id)
               : index == 2 ? c_.NonNegativeInt(value, &out->sent_at)
                            : Events(value, out);
    if (!s.ok()) return s;
  }
  for (std::size_t i = 0; i < kBodyFields.size(); ++i) {
    if (!seen[i]) {
      JsonChecker::Scope scope(&c_, kBodyFields[i]);
      return c_.Schema("missing");
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
  BodyWalker walker;
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
  return impl_->walker.Body(doc, limits, body);
}

}  // namespace otelpack::sink

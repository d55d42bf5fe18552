// The body reader of a declared format (declared_shape.h): the body split by
// its framing (the envelope's events array at its declared key, one object a
// line, or a JSON array), then each event: a JSON object holding every key
// the declaration always writes, valid JSON throughout (every value is read:
// simdjson's On-Demand validates only what it reads), its signal told by the
// route or by the route's discriminating literal, and its service and name
// read from the keys the declaration puts them in.
//
// The sink cannot check more without re-running the templates: the types
// and formats of values, keys that may be left out, flattened maps.
#include <simdjson.h>

#include <algorithm>
#include <deque>
#include <string>

#include "common/json_text.h"
#include "common/str_cat.h"
#include "sink/declared_shape.h"
#include "sink/json_checker.h"

namespace otelpack::sink {
namespace {

namespace fd = format::declared;

std::string_view TrimEnd(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

EventType TypeOf(Signal s) {
  switch (s) {
    case Signal::kTraces: return EventType::kSpan;
    case Signal::kLogs: return EventType::kLog;
    case Signal::kMetrics: break;
  }
  return EventType::kMetric;
}

class DeclaredReader final : public BodyReader {
 public:
  explicit DeclaredReader(std::shared_ptr<const DeclaredShape> shape) : shape_(std::move(shape)) {}

  Status Read(std::string_view json, const IngestRoute& route, IngestBody* body) override {
    body->project_id = shape_->project_id;
    body->sent_at = 0;
    body->events.clear();
    strings_.clear();
    route_ = &shape_->routes[static_cast<std::size_t>(route.route)];
    c_.Reset(&shape_->limits);
    switch (shape_->framing) {
      case fd::Framing::kNdjson: return Lines(json, body);
      case fd::Framing::kArray: return Whole(json, body, false);
      case fd::Framing::kEnvelope: break;
    }
    return Whole(json, body, true);
  }

 private:
  // One JSON document: the array of events, or the envelope around them.
  Status Whole(std::string_view json, IngestBody* body, bool envelope) {
    od::document doc;
    if (auto e = parser_.iterate(json.data(), json.size(), json.size() + kJsonPadding).get(doc)) {
      return Status::InvalidArgument(StrCat("malformed JSON: ", simdjson::error_message(e)));
    }
    od::value root;
    if (auto e = doc.get_value().get(root)) return c_.Malformed(e);
    if (Status s = envelope ? Envelope(root, 1, 0, body) : NamedEvents(root, body); !s.ok()) return s;
    if (!doc.current_location().error()) {
      return Status::InvalidArgument("malformed JSON: content after the body's JSON value");
    }
    return Status::Ok();
  }

  // One event a line; the last line ends in '\n' or not.
  Status Lines(std::string_view json, IngestBody* body) {
    std::size_t start = 0;
    while (start < json.size()) {
      std::size_t end = json.find('\n', start);
      if (end == std::string_view::npos) end = json.size();
      const std::string_view line = json.substr(start, end - start);
      JsonChecker::Scope scope(&c_, "events");
      JsonChecker::Scope item(&c_, body->events.size());
      if (TrimEnd(line).empty()) return c_.Schema("an empty line (NDJSON: one event a line)");
      if (Status s = Limit(body); !s.ok()) return s;
      // The parser may read past the line: the body's padding follows it.
      od::document doc;
      if (auto e = parser_.iterate(line.data(), line.size(), json.size() - start + kJsonPadding).get(doc)) {
        return c_.Malformed(e);
      }
      od::value value;
      if (auto e = doc.get_value().get(value)) return c_.Malformed(e);
      EventRecord record;
      if (Status s = Event(value, 1, &record); !s.ok()) return s;
      if (!doc.current_location().error()) return c_.Schema("more than one JSON value on the line");
      body->events.push_back(record);
      start = end + 1;
    }
    return Status::Ok();
  }

  // The envelope's object at `depth`, `level` keys down the events' path.
  Status Envelope(od::value& value, int depth, std::size_t level, IngestBody* body) {
    const fd::EnvelopeKeys& keys = *shape_->envelope;
    std::vector<bool> seen(level == 0 ? keys.others.size() : 0);
    bool events = false;
    Status s = c_.Object(value, depth, [&](std::string_view key, od::value& v) {
      if (key == keys.events_path[level]) {
        events = true;
        return level + 1 == keys.events_path.size() ? Events(v, depth + 1, body)
                                                    : Envelope(v, depth + 1, level + 1, body);
      }
      if (level == 0) {
        const auto it = std::find(keys.others.begin(), keys.others.end(), key);
        if (it != keys.others.end()) seen[static_cast<std::size_t>(it - keys.others.begin())] = true;
        if (std::find(keys.project_keys.begin(), keys.project_keys.end(), key) != keys.project_keys.end()) {
          return Project(v);
        }
      }
      return c_.AnyJson(v, depth + 1);
    });
    if (!s.ok()) return s;
    if (!events) {
      JsonChecker::Scope scope(&c_, keys.events_path[level]);
      return c_.Schema("missing");
    }
    for (std::size_t i = 0; i < seen.size(); ++i) {
      if (!seen[i]) {
        JsonChecker::Scope scope(&c_, keys.others[i]);
        return c_.Schema("missing");
      }
    }
    return Status::Ok();
  }

  Status Project(od::value& value) {
    std::string_view project;
    if (Status s = c_.String(value, &project); !s.ok()) return s;
    if (project != shape_->project_id) {
      return Status::PermissionDenied(
          StrCat(PrintableExcerpt(project), ": this project is not served here (the body's project)"));
    }
    return Status::Ok();
  }

  // The body's array of events, named "events" in messages.
  Status NamedEvents(od::value& value, IngestBody* body) {
    JsonChecker::Scope scope(&c_, "events");
    return Events(value, 1, body);
  }

  // The events array at `depth`.
  Status Events(od::value& value, int depth, IngestBody* body) {
    return c_.Array(value, depth, [&](od::value& item, int d) {
      if (Status s = Limit(body); !s.ok()) return s;
      EventRecord record;
      if (Status s = Event(item, d, &record); !s.ok()) return s;
      body->events.push_back(record);
      return Status::Ok();
    });
  }

  Status Limit(const IngestBody* body) const {
    if (body->events.size() < shape_->limits.max_events) return Status::Ok();
    return Status::TooLarge(StrCat("events: more than ", shape_->limits.max_events, " events in one request"));
  }

  // One event at `depth`.
  Status Event(od::value& value, int depth, EventRecord* out) {
    if (Status s = c_.Enter(depth); !s.ok()) return s;
    od::object object;
    if (auto e = value.get_object().get(object)) return c_.Error(e, "object");
    std::string_view raw;
    if (auto e = object.raw_json().get(raw)) return c_.Malformed(e);
    out->json = TrimEnd(raw);
    if (auto e = object.reset().error()) return c_.Malformed(e);
    Signal signal = route_->signals[0];
    if (route_->signals.size() > 1) {
      if (Status s = SignalOf(object, &signal); !s.ok()) return s;
      if (auto e = object.reset().error()) return c_.Malformed(e);
    }
    out->type = TypeOf(signal);
    const fd::EventKeys& keys = shape_->events[SignalIndex(signal)];
    seen_.assign(keys.required.size(), false);
    for (auto field_result : object) {
      od::field field;
      if (auto e = std::move(field_result).get(field)) return c_.Malformed(e);
      std::string_view key;
      if (auto e = field.unescaped_key().get(key)) return c_.Malformed(e);
      JsonChecker::Scope scope(&c_, key);
      const auto it = std::find(keys.required.begin(), keys.required.end(), key);
      if (it != keys.required.end()) seen_[static_cast<std::size_t>(it - keys.required.begin())] = true;
      od::value v = field.value();
      // An empty service or name key is "none" (a member may be named "").
      Status s = !keys.service.empty() && key == keys.service ? Text(v, depth + 1, &out->service)
                 : !keys.name.empty() && key == keys.name     ? Text(v, depth + 1, &out->name)
                                                              : c_.AnyJson(v, depth + 1);
      if (!s.ok()) return s;
    }
    for (std::size_t i = 0; i < seen_.size(); ++i) {
      if (!seen_[i]) {
        JsonChecker::Scope scope(&c_, keys.required[i]);
        return c_.Schema(StrCat("missing (every ", SignalName(signal), " event of ", shape_->source, " has it)"));
      }
    }
    return Status::Ok();
  }

  // The signal the route's discriminating key names.
  Status SignalOf(od::object& object, Signal* signal) {
    for (auto field_result : object) {
      od::field field;
      if (auto e = std::move(field_result).get(field)) return c_.Malformed(e);
      std::string_view key;
      if (auto e = field.unescaped_key().get(key)) return c_.Malformed(e);
      if (key != route_->discriminator) continue;
      JsonChecker::Scope scope(&c_, key);
      std::string_view value;
      if (Status s = c_.String(field.value(), &value); !s.ok()) return s;
      const auto& values = route_->discriminator_values;
      const auto it = std::find(values.begin(), values.end(), value);
      if (it != values.end()) {
        *signal = route_->signals[static_cast<std::size_t>(it - values.begin())];
        return Status::Ok();
      }
      std::string expected;
      for (const std::string& v : values) StrAppend(&expected, expected.empty() ? "" : ", ", "\"", v, "\"");
      return c_.Schema(StrCat("expected one of ", expected));
    }
    JsonChecker::Scope scope(&c_, route_->discriminator);
    return c_.Schema("missing");
  }

  // A string kept for the store (a line's strings go when the next is
  // parsed), or any other value, kept as "".
  Status Text(od::value& value, int depth, std::string_view* out) {
    od::json_type type;
    if (auto e = value.type().get(type)) return c_.Malformed(e);
    if (type != od::json_type::string) return c_.AnyJson(value, depth);
    std::string_view s;
    if (auto e = value.get_string().get(s)) return c_.Malformed(e);
    *out = strings_.emplace_back(s);
    return Status::Ok();
  }

  const std::shared_ptr<const DeclaredShape> shape_;
  const DeclaredRoute* route_ = nullptr;
  od::parser parser_;
  JsonChecker c_;
  std::vector<bool> seen_;
  std::deque<std::string> strings_;  // deque: the views into it stay valid as it grows
};

}  // namespace

std::unique_ptr<BodyReader> NewDeclaredReader(std::shared_ptr<const DeclaredShape> shape) {
  return std::make_unique<DeclaredReader>(std::move(shape));
}

}  // namespace otelpack::sink

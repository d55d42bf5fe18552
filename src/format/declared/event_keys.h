// What a reader of a declared format's requests can rely on (the reference
// sink, which checks and stores what a declared format sends): the top-level
// keys each signal's event always holds, the keys that carry its service and
// its name, its literal members, and where the envelope puts the events.
//
// Worked out from the resolved templates (resolve.h) and the omission rules
// of lower.h -- the same ones the encoder is compiled from -- so that no
// reader interprets a template on its own and gets a rule subtly wrong.
#ifndef OTELPACK_FORMAT_DECLARED_EVENT_KEYS_H_
#define OTELPACK_FORMAT_DECLARED_EVENT_KEYS_H_

#include <string>
#include <utility>
#include <vector>

#include "format/declared/declaration.h"
#include "otelpack/signal.h"
#include "otelpack/status.h"

namespace otelpack::format::declared {

struct EventKeys {
  // The top-level keys every event of the signal holds, in declaration
  // order: not `omit_if_empty`, not written by a `$flatten` and, for
  // metrics, written for every kind of point.
  std::vector<std::string> required;
  // The key whose value is the record's `$service`, unchanged (no case(),
  // string, json...); "" when none.
  std::string service;
  // The key whose value is the record's name, unchanged: a span's `$name`,
  // a log's `$event_name`, a metric's `$metric.name`; "" when none.
  std::string name;
  // The required members whose value is a string literal, with that string
  // ("type" -> "span"): what tells apart events that share a request path.
  std::vector<std::pair<std::string, std::string>> string_literals;
};

// The event of `signal` in `declaration`, which must have passed the
// checks (otelpack::Format); a signal it leaves out is the built-in one.
// InvalidArgument, naming the key, when the event does not resolve.
Result<EventKeys> RequiredEventKeys(const Declaration& declaration, Signal signal);

// Where the events are in an envelope, and what else it holds.
struct EnvelopeKeys {
  // The keys from the body object down to the events array: {"events"},
  // or {"data", "items"} for `{data: {items: $events}}`.
  std::vector<std::string> events_path;
  // The body object's other keys, in declaration order.
  std::vector<std::string> others;
  // Those of `others` whose value is `$project_id`.
  std::vector<std::string> project_keys;
};

// The envelope of `declaration` (the built-in one when it leaves it out).
// InvalidArgument when the framing is not `envelope`, or when `$events` is
// inside an array (a reader could not tell which element holds them).
Result<EnvelopeKeys> DeclaredEnvelopeKeys(const Declaration& declaration);

}  // namespace otelpack::format::declared

#endif  // OTELPACK_FORMAT_DECLARED_EVENT_KEYS_H_

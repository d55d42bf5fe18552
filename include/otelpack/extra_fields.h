// ExtraFields: what a span event carries beyond the article's schema.
#ifndef OTELPACK_EXTRA_FIELDS_H_
#define OTELPACK_EXTRA_FIELDS_H_

namespace otelpack {

// Fields beyond the article's schema (docs/wire-protocol.md "Optional fields").
// All off by default: the output is exactly the article's schema.
struct ExtraFields {
  bool kind = false;            // "kind": "server", "client", ...
  bool trace_state = false;     // "trace_state": the W3C tracestate
  bool links = false;           // "links": [{trace_id, span_id, trace_state, attributes}]
  bool resource = false;        // "resource": all resource attributes
  bool scope = false;           // "scope": {name, version, attributes}
  bool dropped_counts = false;  // "dropped": {attributes, events, links}

  bool any() const { return kind || trace_state || links || resource || scope || dropped_counts; }
};

}  // namespace otelpack

#endif  // OTELPACK_EXTRA_FIELDS_H_

// DeclaredShape: what the sink checks of a declared format's requests,
// worked out once when it starts (declared_protocol.cc) and shared, read
// only, by every worker's body reader (declared_reader.cc).
#ifndef OTELPACK_SINK_DECLARED_SHAPE_H_
#define OTELPACK_SINK_DECLARED_SHAPE_H_

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "format/declared/declaration.h"
#include "format/declared/event_keys.h"
#include "otelpack/signal.h"
#include "sink/ingest_protocol.h"

namespace otelpack::sink {

// One request path (with its query string) and the signals sent to it.
struct DeclaredRoute {
  std::string declared;  // as written in the declaration: what the client signs
  std::string path;      // percent-decoded, as the server gives a request's path
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  std::vector<Signal> signals;
  // With more than one signal: the key whose string literal tells an
  // event's signal ("type" in the built-in format), and that literal for
  // each of `signals`, in the same order.
  std::string discriminator;
  std::vector<std::string> discriminator_values;
};

struct DeclaredHeader {
  enum class Check : std::uint8_t {
    kExact,    // a literal: the same value
    kPresent,  // from ${env:...}: a credential, which the sink's --auth checks, not the format
    kProject,  // $project_id: the sink's project (403 otherwise)
  };
  std::string name;
  std::string value;
  Check check = Check::kExact;
};

struct DeclaredShape {
  std::string source;  // the declaration's file, for the banner
  std::string project_id;
  BodyLimits limits;
  format::declared::Framing framing = format::declared::Framing::kEnvelope;
  std::optional<format::declared::EnvelopeKeys> envelope;  // framing kEnvelope
  std::array<format::declared::EventKeys, kSignalCount> events;  // by SignalIndex
  std::vector<DeclaredRoute> routes;
  std::string content_type;  // the media type, without parameters
  std::vector<DeclaredHeader> headers;
};

// The reader of bodies of `shape`'s framing (declared_reader.cc).
std::unique_ptr<BodyReader> NewDeclaredReader(std::shared_ptr<const DeclaredShape> shape);

}  // namespace otelpack::sink

#endif  // OTELPACK_SINK_DECLARED_SHAPE_H_

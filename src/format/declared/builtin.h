// The built-in format: the article's schema (docs/wire-protocol.md) as a
// declaration (docs/formats.md, "The built-in format"), built in code so
// that the default needs no parsing. ExtraFields add members at the end of
// the events, as the exporter option always did.
//
// Compiled, these write exactly what SpanEncoder, LogEncoder and
// MetricEncoder write, byte for byte (declared_differential_test.cc).
#ifndef OTELPACK_FORMAT_DECLARED_BUILTIN_H_
#define OTELPACK_FORMAT_DECLARED_BUILTIN_H_

#include <vector>

#include "format/declared/declaration.h"
#include "otelpack/extra_fields.h"

namespace otelpack::format::declared {

// The whole article format: framing, envelope, headers and the three
// signals' events with `extra` added.
Declaration BuiltinDeclaration(ExtraFields extra = {});

// Its parts, for the signals, envelope and headers a declaration leaves out.
Template BuiltinEnvelope();
std::vector<Header> BuiltinHeaders();
SignalFormat BuiltinTraces(ExtraFields extra = {});
SignalFormat BuiltinLogs(ExtraFields extra = {});
SignalFormat BuiltinMetrics(ExtraFields extra = {});

}  // namespace otelpack::format::declared

#endif  // OTELPACK_FORMAT_DECLARED_BUILTIN_H_

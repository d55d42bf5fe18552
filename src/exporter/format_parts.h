// FormatParts: what the exporter writes and where it sends it, made from
// ExporterOptions once -- the built-in format's hand-written encoders, or a
// declared format (docs/formats.md) compiled for these options. The
// exporter wires them into its lanes and senders; `otelpack format preview`
// runs them on sample records to show what a backend would receive.
#ifndef OTELPACK_EXPORTER_FORMAT_PARTS_H_
#define OTELPACK_EXPORTER_FORMAT_PARTS_H_

#include "exporter/lanes.h"
#include "exporter/sender.h"
#include "format/envelope.h"
#include "otelpack/exporter.h"
#include "otelpack/status.h"

namespace otelpack {

struct FormatParts {
  Encoders encoders;  // one per signal
  Envelope envelope;
  RequestTargets targets;
};

// `options.format` null: the article's events by the hand-written encoders,
// every signal to /v1/ingest. Else the declared format compiled with the
// options' project id and extra fields; InvalidArgument naming each mistake
// when it does not compile.
Result<FormatParts> FormatPartsFor(const ExporterOptions& options);

}  // namespace otelpack

#endif  // OTELPACK_EXPORTER_FORMAT_PARTS_H_

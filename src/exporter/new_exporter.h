// NewExporter: Exporter::Create with the pipeline's clock given, so tests of
// retries and batch ages move time by hand (common/clock.h: ManualClock)
// instead of sleeping. Deadlines the caller passes (ForceFlush, Shutdown,
// block_timeout) stay in real time.
#ifndef OTELPACK_EXPORTER_NEW_EXPORTER_H_
#define OTELPACK_EXPORTER_NEW_EXPORTER_H_

#include <memory>

#include "common/clock.h"
#include "otelpack/exporter.h"

namespace otelpack {

// `clock` must outlive the exporter.
Result<std::unique_ptr<Exporter>> NewExporter(const ExporterOptions& options, const Clock* clock);

}  // namespace otelpack

#endif  // OTELPACK_EXPORTER_NEW_EXPORTER_H_

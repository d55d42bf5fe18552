#include "exporter/compressors.h"

#include <algorithm>
#include <chrono>

#include "common/str_cat.h"
#include "otelpack/log.h"

namespace otelpack {

Status Compressors::Compress(const EncodedBatch& batch, QueuedBatch* out) {
  out->batch_id = batch.batch_id;
  out->signal = batch.signal;
  out->events = batch.events;
  out->parts = batch.parts;
  out->compression = static_cast<std::uint8_t>(algorithm_);
  out->uncompressed_bytes = batch.body.size();
  std::unique_ptr<Compressor> compressor = Take();
  const auto started = std::chrono::steady_clock::now();
  Status s = compressor->Compress(batch.body.view(), &out->body);
  if (s.ok() && LogEnabled(LogLevel::kDebug)) {  // the article's per-batch ratio line
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    const double ratio =
        static_cast<double>(batch.body.size()) / static_cast<double>(std::max<std::size_t>(out->body.size(), 1));
    Log(LogLevel::kDebug, StrCat("batch ", batch.batch_id, ": ", batch.events, " ", RecordName(batch.signal),
                                 " events, ", batch.body.size(), " bytes -> ", out->body.size(), " bytes (",
                                 CompressionName(algorithm_), ", ratio ", ratio, "x, ", ms, " ms)"));
  }
  Return(std::move(compressor));
  return s;
}

std::unique_ptr<Compressor> Compressors::Take() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      std::unique_ptr<Compressor> c = std::move(idle_.back());
      idle_.pop_back();
      return c;
    }
  }
  // Validated at Create: cannot fail.
  return std::move(NewCompressor(algorithm_, level_)).value();
}

void Compressors::Return(std::unique_ptr<Compressor> c) {
  std::lock_guard<std::mutex> lock(mu_);
  idle_.push_back(std::move(c));
}

}  // namespace otelpack

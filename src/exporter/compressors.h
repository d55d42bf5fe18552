// Compressors: the exporter's compression stage. Turns a closed batch into
// what the queue holds (its body compressed with the configured codec), with
// a small pool of reusable codec contexts, one per thread compressing at a
// time (the batcher, or Export's threads with the disk queue).
#ifndef OTELPACK_EXPORTER_COMPRESSORS_H_
#define OTELPACK_EXPORTER_COMPRESSORS_H_

#include <memory>
#include <mutex>
#include <vector>

#include "batch/batch_builder.h"
#include "otelpack/compression.h"
#include "queue/queue.h"

namespace otelpack {

class Compressors {
 public:
  // REQUIRES: NewCompressor(algorithm, level) succeeds (options were validated).
  Compressors(Compression algorithm, int level) : algorithm_(algorithm), level_(level) {}

  // *out = the batch, its body compressed. Logs the ratio at debug level
  // (the article's per-batch line).
  Status Compress(const EncodedBatch& batch, QueuedBatch* out);

 private:
  std::unique_ptr<Compressor> Take();
  void Return(std::unique_ptr<Compressor> c);

  const Compression algorithm_;
  const int level_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Compressor>> idle_;  // guarded by mu_
};

}  // namespace otelpack

#endif  // OTELPACK_EXPORTER_COMPRESSORS_H_

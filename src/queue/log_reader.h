// LogReader: reads back the records of a log-format file (log_format.h),
// skipping and reporting whatever is damaged instead of stopping at it.
#ifndef OTELPACK_QUEUE_LOG_READER_H_
#define OTELPACK_QUEUE_LOG_READER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "otelpack/status.h"
#include "queue/file_util.h"

namespace otelpack::queue {

class LogReader {
 public:
  // Told about every stretch of bytes skipped: a checksum mismatch, a bad
  // length, fragments without their start or end, a zero-filled region, or a
  // torn record at the end of the file.
  using Reporter = std::function<void(std::uint64_t bytes, std::string_view reason)>;

  // Reads `file` from its start. `file` must outlive the reader.
  LogReader(const File* file, Reporter reporter);

  // Stores the next intact record in *record; *offset is where its first
  // fragment starts and *end where its last one ends. False at end of file
  // (a read error is reported and also ends the file).
  bool ReadRecord(std::string* record, std::uint64_t* offset, std::uint64_t* end);

 private:
  enum : unsigned { kEof = 256, kBadRecord = 257 };

  unsigned ReadPhysicalRecord(std::string_view* fragment, std::uint64_t* fragment_offset);
  void Report(std::uint64_t bytes, std::string_view reason);

  const File* const file_;
  const Reporter reporter_;
  std::unique_ptr<char[]> block_;
  std::string_view buffer_;         // unread part of the current block
  std::uint64_t buffer_end_ = 0;    // file offset just past buffer_
  bool eof_ = false;
};

// Checks the fragments of one record that occupies `span`, read from file
// offset `offset` (as located by LogReader or LogWriter), and returns views of
// their data, in order. DataLoss when any fragment is damaged or missing.
Result<std::vector<std::string_view>> DecodeRecordSpan(std::string_view span,
                                                        std::uint64_t offset);

}  // namespace otelpack::queue

#endif  // OTELPACK_QUEUE_LOG_READER_H_

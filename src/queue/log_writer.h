// LogWriter: appends records to a file in the log format (log_format.h).
#ifndef OTELPACK_QUEUE_LOG_WRITER_H_
#define OTELPACK_QUEUE_LOG_WRITER_H_

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "otelpack/status.h"
#include "queue/file_util.h"

namespace otelpack::queue {

class LogWriter {
 public:
  // A record's bytes, given as two pieces so a batch body need not be copied
  // behind its header.
  struct Payload {
    std::string_view head;
    std::string_view tail;
    std::uint64_t size() const { return head.size() + tail.size(); }
  };

  // Appends to `file`, which is `size` bytes long and was written only in this
  // format. `file` must outlive the writer. Not thread-safe.
  LogWriter(const File* file, std::uint64_t size) : file_(file), size_(size) {}

  // Where a record landed: [offset, end) holds its fragments. The next record
  // may start later than `end`, behind a block trailer.
  struct Placement {
    std::uint64_t offset;
    std::uint64_t end;
  };

  // Appends every record with as few writev calls as possible; (*placed)[i]
  // receives where record i went. On failure the file may end in a partial
  // record, which readers skip as a torn tail; size() stays exact.
  Status AddRecords(std::span<const Payload> records, std::vector<Placement>* placed);

  // The file's size: where the next record goes.
  std::uint64_t size() const { return size_; }

  // Exactly how many bytes a record of n payload bytes takes when appended at
  // file offset `at` (headers and any block trailer included).
  static std::uint64_t PhysicalSize(std::uint64_t at, std::uint64_t n);
  // An upper bound of PhysicalSize over every `at`.
  static std::uint64_t MaxPhysicalSize(std::uint64_t n);

 private:
  const File* const file_;
  std::uint64_t size_;
};

}  // namespace otelpack::queue

#endif  // OTELPACK_QUEUE_LOG_WRITER_H_

// Small POSIX helpers for the disk queue: an owned descriptor, full writes
// and reads that survive EINTR and short transfers, and errors as Status.
#ifndef OTELPACK_QUEUE_FILE_UTIL_H_
#define OTELPACK_QUEUE_FILE_UTIL_H_

#include <sys/uio.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "otelpack/status.h"

namespace otelpack::queue {

// An open file descriptor, closed on destruction. Not copyable.
class File {
 public:
  File(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~File();
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  int fd() const { return fd_; }
  const std::string& path() const { return path_; }

 private:
  const int fd_;
  const std::string path_;
};

// Unavailable("disk queue: <op> <path>: <strerror(err)>"). Disk trouble is
// retryable: space may come back, the data is still held by the caller.
Status IoError(std::string_view op, const std::string& path, int err);

// Writes every byte described by `iov` (which it modifies), in chunks of at
// most IOV_MAX vectors. *written receives the bytes written even on failure.
Status WriteFully(const File& file, std::span<iovec> iov, std::uint64_t* written);

// Reads up to n bytes at `offset`, stopping early only at end of file.
// *read receives the count.
Status PreadFully(const File& file, char* buf, std::size_t n, std::uint64_t offset,
                  std::size_t* read);

Status SyncData(const File& file);        // fdatasync
Status SyncDirectory(const std::string& dir);  // makes created/removed names durable

}  // namespace otelpack::queue

#endif  // OTELPACK_QUEUE_FILE_UTIL_H_

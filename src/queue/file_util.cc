// POSIX helpers for the disk queue.
#include "queue/file_util.h"

#include <fcntl.h>
#include <limits.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/str_cat.h"

namespace otelpack::queue {

File::~File() {
  if (fd_ >= 0) ::close(fd_);
}

Status IoError(std::string_view op, const std::string& path, int err) {
  return Status::Unavailable(StrCat("disk queue: ", op, " ", path, ": ", std::strerror(err)));
}

Status WriteFully(const File& file, std::span<iovec> iov, std::uint64_t* written) {
  *written = 0;
  std::size_t i = 0;
  while (i < iov.size()) {
    if (iov[i].iov_len == 0) {
      ++i;
      continue;
    }
    const int count = static_cast<int>(std::min<std::size_t>(iov.size() - i, IOV_MAX));
    ssize_t n = ::writev(file.fd(), &iov[i], count);
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError("write", file.path(), errno);
    }
    *written += static_cast<std::uint64_t>(n);
    // Advance past what was written; a short write leaves a partial vector.
    auto left = static_cast<std::size_t>(n);
    while (left > 0 && i < iov.size()) {
      if (left >= iov[i].iov_len) {
        left -= iov[i].iov_len;
        iov[i].iov_len = 0;
        ++i;
      } else {
        iov[i].iov_base = static_cast<char*>(iov[i].iov_base) + left;
        iov[i].iov_len -= left;
        left = 0;
      }
    }
  }
  return Status::Ok();
}

Status PreadFully(const File& file, char* buf, std::size_t n, std::uint64_t offset,
                  std::size_t* read) {
  *read = 0;
  while (*read < n) {
    ssize_t r = ::pread(file.fd(), buf + *read, n - *read, static_cast<off_t>(offset + *read));
    if (r < 0) {
      if (errno == EINTR) continue;
      return IoError("read", file.path(), errno);
    }
    if (r == 0) break;  // end of file
    *read += static_cast<std::size_t>(r);
  }
  return Status::Ok();
}

Status SyncData(const File& file) {
  while (::fdatasync(file.fd()) != 0) {
    if (errno != EINTR) return IoError("fdatasync", file.path(), errno);
  }
  return Status::Ok();
}

Status SyncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return IoError("open", dir, errno);
  File f(fd, dir);
  while (::fsync(fd) != 0) {
    if (errno != EINTR) return IoError("fsync", dir, errno);
  }
  return Status::Ok();
}

}  // namespace otelpack::queue

// CappedOutput: see capped_output.h.
#include "compress/capped_output.h"

#include <algorithm>

#include "common/str_cat.h"

namespace otelpack::compress {
namespace {

// The smallest growth step: below this, reallocations would dominate.
constexpr std::size_t kMinGrowth = 64 * 1024;

}  // namespace

CappedOutput::CappedOutput(Buffer* out, std::size_t cap, std::size_t size_hint)
    : out_(out), cap_(cap) {
  out_->Clear();
  out_->Reserve(std::min(size_hint, cap_));
}

CappedOutput::Window CappedOutput::Next() {
  const std::size_t size = out_->size();
  if (size >= cap_) {
    probing_ = true;
    return {probe_, sizeof(probe_)};
  }
  probing_ = false;
  const std::size_t left = cap_ - size;
  if (out_->capacity() == size) {
    // Ask for no more than the cap allows: Buffer rounds a request up to its
    // next growth step, and a request past the cap would round past it too.
    out_->ReserveAppend(std::min(left, std::max(size / 2, kMinGrowth)));
  }
  return {out_->data() + size, std::min(out_->capacity() - size, left)};
}

bool CappedOutput::Commit(std::size_t n) {
  if (probing_) return n == 0;
  out_->Commit(n);
  return true;
}

Status CappedOutput::TooLargeError(std::string_view format) const {
  return Status::TooLarge(StrCat(format, ": decoded size exceeds the limit of ", cap_, " bytes"));
}

std::size_t GuessDecodedSize(std::size_t compressed_size, std::size_t cap) {
  constexpr std::size_t kMinGuess = 64 * 1024;
  const std::size_t guess =
      compressed_size > cap / 4 ? cap : std::max(compressed_size * 4, kMinGuess);
  return std::min(guess, cap);
}

Status FailDecode(Buffer* out, Status status) {
  out->Clear();
  return status;
}

}  // namespace otelpack::compress

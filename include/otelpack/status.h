// Status and Result<T>: how every otelpack call reports what happened.
//
// The code decides the data's fate. A retryable status (kUnavailable,
// kResourceExhausted, kDeadlineExceeded) means "the same data may succeed
// later, keep it"; every other failure is permanent: retrying cannot help, the
// data is dropped and counted. A Status is cheap to copy on success (no
// allocation) and never throws.
#ifndef OTELPACK_STATUS_H_
#define OTELPACK_STATUS_H_

#include <cassert>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace otelpack {

enum class StatusCode : unsigned char {
  kOk = 0,
  kInvalidArgument,     // bad input or configuration (permanent)
  kUnauthenticated,     // credentials missing or wrong (permanent)
  kPermissionDenied,    // credentials valid, access refused (permanent)
  kNotFound,            // (permanent)
  kFailedPrecondition,  // e.g. Export after Shutdown (permanent)
  kTooLarge,            // a payload over a configured limit (permanent)
  kDataLoss,            // corrupted data (permanent)
  kInternal,            // a bug or an unexpected library failure (permanent)
  kUnavailable,         // backend down, connection refused, 5xx (retryable)
  kResourceExhausted,   // backend or queue full, 429 (retryable)
  kDeadlineExceeded,    // a timeout (retryable)
};

// The stable name of a code, e.g. "Unavailable".
std::string_view StatusCodeName(StatusCode code);

class Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string_view message);

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string_view m) { return {StatusCode::kInvalidArgument, m}; }
  static Status Unauthenticated(std::string_view m) { return {StatusCode::kUnauthenticated, m}; }
  static Status PermissionDenied(std::string_view m) { return {StatusCode::kPermissionDenied, m}; }
  static Status NotFound(std::string_view m) { return {StatusCode::kNotFound, m}; }
  static Status FailedPrecondition(std::string_view m) { return {StatusCode::kFailedPrecondition, m}; }
  static Status TooLarge(std::string_view m) { return {StatusCode::kTooLarge, m}; }
  static Status DataLoss(std::string_view m) { return {StatusCode::kDataLoss, m}; }
  static Status Internal(std::string_view m) { return {StatusCode::kInternal, m}; }
  static Status Unavailable(std::string_view m) { return {StatusCode::kUnavailable, m}; }
  static Status ResourceExhausted(std::string_view m) { return {StatusCode::kResourceExhausted, m}; }
  static Status DeadlineExceeded(std::string_view m) { return {StatusCode::kDeadlineExceeded, m}; }

  bool ok() const { return state_ == nullptr; }
  StatusCode code() const { return ok() ? StatusCode::kOk : state_->code; }
  std::string_view message() const { return ok() ? std::string_view() : std::string_view(state_->message); }

  // True when the same request may succeed later: the data must be kept.
  bool retryable() const;

  // "OK" or "Unavailable: connection refused".
  std::string ToString() const;

 private:
  struct State {
    StatusCode code;
    std::string message;
  };
  std::shared_ptr<const State> state_;  // null when OK
};

// A value or the Status that explains why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    assert(!status_.ok() && "a Result from a Status must carry an error");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  // REQUIRES: ok()
  T& value() & { assert(ok()); return *value_; }
  const T& value() const& { assert(ok()); return *value_; }
  T&& value() && { assert(ok()); return std::move(*value_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace otelpack

#endif  // OTELPACK_STATUS_H_

// Envelope: what a request body holds around its events. The backend's
// (docs/wire-protocol.md) is
//
//   {"project_id":"<escaped>","events":[ <event>,<event>,... ],"sent_at":<ms>}
//
// that is a prefix, the events joined by a separator, and a suffix that may
// carry the time the body was closed. A declared format (docs/formats.md)
// makes other envelopes of the same three parts: NDJSON is no prefix, "\n"
// between events and after the last, and its send time may be written in
// another unit or as RFC 3339 text. The batch builder writes bodies through
// it and sizes them with overhead_bytes(); nothing else knows the envelope.
#ifndef OTELPACK_FORMAT_ENVELOPE_H_
#define OTELPACK_FORMAT_ENVELOPE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "format/time_writer.h"
#include "otelpack/buffer.h"

namespace otelpack {

class Envelope {
 public:
  // prefix, events joined by `separator`, then `suffix_head`, the send time
  // in `sent_at`'s format when there is one, and `suffix_tail`.
  Envelope(std::string prefix, std::string separator, std::string suffix_head,
           std::optional<format::TimeFormat> sent_at, std::string suffix_tail);
  // As above with the send time, when `with_sent_at`, in integer Unix ms.
  Envelope(std::string prefix, std::string separator, std::string suffix_head, bool with_sent_at,
           std::string suffix_tail);

  // The backend's envelope for `project_id` (above).
  static Envelope ForProject(std::string_view project_id);

  void AppendPrefix(Buffer* out) const { out->Append(prefix_); }
  void AppendSeparator(Buffer* out) const { out->Append(separator_); }
  // A send time before the epoch is written as is in integer Unix ms, and
  // as the epoch in any other format.
  void AppendSuffix(std::int64_t sent_at_unix_ms, Buffer* out) const;

  std::size_t separator_bytes() const { return separator_.size(); }
  // The longest suffix AppendSuffix can write.
  std::size_t max_suffix_bytes() const { return max_suffix_bytes_; }
  // Prefix and longest suffix: what a body takes besides its events.
  std::size_t overhead_bytes() const { return prefix_.size() + max_suffix_bytes_; }

 private:
  std::string prefix_;
  std::string separator_;
  std::string suffix_head_;
  std::optional<format::TimeFormat> sent_at_;
  bool unix_ms_;  // sent_at_ is the article's integer ms: written as an int64
  std::string suffix_tail_;
  std::size_t max_suffix_bytes_;
};

}  // namespace otelpack

#endif  // OTELPACK_FORMAT_ENVELOPE_H_

#include "format/envelope.h"

#include "format/json_writer.h"

namespace otelpack {
namespace {

// Digits of the longest int64 with its sign.
constexpr std::size_t kMaxTimeChars = 20;

}  // namespace

Envelope::Envelope(std::string prefix, std::string separator, std::string suffix_head, bool with_sent_at,
                   std::string suffix_tail)
    : prefix_(std::move(prefix)),
      separator_(std::move(separator)),
      suffix_head_(std::move(suffix_head)),
      with_sent_at_(with_sent_at),
      suffix_tail_(std::move(suffix_tail)),
      max_suffix_bytes_(suffix_head_.size() + (with_sent_at_ ? kMaxTimeChars : 0) + suffix_tail_.size()) {}

Envelope Envelope::ForProject(std::string_view project_id) {
  Buffer prefix;
  prefix.Append("{\"project_id\":");
  AppendJsonString(project_id, &prefix);
  prefix.Append(",\"events\":[");
  return Envelope(std::string(prefix.view()), ",", "],\"sent_at\":", true, "}");
}

void Envelope::AppendSuffix(std::int64_t sent_at_unix_ms, Buffer* out) const {
  out->Append(suffix_head_);
  if (with_sent_at_) {
    format::Cursor c(out, format::kMaxNumberChars);
    c.p = format::WriteInt(sent_at_unix_ms, c.p);
    c.Done();
  }
  out->Append(suffix_tail_);
}

}  // namespace otelpack

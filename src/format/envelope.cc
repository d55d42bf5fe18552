#include "format/envelope.h"

#include <limits>

#include "format/json_writer.h"

namespace otelpack {
namespace {

// Digits of the longest int64 with its sign.
constexpr std::size_t kMaxMsChars = 20;

bool IsUnixMs(const format::TimeFormat& f) {
  return f.style == format::TimeFormat::Style::kUnix && f.unit_digits == 6 && f.decimals == 0 && !f.round_nearest;
}

std::size_t TimeBytes(const std::optional<format::TimeFormat>& f) {
  if (!f) return 0;
  return IsUnixMs(*f) ? kMaxMsChars : format::MaxTimeTextSize(*f);
}

}  // namespace

Envelope::Envelope(std::string prefix, std::string separator, std::string suffix_head,
                   std::optional<format::TimeFormat> sent_at, std::string suffix_tail)
    : prefix_(std::move(prefix)),
      separator_(std::move(separator)),
      suffix_head_(std::move(suffix_head)),
      sent_at_(sent_at),
      unix_ms_(sent_at.has_value() && IsUnixMs(*sent_at)),
      suffix_tail_(std::move(suffix_tail)),
      max_suffix_bytes_(suffix_head_.size() + TimeBytes(sent_at_) + suffix_tail_.size()) {}

Envelope::Envelope(std::string prefix, std::string separator, std::string suffix_head, bool with_sent_at,
                   std::string suffix_tail)
    : Envelope(std::move(prefix), std::move(separator), std::move(suffix_head),
               with_sent_at ? std::optional(format::TimeFormat::UnixMs()) : std::nullopt, std::move(suffix_tail)) {}

Envelope Envelope::ForProject(std::string_view project_id) {
  Buffer prefix;
  prefix.Append("{\"project_id\":");
  AppendJsonString(project_id, &prefix);
  prefix.Append(",\"events\":[");
  return Envelope(std::string(prefix.view()), ",", "],\"sent_at\":", true, "}");
}

void Envelope::AppendSuffix(std::int64_t sent_at_unix_ms, Buffer* out) const {
  out->Append(suffix_head_);
  if (unix_ms_) {
    format::Cursor c(out, format::kMaxNumberChars);
    c.p = format::WriteInt(sent_at_unix_ms, c.p);
    c.Done();
  } else if (sent_at_) {
    constexpr std::uint64_t kMaxMs = std::numeric_limits<std::uint64_t>::max() / 1'000'000;
    const std::uint64_t ms = sent_at_unix_ms < 0 ? 0 : static_cast<std::uint64_t>(sent_at_unix_ms);
    format::Cursor c(out, format::kMaxTimeChars);
    c.p = format::WriteTime(*sent_at_, ms > kMaxMs ? kMaxMs * 1'000'000 : ms * 1'000'000, c.p);
    c.Done();
  }
  out->Append(suffix_tail_);
}

}  // namespace otelpack

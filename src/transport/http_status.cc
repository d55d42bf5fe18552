// What an HTTP answer means for the data: ClassifyHttpStatus and
// ParseRetryAfter (see transport.h). Pure functions, no I/O.
#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>

#include "common/ascii.h"
#include "common/str_cat.h"
#include "common/url.h"
#include "transport/transport.h"

namespace otelpack {
namespace {

constexpr std::size_t kMaxBodyInMessage = 200;

// Up to kMaxBodyInMessage bytes of `body`, never ending inside a UTF-8
// sequence, on one line.
std::string BodySnippet(std::string_view body) {
  std::size_t n = body.size();
  if (n > kMaxBodyInMessage) {
    n = kMaxBodyInMessage;
    // body[n] is the first byte left out; if it continues a sequence, drop
    // that sequence's start too.
    while (n > 0 && (static_cast<unsigned char>(body[n]) & 0xC0) == 0x80) --n;
  }
  std::string out(body.substr(0, n));
  for (char& c : out) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) c = ' ';
  }
  return out;
}

// A cursor over an HTTP-date.
class DateReader {
 public:
  explicit DateReader(std::string_view s) : s_(s) {}

  bool done() const { return s_.empty(); }

  bool Literal(std::string_view lit) {
    if (!s_.starts_with(lit)) return false;
    s_.remove_prefix(lit.size());
    return true;
  }

  // Exactly `n` digits.
  bool Digits(int n, int* out) {
    if (s_.size() < static_cast<std::size_t>(n)) return false;
    int v = 0;
    for (int i = 0; i < n; ++i) {
      char c = s_[static_cast<std::size_t>(i)];
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    s_.remove_prefix(static_cast<std::size_t>(n));
    *out = v;
    return true;
  }

  // One of `names`; `*index` is its position.
  template <std::size_t N>
  bool OneOf(const std::array<std::string_view, N>& names, int* index) {
    for (std::size_t i = 0; i < N; ++i) {
      if (Literal(names[i])) {
        *index = static_cast<int>(i);
        return true;
      }
    }
    return false;
  }

  // "HH:MM:SS"
  bool TimeOfDay(int* h, int* m, int* sec) {
    return Digits(2, h) && Literal(":") && Digits(2, m) && Literal(":") && Digits(2, sec) &&
           *h < 24 && *m < 60 && *sec <= 60;  // 60: a leap second
  }

 private:
  std::string_view s_;
};

constexpr std::array<std::string_view, 7> kDays = {"Mon", "Tue", "Wed", "Thu",
                                                   "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 7> kLongDays = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Seconds, not the system clock's nanoseconds: a year like 9999 fits.
using UnixSeconds = std::chrono::sys_seconds;

std::optional<UnixSeconds> MakeTime(int year, int month0, int day, int h, int m, int s) {
  namespace chrono = std::chrono;
  chrono::year_month_day ymd{chrono::year(year), chrono::month(static_cast<unsigned>(month0 + 1)),
                             chrono::day(static_cast<unsigned>(day))};
  if (!ymd.ok()) return std::nullopt;
  return chrono::sys_days(ymd) + chrono::hours(h) + chrono::minutes(m) + chrono::seconds(s);
}

// RFC 9110 section 5.6.7: IMF-fixdate, rfc850-date or asctime-date.
std::optional<UnixSeconds> ParseHttpDate(
    std::string_view value, std::chrono::system_clock::time_point now) {
  int index = 0, day = 0, month = 0, year = 0, h = 0, m = 0, s = 0;
  // The day name has to be present and valid; it is not checked against the date.
  {  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
    DateReader r(value);
    if (r.OneOf(kDays, &index) && r.Literal(", ") && r.Digits(2, &day) && r.Literal(" ") &&
        r.OneOf(kMonths, &month) && r.Literal(" ") && r.Digits(4, &year) && r.Literal(" ") &&
        r.TimeOfDay(&h, &m, &s) && r.Literal(" GMT") && r.done()) {
      return MakeTime(year, month, day, h, m, s);
    }
  }
  {  // rfc850-date: "Sunday, 06-Nov-94 08:49:37 GMT"
    DateReader r(value);
    if (r.OneOf(kLongDays, &index) && r.Literal(", ") && r.Digits(2, &day) && r.Literal("-") &&
        r.OneOf(kMonths, &month) && r.Literal("-") && r.Digits(2, &year) && r.Literal(" ") &&
        r.TimeOfDay(&h, &m, &s) && r.Literal(" GMT") && r.done()) {
      // A two-digit year more than 50 years ahead is the most recent past one.
      int now_year = static_cast<int>(
          std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(now)).year());
      year += now_year / 100 * 100;
      if (year > now_year + 50) year -= 100;
      return MakeTime(year, month, day, h, m, s);
    }
  }
  {  // asctime-date: "Sun Nov  6 08:49:37 1994"
    DateReader r(value);
    if (r.OneOf(kDays, &index) && r.Literal(" ") && r.OneOf(kMonths, &month) &&
        r.Literal(" ") && (r.Digits(2, &day) || (r.Literal(" ") && r.Digits(1, &day))) &&
        r.Literal(" ") && r.TimeOfDay(&h, &m, &s) && r.Literal(" ") && r.Digits(4, &year) &&
        r.done()) {
      return MakeTime(year, month, day, h, m, s);
    }
  }
  return std::nullopt;
}

}  // namespace

Status ClassifyHttpStatus(int http_status, std::string_view body, std::string_view location) {
  if (http_status >= 200 && http_status < 300) return Status::Ok();
  std::string message = StrCat("HTTP ", http_status);
  if (http_status >= 300 && http_status < 400) {
    // Never followed to here: another origin (the credentials would go
    // there), or a 301/302/303, which clients turn into a GET.
    return Status::Unavailable(StrCat(message, ": the backend redirects to ",
                                      location.empty() ? "(no Location)" : RedactedUrl(BodySnippet(location)),
                                      "; otelpack does not follow it: set the endpoint to where the backend is "
                                      "(the data is kept and retried)"));
  }
  if (!body.empty()) StrAppend(&message, ": ", BodySnippet(body));
  switch (http_status) {
    case 401: return Status::Unauthenticated(message);
    case 403: return Status::PermissionDenied(message);
    case 404: return Status::NotFound(message);
    case 413: return Status::TooLarge(message);
    case 408:
    case 504: return Status::DeadlineExceeded(message);
    case 429: return Status::ResourceExhausted(message);
    case 501: return Status::InvalidArgument(message);
    default: break;
  }
  if (http_status >= 500 && http_status < 600) return Status::Unavailable(message);
  // Other 4xx, and 1xx as a final answer.
  return Status::InvalidArgument(message);
}

std::optional<std::chrono::milliseconds> ParseRetryAfter(
    std::string_view value, std::chrono::system_clock::time_point now) {
  using std::chrono::milliseconds;
  value = TrimSpaces(value);
  if (value.empty()) return std::nullopt;
  if (value.front() >= '0' && value.front() <= '9') {  // delta-seconds = 1*DIGIT
    std::uint64_t seconds = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ptr != value.data() + value.size()) return std::nullopt;  // "1.5", "10s"
    const auto ceiling_seconds = static_cast<std::uint64_t>(kRetryAfterCeiling.count() / 1000);
    if (ec == std::errc::result_out_of_range || seconds > ceiling_seconds) {
      return kRetryAfterCeiling;
    }
    return milliseconds(static_cast<std::int64_t>(seconds) * 1000);
  }
  std::optional<UnixSeconds> date = ParseHttpDate(value, now);
  if (!date.has_value()) return std::nullopt;
  // In milliseconds, which hold any 4-digit year without overflow.
  milliseconds wait = std::chrono::time_point_cast<milliseconds>(*date).time_since_epoch() -
                      std::chrono::ceil<milliseconds>(now.time_since_epoch());
  if (wait <= milliseconds(0)) return milliseconds(0);
  return std::min(wait, kRetryAfterCeiling);
}

}  // namespace otelpack

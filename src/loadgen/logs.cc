// LogGenerator: log records as instrumented services emit them (signals.h).
#include <algorithm>
#include <string>
#include <vector>

#include "loadgen/fmt.h"
#include "loadgen/internal.h"
#include "loadgen/signals.h"
#include "loadgen/values.h"

namespace otelpack::loadgen {
namespace {

using internal::AttrList;
using internal::Fmt;
using internal::Language;
using internal::Rng;

constexpr std::uint64_t kDefaultStartUnixNano = 1732480000000000000ULL;
constexpr std::uint64_t kMilli = 1'000'000;
constexpr int kLoggersPerService = 4;

// Severity numbers at the start of each OTLP range, and each language's text.
struct Level {
  SeverityNumber number;
  std::string_view text[3];  // Java (log4j/logback), Python (logging), Go (zap)
};
constexpr Level kTrace{1, {"TRACE", "DEBUG", "debug"}};
constexpr Level kDebug{5, {"DEBUG", "DEBUG", "debug"}};
constexpr Level kInfo{9, {"INFO", "INFO", "info"}};
constexpr Level kWarn{13, {"WARN", "WARNING", "warn"}};
constexpr Level kError{17, {"ERROR", "ERROR", "error"}};
constexpr Level kFatal{21, {"FATAL", "CRITICAL", "fatal"}};

constexpr std::string_view kLoggerWords[] = {"api", "orders", "payments", "db", "cache", "events", "auth", "jobs"};
constexpr std::string_view kEventNames[] = {"session.start", "feature_flag.evaluation", "payment.completed",
                                            "browser.page_view", "order.shipped"};
constexpr std::string_view kMethods[] = {"GET", "GET", "GET", "POST", "PUT", "DELETE"};
constexpr std::int64_t kStatuses[] = {200, 200, 200, 200, 201, 204, 304, 400, 404};

struct LogService {
  std::string_view name;
  std::string_view word;
  Language lang;
  Attributes resource;
  std::string_view loggers[kLoggersPerService];
};

struct Pending {
  int group;  // service * kLoggersPerService + logger
  LogRecord record;
};

}  // namespace

struct LogGenerator::State {
  explicit State(const LogGeneratorOptions& o) : options(o), rng(o.seed), values(&batch) {}

  LogGeneratorOptions options;
  Rng rng;
  Arena catalog;
  Arena batch;
  internal::ValueMaker values;
  std::vector<LogService> services;
  std::vector<Pending> pending;
  std::uint64_t clock = 0;
  std::string scratch;

  void BuildCatalog();
  void Generate();
  const Level& PickLevel();
  std::string_view Message(const Level& level, const LogService& svc, AttrList* attrs);
  AnyValue MapBody(std::string_view message);
  LogsView Group();
};

void LogGenerator::State::BuildCatalog() {
  auto names = internal::ServiceNames();
  const int n = std::max(1, options.services);
  for (int i = 0; i < n; ++i) {
    LogService s;
    s.name = static_cast<std::size_t>(i) < names.size() ? names[i]
                                                        : catalog.Copy("service-" + std::to_string(i));
    s.word = s.name.substr(0, s.name.find('-'));
    s.lang = static_cast<Language>(i % 3);
    s.resource = values.Resource(s.name, s.lang, rng, &catalog, false);
    for (int l = 0; l < kLoggersPerService; ++l) {
      const std::string_view w = kLoggerWords[(i + 3 * l) % std::size(kLoggerWords)];
      Fmt f;
      switch (s.lang) {
        case Language::kJava: f << "com.example." << s.word << "." << w; break;
        case Language::kPython: f << s.word << "." << w; break;
        case Language::kGo: f << "github.com/example/" << s.word << "/internal/" << w; break;
      }
      s.loggers[l] = f.In(&catalog);
    }
    services.push_back(s);
  }
}

const Level& LogGenerator::State::PickLevel() {
  const double u = rng.Unit();
  const double e = options.error_ratio;
  if (u < e * 0.05) return kFatal;
  if (u < e) return kError;
  if (u < e + 0.12) return kWarn;
  if (u < e + 0.27) return kDebug;
  if (u < e + 0.29) return kTrace;
  return kInfo;
}

// The message of a record at `level`, and the attributes that go with it.
std::string_view LogGenerator::State::Message(const Level& level, const LogService& svc, AttrList* attrs) {
  Fmt f;
  const std::string_view noun = rng.Pick(internal::ResourceNouns());
  switch (level.number) {
    case 1:
    case 5: {
      if (rng.Chance(0.5)) {
        const std::string_view table = rng.Pick(internal::DbTables());
        f << "loaded ";
        f.Num(rng.Below(200) + 1) << " rows from " << table << " in ";
        f.Num(rng.Below(40) + 1) << " ms";
        attrs->Str("db.system", "postgresql");
      } else {
        f << "resolved " << rng.Pick(internal::ServiceNames()) << " to 10.0.";
        f.Num(rng.Below(256)) << ".";
        f.Num(rng.Below(256));
      }
      break;
    }
    case 9: {
      const std::uint64_t pick = rng.Below(4);
      if (pick == 0) {
        const std::string_view method = rng.Pick(std::span(kMethods));
        const std::int64_t status = rng.Pick(std::span(kStatuses));
        f << method << " /api/v1/" << noun << " completed with ";
        f.Num(static_cast<std::uint64_t>(status)) << " in ";
        f.Num(rng.Below(300) + 1) << " ms";
        attrs->Str("http.request.method", method);
        attrs->Int("http.response.status_code", status);
      } else if (pick == 1) {
        const std::uint64_t items = rng.Below(9) + 1;
        f << "order ";
        f.Num(rng.Below(10'000'000)) << " placed by user ";
        f.Num(rng.Below(5000)) << " (";
        f.Num(items) << " items)";
        attrs->Int("order.items", static_cast<std::int64_t>(items));
      } else if (pick == 2) {
        f << "cache " << (rng.Chance(0.8) ? "hit" : "miss") << " for key " << noun << ":" << svc.word << ":";
        f.Num(rng.Below(100000));
      } else {
        f << "published " << noun << ".created event ";
        f.Hex(rng.Next(), 16);
      }
      break;
    }
    case 13: {
      if (rng.Chance(0.5)) {
        f << "slow query on " << rng.Pick(internal::DbTables()) << ": ";
        f.Num(rng.Below(4000) + 500) << " ms";
      } else {
        const std::uint64_t attempt = rng.Below(3) + 2;
        f << "retrying " << rng.Pick(std::span(kMethods)) << " /api/v1/" << noun << " after 503 (attempt ";
        f.Num(attempt) << ")";
        attrs->Int("retry.attempt", static_cast<std::int64_t>(attempt));
      }
      break;
    }
    default: {
      internal::ExceptionText exc = internal::PickException(svc.lang, rng);
      internal::MakeStackTrace(svc.lang, exc, svc.name, rng, &scratch);
      f << "failed to process " << noun << " ";
      f.Num(rng.Below(10'000'000)) << ": " << exc.message;
      attrs->Str("exception.type", exc.type);
      attrs->Str("exception.message", exc.message);
      attrs->Str("exception.stacktrace", batch.Copy(scratch));
      break;
    }
  }
  return f.In(&batch);
}

AnyValue LogGenerator::State::MapBody(std::string_view message) {
  AttrList body;
  body.Str("msg", message);
  body.Str("user_id", (Fmt() << "u_").Hex(rng.Below(5000) * 0x9e3779b97f4a7c15ULL >> 32, 8).In(&batch));
  body.Dbl("latency_ms", static_cast<double>(rng.Below(50000)) / 100.0);
  body.Bool("cached", rng.Chance(0.3));
  std::span<AnyValue> tags = batch.Make<AnyValue>(2);
  tags[0] = AnyValue::String("checkout");
  tags[1] = AnyValue::String(rng.Chance(0.5) ? "mobile" : "web");
  body.Add("tags", AnyValue::Array(tags));
  return AnyValue::KvList(body.Finish(&batch));
}

void LogGenerator::State::Generate() {
  // A few services log most: the first ones (the edge) twice as often.
  const std::size_t s = rng.Chance(0.3) ? rng.Below(std::min<std::size_t>(3, services.size()))
                                        : rng.Below(services.size());
  const LogService& svc = services[s];
  const int logger = static_cast<int>(rng.Below(kLoggersPerService));
  const Level& level = PickLevel();

  Pending p;
  p.group = static_cast<int>(s) * kLoggersPerService + logger;
  LogRecord& r = p.record;
  clock += rng.Below(2 * kMilli);
  const std::uint64_t t = options.start_unix_nano + clock;
  r.observed_time_unix_nano = t + rng.Below(40 * kMilli);
  r.time_unix_nano = rng.Chance(0.02) ? 0 : t;  // some bridges only know when they saw it
  r.severity_number = level.number;
  r.severity_text = rng.Chance(0.1) ? std::string_view() : level.text[static_cast<int>(svc.lang)];

  AttrList attrs;
  const std::string_view message = Message(level, svc, &attrs);
  r.body = rng.Chance(options.map_body_ratio) ? MapBody(message) : AnyValue::String(message);
  attrs.Str("code.namespace", rng.Pick(internal::ClassNames()));
  attrs.Str("code.function", rng.Pick(internal::MethodNames()));
  attrs.Int("code.lineno", static_cast<std::int64_t>(rng.Below(900) + 20));
  if (rng.Chance(0.7)) attrs.Int("thread.id", static_cast<std::int64_t>(rng.Below(200) + 1));
  r.attributes = attrs.Finish(&batch);

  if (rng.Chance(options.trace_context_ratio)) {
    do {
      for (std::uint8_t& b : r.trace_id.bytes) b = static_cast<std::uint8_t>(rng.Next());
    } while (!r.trace_id.valid());
    do {
      for (std::uint8_t& b : r.span_id.bytes) b = static_cast<std::uint8_t>(rng.Next());
    } while (!r.span_id.valid());
    r.flags = 1;  // sampled
  }
  if (rng.Chance(options.event_ratio)) r.event_name = rng.Pick(std::span(kEventNames));
  pending.push_back(p);
}

LogsView LogGenerator::State::Group() {
  const std::size_t n_groups = services.size() * kLoggersPerService;
  std::vector<std::size_t> count(n_groups, 0);
  for (const Pending& p : pending) ++count[p.group];
  std::vector<std::span<LogRecord>> records(n_groups);
  for (std::size_t g = 0; g < n_groups; ++g) records[g] = batch.Make<LogRecord>(count[g]);
  std::vector<std::size_t> filled(n_groups, 0);
  for (const Pending& p : pending) records[p.group][filled[p.group]++] = p.record;

  std::vector<ResourceLogs> out;
  for (std::size_t s = 0; s < services.size(); ++s) {
    std::vector<ScopeLogs> scopes;
    for (int l = 0; l < kLoggersPerService; ++l) {
      const std::size_t g = s * kLoggersPerService + static_cast<std::size_t>(l);
      if (count[g] == 0) continue;
      ScopeLogs sl;
      sl.scope.name = services[s].loggers[l];
      sl.log_records = records[g];
      scopes.push_back(sl);
    }
    if (scopes.empty()) continue;
    ResourceLogs rl;
    rl.resource.attributes = services[s].resource;
    rl.scope_logs = batch.Copy(std::span<const ScopeLogs>(scopes));
    rl.schema_url = "https://opentelemetry.io/schemas/1.21.0";
    out.push_back(rl);
  }
  return batch.Copy(std::span<const ResourceLogs>(out));
}

LogGenerator::LogGenerator(LogGeneratorOptions options) : state_(std::make_unique<State>(options)) {
  if (state_->options.start_unix_nano == 0) state_->options.start_unix_nano = kDefaultStartUnixNano;
  state_->BuildCatalog();
}

LogGenerator::~LogGenerator() = default;

LogsView LogGenerator::Next(std::size_t n) {
  state_->batch.Reset();
  state_->pending.clear();
  for (std::size_t i = 0; i < n; ++i) state_->Generate();
  return state_->Group();
}

}  // namespace otelpack::loadgen

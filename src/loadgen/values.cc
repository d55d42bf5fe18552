// The attributes, events and links loadgen spans carry. Each kind of
// operation has its instrumentation's usual 15 attributes in order of
// importance, and a span keeps the first 5 to 15 of them.
#include "loadgen/values.h"

#include <charconv>
#include <cstring>
#include <limits>
#include <string>

#include "loadgen/fmt.h"

namespace otelpack::loadgen::internal {
namespace {

using namespace std::string_view_literals;


std::string_view UserId(Rng& rng, Arena* a) {
  // A pool of 5000 users, so ids repeat as they do in real traffic.
  std::uint64_t u = rng.Below(5000) * 0x9e3779b97f4a7c15ULL;
  return (Fmt() << "u_").Hex(u >> 32, 8).In(a);
}

std::string_view ThreadName(Language lang, Rng& rng, Arena* a) {
  switch (lang) {
    case Language::kJava: return (Fmt() << "http-nio-8080-exec-").Num(rng.Below(200) + 1).In(a);
    case Language::kPython: return (Fmt() << "ThreadPoolExecutor-0_").Num(rng.Below(32)).In(a);
    case Language::kGo: break;
  }
  return "main";
}

std::string_view MakeUuid(Rng& rng, Arena* a) {
  std::uint64_t x = rng.Next(), y = rng.Next();
  Fmt f;
  f.Hex(x >> 32, 8) << "-";
  f.Hex(x >> 16, 4) << "-";
  f.Hex(x, 4) << "-";
  f.Hex(y >> 48, 4) << "-";
  f.Hex(y, 12);
  return f.In(a);
}

// The route with "{id}" replaced by a number.
std::string_view Target(std::string_view route, Rng& rng, Arena* a) {
  Fmt f;
  std::size_t at = route.find("{id}");
  if (at == std::string_view::npos) return route;
  f << route.substr(0, at);
  f.Num(rng.Below(1000000));
  f << route.substr(at + 4);
  return f.In(a);
}

std::string_view Statement(std::string_view verb, std::string_view table, Arena* a) {
  Fmt f;
  if (verb == "SELECT") {
    f << "SELECT id, status, total, created_at FROM " << table << " WHERE id = $1 AND tenant_id = $2";
  } else if (verb == "INSERT") {
    f << "INSERT INTO " << table << " (id, user_id, status, total) VALUES ($1, $2, $3, $4)";
  } else if (verb == "UPDATE") {
    f << "UPDATE " << table << " SET status = $1, updated_at = now() WHERE id = $2";
  } else {
    f << "DELETE FROM " << table << " WHERE id = $1";
  }
  return f.In(a);
}

std::int64_t StatusCode(bool error, Rng& rng) {
  static constexpr std::int64_t kErrors[] = {500, 502, 503, 504};
  static constexpr std::int64_t kOk[] = {200, 200, 200, 200, 200, 200, 201, 204, 304, 400, 404};
  return error ? rng.Pick(std::span(kErrors)) : rng.Pick(std::span(kOk));
}

double Ms(std::uint64_t ns, double fraction) { return static_cast<double>(ns) * fraction / 1e6; }

// The awkward values all_value_types adds.
AnyValue Nested(int depth, Rng& rng, Arena* a) {
  if (depth == 0) return AnyValue::Int(static_cast<std::int64_t>(rng.Below(100)));
  if (depth % 2 == 0) {
    std::span<AnyValue> arr = a->Make<AnyValue>(1);
    arr[0] = Nested(depth - 1, rng, a);
    return AnyValue::Array(arr);
  }
  std::span<KeyValue> kv = a->Make<KeyValue>(1);
  kv[0] = {"level", Nested(depth - 1, rng, a)};
  return AnyValue::KvList(kv);
}

constexpr std::string_view kUnicode[] = {
    "h\xC3\xA9llo w\xC3\xB6rld",                      // 2-byte
    "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E",           // 3-byte
    "emoji \xF0\x9F\x8E\x89\xF0\x9F\x9A\x80 ok",      // 4-byte
    "line sep \xE2\x80\xA8 para sep \xE2\x80\xA9",    // U+2028, U+2029
};
constexpr std::string_view kInvalidUtf8[] = {
    "overlong \xC0\xAF and \xE0\x80\xAF"sv,
    "surrogate \xED\xA0\x80 high \xF4\x90\x80\x80 bad \xF5\xFF"sv,
    "lone \x80 continuation, truncated \xE2\x82"sv,
    "truncated four \xF0\x9F\x98"sv,
};
constexpr std::string_view kEscapes =
    "quote \" backslash \\ newline \n tab \t cr \r nul \0 bell \x07 del \x7f end"sv;
constexpr std::string_view kOddKeys[] = {
    "key \"quoted\" \\ back", "key\nnewline", "", "k\xC3\xA9y", "bad \xFF key"sv,
};

AnyValue Exotic(int which, Rng& rng, Arena* a, std::string_view* key) {
  switch (which) {
    case 0: {
      *key = "payload.bytes";
      std::span<char> bytes = a->Make<char>(rng.Below(40));
      for (char& c : bytes) c = static_cast<char>(rng.Next());
      return AnyValue::Bytes({bytes.data(), bytes.size()});
    }
    case 1: {
      *key = "tags";
      std::span<AnyValue> arr = a->Make<AnyValue>(rng.Below(5));
      for (AnyValue& v : arr) v = AnyValue::String(rng.Pick(ResourceNouns()));
      return AnyValue::Array(arr);
    }
    case 2: {
      *key = "matrix";
      std::span<AnyValue> rows = a->Make<AnyValue>(3);
      for (AnyValue& row : rows) {
        std::span<AnyValue> cells = a->Make<AnyValue>(3);
        cells[0] = AnyValue::Int(static_cast<std::int64_t>(rng.Below(1000)) - 500);
        cells[1] = AnyValue::Double(rng.Unit() * 100);
        cells[2] = AnyValue::Bool(rng.Chance(0.5));
        row = AnyValue::Array(cells);
      }
      return AnyValue::Array(rows);
    }
    case 3: {
      *key = "ctx";
      std::span<KeyValue> inner = a->Make<KeyValue>(3);
      inner[0] = {"id", AnyValue::Int(static_cast<std::int64_t>(rng.Below(100000)))};
      inner[1] = {"name", AnyValue::String(rng.Pick(std::span(kUnicode)))};
      inner[2] = {"nothing", AnyValue()};
      std::span<KeyValue> outer = a->Make<KeyValue>(2);
      outer[0] = {"user", AnyValue::KvList(inner)};
      outer[1] = {"empty", AnyValue::KvList({})};
      return AnyValue::KvList(outer);
    }
    case 4: {
      *key = "ratio";
      static constexpr double kDoubles[] = {
          std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
          -std::numeric_limits<double>::infinity(), -0.0, 1e300, -1e-300, 5e-324,
          std::numeric_limits<double>::max(), 0.1, 1.0 / 3};
      return AnyValue::Double(rng.Pick(std::span(kDoubles)));
    }
    case 5: {
      *key = "int.extreme";
      static constexpr std::int64_t kInts[] = {std::numeric_limits<std::int64_t>::min(),
                                               std::numeric_limits<std::int64_t>::max(), 0, -1,
                                               (std::int64_t{1} << 53) + 1};
      return AnyValue::Int(rng.Pick(std::span(kInts)));
    }
    case 6: *key = "note"; return AnyValue::String(rng.Pick(std::span(kUnicode)));
    case 7: *key = "escapes"; return AnyValue::String(kEscapes);
    case 8: *key = "invalid.utf8"; return AnyValue::String(rng.Pick(std::span(kInvalidUtf8)));
    case 9: *key = "empty"; return AnyValue();
    case 10: *key = rng.Pick(std::span(kOddKeys)); return AnyValue::String("");
    case 11: *key = "deep"; return Nested(40, rng, a);
    default: break;
  }
  *key = "empty.array";
  return AnyValue::Array({});
}
constexpr int kExoticKinds = 13;

void AddExotics(AttrList* attrs, Rng& rng, Arena* a) {
  for (int i = rng.Between(1, 4); i > 0; --i) {
    std::string_view key;
    AnyValue v = Exotic(static_cast<int>(rng.Below(kExoticKinds)), rng, a, &key);
    attrs->Add(key, v);
  }
}

}  // namespace

Attributes ValueMaker::Resource(std::string_view service, Language lang, Rng& rng, Arena* into, bool exotic) {
  static constexpr std::string_view kLang[] = {"java", "python", "go"};
  static constexpr std::string_view kRuntime[] = {"OpenJDK Runtime Environment", "CPython", "go"};
  const auto l = static_cast<std::size_t>(lang);
  AttrList r;
  r.Str("service.name", service);
  r.Str("service.namespace", "shop");
  r.Str("service.version", ((Fmt() << "1.").Num(rng.Below(30)) << ".0").In(into));
  r.Str("service.instance.id", (Fmt() << service << "-").Hex(rng.Next(), 10).In(into));
  r.Str("deployment.environment", "production");
  r.Str("host.name", ((Fmt() << "ip-10-0-").Num(rng.Below(256)) << "-").Num(rng.Below(256)).In(into));
  r.Str("host.arch", "amd64");
  r.Str("os.type", "linux");
  r.Str("telemetry.sdk.name", "opentelemetry");
  r.Str("telemetry.sdk.language", kLang[l]);
  r.Str("telemetry.sdk.version", "1.32.0");
  r.Str("process.runtime.name", kRuntime[l]);
  r.Int("process.pid", static_cast<std::int64_t>(rng.Below(30000) + 1));
  r.Str("k8s.namespace.name", "shop");
  r.Str("k8s.pod.name", (Fmt() << service << "-7d9f8c6b5-").Hex(rng.Next(), 5).In(into));
  if (exotic) {
    std::span<AnyValue> ips = into->Make<AnyValue>(2);
    ips[0] = AnyValue::String("10.0.3.17");
    ips[1] = AnyValue::String("fe80::1");
    r.Add("host.ip", AnyValue::Array(ips));
  }
  return r.Finish(into);
}

Attributes ValueMaker::SpanAttributes(const SpanFacts& f, Rng& rng, bool exotic) {
  Arena* a = arena_;
  AttrList r;
  const std::int64_t status = StatusCode(f.error, rng);
  switch (f.kind) {
    case OpKind::kServer:
      r.Str("http.method", f.verb);
      r.Str("http.route", f.route);
      r.Int("http.status_code", status);
      r.Str("http.target", Target(f.route, rng, a));
      r.Str("http.scheme", "https");
      r.Str("net.host.name", (Fmt() << f.service << ".shop.svc").In(a));
      r.Str("user.id", UserId(rng, a));
      r.Str("http.user_agent", rng.Pick(UserAgents()));
      r.Int("http.request_content_length", static_cast<std::int64_t>(rng.Below(4000)));
      r.Int("http.response_content_length", static_cast<std::int64_t>(rng.Below(60000)));
      r.Str("net.sock.peer.addr", ((Fmt() << "10.0.").Num(rng.Below(256)) << ".").Num(rng.Below(256)).In(a));
      r.Str("thread.name", ThreadName(f.lang, rng, a));
      r.Int("thread.id", static_cast<std::int64_t>(rng.Below(300) + 1));
      r.Dbl("app.request.duration_ms", Ms(f.duration_ns, 0.93));
      r.Bool("app.cache_enabled", rng.Chance(0.7));
      break;
    case OpKind::kHttpClient:
      r.Str("http.method", f.verb);
      r.Str("http.url", (Fmt() << "https://" << f.peer << ".shop.svc:8443"
                                << Target(f.route, rng, a)).In(a));
      r.Int("http.status_code", status);
      r.Str("net.peer.name", (Fmt() << f.peer << ".shop.svc").In(a));
      r.Int("net.peer.port", 8443);
      r.Str("peer.service", f.peer);
      r.Int("http.resend_count", static_cast<std::int64_t>(rng.Below(3)));
      r.Bool("retry.enabled", true);
      r.Str("thread.name", ThreadName(f.lang, rng, a));
      r.Int("thread.id", static_cast<std::int64_t>(rng.Below(300) + 1));
      r.Dbl("http.client.duration_ms", Ms(f.duration_ns, 1.0));
      r.Str("user.id", UserId(rng, a));
      r.Int("http.request_content_length", static_cast<std::int64_t>(rng.Below(4000)));
      r.Int("http.response_content_length", static_cast<std::int64_t>(rng.Below(60000)));
      r.Bool("app.circuit_breaker.open", false);
      break;
    case OpKind::kDb:
      r.Str("db.system", f.lang == Language::kGo ? "mysql" : "postgresql");
      r.Str("db.name", (Fmt() << f.service_word << "_db").In(a));
      r.Str("db.statement", Statement(f.verb, f.noun, a));
      r.Str("db.operation", f.verb);
      r.Str("db.sql.table", f.noun);
      r.Str("net.peer.name", (Fmt() << f.service_word << "-db.shop.svc").In(a));
      r.Int("net.peer.port", f.lang == Language::kGo ? 3306 : 5432);
      r.Str("db.user", (Fmt() << f.service_word << "_rw").In(a));
      r.Int("db.rows_affected", static_cast<std::int64_t>(rng.Below(50)));
      r.Dbl("db.connection_pool.wait_ms", rng.Unit() * 4);
      r.Str("thread.name", ThreadName(f.lang, rng, a));
      r.Int("thread.id", static_cast<std::int64_t>(rng.Below(300) + 1));
      r.Str("db.instance.id", (Fmt() << f.service_word << "-db-").Num(rng.Below(3)).In(a));
      r.Bool("app.query.cached", rng.Chance(0.2));
      r.Dbl("app.query.duration_ms", Ms(f.duration_ns, 0.97));
      break;
    case OpKind::kCache:
      r.Str("db.system", "redis");
      r.Str("db.operation", f.verb);
      r.Int("db.redis.database_index", static_cast<std::int64_t>(rng.Below(4)));
      r.Str("net.peer.name", "redis-master.shop.svc");
      r.Int("net.peer.port", 6379);
      r.Bool("cache.hit", rng.Chance(0.8));
      r.Str("cache.key", (Fmt() << f.noun << ":" << UserId(rng, a)).In(a));
      r.Int("cache.ttl_seconds", static_cast<std::int64_t>(rng.Below(3600)));
      r.Str("db.statement", (Fmt() << f.verb << " " << f.noun << ":*").In(a));
      r.Str("thread.name", ThreadName(f.lang, rng, a));
      r.Int("thread.id", static_cast<std::int64_t>(rng.Below(300) + 1));
      r.Int("cache.value_size_bytes", static_cast<std::int64_t>(rng.Below(20000)));
      r.Dbl("cache.lookup_ms", Ms(f.duration_ns, 0.9));
      r.Str("user.id", UserId(rng, a));
      r.Bool("app.fallback_used", false);
      break;
    case OpKind::kProducer:
    case OpKind::kConsumer:
      r.Str("messaging.system", "kafka");
      r.Str("messaging.destination.name", f.noun);
      r.Str("messaging.operation", f.verb);
      r.Int("messaging.kafka.destination.partition", static_cast<std::int64_t>(rng.Below(12)));
      r.Str("messaging.message.id", MakeUuid(rng, a));
      r.Int("messaging.message.payload_size_bytes", static_cast<std::int64_t>(rng.Below(8000)));
      r.Str("messaging.kafka.consumer.group", (Fmt() << f.service_word << "-consumers").In(a));
      r.Str("net.peer.name", "kafka-0.kafka.shop.svc");
      r.Int("messaging.kafka.message.offset", static_cast<std::int64_t>(rng.Below(1u << 30)));
      r.Str("thread.name", ThreadName(f.lang, rng, a));
      r.Int("thread.id", static_cast<std::int64_t>(rng.Below(300) + 1));
      r.Int("messaging.batch.message_count", static_cast<std::int64_t>(rng.Below(20) + 1));
      r.Dbl("messaging.queue_time_ms", rng.Unit() * 250);
      r.Str("user.id", UserId(rng, a));
      r.Bool("messaging.kafka.message.tombstone", false);
      break;
    case OpKind::kInternal:
      r.Str("code.function", f.verb);
      r.Str("code.namespace", (Fmt() << "com.example." << f.service_word << "." << f.noun).In(a));
      r.Int("code.lineno", static_cast<std::int64_t>(rng.Below(900) + 10));
      r.Int("app.items_count", static_cast<std::int64_t>(rng.Below(25)));
      r.Dbl("app.total_amount", static_cast<double>(rng.Below(100000)) / 100);
      r.Str("app.currency", rng.Chance(0.7) ? "USD" : "EUR");
      r.Str("user.id", UserId(rng, a));
      r.Str("tenant.id", (Fmt() << "tenant-").Num(rng.Below(40)).In(a));
      r.Bool("app.feature.checkout_v2", rng.Chance(0.5));
      r.Str("thread.name", ThreadName(f.lang, rng, a));
      r.Int("thread.id", static_cast<std::int64_t>(rng.Below(300) + 1));
      r.Str("app.step", "validate");
      r.Dbl("app.elapsed_ms", Ms(f.duration_ns, 0.99));
      r.Str("session.id", MakeUuid(rng, a));
      r.Bool("app.retry", rng.Chance(0.05));
      break;
  }
  r.Truncate(static_cast<std::size_t>(rng.Between(5, 15)));
  if (exotic && rng.Chance(0.6)) AddExotics(&r, rng, a);
  return r.Finish(a);
}

std::span<const SpanEvent> ValueMaker::Events(std::uint64_t start, std::uint64_t end, Rng& rng, bool exotic) {
  std::span<SpanEvent> events = arena_->Make<SpanEvent>(static_cast<std::size_t>(rng.Between(1, 3)));
  for (SpanEvent& e : events) {
    e.time_unix_nano = start + static_cast<std::uint64_t>(static_cast<double>(end - start) * rng.Unit());
    AttrList r;
    switch (rng.Below(6)) {
      case 0:
        e.name = "cache.miss";
        r.Str("cache.key", (Fmt() << "cart:" << UserId(rng, arena_)).In(arena_));
        break;
      case 1:
        e.name = "retry";
        r.Int("attempt", rng.Between(1, 4));
        r.Dbl("backoff_ms", 100 * rng.Unit() + 50);
        break;
      case 2:
        e.name = "message.received";
        r.Str("messaging.message.id", MakeUuid(rng, arena_));
        break;
      case 3:
        e.name = "db.connection.acquired";
        r.Str("pool.name", "HikariPool-1");
        r.Dbl("wait_ms", rng.Unit() * 3);
        break;
      case 4:
        e.name = "feature_flag";
        r.Str("feature_flag.key", "checkout_v2");
        r.Str("feature_flag.variant", rng.Chance(0.5) ? "on" : "off");
        r.Str("feature_flag.provider_name", "flagd");
        break;
      default:
        e.name = "validation.completed";
        break;
    }
    if (exotic && rng.Chance(0.3)) AddExotics(&r, rng, arena_);
    e.attributes = r.Finish(arena_);
  }
  return events;
}

std::span<const SpanEvent> ValueMaker::ExceptionEvents(const ExceptionText& exc, std::string_view stacktrace,
                                                       std::uint64_t start, std::uint64_t end, Rng& rng,
                                                       bool exotic) {
  const bool retried = rng.Chance(0.3);
  std::span<SpanEvent> events = arena_->Make<SpanEvent>(retried ? 2 : 1);
  if (retried) {
    AttrList r;
    r.Int("attempt", 1);
    r.Dbl("backoff_ms", 100 * rng.Unit() + 50);
    events[0].name = "retry";
    events[0].time_unix_nano = start + (end - start) / 3;
    events[0].attributes = r.Finish(arena_);
  }
  AttrList r;
  r.Str("exception.type", exc.type);
  r.Str("exception.message", exc.message);
  r.Str("exception.stacktrace", stacktrace);
  r.Bool("exception.escaped", true);
  if (exotic && rng.Chance(0.3)) AddExotics(&r, rng, arena_);
  SpanEvent& e = events.back();
  e.name = "exception";
  e.time_unix_nano = end - (end - start) / 50;
  e.attributes = r.Finish(arena_);
  return events;
}

std::span<const SpanLink> ValueMaker::LinkTo(const TraceId& trace, const SpanId& span, Rng& rng, bool exotic) {
  std::span<SpanLink> links = arena_->Make<SpanLink>(1);
  AttrList r;
  r.Str("messaging.operation", "publish");
  if (exotic && rng.Chance(0.3)) AddExotics(&r, rng, arena_);
  links[0].trace_id = trace;
  links[0].span_id = span;
  links[0].attributes = r.Finish(arena_);
  return links;
}

}  // namespace otelpack::loadgen::internal

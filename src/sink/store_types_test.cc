// Tests of the store's events by type: the type and name columns, counting by
// type (with and without the event rows), FindEvents' filters, order, limit
// and byte cap, the index behind it, the trace query keeping to spans, and
// the upgrade of a file made by the first release's schema.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "common/str_cat.h"
#include "sink/store.h"
#include "sink/test_util.h"

namespace otelpack::sink {
namespace {

using testing::TempDir;

const std::string kTrace = testing::TraceIdFor(1);

EventRecord Record(EventType type, std::string_view service, std::string_view name,
                   std::string_view json, std::string_view trace_id = {},
                   std::int64_t time_ms = 5) {
  EventRecord e;
  e.type = type;
  e.service = service;
  e.name = name;
  e.json = json;
  e.trace_id = trace_id;
  e.span_id = trace_id.empty() ? "" : "1000000000000000";
  e.time_ms = time_ms;
  return e;
}

// One batch of each type, mixed in the order they are stored.
std::vector<EventRecord> MixedEvents() {
  return {
      Record(EventType::kSpan, "checkout", "GET /cart", R"({"n":0})", kTrace, 30),
      Record(EventType::kLog, "checkout", "", R"({"n":1})", kTrace, 10),
      Record(EventType::kMetric, "checkout", "http.duration", R"({"n":2})"),
      Record(EventType::kLog, "payments", "browser.click", R"({"n":3})"),
      Record(EventType::kSpan, "payments", "GET /cart", R"({"n":4})", kTrace, 20),
      Record(EventType::kMetric, "payments", "http.duration", R"({"n":5})"),
      Record(EventType::kLog, "checkout", "", R"({"n":6})"),
  };
}

std::vector<std::string> Find(Store& store, EventFilter filter) {
  Result<std::vector<std::string>> found = store.FindEvents(filter);
  EXPECT_TRUE(found.ok()) << found.status().ToString();
  return found.ok() ? *found : std::vector<std::string>{"error"};
}

std::vector<std::string> Jsons(std::initializer_list<int> ns) {
  std::vector<std::string> out;
  for (int n : ns) out.push_back(StrCat(R"({"n":)", n, "}"));
  return out;
}

TEST(StoreTypesTest, FindsEventsByTypeServiceAndNameInStoredOrder) {
  auto store = Store::Open("");
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  const std::vector<EventRecord> events = MixedEvents();
  ASSERT_TRUE((*store)->Append("b1", 1, events).ok());
  Store& s = **store;

  EXPECT_EQ(Find(s, {}), Jsons({0, 1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(Find(s, {.type = EventType::kLog}), Jsons({1, 3, 6}));
  EXPECT_EQ(Find(s, {.type = EventType::kSpan}), Jsons({0, 4}));
  EXPECT_EQ(Find(s, {.type = EventType::kMetric, .service = "payments"}), Jsons({5}));
  EXPECT_EQ(Find(s, {.type = EventType::kLog, .service = "checkout"}), Jsons({1, 6}));
  EXPECT_EQ(Find(s, {.type = EventType::kLog, .name = ""}), Jsons({1, 6}));
  EXPECT_EQ(Find(s, {.type = EventType::kLog, .name = "browser.click"}), Jsons({3}));
  EXPECT_EQ(Find(s, {.service = "checkout"}), Jsons({0, 1, 2, 6}));
  EXPECT_EQ(Find(s, {.name = "GET /cart"}), Jsons({0, 4}));
  EXPECT_EQ(Find(s, {.type = EventType::kSpan, .service = "payments", .name = "GET /cart"}),
            Jsons({4}));
  EXPECT_EQ(Find(s, {.type = EventType::kSpan, .service = "checkout", .name = "http.duration"}),
            Jsons({}));
  EXPECT_EQ(Find(s, {.service = "nobody"}), Jsons({}));
  // The limit keeps the oldest.
  EXPECT_EQ(Find(s, {.limit = 3}), Jsons({0, 1, 2}));
  EXPECT_EQ(Find(s, {.type = EventType::kLog, .limit = 2}), Jsons({1, 3}));
  EXPECT_EQ(Find(s, {.type = EventType::kMetric, .name = "http.duration", .limit = 1}),
            Jsons({2}));
  // Batches keep their order too.
  ASSERT_TRUE((*store)->Append("b2", 2, std::span(events).first(2)).ok());
  EXPECT_EQ(Find(s, {.type = EventType::kSpan, .service = "checkout"}), Jsons({0, 0}));
}

TEST(StoreTypesTest, CountsByTypeWithAndWithoutEventRows) {
  for (bool keep_events : {true, false}) {
    TempDir dir;
    const std::string path = dir.File("types.db");
    {
      auto store = Store::Open(path, keep_events);
      ASSERT_TRUE(store.ok());
      EXPECT_EQ(*(*store)->CountByType(), EventCounts{});
      const std::vector<EventRecord> events = MixedEvents();
      ASSERT_TRUE((*store)->Append("b1", 1, events).ok());
      ASSERT_TRUE((*store)->Append("b1", 1, events).ok());  // a duplicate counts nothing
      ASSERT_TRUE((*store)->Append(std::nullopt, 1, std::span(events).first(3)).ok());
      EXPECT_EQ(*(*store)->CountByType(), (EventCounts{3, 4, 3})) << keep_events;
      EXPECT_EQ(*(*store)->CountEvents(), 10u);
    }
    // Counted from the file after a restart.
    auto store = Store::Open(path, keep_events);
    ASSERT_TRUE(store.ok());
    EXPECT_EQ(*(*store)->CountByType(), (EventCounts{3, 4, 3})) << keep_events;
    EXPECT_EQ(Find(**store, {.type = EventType::kMetric}).size(), keep_events ? 3u : 0u);
  }
}

TEST(StoreTypesTest, ATraceIsItsSpansEvenWhenLogsCarryItsId) {
  auto store = Store::Open("");
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->Append(std::nullopt, 1, MixedEvents()).ok());
  EXPECT_EQ(*(*store)->TraceJson(kTrace),
            StrCat(R"({"trace_id":")", kTrace, R"(","events":[{"n":4},{"n":0}]})"));
}

TEST(StoreTypesTest, FindEventsStopsAtItsByteCap) {
  {
    auto store = Store::Open("");
    ASSERT_TRUE(store.ok());
    const std::string big(1 << 20, 'x');  // the store keeps what validation passed
    const std::size_t fit = Store::kMaxFoundEventsBytes / big.size();
    std::vector<EventRecord> events(fit + 2, Record(EventType::kLog, "svc", "", big));
    ASSERT_TRUE((*store)->Append(std::nullopt, 1, events).ok());
    EXPECT_EQ(Find(**store, {.limit = kMaxEventsLimit}).size(), fit);
  }
  // One event larger than the cap alone is still returned.
  auto store = Store::Open("");
  ASSERT_TRUE(store.ok());
  const std::string too_big(Store::kMaxFoundEventsBytes + 1, 'y');
  const std::vector<EventRecord> events = {Record(EventType::kLog, "s", "", too_big),
                                           Record(EventType::kLog, "s", "", "{}")};
  ASSERT_TRUE((*store)->Append(std::nullopt, 1, events).ok());
  EXPECT_EQ(Find(**store, {}).size(), 1u);
}

// Column `column` of every row `sql` gives on the file at `path`, each row's
// text followed by "; " (NULL as "(null)").
std::string QueryColumn(const std::string& path, const std::string& sql, int column) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  std::string out;
  while (sqlite3_step(s) == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(s, column);
    StrAppend(&out, text != nullptr ? reinterpret_cast<const char*>(text) : "(null)", "; ");
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return out;
}

// The plan SQLite chooses for FindEventsSql(filter), from a file with rows.
std::string PlanOf(const std::string& path, const EventFilter& filter) {
  return QueryColumn(path, StrCat("EXPLAIN QUERY PLAN ", FindEventsSql(filter)), 3);
}

TEST(StoreTypesTest, TheTypeIndexServesTheEventQueries) {
  TempDir dir;
  const std::string path = dir.File("plan.db");
  {
    auto store = Store::Open(path);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->Append(std::nullopt, 1, MixedEvents()).ok());
  }
  EXPECT_EQ(FindEventsSql({}), "SELECT json FROM events ORDER BY id LIMIT ?1");
  EXPECT_EQ(FindEventsSql({.type = EventType::kLog, .name = "x"}),
            "SELECT json FROM events WHERE type = 'log' AND type <> 'span' AND name = ?1 "
            "ORDER BY id LIMIT ?2");
  EXPECT_EQ(FindEventsSql({.type = EventType::kSpan, .service = "s"}),
            "SELECT json FROM events WHERE type = 'span' AND service = ?1 ORDER BY id LIMIT ?2");
  EXPECT_EQ(FindEventsSql({.service = "s", .name = "x"}),
            "SELECT json FROM events WHERE service = ?1 AND name = ?2 ORDER BY id LIMIT ?3");
  // Every filter given: the index yields the rows in id order, no sorting.
  for (EventType type : {EventType::kLog, EventType::kMetric}) {
    const std::string plan = PlanOf(path, {.type = type, .service = "checkout", .name = "x"});
    EXPECT_NE(plan.find("USING INDEX events_by_type (type=? AND service=? AND name=?)"),
              std::string::npos)
        << plan;
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
  }
  // Fewer filters: the index still narrows the rows to the type's.
  for (const EventFilter& filter :
       {EventFilter{.type = EventType::kLog}, EventFilter{.type = EventType::kMetric, .name = "x"},
        EventFilter{.type = EventType::kLog, .service = "checkout"}}) {
    const std::string plan = PlanOf(path, filter);
    EXPECT_NE(plan.find("USING INDEX events_by_type (type=?"), std::string::npos) << plan;
  }
}

// The schema the first release created, verbatim: the test builds an old
// file with it rather than keeping a binary.
constexpr const char* kReleaseOneSchema = R"sql(
CREATE TABLE IF NOT EXISTS batches(
  seq INTEGER PRIMARY KEY,
  batch_id TEXT UNIQUE,
  received_at_ms INTEGER NOT NULL,
  events INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS events(
  id INTEGER PRIMARY KEY,
  batch_seq INTEGER NOT NULL REFERENCES batches(seq),
  trace_id TEXT NOT NULL,
  span_id TEXT NOT NULL,
  service TEXT NOT NULL,
  operation TEXT NOT NULL,
  start_time_ms INTEGER NOT NULL,
  json TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_by_trace ON events(trace_id, start_time_ms, id);
PRAGMA user_version = 1;
)sql";

void Exec(sqlite3* db, const std::string& sql) {
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db) << "\n" << sql;
}

int UserVersion(const std::string& path) {
  return std::stoi(QueryColumn(path, "PRAGMA user_version", 0));
}

TEST(StoreTypesTest, UpgradesAFileOfTheFirstRelease) {
  TempDir dir;
  const std::string path = dir.File("release1.db");
  const std::string span_a = testing::SpanJson(1, kTrace);
  const std::string span_b = testing::SpanJson(2, kTrace);
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    Exec(db, "PRAGMA journal_mode=WAL");
    Exec(db, kReleaseOneSchema);
    Exec(db, "INSERT INTO batches(batch_id, received_at_ms, events) VALUES('old-batch', 1, 2)");
    Exec(db, StrCat("INSERT INTO events(batch_seq, trace_id, span_id, service, operation, "
                    "start_time_ms, json) VALUES(1, '", kTrace, "', '", testing::SpanIdFor(1),
                    "', 'checkout', 'GET /cart/1', 200, '", span_a, "'), (1, '", kTrace, "', '",
                    testing::SpanIdFor(2), "', 'checkout', 'GET /cart/2', 100, '", span_b, "')"));
    sqlite3_close(db);
  }
  ASSERT_EQ(UserVersion(path), 1);
  {
    auto store = Store::Open(path);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    Store& s = **store;
    // The old rows are spans, named by their operation.
    EXPECT_EQ(*s.CountEvents(), 2u);
    EXPECT_EQ(*s.CountBatches(), 1u);
    EXPECT_EQ(*s.CountByType(), (EventCounts{2, 0, 0}));
    EXPECT_EQ(*s.TraceJson(kTrace),
              StrCat(R"({"trace_id":")", kTrace, R"(","events":[)", span_b, ",", span_a, "]}"));
    EXPECT_EQ(Find(s, {.type = EventType::kSpan, .service = "checkout", .name = "GET /cart/1"}),
              std::vector<std::string>{span_a});
    // The old batch id still deduplicates, and new types go in beside.
    auto again = s.Append("old-batch", 2, MixedEvents());
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(again->duplicate);
    EXPECT_EQ(again->accepted, 2u);
    ASSERT_TRUE(s.Append("new-batch", 2, MixedEvents()).ok());
    EXPECT_EQ(*s.CountByType(), (EventCounts{4, 3, 2}));
    EXPECT_EQ(Find(s, {.type = EventType::kLog}), Jsons({1, 3, 6}));
    EXPECT_EQ(Find(s, {.type = EventType::kSpan}), (std::vector<std::string>{span_a, span_b,
                                                                             R"({"n":0})",
                                                                             R"({"n":4})"}));
  }
  EXPECT_EQ(UserVersion(path), 2);
  // Opening the upgraded file again changes nothing.
  auto store = Store::Open(path);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(*(*store)->CountEvents(), 9u);
  EXPECT_EQ(*(*store)->CountByType(), (EventCounts{4, 3, 2}));
  EXPECT_EQ(UserVersion(path), 2);
}

TEST(StoreTypesTest, ANewFileHasTheSameSchemaAsAnUpgradedOne) {
  TempDir dir;
  const std::string fresh = dir.File("fresh.db");
  const std::string upgraded = dir.File("upgraded.db");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(upgraded.c_str(), &db), SQLITE_OK);
    Exec(db, kReleaseOneSchema);
    sqlite3_close(db);
  }
  ASSERT_TRUE(Store::Open(fresh).ok());
  ASSERT_TRUE(Store::Open(upgraded).ok());
  auto schema = [](const std::string& path) {
    return QueryColumn(path, "SELECT sql FROM sqlite_schema ORDER BY name", 0);
  };
  EXPECT_EQ(schema(fresh), schema(upgraded));
  EXPECT_NE(schema(fresh).find("events_by_type"), std::string::npos);
  EXPECT_EQ(UserVersion(fresh), 2);
}

}  // namespace
}  // namespace otelpack::sink

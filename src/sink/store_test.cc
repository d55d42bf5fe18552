// Tests of the SQLite store: atomic batches, deduplication by batch id (also
// across reopening the file), trace order, WAL mode, concurrent writers.
#include "sink/store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <thread>
#include <vector>

#include "common/str_cat.h"
#include "sink/test_util.h"

namespace otelpack::sink {
namespace {

using testing::TempDir;

EventRecord Event(std::string_view trace_id, std::string_view span_id, std::int64_t start,
                  std::string_view json) {
  EventRecord e;
  e.trace_id = trace_id;
  e.span_id = span_id;
  e.service = "svc";
  e.name = "op";
  e.time_ms = start;
  e.json = json;
  return e;
}

const std::string kTraceA = testing::TraceIdFor(1);
const std::string kTraceB = testing::TraceIdFor(2);

TEST(StoreTest, StoresBatchesAndCountsEvents) {
  auto store = Store::Open("");
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  std::vector<EventRecord> events = {Event(kTraceA, "s1", 10, R"({"n":1})"),
                                     Event(kTraceA, "s2", 5, R"({"n":2})")};
  auto r = (*store)->Append(std::nullopt, 1, events);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->duplicate);
  EXPECT_EQ(r->accepted, 2u);
  // Without a batch id nothing is deduplicated.
  ASSERT_TRUE((*store)->Append(std::nullopt, 2, events).ok());
  EXPECT_EQ(*(*store)->CountEvents(), 4u);
  EXPECT_EQ(*(*store)->CountBatches(), 2u);
  auto all = (*store)->AllEvents();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, (std::vector<std::string>{R"({"n":1})", R"({"n":2})", R"({"n":1})",
                                            R"({"n":2})"}));
}

TEST(StoreTest, DuplicateBatchIdStoresNothing) {
  auto store = Store::Open("");
  ASSERT_TRUE(store.ok());
  std::vector<EventRecord> three = {Event(kTraceA, "a", 1, "{}"), Event(kTraceA, "b", 2, "{}"),
                                    Event(kTraceA, "c", 3, "{}")};
  auto first = (*store)->Append("batch-1", 1, three);
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first->duplicate);
  // The retry reports what the first delivery stored.
  auto again = (*store)->Append("batch-1", 2, std::span(three).first(1));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(again->accepted, 3u);
  EXPECT_EQ(*(*store)->CountEvents(), 3u);
  EXPECT_EQ(*(*store)->CountBatches(), 1u);
  // The store still works after the refused insert.
  ASSERT_TRUE((*store)->Append("batch-2", 3, three).ok());
  EXPECT_EQ(*(*store)->CountEvents(), 6u);
}

TEST(StoreTest, CountOnlyKeepsBatchesAndCountsButNoEvent) {
  auto store = Store::Open("", /*keep_events=*/false);
  ASSERT_TRUE(store.ok());
  std::vector<EventRecord> three = {Event(kTraceA, "a", 1, "{}"), Event(kTraceA, "b", 2, "{}"),
                                    Event(kTraceA, "c", 3, "{}")};
  ASSERT_TRUE((*store)->Append("batch-1", 1, three).ok());
  auto again = (*store)->Append("batch-1", 2, three);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->duplicate);
  ASSERT_TRUE((*store)->Append("batch-2", 3, std::span(three).first(2)).ok());
  EXPECT_EQ(*(*store)->CountEvents(), 5u);
  EXPECT_EQ(*(*store)->CountBatches(), 2u);
  EXPECT_TRUE((*store)->AllEvents()->empty());
}

TEST(StoreTest, TraceJsonIsInStartTimeOrder) {
  auto store = Store::Open("");
  ASSERT_TRUE(store.ok());
  std::vector<EventRecord> events = {
      Event(kTraceA, "1", 30, R"({"t":30})"), Event(kTraceB, "2", 10, R"({"b":1})"),
      Event(kTraceA, "3", 10, R"({"t":10})"), Event(kTraceA, "4", 20, R"({"t":20})"),
      Event(kTraceA, "5", 10, R"({"t":"10b"})")};
  ASSERT_TRUE((*store)->Append(std::nullopt, 1, events).ok());
  auto trace = (*store)->TraceJson(kTraceA);
  ASSERT_TRUE(trace.ok());
  EXPECT_EQ(*trace, StrCat(R"({"trace_id":")", kTraceA,
                           R"(","events":[{"t":10},{"t":"10b"},{"t":20},{"t":30}]})"));
  auto none = (*store)->TraceJson(testing::TraceIdFor(3));
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, StrCat(R"({"trace_id":")", testing::TraceIdFor(3), R"(","events":[]})"));
}

TEST(StoreTest, PersistsAcrossReopenInWalMode) {
  TempDir dir;
  const std::string path = dir.File("sink.db");
  {
    auto store = Store::Open(path);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ASSERT_TRUE((*store)->Append("b1", 1, std::vector{Event(kTraceA, "x", 1, "{\"v\":1}")}).ok());
  }
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
    EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)), "wal");
    sqlite3_finalize(s);
    sqlite3_close(db);
  }
  auto store = Store::Open(path);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(*(*store)->CountEvents(), 1u);
  auto again = (*store)->Append("b1", 2, std::vector{Event(kTraceA, "x", 1, "{}")});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(*(*store)->AllEvents(), std::vector<std::string>{"{\"v\":1}"});
}

TEST(StoreTest, RefusesAnUnknownSchemaVersionAndBadPaths) {
  TempDir dir;
  const std::string path = dir.File("future.db");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 7", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto store = Store::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);

  auto missing_dir = Store::Open(dir.File("no/such/dir/sink.db"));
  EXPECT_FALSE(missing_dir.ok());
}

TEST(StoreTest, ConcurrentWritersStoreEveryBatchOnce) {
  TempDir dir;
  auto store = Store::Open(dir.File("c.db"));
  ASSERT_TRUE(store.ok());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        const std::string id = StrCat("t", t, "-", i % 25);  // each id sent twice
        auto r = (*store)->Append(id, 1, std::vector{Event(kTraceA, "s", i, "{}")});
        EXPECT_TRUE(r.ok());
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(*(*store)->CountBatches(), 100u);
  EXPECT_EQ(*(*store)->CountEvents(), 100u);
}

}  // namespace
}  // namespace otelpack::sink

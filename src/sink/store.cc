// The sink's SQLite store: schema, prepared statements, one transaction per batch.
#include "sink/store.h"

#include <sqlite3.h>

#include <memory>

#include "common/str_cat.h"

namespace otelpack::sink {
namespace {

// The schema, version 2. A new file is created at version 1 and upgraded like
// a file of an earlier release, so every file reaches version 2 the same way.
constexpr int kSchemaVersion = 2;

// Version 1, spans only, as the first release wrote it. batches.seq is the row
// id events refer to; batch_id is UNIQUE rather than the primary key because
// a request without X-Batch-ID is stored too (with a NULL id, never
// deduplicated).
constexpr const char* kSchemaV1 = R"sql(
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
)sql";

// Version 1 -> 2: logs and metrics. An event has a type ('span', 'log',
// 'metric'; the rows of version 1 are spans) and a name: renaming operation
// keeps a span's name where it was without rewriting a row. A log's or a
// metric's time goes in start_time_ms, its absent ids are ''. A batch counts
// its logs and metrics (its spans are the rest), so counting by type needs no
// event row.
//
// GET /v1/events is served by events_by_type, partial: logs and metrics
// only. Spans are left out on purpose: with its leading columns the same for
// most spans, each insert would compare whole keys all the way down, which
// made storing spans 3 to 4 times slower in SQLite; spans are found by trace,
// and a query for them by service or name scans in id order up to its limit.
// One index rather than one per type: SQLite evaluates a partial index's
// WHERE for every row inserted, spans too, and a second one cost span
// inserts another 4% (7% for one, 11% for two, in memory).
constexpr const char* kUpgradeToV2 = R"sql(
ALTER TABLE events RENAME COLUMN operation TO name;
ALTER TABLE events ADD COLUMN type TEXT NOT NULL DEFAULT 'span';
ALTER TABLE batches ADD COLUMN log_events INTEGER NOT NULL DEFAULT 0;
ALTER TABLE batches ADD COLUMN metric_events INTEGER NOT NULL DEFAULT 0;
CREATE INDEX events_by_type ON events(type, service, name, id) WHERE type <> 'span';
)sql";

// The text is bound for the duration of one step: no copy.
const sqlite3_destructor_type kNoCopy = static_cast<sqlite3_destructor_type>(nullptr);

// An empty view may have no data pointer, which SQLite would bind as NULL.
int BindText(sqlite3_stmt* statement, int index, std::string_view text) {
  return sqlite3_bind_text64(statement, index, text.empty() ? "" : text.data(), text.size(),
                             kNoCopy, SQLITE_UTF8);
}

std::string_view ColumnText(sqlite3_stmt* statement, int column) {
  const auto* text = sqlite3_column_text(statement, column);
  return {reinterpret_cast<const char*>(text),
          static_cast<std::size_t>(sqlite3_column_bytes(statement, column))};
}

// Resets a statement (and clears its bindings) when the scope ends.
class ResetOnExit {
 public:
  explicit ResetOnExit(sqlite3_stmt* statement) : statement_(statement) {}
  ~ResetOnExit() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  sqlite3_stmt* statement_;
};

}  // namespace

Result<std::unique_ptr<Store>> Store::Open(const std::string& path, bool keep_events) {
  sqlite3* db = nullptr;
  const std::string name = path.empty() ? ":memory:" : path;
  const int rc = sqlite3_open_v2(name.c_str(), &db,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
  if (rc != SQLITE_OK) {
    std::string message = StrCat("sink store: cannot open ", name, ": ",
                                 db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    sqlite3_close_v2(db);
    return Status::Unavailable(message);
  }
  std::unique_ptr<Store> store(new Store(db, keep_events));
  if (Status s = store->Prepare(); !s.ok()) return s;
  return store;
}

Store::Store(sqlite3* db, bool keep_events) : db_(db), keep_events_(keep_events) {}

Store::~Store() {
  for (sqlite3_stmt* s : {begin_, commit_, rollback_, insert_batch_, find_batch_, insert_event_,
                          count_events_, count_batches_, count_by_type_, trace_events_,
                          all_events_}) {
    sqlite3_finalize(s);
  }
  sqlite3_close_v2(db_);
}

Status Store::Fail(std::string_view what) const {
  return Status::Internal(StrCat("sink store: ", what, ": ", sqlite3_errmsg(db_)));
}

Status Store::Prepare() {
  sqlite3_busy_timeout(db_, 5000);  // another process (sqlite3 shell) may read the file
  // WAL: readers do not block the writer; NORMAL: no fsync per commit. An
  // in-memory database keeps its "memory" journal mode.
  // A 32 MiB page cache keeps the trace index's pages hot: its keys are
  // random, so each insert lands on an arbitrary page. A checkpoint (two
  // fsyncs with synchronous=NORMAL) every 16384 pages rather than 1000 costs
  // a WAL file of up to 64 MiB and is worth ~1.5x the ingest rate.
  if (sqlite3_exec(db_,
                   "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                   "PRAGMA cache_size=-32768; PRAGMA wal_autocheckpoint=16384;",
                   nullptr, nullptr, nullptr) != SQLITE_OK) {
    return Fail("setting WAL mode");
  }
  if (Status s = UpgradeSchema(); !s.ok()) return s;
  struct {
    sqlite3_stmt** statement;
    const char* sql;
  } const statements[] = {
      {&begin_, "BEGIN IMMEDIATE"},
      {&commit_, "COMMIT"},
      {&rollback_, "ROLLBACK"},
      {&insert_batch_,
       "INSERT INTO batches(batch_id, received_at_ms, events, log_events, metric_events) "
       "VALUES(?1, ?2, ?3, ?4, ?5)"},
      {&find_batch_, "SELECT events FROM batches WHERE batch_id = ?1"},
      {&insert_event_,
       "INSERT INTO events(batch_seq, type, trace_id, span_id, service, name, start_time_ms, "
       "json) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"},
      {&count_events_, keep_events_ ? "SELECT COUNT(*) FROM events"
                                    : "SELECT COALESCE(SUM(events), 0) FROM batches"},
      {&count_batches_, "SELECT COUNT(*) FROM batches"},
      {&count_by_type_,
       "SELECT COALESCE(SUM(events), 0), COALESCE(SUM(log_events), 0), "
       "COALESCE(SUM(metric_events), 0) FROM batches"},
      {&trace_events_,
       "SELECT json FROM events WHERE trace_id = ?1 AND type = 'span' "
       "ORDER BY start_time_ms, id"},
      {&all_events_, "SELECT json FROM events ORDER BY id"},
  };
  for (const auto& [statement, sql] : statements) {
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, statement, nullptr) !=
        SQLITE_OK) {
      return Fail(StrCat("preparing \"", sql, "\""));
    }
  }
  return Status::Ok();
}

Status Store::UpgradeSchema() {
  // In one transaction, taken before the version is read: two processes
  // opening one old file upgrade it once, and a crash leaves it as it was.
  if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return Fail("starting the schema upgrade");
  }
  auto rollback = [this](Status status) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return status;
  };
  int version = -1;
  {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, "PRAGMA user_version", -1, &s, nullptr) != SQLITE_OK) {
      return rollback(Fail("reading the schema version"));
    }
    if (sqlite3_step(s) == SQLITE_ROW) version = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
  }
  if (version < 0 || version > kSchemaVersion) {
    return rollback(Status::FailedPrecondition(
        StrCat("sink store: the database has schema version ", version, ", this sink knows 1 to ",
               kSchemaVersion)));
  }
  if (version == 0 && sqlite3_exec(db_, kSchemaV1, nullptr, nullptr, nullptr) != SQLITE_OK) {
    return rollback(Fail("creating the schema"));
  }
  if (version < 2 && sqlite3_exec(db_, kUpgradeToV2, nullptr, nullptr, nullptr) != SQLITE_OK) {
    return rollback(Fail("upgrading the schema from version 1 to 2"));
  }
  const std::string set_version = StrCat("PRAGMA user_version = ", kSchemaVersion);
  if (sqlite3_exec(db_, set_version.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    return rollback(Fail("setting the schema version"));
  }
  if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return rollback(Fail("committing the schema"));
  }
  return Status::Ok();
}

Result<Store::AppendResult> Store::Append(std::optional<std::string_view> batch_id,
                                          std::int64_t received_at_ms,
                                          std::span<const EventRecord> events) {
  std::lock_guard<std::mutex> lock(mu_);
  {
    ResetOnExit reset(begin_);
    if (sqlite3_step(begin_) != SQLITE_DONE) return Fail("BEGIN");
  }
  // Everything below either commits or rolls back.
  auto rollback = [this](Status status) {
    ResetOnExit reset(rollback_);
    sqlite3_step(rollback_);
    return status;
  };

  int rc;
  {
    ResetOnExit reset(insert_batch_);
    if (batch_id.has_value()) {
      BindText(insert_batch_, 1, *batch_id);
    } else {
      sqlite3_bind_null(insert_batch_, 1);
    }
    const EventCounts counts = sink::CountByType(events);
    sqlite3_bind_int64(insert_batch_, 2, received_at_ms);
    sqlite3_bind_int64(insert_batch_, 3, static_cast<sqlite3_int64>(events.size()));
    sqlite3_bind_int64(insert_batch_, 4, static_cast<sqlite3_int64>(counts.log));
    sqlite3_bind_int64(insert_batch_, 5, static_cast<sqlite3_int64>(counts.metric));
    rc = sqlite3_step(insert_batch_);
  }
  if (rc == SQLITE_CONSTRAINT && batch_id.has_value()) {
    rollback(Status::Ok());
    ResetOnExit reset(find_batch_);
    BindText(find_batch_, 1, *batch_id);
    if (sqlite3_step(find_batch_) != SQLITE_ROW) return Fail("looking up a duplicate batch");
    return AppendResult{true, static_cast<std::uint64_t>(sqlite3_column_int64(find_batch_, 0))};
  }
  if (rc != SQLITE_DONE) return rollback(Fail("inserting the batch"));
  const sqlite3_int64 seq = sqlite3_last_insert_rowid(db_);

  for (const EventRecord& e : keep_events_ ? events : std::span<const EventRecord>()) {
    ResetOnExit reset(insert_event_);
    sqlite3_bind_int64(insert_event_, 1, seq);
    BindText(insert_event_, 2, EventTypeName(e.type));
    BindText(insert_event_, 3, e.trace_id);
    BindText(insert_event_, 4, e.span_id);
    BindText(insert_event_, 5, e.service);
    BindText(insert_event_, 6, e.name);
    sqlite3_bind_int64(insert_event_, 7, e.time_ms);
    BindText(insert_event_, 8, e.json);
    if (sqlite3_step(insert_event_) != SQLITE_DONE) return rollback(Fail("inserting an event"));
  }
  {
    ResetOnExit reset(commit_);
    if (sqlite3_step(commit_) != SQLITE_DONE) return rollback(Fail("COMMIT"));
  }
  return AppendResult{false, events.size()};
}

Result<std::uint64_t> Store::Count(sqlite3_stmt* statement) const {
  std::lock_guard<std::mutex> lock(mu_);
  ResetOnExit reset(statement);
  if (sqlite3_step(statement) != SQLITE_ROW) return Fail("counting");
  return static_cast<std::uint64_t>(sqlite3_column_int64(statement, 0));
}

Result<std::uint64_t> Store::CountEvents() const { return Count(count_events_); }
Result<std::uint64_t> Store::CountBatches() const { return Count(count_batches_); }

Result<EventCounts> Store::CountByType() const {
  std::lock_guard<std::mutex> lock(mu_);
  ResetOnExit reset(count_by_type_);
  if (sqlite3_step(count_by_type_) != SQLITE_ROW) return Fail("counting by type");
  EventCounts counts;
  counts.log = static_cast<std::uint64_t>(sqlite3_column_int64(count_by_type_, 1));
  counts.metric = static_cast<std::uint64_t>(sqlite3_column_int64(count_by_type_, 2));
  counts.span =
      static_cast<std::uint64_t>(sqlite3_column_int64(count_by_type_, 0)) - counts.log - counts.metric;
  return counts;
}

Result<std::string> Store::TraceJson(std::string_view trace_id) const {
  std::string out = StrCat("{\"trace_id\":\"", trace_id, "\",\"events\":[");
  std::lock_guard<std::mutex> lock(mu_);
  ResetOnExit reset(trace_events_);
  BindText(trace_events_, 1, trace_id);
  bool first = true;
  int rc;
  while ((rc = sqlite3_step(trace_events_)) == SQLITE_ROW) {
    if (!first) out.push_back(',');
    first = false;
    out.append(ColumnText(trace_events_, 0));
  }
  if (rc != SQLITE_DONE) return Fail("reading a trace");
  out.append("]}");
  return out;
}

Result<std::vector<std::string>> Store::AllEvents() const {
  std::vector<std::string> events;
  std::lock_guard<std::mutex> lock(mu_);
  ResetOnExit reset(all_events_);
  int rc;
  while ((rc = sqlite3_step(all_events_)) == SQLITE_ROW) {
    events.emplace_back(ColumnText(all_events_, 0));
  }
  if (rc != SQLITE_DONE) return Fail("reading the events");
  return events;
}

std::string FindEventsSql(const EventFilter& filter) {
  std::string sql = "SELECT json FROM events";
  int parameter = 0;
  auto where = [&](std::string_view term) {
    StrAppend(&sql, sql.find(" WHERE ") == std::string::npos ? " WHERE " : " AND ", term);
  };
  // The type as a literal, and for logs and metrics the condition of the
  // partial index written out: SQLite uses a partial index only for a query
  // whose WHERE contains that condition itself.
  if (filter.type.has_value()) {
    where(StrCat("type = '", EventTypeName(*filter.type), "'"));
    if (*filter.type != EventType::kSpan) where("type <> 'span'");
  }
  if (filter.service.has_value()) where(StrCat("service = ?", ++parameter));
  if (filter.name.has_value()) where(StrCat("name = ?", ++parameter));
  StrAppend(&sql, " ORDER BY id LIMIT ?", ++parameter);
  return sql;
}

Result<std::vector<std::string>> Store::FindEvents(const EventFilter& filter) const {
  const std::string sql = FindEventsSql(filter);
  std::lock_guard<std::mutex> lock(mu_);
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
    return Fail(StrCat("preparing \"", sql, "\""));
  }
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> finalize(statement, sqlite3_finalize);
  int parameter = 0;
  if (filter.service.has_value()) BindText(statement, ++parameter, *filter.service);
  if (filter.name.has_value()) BindText(statement, ++parameter, *filter.name);
  sqlite3_bind_int64(statement, ++parameter, static_cast<sqlite3_int64>(filter.limit));

  std::vector<std::string> events;
  std::size_t bytes = 0;
  int rc;
  while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
    const std::string_view json = ColumnText(statement, 0);
    if (!events.empty() && (bytes >= kMaxFoundEventsBytes ||
                            json.size() > kMaxFoundEventsBytes - bytes)) {
      break;
    }
    bytes += json.size();
    events.emplace_back(json);
  }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return Fail("finding events");
  return events;
}

}  // namespace otelpack::sink

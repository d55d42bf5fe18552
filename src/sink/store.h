// Store: the sink's SQLite database of accepted batches and their events
// (spans, logs and metrics in one table, told apart by its type column).
//
// One transaction per batch inserts the batch row and all its events, so a
// crash never leaves half a batch, and the batch id's UNIQUE constraint
// detects a duplicate inside that same transaction. The file is in WAL mode
// with synchronous=NORMAL: a commit is durable against a process crash, and
// costs no fsync (an OS crash may lose the last commits, never corrupt).
//
// A file created by an earlier release (schema version 1: spans only) is
// upgraded when opened; its rows are spans.
//
// Thread-safe: one mutex serialises every statement (SQLite has one writer
// anyway); callers parse and validate outside it.
#ifndef OTELPACK_SINK_STORE_H_
#define OTELPACK_SINK_STORE_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "otelpack/status.h"
#include "sink/event_types.h"
#include "sink/validator.h"

struct sqlite3;
struct sqlite3_stmt;

namespace otelpack::sink {

class Store {
 public:
  // Opens (creating when absent) the database at `path`; an empty path is a
  // private in-memory database that lives as long as the Store. With
  // keep_events false only the batches (id, event count) are written: for
  // load tests, where validating and counting is the point and storing every
  // event would make the sink the bottleneck.
  static Result<std::unique_ptr<Store>> Open(const std::string& path, bool keep_events = true);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  struct AppendResult {
    bool duplicate = false;
    // Events stored with this batch (for a duplicate: by the first delivery).
    std::uint64_t accepted = 0;
  };
  // Stores the events as one batch. With a batch id the store already holds,
  // stores nothing and reports the duplicate. Internal when SQLite fails.
  Result<AppendResult> Append(std::optional<std::string_view> batch_id,
                              std::int64_t received_at_ms, std::span<const EventRecord> events);

  Result<std::uint64_t> CountEvents() const;
  Result<std::uint64_t> CountBatches() const;
  // The events of every stored batch by type (counted per batch, so right
  // with keep_events false too).
  Result<EventCounts> CountByType() const;
  // {"trace_id": "...", "events": [<span event as stored>, ...]} in
  // start_time_ms order (insertion order among equal times): the trace's
  // spans, not the logs that carry its id. REQUIRES: IsLowerHex(trace_id, 32).
  Result<std::string> TraceJson(std::string_view trace_id) const;
  // Every stored event's JSON text, in insertion order.
  Result<std::vector<std::string>> AllEvents() const;
  // The JSON text of the events matching `filter`, in insertion order: at
  // most filter.limit, and no more once their text passes
  // kMaxFoundEventsBytes (the first is always there).
  Result<std::vector<std::string>> FindEvents(const EventFilter& filter) const;
  static constexpr std::size_t kMaxFoundEventsBytes = 64 << 20;

 private:
  Store(sqlite3* db, bool keep_events);
  Status Prepare();
  Status UpgradeSchema();  // creates or upgrades the tables to kSchemaVersion
  Status Fail(std::string_view what) const;  // Internal with SQLite's message
  Result<std::uint64_t> Count(sqlite3_stmt* statement) const;

  mutable std::mutex mu_;
  sqlite3* const db_;
  const bool keep_events_;
  // Prepared once, reset after each use; all guarded by mu_.
  sqlite3_stmt* begin_ = nullptr;
  sqlite3_stmt* commit_ = nullptr;
  sqlite3_stmt* rollback_ = nullptr;
  sqlite3_stmt* insert_batch_ = nullptr;
  sqlite3_stmt* find_batch_ = nullptr;
  sqlite3_stmt* insert_event_ = nullptr;
  sqlite3_stmt* count_events_ = nullptr;
  sqlite3_stmt* count_batches_ = nullptr;
  sqlite3_stmt* count_by_type_ = nullptr;
  sqlite3_stmt* trace_events_ = nullptr;
  sqlite3_stmt* all_events_ = nullptr;
};

// The SELECT FindEvents runs for `filter`: the type is written in it, ?1, ?2,
// ... are the service and the name when they are set, then the limit.
// Exposed so that a test can check which index serves it.
std::string FindEventsSql(const EventFilter& filter);

}  // namespace otelpack::sink

#endif  // OTELPACK_SINK_STORE_H_

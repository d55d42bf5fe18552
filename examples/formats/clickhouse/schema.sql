-- The tables examples/formats/clickhouse/format.yaml writes into, for ClickHouse 18.16 (Debian
-- 12's) and later. 18.16 has no DateTime64, Map or JSON type, so: times are UInt64 nanoseconds
-- since the epoch beside a DateTime in seconds (for partitions and the ORDER BY), attribute maps
-- are JSON text in a String (read them with visitParamExtractString and its siblings, or with
-- JSONExtract* from 19.x on), and span events and links are Nested columns (parallel arrays, one
-- element per event or link).
--
-- Load with: clickhouse-client --multiquery < schema.sql
-- (tests/clickhouse sends it over HTTP, one statement at a time.)

CREATE DATABASE IF NOT EXISTS otel;

CREATE TABLE IF NOT EXISTS otel.otel_traces (
    Timestamp DateTime,                    -- the start, in whole seconds
    StartTimeUnixNano UInt64,
    EndTimeUnixNano UInt64,
    Duration UInt64,                       -- nanoseconds, 0 when the end is before the start
    TraceId String,                        -- 32 lowercase hex digits
    SpanId String,                         -- 16
    ParentSpanId String,                   -- '' for a root span
    TraceState String,
    TraceFlags UInt32,
    SpanName String,
    SpanKind Enum8('unspecified' = 0, 'internal' = 1, 'server' = 2, 'client' = 3, 'producer' = 4, 'consumer' = 5),
    ServiceName String,
    ResourceAttributes String,             -- JSON object
    ScopeName String,
    ScopeVersion String,
    SpanAttributes String,                 -- JSON object
    StatusCode Enum8('unset' = 0, 'ok' = 1, 'error' = 2),
    StatusMessage String,
    Events Nested(
        TimeUnixNano UInt64,
        Name String,
        Attributes String                  -- JSON object
    ),
    Links Nested(
        TraceId String,
        SpanId String,
        TraceState String,
        Attributes String                  -- JSON object
    )
) ENGINE = MergeTree()
PARTITION BY toDate(Timestamp)
ORDER BY (ServiceName, SpanName, Timestamp);

CREATE TABLE IF NOT EXISTS otel.otel_logs (
    Timestamp DateTime,                    -- the record's time, else its observed time, in seconds
    TimeUnixNano UInt64,                   -- the same, in nanoseconds
    ObservedTimeUnixNano UInt64,           -- 0 when the record has none
    TraceId String,                        -- '' when not in a trace
    SpanId String,                         -- '' when not in a span
    TraceFlags UInt32,
    SeverityText String,                   -- as sent
    SeverityNumber Int32,
    Severity String,                       -- the text, else the number's range: INFO, ERROR...
    ServiceName String,
    Body String,                           -- a string body as is, any other body as JSON text
    ResourceAttributes String,             -- JSON object
    ScopeName String,
    ScopeVersion String,
    LogAttributes String,                  -- JSON object
    EventName String
) ENGINE = MergeTree()
PARTITION BY toDate(Timestamp)
ORDER BY (ServiceName, Timestamp);

-- Every metric data point. Gauges and sums have their Value, histograms and summaries their
-- Count and Sum (histograms also Min and Max), their buckets and quantiles are not kept here.
CREATE TABLE IF NOT EXISTS otel.otel_metrics (
    Timestamp DateTime,
    TimeUnixNano UInt64,
    StartTimeUnixNano UInt64,              -- 0 when the point has none
    ServiceName String,
    MetricName String,
    MetricDescription String,
    MetricUnit String,
    Kind Enum8('gauge' = 1, 'sum' = 2, 'histogram' = 3, 'exponential_histogram' = 4, 'summary' = 5),
    Attributes String,                     -- JSON object
    ResourceAttributes String,             -- JSON object
    ScopeName String,
    Value Nullable(Float64),               -- gauges and sums; NULL for NaN, +-Inf and no recorded value
    IsMonotonic UInt8,                     -- sums
    Temporality Enum8('unspecified' = 0, 'delta' = 1, 'cumulative' = 2),
    Count UInt64,                          -- histograms and summaries
    Sum Nullable(Float64),
    Min Nullable(Float64),
    Max Nullable(Float64),
    Flags UInt32
) ENGINE = MergeTree()
PARTITION BY toDate(Timestamp)
ORDER BY (ServiceName, MetricName, Timestamp);

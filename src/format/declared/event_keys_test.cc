// Tests for RequiredEventKeys and DeclaredEnvelopeKeys (event_keys.h): which
// keys a declared event always holds, by the rules the encoder writes with,
// and where the envelope puts the events -- on declarations parsed from YAML,
// as the sink gets them.
#include "format/declared/event_keys.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "otelpack/format.h"

namespace otelpack::format::declared {
namespace {

using Keys = std::vector<std::string>;

std::shared_ptr<const Format> Parsed(std::string_view yaml) {
  auto format = Format::Parse(yaml, "test.yaml");
  EXPECT_TRUE(format.ok()) << format.status().ToString();
  return format.ok() ? *format : Format::BuiltIn();
}

TEST(EventKeysTest, OmittableAndFlattenedMembersAreNotRequired) {
  auto format = Parsed(R"(
framing: ndjson
traces:
  path: /t
  event:
    kind: span
    svc: $service
    op: $name
    parent: $parent_span_id
    state: $trace_state | omit_if_empty
    events: {$each: $events, $item: {n: $name}}
    links: {$each: $links | omit_if_empty, $item: {t: $trace_id}}
    $flatten: {from: $attributes, prefix: "a."}
    status: {code: $status_code}
)");
  Result<EventKeys> keys = RequiredEventKeys(format->declaration(), Signal::kTraces);
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  EXPECT_EQ(keys->required, (Keys{"kind", "svc", "op", "parent", "events", "status"}))
      << "an absent parent is written null: the key is there";
  EXPECT_EQ(keys->service, "svc");
  EXPECT_EQ(keys->name, "op");
  ASSERT_EQ(keys->string_literals.size(), 1u);
  EXPECT_EQ(keys->string_literals[0].first, "kind");
  EXPECT_EQ(keys->string_literals[0].second, "span");
}

TEST(EventKeysTest, ServiceAndNameOnlyWhenWrittenUnchanged) {
  auto format = Parsed(R"(
framing: array
logs:
  path: /l
  event:
    svc: $service | case(checkout="c", else="x")
    event: $event_name | default("")
    resource_service: $resource.attributes["service.name"]
)");
  Result<EventKeys> keys = RequiredEventKeys(format->declaration(), Signal::kLogs);
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  EXPECT_EQ(keys->service, "") << "case() changes what the key holds; the resource attribute is not $service";
  EXPECT_EQ(keys->name, "event") << "a default keeps the name as it is when there is one";
}

TEST(EventKeysTest, AMetricMemberIsRequiredOnlyWhenEveryKindWritesIt) {
  auto format = Parsed(R"(
framing: ndjson
metrics:
  path: /m
  event:
    metric: $metric.name
    time: $time | unix_ms
    value: $value
    count: $count
    buckets: {$each: $buckets, $item: {le: $le}}
    positive: {offset: $positive.offset}
    fixed: {a: 1}
)");
  Result<EventKeys> keys = RequiredEventKeys(format->declaration(), Signal::kMetrics);
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  EXPECT_EQ(keys->required, (Keys{"metric", "time", "fixed"}));
  EXPECT_EQ(keys->name, "metric");
  EXPECT_EQ(keys->service, "");
}

TEST(EventKeysTest, ASignalLeftOutIsTheBuiltInOne) {
  Result<EventKeys> keys = RequiredEventKeys(Format::BuiltIn()->declaration(), Signal::kLogs);
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  EXPECT_EQ(keys->required, (Keys{"type", "service", "timestamp_ms", "severity", "severity_number", "body",
                                  "trace_id", "span_id", "attributes"}))
      << "event_name is omit_if_empty";
  EXPECT_EQ(keys->service, "service");
  EXPECT_EQ(keys->name, "");
  ASSERT_FALSE(keys->string_literals.empty());
  EXPECT_EQ(keys->string_literals[0].second, "log");

  Result<EventKeys> metrics = RequiredEventKeys(Format::BuiltIn()->declaration(), Signal::kMetrics);
  ASSERT_TRUE(metrics.ok());
  EXPECT_EQ(metrics->name, "name");
  for (const std::string& k : metrics->required) EXPECT_NE(k, "buckets") << "gauges have none";
}

TEST(EnvelopeKeysTest, TheEventsPathAndTheOtherKeys) {
  Result<EnvelopeKeys> builtin = DeclaredEnvelopeKeys(Format::BuiltIn()->declaration());
  ASSERT_TRUE(builtin.ok()) << builtin.status().ToString();
  EXPECT_EQ(builtin->events_path, Keys{"events"});
  EXPECT_EQ(builtin->others, (Keys{"project_id", "sent_at"}));
  EXPECT_EQ(builtin->project_keys, Keys{"project_id"});

  auto nested = Parsed(R"(
envelope: {version: 2, data: {tenant: $project_id, items: $events}, at: $sent_at}
traces: {path: /t, event: {n: $name}}
)");
  Result<EnvelopeKeys> keys = DeclaredEnvelopeKeys(nested->declaration());
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  EXPECT_EQ(keys->events_path, (Keys{"data", "items"}));
  EXPECT_EQ(keys->others, (Keys{"version", "at"}));
  EXPECT_TRUE(keys->project_keys.empty()) << "only the body object's own keys";

  EXPECT_FALSE(DeclaredEnvelopeKeys(Parsed("framing: ndjson\n")->declaration()).ok());
}

TEST(EnvelopeKeysTest, EventsInsideAnArrayAreRefused) {
  auto format = Format::Parse("envelope: {batches: [{items: $events}]}\n", "a.yaml");
  ASSERT_TRUE(format.ok()) << format.status().ToString();
  Result<EnvelopeKeys> keys = DeclaredEnvelopeKeys((*format)->declaration());
  ASSERT_FALSE(keys.ok());
  EXPECT_NE(keys.status().message().find("batches"), std::string::npos) << keys.status().ToString();
}

}  // namespace
}  // namespace otelpack::format::declared

// The declaration parser on whole documents: docs/formats.md's ClickHouse
// example and built-in format parse into the trees they describe (kinds,
// keys in order, paths, conversions and their arguments, places); literals
// take YAML's types; $each and $flatten in every form; a declaration inside
// another document; files. The mistakes are parse_errors_test.cc's.
#include "format/declared/parse.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "format/declared/parse_test_util.h"

namespace otelpack::format::declared {
namespace {

using testing::AllErrors;
using testing::MapEnv;
using testing::Tree;

// docs/formats.md's first example, verbatim (DocsShowTheseExamples checks).
constexpr std::string_view kClickHouse = R"(# ClickHouse, JSONEachRow: one row per span, NDJSON
framing: ndjson
headers:
  X-ClickHouse-User: otel
  X-ClickHouse-Key: ${env:CLICKHOUSE_KEY}     # a secret: masked wherever headers are shown
traces:
  path: /?query=INSERT%20INTO%20otel.spans%20FORMAT%20JSONEachRow
  event:
    Timestamp: $start_time | rfc3339(digits=9)
    TraceId: $trace_id
    SpanId: $span_id
    ParentSpanId: $parent_span_id | default("")
    ServiceName: $service
    SpanName: $name
    SpanKind: $kind | number
    Duration: $duration | ns
    StatusCode: $status_code | case(error="Error", ok="Ok", else="Unset")
    SpanAttributes: $attributes | strings
    Events:
      $each: $events
      $item: {Timestamp: $time | unix_ms, Name: $name}
)";

// docs/formats.md's "The built-in format", verbatim.
constexpr std::string_view kBuiltIn = R"(framing: envelope
envelope: {project_id: $project_id, events: $events, sent_at: $sent_at | unix_ms}
headers: {X-Project-ID: $project_id}
traces:
  path: /v1/ingest
  event:
    type: span
    trace_id: $trace_id
    span_id: $span_id
    parent_span_id: $parent_span_id
    service: $service
    operation: $name
    start_time_ms: $start_time | unix_ms
    duration_ms: $duration | ms(decimals=3)
    status: $status_code | case(error="error", else="ok")
    status_message: $status_message
    attributes: $attributes
    events:
      $each: $events
      $item: {name: $name, timestamp_ms: $time | unix_ms, attributes: $attributes}
logs:
  path: /v1/ingest
  event:
    type: log
    service: $service
    timestamp_ms: $timestamp | unix_ms
    severity: $severity
    severity_number: $severity_number
    body: $body
    trace_id: $trace_id
    span_id: $span_id
    attributes: $attributes
    event_name: $event_name | omit_if_empty
metrics:
  path: /v1/ingest
  event:
    type: metric
    service: $service
    name: $metric.name
    unit: $metric.unit
    kind: $kind
    timestamp_ms: $time | unix_ms
    start_time_ms: $start_time | unix_ms
    attributes: $attributes
    value: $value
    monotonic: $monotonic
    temporality: $temporality
    count: $count
    sum: $sum
    min: $min
    max: $max
    buckets:
      $each: $buckets
      $item: {le: $le, count: $count}
    scale: $scale
    zero_count: $zero_count
    zero_threshold: $zero_threshold
    positive: {offset: $positive.offset, bucket_counts: $positive.bucket_counts}
    negative: {offset: $negative.offset, bucket_counts: $negative.bucket_counts}
    quantiles:
      $each: $quantiles
      $item: {quantile: $quantile, value: $value}
)";

ParsedDeclaration Parse(std::string_view yaml, const config::EnvLookup& env = MapEnv({})) {
  return ParseDeclaration(yaml, "format.yaml", env);
}

// The event template of `yaml`'s traces, which must parse.
std::string TracesEvent(std::string_view yaml, bool places = true) {
  ParsedDeclaration p = Parse(yaml);
  EXPECT_TRUE(p.ok()) << AllErrors(p);
  if (!p.ok() || !p.declaration.traces) return "<no traces>";
  return Tree(p.declaration.traces->event, places);
}

TEST(DeclarationParseTest, DocsShowTheseExamples) {
  Result<std::string> doc = config::ReadFileUpTo(OTELPACK_FORMATS_DOC, 1 << 20);
  ASSERT_TRUE(doc.ok()) << OTELPACK_FORMATS_DOC << ": " << doc.status().message();
  const std::string& text = *doc;
  EXPECT_NE(text.find(StrCat("```yaml\n", kClickHouse, "```")), std::string::npos)
      << "docs/formats.md's ClickHouse example is not the one tested here";
  EXPECT_NE(text.find(StrCat("```yaml\n", kBuiltIn, "```")), std::string::npos)
      << "docs/formats.md's built-in format is not the one tested here";
}

TEST(DeclarationParseTest, ClickHouseExample) {
  ParsedDeclaration p = Parse(kClickHouse, MapEnv({{"CLICKHOUSE_KEY", "ch-s3cr3t"}}));
  ASSERT_TRUE(p.ok()) << AllErrors(p);
  const Declaration& d = p.declaration;
  EXPECT_EQ(d.source, "format.yaml");
  EXPECT_EQ(d.framing, Framing::kNdjson);
  EXPECT_FALSE(d.envelope.has_value());
  EXPECT_FALSE(d.content_type.has_value());
  EXPECT_FALSE(d.logs.has_value());
  EXPECT_FALSE(d.metrics.has_value());

  ASSERT_TRUE(d.headers.has_value());
  ASSERT_EQ(d.headers->size(), 2u);
  const Header& user = (*d.headers)[0];
  EXPECT_EQ(user.name, "X-ClickHouse-User");
  EXPECT_EQ(Tree(user.value), "\"otel\" @4:22\n");
  EXPECT_FALSE(user.secret);
  EXPECT_EQ(user.at.line, 4);
  EXPECT_EQ(user.at.column, 3);
  const Header& key = (*d.headers)[1];
  EXPECT_EQ(key.name, "X-ClickHouse-Key");
  EXPECT_EQ(Tree(key.value), "\"ch-s3cr3t\" @5:21\n");
  EXPECT_TRUE(key.secret);

  ASSERT_TRUE(d.traces.has_value());
  EXPECT_EQ(d.traces->path, "/?query=INSERT%20INTO%20otel.spans%20FORMAT%20JSONEachRow");
  EXPECT_EQ(d.traces->at.line, 6);
  EXPECT_EQ(d.traces->at.column, 1);
  EXPECT_EQ(Tree(d.traces->event),
            "object @9:5\n"
            "  Timestamp @9:5: $start_time @9:16 | rfc3339 @9:30 (digits=9)\n"
            "  TraceId @10:5: $trace_id @10:14\n"
            "  SpanId @11:5: $span_id @11:13\n"
            "  ParentSpanId @12:5: $parent_span_id @12:19 | default @12:37 (\"\")\n"
            "  ServiceName @13:5: $service @13:18\n"
            "  SpanName @14:5: $name @14:15\n"
            "  SpanKind @15:5: $kind @15:15 | number @15:23\n"
            "  Duration @16:5: $duration @16:15 | ns @16:27\n"
            "  StatusCode @17:5: $status_code @17:17 | case @17:32 (error=\"Error\", ok=\"Ok\", else=\"Unset\")\n"
            "  SpanAttributes @18:5: $attributes @18:21 | strings @18:35\n"
            "  Events @19:5: each $events @20:14 @20:7\n"
            "    item: object @21:14\n"
            "      Timestamp @21:15: $time @21:26 | unix_ms @21:34\n"
            "      Name @21:43: $name @21:49\n");
}

TEST(DeclarationParseTest, BuiltInFormat) {
  ParsedDeclaration p = Parse(kBuiltIn);
  ASSERT_TRUE(p.ok()) << AllErrors(p);
  const Declaration& d = p.declaration;
  EXPECT_EQ(d.framing, Framing::kEnvelope);
  ASSERT_TRUE(d.envelope.has_value());
  EXPECT_EQ(Tree(*d.envelope),
            "object @2:11\n"
            "  project_id @2:12: $project_id @2:24\n"
            "  events @2:37: $events @2:45\n"
            "  sent_at @2:54: $sent_at @2:63 | unix_ms @2:74\n");
  ASSERT_TRUE(d.headers.has_value());
  ASSERT_EQ(d.headers->size(), 1u);
  EXPECT_EQ((*d.headers)[0].name, "X-Project-ID");
  EXPECT_EQ(Tree((*d.headers)[0].value), "$project_id @3:25\n");
  EXPECT_FALSE((*d.headers)[0].secret);
  ASSERT_TRUE(d.traces && d.logs && d.metrics);
  for (const SignalFormat* s : {&*d.traces, &*d.logs, &*d.metrics}) EXPECT_EQ(s->path, "/v1/ingest");

  EXPECT_EQ(Tree(d.traces->event, false),
            "object\n"
            "  type: \"span\"\n"
            "  trace_id: $trace_id\n"
            "  span_id: $span_id\n"
            "  parent_span_id: $parent_span_id\n"
            "  service: $service\n"
            "  operation: $name\n"
            "  start_time_ms: $start_time | unix_ms\n"
            "  duration_ms: $duration | ms (decimals=3)\n"
            "  status: $status_code | case (error=\"error\", else=\"ok\")\n"
            "  status_message: $status_message\n"
            "  attributes: $attributes\n"
            "  events: each $events\n"
            "    item: object\n"
            "      name: $name\n"
            "      timestamp_ms: $time | unix_ms\n"
            "      attributes: $attributes\n");
  EXPECT_EQ(Tree(d.logs->event, false),
            "object\n"
            "  type: \"log\"\n"
            "  service: $service\n"
            "  timestamp_ms: $timestamp | unix_ms\n"
            "  severity: $severity\n"
            "  severity_number: $severity_number\n"
            "  body: $body\n"
            "  trace_id: $trace_id\n"
            "  span_id: $span_id\n"
            "  attributes: $attributes\n"
            "  event_name: $event_name | omit_if_empty\n");
  EXPECT_EQ(Tree(d.metrics->event, false),
            "object\n"
            "  type: \"metric\"\n"
            "  service: $service\n"
            "  name: $metric.name\n"
            "  unit: $metric.unit\n"
            "  kind: $kind\n"
            "  timestamp_ms: $time | unix_ms\n"
            "  start_time_ms: $start_time | unix_ms\n"
            "  attributes: $attributes\n"
            "  value: $value\n"
            "  monotonic: $monotonic\n"
            "  temporality: $temporality\n"
            "  count: $count\n"
            "  sum: $sum\n"
            "  min: $min\n"
            "  max: $max\n"
            "  buckets: each $buckets\n"
            "    item: object\n"
            "      le: $le\n"
            "      count: $count\n"
            "  scale: $scale\n"
            "  zero_count: $zero_count\n"
            "  zero_threshold: $zero_threshold\n"
            "  positive: object\n"
            "    offset: $positive.offset\n"
            "    bucket_counts: $positive.bucket_counts\n"
            "  negative: object\n"
            "    offset: $negative.offset\n"
            "    bucket_counts: $negative.bucket_counts\n"
            "  quantiles: each $quantiles\n"
            "    item: object\n"
            "      quantile: $quantile\n"
            "      value: $value\n");
  // The places of the signals and of a few members further down.
  EXPECT_EQ(d.logs->at.line, 21);
  EXPECT_EQ(d.metrics->at.line, 34);
  const Member& buckets = d.metrics->event.members[15];
  EXPECT_EQ(buckets.key, "buckets");
  EXPECT_EQ(buckets.at.line, 52);
  EXPECT_EQ(buckets.at.column, 5);
  EXPECT_EQ(buckets.value[0].reference.at.line, 53);
  EXPECT_EQ(buckets.value[0].reference.at.column, 14);
}

TEST(DeclarationParseTest, EmptyDocumentIsTheBuiltInFormat) {
  for (std::string_view empty : {"", "# nothing\n", "~\n"}) {
    ParsedDeclaration p = Parse(empty);
    EXPECT_TRUE(p.ok()) << AllErrors(p);
    const Declaration& d = p.declaration;
    EXPECT_EQ(d.framing, Framing::kEnvelope);
    EXPECT_FALSE(d.envelope || d.content_type || d.headers || d.traces || d.logs || d.metrics);
  }
}

TEST(DeclarationParseTest, RequestParts) {
  ParsedDeclaration p = Parse(
      "framing: array\n"
      "content_type: application/json; charset=utf-8\n"
      "headers: {}\n"
      "logs: {path: \"/api/v2/spans?x=1&y=%2F\", event: {a: 1}}\n");
  ASSERT_TRUE(p.ok()) << AllErrors(p);
  EXPECT_EQ(p.declaration.framing, Framing::kArray);
  EXPECT_EQ(p.declaration.content_type, "application/json; charset=utf-8");
  ASSERT_TRUE(p.declaration.headers.has_value());
  EXPECT_TRUE(p.declaration.headers->empty());  // none at all, not the article's
  ASSERT_TRUE(p.declaration.logs.has_value());
  EXPECT_EQ(p.declaration.logs->path, "/api/v2/spans?x=1&y=%2F");
}

TEST(DeclarationParseTest, HeaderValues) {
  ParsedDeclaration p = Parse(
      "headers:\n"
      "  Authorization: Bearer ${env:TOKEN}\n"
      "  X-Project: $project_id\n"
      "  X-Literal: $$project_id\n"
      "  X-Version: 2\n"
      "  X-Empty:\n",
      MapEnv({{"TOKEN", "t0k3n"}}));
  ASSERT_TRUE(p.ok()) << AllErrors(p);
  const std::vector<Header>& h = *p.declaration.headers;
  ASSERT_EQ(h.size(), 5u);
  EXPECT_EQ(Tree(h[0].value, false), "\"Bearer t0k3n\"\n");
  EXPECT_TRUE(h[0].secret);
  EXPECT_EQ(Tree(h[1].value, false), "$project_id\n");
  EXPECT_EQ(Tree(h[2].value, false), "\"$project_id\"\n");
  EXPECT_FALSE(h[2].secret);
  EXPECT_EQ(Tree(h[3].value, false), "\"2\"\n");  // a header's value is text
  EXPECT_EQ(Tree(h[4].value, false), "\"\"\n");
}

TEST(DeclarationParseTest, LiteralsTakeYamlTypes) {
  EXPECT_EQ(TracesEvent("traces:\n"
                        "  path: /\n"
                        "  event:\n"
                        "    plain_int: 2\n"
                        "    quoted_int: \"2\"\n"
                        "    single_quoted: '2'\n"
                        "    negative: -7\n"
                        "    plus: +7\n"
                        "    hex: 0x1F\n"
                        "    octal: 0o17\n"
                        "    big: 9223372036854775807\n"
                        "    double: 2.5\n"
                        "    exponent: 1e3\n"
                        "    dot: .5\n"
                        "    trailing_dot: 3.\n"
                        "    bool: true\n"
                        "    bool_caps: FALSE\n"
                        "    yes_is_text: yes\n"
                        "    null_word: null\n"
                        "    tilde: ~\n"
                        "    empty:\n"
                        "    quoted_null: \"null\"\n"
                        "    tagged: !!str 3\n"
                        "    version_text: 1.2.3\n"
                        "    block: |\n"
                        "      two\n"
                        "      lines\n"
                        "    dollars: $$5 each\n"
                        "    env_escape: $${env:HOME}\n"
                        "    dollar_inside: costs $5\n",
                        false),
            "object\n"
            "  plain_int: 2\n"
            "  quoted_int: \"2\"\n"
            "  single_quoted: \"2\"\n"
            "  negative: -7\n"
            "  plus: 7\n"
            "  hex: 31\n"
            "  octal: 15\n"
            "  big: 9223372036854775807\n"
            "  double: 2.5d\n"
            "  exponent: 1000d\n"
            "  dot: 0.5d\n"
            "  trailing_dot: 3d\n"
            "  bool: true\n"
            "  bool_caps: false\n"
            "  yes_is_text: \"yes\"\n"
            "  null_word: null\n"
            "  tilde: null\n"
            "  empty: null\n"
            "  quoted_null: \"null\"\n"
            "  tagged: \"3\"\n"
            "  version_text: \"1.2.3\"\n"
            "  block: \"two\nlines\n\"\n"
            "  dollars: \"$5 each\"\n"
            "  env_escape: \"${env:HOME}\"\n"
            "  dollar_inside: \"costs $5\"\n");
}

TEST(DeclarationParseTest, EnvironmentInLiterals) {
  ParsedDeclaration p = Parse(
      "traces:\n"
      "  path: /\n"
      "  event:\n"
      "    region: \"${env:REGION}\"\n"
      "    tag: a-${env:REGION}-b\n"
      "    port: ${env:PORT}\n"
      "    escaped: $$${env:REGION}\n",
      MapEnv({{"REGION", "eu-1"}, {"PORT", "8080"}}));
  ASSERT_TRUE(p.ok()) << AllErrors(p);
  EXPECT_EQ(Tree(p.declaration.traces->event, false),
            "object\n"
            "  region: \"eu-1\"\n"
            "  tag: \"a-eu-1-b\"\n"
            "  port: \"8080\"\n"  // the text decides the type: ${...} is text
            "  escaped: \"$eu-1\"\n");
}

TEST(DeclarationParseTest, ObjectsListsAndKeys) {
  EXPECT_EQ(TracesEvent("traces:\n"
                        "  path: /\n"
                        "  event:\n"
                        "    $$schema: v1\n"
                        "    \"quoted key\": 1\n"
                        "    nested: {a: {b: [1, $name, {c: $kind}]}}\n"
                        "    list:\n"
                        "      - $trace_id\n"
                        "      - [x, ~]\n"
                        "    empty_object: {}\n"
                        "    empty_list: []\n"),
            "object @4:5\n"
            "  $schema @4:5: \"v1\" @4:15\n"
            "  quoted key @5:5: 1 @5:19\n"
            "  nested @6:5: object @6:13\n"
            "    a @6:14: object @6:17\n"
            "      b @6:18: array @6:21\n"
            "        - 1 @6:22\n"
            "        - $name @6:25\n"
            "        - object @6:32\n"
            "          c @6:33: $kind @6:36\n"
            "  list @7:5: array @8:7\n"
            "    - $trace_id @8:9\n"
            "    - array @9:9\n"
            "      - \"x\" @9:10\n"
            "      - null @9:9\n"
            "  empty_object @10:5: object @10:19\n"
            "  empty_list @11:5: array @11:17\n");
}

TEST(DeclarationParseTest, EachAnywhere) {
  EXPECT_EQ(TracesEvent("traces:\n"
                        "  path: /\n"
                        "  event:\n"
                        "    links: {$item: [$trace_id, $parent.span_id], $each: $links}\n"
                        "    names: {$each: $events | default(\"x\"), $item: $name}\n",
                        false),
            "object\n"
            "  links: each $links\n"
            "    item: array\n"
            "      - $trace_id\n"
            "      - $parent.span_id\n"
            "  names: each $events | default (\"x\")\n"
            "    item: $name\n");
}

TEST(DeclarationParseTest, FlattenInEveryForm) {
  EXPECT_EQ(TracesEvent("traces:\n"
                        "  path: /\n"
                        "  event:\n"
                        "    name: $name\n"
                        "    $flatten: $attributes\n"
                        "    resource: {$flatten: {from: $resource.attributes, prefix: \"r.\"}}\n"
                        "    both:\n"
                        "      $flatten:\n"
                        "        - {from: $attributes, include: [http.method, \"a b\"]}\n"
                        "        - from: $scope.attributes\n"
                        "          exclude: [x]\n"
                        "          prefix: s.\n"
                        "        - $resource.attributes | strings\n"
                        "      after: 1\n"),
            "object @4:5\n"
            "  name @4:5: $name @4:11\n"
            "  $flatten @5:5: $attributes @5:15 @5:15\n"
            "  resource @6:5: object @6:15\n"
            "    $flatten @6:16: $resource.attributes @6:33 @6:26 prefix=\"r.\"\n"
            "  both @7:5: object @8:7\n"
            "    $flatten @8:7: $attributes @9:18 @9:11 include=[http.method,a b]\n"
            "    $flatten @8:7: $scope.attributes @10:17 @10:11 prefix=\"s.\" exclude=[x]\n"
            "    $flatten @8:7: $resource.attributes @13:11 | strings @13:34 @13:11\n"
            "    after @14:7: 1 @14:14\n");
}

TEST(DeclarationParseTest, ReferencesInQuotesArePlacedInside) {
  // Quoted so that YAML takes ": " and "#" as part of the value.
  EXPECT_EQ(TracesEvent("traces:\n"
                        "  path: /\n"
                        "  event:\n"
                        "    a: '$attributes[\"a: #b\"] | default(\"x\")'\n"
                        "    b: \"$name\"\n"),
            "object @4:5\n"
            "  a @4:5: $attributes[\"a: #b\"] @4:9 | default @4:32 (\"x\")\n"
            "  b @5:5: $name @5:9\n");
}

TEST(DeclarationParseTest, InsideAnotherDocument) {
  const YAML::Node config = YAML::Load(
      "exporter: {endpoint: x}\n"
      "format:\n"
      "  framing: ndjson\n"
      "  traces:\n"
      "    path: /t\n"
      "    event: {a: $name | unix_ms}\n");
  ParsedDeclaration p = ParseDeclarationNode(config["format"], "otelpack.yaml", "format", MapEnv({}));
  ASSERT_TRUE(p.ok()) << AllErrors(p);
  EXPECT_EQ(p.declaration.source, "otelpack.yaml");
  EXPECT_EQ(p.declaration.framing, Framing::kNdjson);
  // Without the document's text, what is inside a scalar is placed at the scalar.
  EXPECT_EQ(Tree(p.declaration.traces->event), "object @6:12\n  a @6:13: $name @6:16 | unix_ms @6:16\n");

  ParsedDeclaration absent = ParseDeclarationNode(config["nothing"], "otelpack.yaml", "format", MapEnv({}));
  EXPECT_TRUE(absent.ok());
  EXPECT_FALSE(absent.declaration.traces.has_value());
}

class DeclarationFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("otelpack-declaration-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, std::string_view text) {
    const std::filesystem::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
  }

  std::filesystem::path dir_;
};

TEST_F(DeclarationFileTest, ReadsAFile) {
  const std::string path = Write("format.yaml", kClickHouse);
  ParsedDeclaration p = LoadDeclarationFile(path, MapEnv({{"CLICKHOUSE_KEY", "k"}}));
  ASSERT_TRUE(p.ok()) << AllErrors(p);
  EXPECT_EQ(p.declaration.source, path);
  EXPECT_EQ(p.declaration.framing, Framing::kNdjson);
  ASSERT_TRUE(p.declaration.traces.has_value());
  EXPECT_EQ(p.declaration.traces->event.members.size(), 11u);
}

TEST_F(DeclarationFileTest, UnreadableOrTooLargeIsOneErrorNamingThePath) {
  const std::string missing = (dir_ / "missing.yaml").string();
  const std::string big = Write("big.yaml", std::string(kMaxDeclarationBytes + 1, '#'));
  const std::string at_limit = Write("at-limit.yaml", std::string(kMaxDeclarationBytes, '#'));
  struct Case {
    std::string path;
    std::string message;
  };
  for (const Case& c : {Case{missing, StrCat("cannot read the declaration file ", missing,
                                             ": No such file or directory")},
                        Case{dir_.string(), StrCat("cannot read the declaration file ", dir_.string(),
                                                   ": Is a directory")},
                        Case{big, StrCat("the declaration file ", big, " is larger than 1MiB")}}) {
    ParsedDeclaration p = LoadDeclarationFile(c.path, MapEnv({}));
    ASSERT_EQ(p.errors.size(), 1u) << AllErrors(p);
    EXPECT_EQ(FormatError(p.declaration.source, p.errors[0]), StrCat(c.path, ": ", c.message));
  }
  ParsedDeclaration comments = LoadDeclarationFile(at_limit, MapEnv({}));
  EXPECT_TRUE(comments.ok()) << AllErrors(comments);  // 1 MiB of comments: an empty declaration
}

}  // namespace
}  // namespace otelpack::format::declared

// The YAML configuration: a full document parses to the expected options;
// every class of mistake is reported with its key, line and column; secrets
// never show in a message.
#include "config/config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include <unistd.h>

#include "format/declared/declaration.h"

namespace otelpack::config {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

EnvLookup MapEnv(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

const EnvLookup kNoEnv = MapEnv({});

LoadedConfig Parse(std::string_view yaml, const EnvLookup& env = kNoEnv) {
  return ParseConfig(yaml, agent::AgentOptions{}, env);
}

std::string AllErrors(const LoadedConfig& c) {
  std::string out;
  for (const ConfigError& e : c.errors) out += FormatError("test.yaml", e) + "\n";
  return out;
}

// The only error of `c`, which must be about `key`.
const ConfigError& OnlyError(const LoadedConfig& c, std::string_view key) {
  EXPECT_EQ(c.errors.size(), 1u) << AllErrors(c);
  static const ConfigError kNone{"<none>", 0, 0, ""};
  if (c.errors.empty()) return kNone;
  EXPECT_EQ(c.errors[0].key, key) << AllErrors(c);
  return c.errors[0];
}

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

constexpr std::string_view kFull = R"(receivers:
  otlp:
    protocols:
      http:
        enabled: true
        endpoint: "0.0.0.0:14318"
        auth: { bearer_token: "${env:OTLP_TOKEN}" }
        max_request_body_size: 8MiB
        max_decompressed_size: 32MiB
        threads: 4
        idle_timeout: 2m
        max_connections: 2000
        max_connections_per_client: 50
        read_header_timeout: 10s
      grpc:
        enabled: false
        endpoint: "[::1]:14317"
        auth:
          bearer_token: grpc-token-value
        max_recv_msg_size: 4MiB
    limits:
      max_attributes: 64
      max_events_per_span: 32
      max_links_per_span: 16
      max_attribute_value_length: 16KiB
      max_value_depth: 8
      max_decoded_size: 16MiB
      max_exemplars: 4
      max_buckets: 320
exporter:
  endpoint: https://analytics.example.com
  project_id: prod-${env:REGION}
  auth:
    scheme: hmac-sha256
    key_id: key-1
    secret: "${env:HMAC_SECRET}"
  headers:
    X-Team: core
    X-Env: prod
  compression: gzip
  compression_level: 9
  batch: { max_events: 1000, max_bytes: 2MiB, flush_interval: 500ms }
  timeout: 45s
  connect_timeout: 3s
  concurrency: 8
  tls:
    ca_file: /etc/ssl/ca.pem
    cert_file: /etc/otelpack/client.pem
    key_file: /etc/otelpack/client.key
    insecure_skip_verify: false
  extra_fields: { kind: true, links: true, dropped_counts: true }
  retry:
    enabled: true
    initial_interval: 1s
    multiplier: 2
    randomization_factor: 0.25
    max_interval: 1m
    max_elapsed_time: 1h
    retryable_statuses: [429, 503]
  queue:
    kind: disk
    max_size: 128MiB
    directory: /var/lib/otelpack
    disk_max_size: 2GiB
    fsync: interval
    fsync_interval: 50ms
    when_full: drop_newest
    block_timeout: 1s
telemetry:
  metrics: { enabled: false, endpoint: "127.0.0.1:18888" }
service:
  shutdown_timeout: 20s
)";

TEST(ConfigTest, FullDocumentFillsEveryOption) {
  const EnvLookup env =
      MapEnv({{"OTLP_TOKEN", "http-token-value"}, {"REGION", "eu"}, {"HMAC_SECRET", "hmac-secret-value"}});
  LoadedConfig c = Parse(kFull, env);
  ASSERT_TRUE(c.ok()) << AllErrors(c);
  const agent::AgentOptions& o = c.options;

  EXPECT_TRUE(o.http.enabled);
  EXPECT_EQ(o.http.listen, "0.0.0.0:14318");
  EXPECT_EQ(o.http.bearer_token, "http-token-value");
  EXPECT_EQ(o.http.max_body_bytes, 8u << 20);
  EXPECT_EQ(o.http.max_decompressed_bytes, 32u << 20);
  EXPECT_EQ(o.http.threads, 4u);
  EXPECT_EQ(o.http.idle_timeout, seconds(120));
  EXPECT_EQ(o.http.max_connections, 2000u);
  EXPECT_EQ(o.http.max_connections_per_client, 50u);
  EXPECT_EQ(o.http.read_header_timeout, seconds(10));
  EXPECT_FALSE(o.grpc.enabled);
  EXPECT_EQ(o.grpc.listen, "[::1]:14317");
  EXPECT_EQ(o.grpc.bearer_token, "grpc-token-value");
  EXPECT_EQ(o.grpc.max_message_bytes, 4u << 20);
  EXPECT_EQ(o.limits.max_attributes, 64u);
  EXPECT_EQ(o.limits.max_events_per_span, 32u);
  EXPECT_EQ(o.limits.max_links_per_span, 16u);
  EXPECT_EQ(o.limits.max_value_bytes, 16u << 10);
  EXPECT_EQ(o.limits.max_depth, 8);
  EXPECT_EQ(o.limits.max_decoded_bytes, 16u << 20);
  EXPECT_EQ(o.limits.max_exemplars, 4u);
  EXPECT_EQ(o.limits.max_buckets, 320u);

  const ExporterOptions& e = o.exporter;
  EXPECT_EQ(e.endpoint, "https://analytics.example.com");
  EXPECT_EQ(e.project_id, "prod-eu");
  EXPECT_EQ(e.auth.scheme, AuthScheme::kHmacSha256);
  EXPECT_EQ(e.auth.key_id, "key-1");
  EXPECT_EQ(e.auth.secret, "hmac-secret-value");
  ASSERT_EQ(e.headers.size(), 2u);
  EXPECT_EQ(e.headers[0].name, "X-Team");
  EXPECT_EQ(e.headers[0].value, "core");
  EXPECT_EQ(e.headers[1].name, "X-Env");
  EXPECT_EQ(e.compression, Compression::kGzip);
  EXPECT_EQ(e.compression_level, 9);
  EXPECT_EQ(e.max_batch_events, 1000u);
  EXPECT_EQ(e.max_batch_bytes, 2u << 20);
  EXPECT_EQ(e.flush_interval, milliseconds(500));
  EXPECT_EQ(e.timeout, seconds(45));
  EXPECT_EQ(e.connect_timeout, seconds(3));
  EXPECT_EQ(e.concurrency, 8);
  EXPECT_EQ(e.ca_file, "/etc/ssl/ca.pem");
  EXPECT_EQ(e.client_cert_file, "/etc/otelpack/client.pem");
  EXPECT_EQ(e.client_key_file, "/etc/otelpack/client.key");
  EXPECT_TRUE(e.tls_verify);
  EXPECT_TRUE(e.extra_fields.kind);
  EXPECT_TRUE(e.extra_fields.links);
  EXPECT_TRUE(e.extra_fields.dropped_counts);
  EXPECT_FALSE(e.extra_fields.trace_state);
  EXPECT_TRUE(e.retry.enabled);
  EXPECT_EQ(e.retry.initial_interval, seconds(1));
  EXPECT_DOUBLE_EQ(e.retry.multiplier, 2.0);
  EXPECT_DOUBLE_EQ(e.retry.randomization_factor, 0.25);
  EXPECT_EQ(e.retry.max_interval, seconds(60));
  EXPECT_EQ(e.retry.max_elapsed_time, seconds(3600));
  EXPECT_EQ(e.retry.retryable_statuses, (std::vector<int>{429, 503}));
  EXPECT_EQ(e.queue.kind, QueueKind::kDisk);
  EXPECT_EQ(e.queue.memory_max_bytes, 128u << 20);
  EXPECT_EQ(e.queue.directory, "/var/lib/otelpack");
  EXPECT_EQ(e.queue.disk_max_bytes, 2ull << 30);
  EXPECT_EQ(e.queue.fsync, FsyncPolicy::kInterval);
  EXPECT_EQ(e.queue.fsync_interval, milliseconds(50));
  EXPECT_EQ(e.queue.when_full, WhenFull::kDropNewest);
  EXPECT_EQ(e.queue.block_timeout, seconds(1));

  EXPECT_FALSE(o.metrics.enabled);
  EXPECT_EQ(o.metrics.listen, "127.0.0.1:18888");
  EXPECT_EQ(o.shutdown_timeout, seconds(20));

  // Where each key is, for errors found later.
  ASSERT_TRUE(c.locations.contains("exporter.retry.max_interval"));
  EXPECT_EQ(c.locations.at("exporter.retry.max_interval").line, 57);
  EXPECT_EQ(c.locations.at("exporter.retry.max_interval").column, 19);

  // Complete, so ready to run.
  CheckExporterReady(&c);
  EXPECT_TRUE(c.ok()) << AllErrors(c);
}

TEST(ConfigTest, EmptyDocumentKeepsTheBase) {
  agent::AgentOptions base;
  base.exporter.endpoint = "http://from-env:1";
  base.http.threads = 7;
  for (std::string_view empty : {"", "\n", "# nothing but a comment\n", "---\n", "~\n"}) {
    LoadedConfig c = ParseConfig(empty, base, kNoEnv);
    EXPECT_TRUE(c.ok()) << AllErrors(c);
    EXPECT_EQ(c.options.exporter.endpoint, "http://from-env:1");
    EXPECT_EQ(c.options.http.threads, 7u);
    EXPECT_EQ(c.options.grpc.listen, "127.0.0.1:4317");
  }
}

TEST(ConfigTest, DocumentOverridesOnlyWhatItSets) {
  agent::AgentOptions base;
  base.exporter.endpoint = "http://from-env:1";
  base.exporter.project_id = "env-project";
  LoadedConfig c = ParseConfig("exporter:\n  project_id: file-project\n", base, kNoEnv);
  ASSERT_TRUE(c.ok()) << AllErrors(c);
  EXPECT_EQ(c.options.exporter.endpoint, "http://from-env:1");
  EXPECT_EQ(c.options.exporter.project_id, "file-project");
  EXPECT_EQ(c.options.exporter.compression, Compression::kZstd);
}

TEST(ConfigTest, UnknownKeysAreNamedWithTheClosestKnownKey) {
  LoadedConfig c = Parse(
      "exporter:\n"
      "  endpiont: http://x\n"
      "  batch:\n"
      "    max_event: 10\n"
      "  wibble: 1\n"
      "pipelines: {}\n");
  ASSERT_EQ(c.errors.size(), 4u) << AllErrors(c);
  EXPECT_EQ(c.errors[0].key, "exporter.endpiont");
  EXPECT_EQ(c.errors[0].line, 2);
  EXPECT_EQ(c.errors[0].column, 3);
  EXPECT_TRUE(Contains(c.errors[0].message, "did you mean 'endpoint'")) << c.errors[0].message;
  EXPECT_EQ(c.errors[1].key, "exporter.batch.max_event");
  EXPECT_EQ(c.errors[1].line, 4);
  EXPECT_TRUE(Contains(c.errors[1].message, "did you mean 'max_events'"));
  EXPECT_EQ(c.errors[2].key, "exporter.wibble");
  EXPECT_EQ(c.errors[2].line, 5);
  EXPECT_TRUE(Contains(c.errors[2].message, "expected one of: endpoint, project_id"));
  EXPECT_EQ(c.errors[3].key, "pipelines");
  EXPECT_EQ(c.errors[3].line, 6);
}

TEST(ConfigTest, WrongTypesNameKeyLineAndAcceptedValues) {
  LoadedConfig c = Parse(
      "exporter:\n"                 // 1
      "  compression: brotli\n"     // 2
      "  concurrency: many\n"       // 3
      "  timeout: [1, 2]\n"         // 4
      "  batch: 5\n"                // 5
      "  retry:\n"                  // 6
      "    enabled: yes\n"          // 7
      "    multiplier: fast\n"      // 8
      "  queue: { kind: tape }\n"   // 9
      "receivers:\n"                // 10
      "  otlp:\n"                   // 11
      "    protocols:\n"            // 12
      "      http:\n"               // 13
      "        endpoint: 4318\n"    // 14
      "        threads:\n");        // 15
  std::map<std::string, ConfigError> by_key;
  for (const ConfigError& e : c.errors) by_key[e.key] = e;
  ASSERT_EQ(by_key.size(), c.errors.size()) << AllErrors(c);
  ASSERT_EQ(c.errors.size(), 9u) << AllErrors(c);

  auto expect = [&](const std::string& key, int line, int column, std::string_view text) {
    ASSERT_TRUE(by_key.contains(key)) << key << "\n" << AllErrors(c);
    const ConfigError& e = by_key[key];
    EXPECT_EQ(e.line, line) << key;
    EXPECT_EQ(e.column, column) << key;
    EXPECT_TRUE(Contains(e.message, text)) << key << ": " << e.message;
  };
  expect("exporter.compression", 2, 16, "'brotli' is not valid: expected none, gzip, zstd or lz4");
  expect("exporter.concurrency", 3, 16, "'many' is not an integer");
  expect("exporter.timeout", 4, 12, "must be a duration such as 200ms, 5s or 1m, not a list");
  expect("exporter.batch", 5, 10, "must be a mapping");
  expect("exporter.retry.enabled", 7, 14, "expected true or false");
  expect("exporter.retry.multiplier", 8, 17, "is not a number");
  expect("exporter.queue.kind", 9, 18, "expected memory or disk");
  expect("receivers.otlp.protocols.http.endpoint", 14, 19, "host:port");
  expect("receivers.otlp.protocols.http.threads", 15, 9, "has no value: expected an integer");
}

TEST(ConfigTest, RangesAndUnits) {
  LoadedConfig c = Parse(
      "exporter:\n"                            // 1
      "  concurrency: 65\n"                    // 2
      "  timeout: 30\n"                        // 3
      "  batch: { max_bytes: 5MB }\n"          // 4
      "  retry:\n"                             // 5
      "    randomization_factor: 1\n"          // 6
      "    retryable_statuses: [429, 200]\n"   // 7
      "receivers:\n"                           // 8
      "  otlp:\n"                              // 9
      "    protocols:\n"                       // 10
      "      http: { idle_timeout: 1500ms, max_request_body_size: 2GiB, max_connections: 0 }\n");  // 11
  std::map<std::string, ConfigError> by_key;
  for (const ConfigError& e : c.errors) by_key[e.key] = e;
  ASSERT_EQ(c.errors.size(), 8u) << AllErrors(c);
  EXPECT_EQ(by_key["exporter.concurrency"].line, 2);
  EXPECT_TRUE(Contains(by_key["exporter.concurrency"].message, "must be between 1 and 64"));
  EXPECT_EQ(by_key["exporter.timeout"].line, 3);
  EXPECT_TRUE(Contains(by_key["exporter.timeout"].message, "'30' has no unit"));
  EXPECT_TRUE(Contains(by_key["exporter.timeout"].message, "ms, s, m or h"));
  EXPECT_EQ(by_key["exporter.batch.max_bytes"].line, 4);
  EXPECT_TRUE(Contains(by_key["exporter.batch.max_bytes"].message, "ambiguous unit MB"));
  EXPECT_EQ(by_key["exporter.retry.randomization_factor"].line, 6);
  EXPECT_TRUE(Contains(by_key["exporter.retry.randomization_factor"].message, "less than 1"));
  EXPECT_EQ(by_key["exporter.retry.retryable_statuses[1]"].line, 7);
  EXPECT_EQ(by_key["exporter.retry.retryable_statuses[1]"].column, 31);
  EXPECT_TRUE(Contains(by_key["exporter.retry.retryable_statuses[1]"].message, "between 400 and 599"));
  const std::string http = "receivers.otlp.protocols.http.";
  EXPECT_TRUE(Contains(by_key[http + "idle_timeout"].message, "whole number of seconds"));
  EXPECT_EQ(by_key[http + "idle_timeout"].line, 11);
  EXPECT_TRUE(Contains(by_key[http + "max_request_body_size"].message, "between 1KiB and 1GiB"));
  EXPECT_TRUE(Contains(by_key[http + "max_connections"].message, "between 1 and 1000000"))
      << by_key[http + "max_connections"].message;
}

TEST(ConfigTest, ChecksAcrossKeysBlameTheKeyTheDocumentSet) {
  LoadedConfig c = Parse(
      "exporter:\n"                                         // 1
      "  endpoint: ftp://x\n"                               // 2
      "  compression: lz4\n"                                // 3
      "  compression_level: 2\n"                            // 4
      "  retry: { initial_interval: 10s, max_interval: 5s }\n"  // 5
      "  tls: { cert_file: /c.pem }\n"                      // 6
      "  queue: { kind: disk }\n"                           // 7
      "telemetry:\n"                                        // 8
      "  metrics: { endpoint: \"127.0.0.1:4318\" }\n");     // 9
  std::map<std::string, ConfigError> by_key;
  for (const ConfigError& e : c.errors) by_key[e.key] = e;
  ASSERT_EQ(c.errors.size(), 6u) << AllErrors(c);
  EXPECT_EQ(by_key["exporter.endpoint"].line, 2);
  EXPECT_TRUE(Contains(by_key["exporter.endpoint"].message, "http:// or https://"));
  EXPECT_EQ(by_key["exporter.compression_level"].line, 4);
  EXPECT_EQ(by_key["exporter.retry.max_interval"].line, 5);
  EXPECT_TRUE(Contains(by_key["exporter.retry.max_interval"].message, "(5s) must be at least"));
  EXPECT_EQ(by_key["exporter.tls.cert_file"].line, 6);
  EXPECT_EQ(by_key["exporter.queue.kind"].line, 7);
  EXPECT_TRUE(Contains(by_key["exporter.queue.kind"].message, "needs exporter.queue.directory"));
  EXPECT_EQ(by_key["telemetry.metrics.endpoint"].line, 9);
  EXPECT_TRUE(Contains(by_key["telemetry.metrics.endpoint"].message,
                       "same address as receivers.otlp.protocols.http.endpoint"));
}

TEST(ConfigTest, HeadersAreCheckedAndKeptInOrder) {
  LoadedConfig c = Parse(
      "exporter:\n"
      "  headers:\n"
      "    X-A: one\n"
      "    Content-Encoding: br\n"   // 4
      "    x-a: two\n"               // 5
      "    \"Bad Name\": v\n"        // 6
      "    Authorization: token\n"); // 7
  std::map<std::string, ConfigError> by_key;
  for (const ConfigError& e : c.errors) by_key[e.key] = e;
  ASSERT_EQ(c.errors.size(), 4u) << AllErrors(c);
  EXPECT_EQ(by_key["exporter.headers.Content-Encoding"].line, 4);
  EXPECT_TRUE(Contains(by_key["exporter.headers.Content-Encoding"].message, "set by otelpack"));
  EXPECT_EQ(by_key["exporter.headers.x-a"].line, 5);
  EXPECT_EQ(by_key["exporter.headers.Bad Name"].line, 6);
  EXPECT_TRUE(Contains(by_key["exporter.headers"].message, "auth.scheme: none"));

  LoadedConfig own = Parse("exporter:\n  auth: { scheme: none }\n  headers: { Authorization: custom }\n");
  ASSERT_TRUE(own.ok()) << AllErrors(own);
  ASSERT_EQ(own.options.exporter.headers.size(), 1u);
  EXPECT_EQ(own.options.exporter.headers[0].value, "custom");
}

TEST(ConfigTest, DuplicateKeysAndSyntaxErrors) {
  LoadedConfig dup = Parse("exporter:\n  timeout: 1s\n  timeout: 2s\n");
  const ConfigError& d = OnlyError(dup, "exporter.timeout");
  EXPECT_EQ(d.line, 3);
  EXPECT_TRUE(Contains(d.message, "twice"));

  LoadedConfig syntax = Parse("exporter:\n  endpoint: http://x\n  batch: [1\n  timeout: 1s\n");
  const ConfigError& s = OnlyError(syntax, "");
  EXPECT_TRUE(Contains(s.message, "YAML syntax error")) << s.message;
  EXPECT_GT(s.line, 2);
  EXPECT_GT(s.column, 0);

  LoadedConfig indent = Parse("exporter:\n  endpoint: http://x\n timeout: 1s\n");
  const ConfigError& i = OnlyError(indent, "");
  EXPECT_EQ(i.line, 3);

  LoadedConfig two = Parse("exporter: {}\n---\nservice: {}\n");
  EXPECT_EQ(OnlyError(two, "").line, 3);

  LoadedConfig scalar = Parse("just a string\n");
  EXPECT_TRUE(Contains(OnlyError(scalar, "").message, "must be a mapping"));
}

TEST(ConfigTest, EnvironmentSubstitution) {
  const EnvLookup env = MapEnv({{"HOST", "collector.internal"}, {"PORT", "9000"}, {"LEVEL", "5"}});
  LoadedConfig c = Parse(
      "exporter:\n"
      "  endpoint: https://${env:HOST}:${env:PORT}/base\n"
      "  project_id: \"$${env:HOST} is literal\"\n"
      "  compression_level: ${env:LEVEL}\n"
      "  retry: { retryable_statuses: [\"${env:PORT}0\"] }\n",
      env);
  EXPECT_FALSE(c.ok());  // 90000 is no HTTP status; the others are fine
  EXPECT_EQ(c.options.exporter.endpoint, "https://collector.internal:9000/base");
  EXPECT_EQ(c.options.exporter.project_id, "${env:HOST} is literal");
  EXPECT_EQ(c.options.exporter.compression_level, 5);
  EXPECT_EQ(OnlyError(c, "exporter.retry.retryable_statuses[0]").line, 5);

  LoadedConfig unset = Parse(
      "exporter:\n"
      "  endpoint: https://${env:HOST}\n"
      "  project_id: ${env:MISSING_PROJECT}\n"
      "  timeout: ${env:MISSING_TIMEOUT}\n",
      env);
  ASSERT_EQ(unset.errors.size(), 2u) << AllErrors(unset);
  EXPECT_EQ(unset.errors[0].key, "exporter.project_id");
  EXPECT_EQ(unset.errors[0].line, 3);
  EXPECT_TRUE(Contains(unset.errors[0].message, "MISSING_PROJECT, which is not set"));
  EXPECT_EQ(unset.errors[1].key, "exporter.timeout");
  EXPECT_TRUE(Contains(unset.errors[1].message, "MISSING_TIMEOUT"));
}

TEST(ConfigTest, SecretsNeverAppearInMessages) {
  const std::string secret = "S3CR3T-d0-not-print";
  const EnvLookup env = MapEnv({{"KEY", secret}, {"CTRL", secret + "\n"}});
  // Every place a secret could go wrong: in a secret key, in a key that does
  // not take it, as a malformed reference, as a key of an auth section, as a
  // header's value, and through the environment into a plain key.
  LoadedConfig c = Parse(
      "receivers:\n"
      "  otlp:\n"
      "    protocols:\n"
      "      http:\n"
      "        auth: { bearer_token: [\"" + secret + "\"] }\n"
      "      grpc:\n"
      "        auth: { bearer_token: \"${env:CTRL}\" }\n"
      "exporter:\n"
      "  auth:\n"
      "    scheme: " + secret + "\n"
      "    api_key: \"ab${" + secret + "}\"\n"
      "    password: \"" + secret + "\\u0001\"\n"
      "    " + secret + ": x\n"
      "    secret: ${env:KEY\n"
      "  headers: { X-Api-Key: \"" + secret + "\\r\\n\" }\n"
      "  compression: ${env:KEY}\n"
      "  auth_extra: {" + secret + "}\n"
      "  queue: { directory: \"${env:CTRL}\" }\n",
      env);
  EXPECT_GE(c.errors.size(), 10u) << AllErrors(c);
  for (const ConfigError& e : c.errors) {
    const std::string line = FormatError("test.yaml", e);
    EXPECT_FALSE(Contains(line, secret)) << line;
    EXPECT_FALSE(Contains(line, "S3CR3T")) << line;
  }

  // A syntax error inside a secret, and a missing credential.
  LoadedConfig syntax = Parse("exporter:\n  auth: { api_key: \"" + secret + "\\q\" }\n");
  ASSERT_EQ(syntax.errors.size(), 1u);
  EXPECT_FALSE(Contains(FormatError("f", syntax.errors[0]), "S3CR3T"));

  LoadedConfig basic = Parse("exporter:\n  endpoint: http://x\n  project_id: p\n  auth: { scheme: basic, password: " +
                             secret + " }\n");
  ASSERT_TRUE(basic.ok()) << AllErrors(basic);
  CheckExporterReady(&basic);
  const ConfigError& missing = OnlyError(basic, "exporter.auth");
  EXPECT_TRUE(Contains(missing.message, "username")) << missing.message;
  EXPECT_FALSE(Contains(missing.message, "S3CR3T"));
}

TEST(ConfigTest, CheckExporterReadyNamesEverythingMissing) {
  LoadedConfig c = Parse("exporter:\n  compression: gzip\n");
  ASSERT_TRUE(c.ok()) << AllErrors(c);
  CheckExporterReady(&c);
  ASSERT_EQ(c.errors.size(), 3u) << AllErrors(c);
  EXPECT_EQ(c.errors[0].key, "exporter.endpoint");
  EXPECT_EQ(c.errors[0].line, 1);  // the exporter section: the endpoint belongs there
  EXPECT_TRUE(Contains(c.errors[0].message, "OTELPACK_ENDPOINT"));
  EXPECT_EQ(c.errors[1].key, "exporter.project_id");
  EXPECT_EQ(c.errors[2].key, "exporter.auth");
  EXPECT_TRUE(Contains(c.errors[2].message, "api_key")) << c.errors[2].message;

  LoadedConfig no_project = Parse("exporter:\n  endpoint: http://x\n  auth: { api_key: k }\n");
  CheckExporterReady(&no_project);
  EXPECT_EQ(OnlyError(no_project, "exporter.project_id").line, 1);

  LoadedConfig no_key = Parse("exporter:\n  endpoint: http://x\n  project_id: p\n");
  CheckExporterReady(&no_key);
  EXPECT_TRUE(Contains(OnlyError(no_key, "exporter.auth").message, "api_key"));

  // What Validate still finds: memory queue smaller than a batch, set by the base.
  agent::AgentOptions base;
  base.exporter.queue.memory_max_bytes = 1024;
  LoadedConfig small = ParseConfig("exporter: { endpoint: http://x, project_id: p, auth: { scheme: none } }\n",
                                   base, kNoEnv);
  ASSERT_TRUE(small.ok()) << AllErrors(small);
  CheckExporterReady(&small);
  EXPECT_EQ(OnlyError(small, "exporter.queue.max_size").line, 1);

  // Not reported twice: the endpoint's own error says what is wrong.
  LoadedConfig unset = Parse("exporter:\n  endpoint: ${env:NOPE}\n  project_id: p\n  auth: { scheme: none }\n");
  CheckExporterReady(&unset);
  EXPECT_TRUE(Contains(OnlyError(unset, "exporter.endpoint").message, "NOPE")) << AllErrors(unset);

  // A file not read or not understood: only that is said.
  LoadedConfig broken = Parse("exporter: [\n");
  CheckExporterReady(&broken);
  EXPECT_EQ(OnlyError(broken, "").line, 2);

  LoadedConfig empty = Parse("");
  CheckExporterReady(&empty);
  ASSERT_EQ(empty.errors.size(), 3u) << AllErrors(empty);
  EXPECT_EQ(empty.errors[0].line, 0);
}

TEST(ConfigTest, FormatError) {
  EXPECT_EQ(FormatError("a.yaml", {"exporter.timeout", 3, 12, "has no unit"}),
            "a.yaml:3:12: exporter.timeout: has no unit");
  EXPECT_EQ(FormatError("a.yaml", {"exporter.endpoint", 0, 0, "is empty"}), "a.yaml: exporter.endpoint: is empty");
  EXPECT_EQ(FormatError("a.yaml", {"", 2, 1, "YAML syntax error: x"}), "a.yaml:2:1: YAML syntax error: x");
}

TEST(ConfigTest, LoadsFilesAndNamesUnreadableOnes) {
  const std::string missing = "/nonexistent/otelpack-config.yaml";
  LoadedConfig none = LoadConfigFile(missing, {}, kNoEnv);
  const ConfigError& e = OnlyError(none, "");
  EXPECT_TRUE(Contains(e.message, missing)) << e.message;

  LoadedConfig dir = LoadConfigFile(std::filesystem::temp_directory_path().string(), {}, kNoEnv);
  EXPECT_EQ(dir.errors.size(), 1u) << AllErrors(dir);

  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("otelpack-config-test-" + std::to_string(::getpid()) + ".yaml");
  {
    std::ofstream f(path);
    f << "service:\n  shutdown_timeout: 3s\n";
  }
  LoadedConfig ok = LoadConfigFile(path.string(), {}, kNoEnv);
  EXPECT_TRUE(ok.ok()) << AllErrors(ok);
  EXPECT_EQ(ok.options.shutdown_timeout, seconds(3));
  {
    std::ofstream f(path);
    f << std::string(kMaxConfigBytes + 1, '#');
  }
  LoadedConfig big = LoadConfigFile(path.string(), {}, kNoEnv);
  EXPECT_TRUE(Contains(OnlyError(big, "").message, "larger than 1MiB"));
  std::filesystem::remove(path);
}

TEST(ConfigTest, ExampleInTheRepositoryParses) {
  // The example refers to ${env:OTELPACK_API_KEY}, as a deployment would.
  const EnvLookup env = MapEnv({{"OTELPACK_API_KEY", "example-key"}, {"OTLP_TOKEN", "example-token"}});
  LoadedConfig c = LoadConfigFile(OTELPACK_EXAMPLE_CONFIG, agent::AgentOptions{}, env);
  ASSERT_TRUE(c.ok()) << AllErrors(c);
  CheckExporterReady(&c);
  EXPECT_TRUE(c.ok()) << AllErrors(c);
  EXPECT_EQ(c.options.exporter.auth.api_key, "example-key");
  EXPECT_FALSE(c.options.exporter.endpoint.empty());
}

TEST(ConfigTest, DeepNestingIsAnErrorNotACrash) {
  std::string deep(5000, '[');
  LoadedConfig c = Parse("exporter:\n  headers: " + deep + "\n");
  EXPECT_EQ(c.errors.size(), 1u) << AllErrors(c);
}

TEST(ConfigTest, AStrayCommaIsAnErrorNotAnEndlessLoop) {
  // yaml-cpp's LoadAll reads "," as empty documents until memory runs out.
  EXPECT_EQ(AllErrors(Parse(",")), "test.yaml:1:1: has a second YAML document; one is allowed\n");
}

TEST(ConfigTest, TheAgentsQueueRefusesAtOnceWhenFull) {
  // The library blocks by default; the agent must not hold a receiver thread.
  Result<agent::AgentOptions> base = OptionsFromEnvironment();
  ASSERT_TRUE(base.ok());
  EXPECT_EQ(base->exporter.queue.when_full, WhenFull::kDropNewest);
  EXPECT_EQ(ExporterOptions().queue.when_full, WhenFull::kBlock);
}

// exporter.format: a declaration written in the configuration, checked
// with it, its mistakes under the configuration's keys and lines.
TEST(ConfigTest, AFormatWrittenInTheConfigurationIsCheckedWithIt) {
  LoadedConfig ok = Parse(R"(exporter:
  format:
    framing: ndjson
    traces:
      path: /spans
      event: {name: $name}
)");
  ASSERT_TRUE(ok.ok()) << AllErrors(ok);
  ASSERT_NE(ok.options.exporter.format, nullptr);
  EXPECT_EQ(ok.options.exporter.format->declaration().framing, format::declared::Framing::kNdjson);

  LoadedConfig bad = Parse(R"(exporter:
  format:
    framing: ndjson
    traces:
      path: /spans
      event:
        name: $nmae
)");
  const ConfigError& e = OnlyError(bad, "exporter.format.traces.event.name");
  EXPECT_EQ(e.line, 7) << AllErrors(bad);
  EXPECT_TRUE(Contains(e.message, "$name")) << e.message << ": the suggestion";
  EXPECT_EQ(bad.options.exporter.format, nullptr);

  EXPECT_EQ(OnlyError(Parse("exporter:\n  format: [1, 2]\n"), "exporter.format").line, 2);
}

// exporter.format: a file, read from the configuration file's folder; its
// mistakes keep their own file and line.
TEST(ConfigTest, AFormatFileIsReadBesideTheConfigurationFile) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("otelpack-format-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream f(dir / "otelpack.yaml");
    f << "exporter:\n  format: format.yaml\n";
  }
  {
    std::ofstream f(dir / "format.yaml");
    f << "framing: array\n";
  }
  LoadedConfig ok = LoadConfigFile((dir / "otelpack.yaml").string(), {}, kNoEnv);
  ASSERT_TRUE(ok.ok()) << AllErrors(ok);
  ASSERT_NE(ok.options.exporter.format, nullptr);
  EXPECT_EQ(ok.options.exporter.format->declaration().framing, format::declared::Framing::kArray);
  {
    std::ofstream f(dir / "format.yaml");
    f << "framing: array\nlogs:\n  path: /l\n  event: {t: $tiem}\n";
  }
  LoadedConfig bad = LoadConfigFile((dir / "otelpack.yaml").string(), {}, kNoEnv);
  const ConfigError& e = OnlyError(bad, "exporter.format");
  EXPECT_EQ(e.line, 2);
  EXPECT_TRUE(Contains(e.message, (dir / "format.yaml").string() + ":4:")) << e.message;
  EXPECT_TRUE(Contains(e.message, "$tiem")) << e.message;
  std::filesystem::remove(dir / "format.yaml");
  LoadedConfig missing = LoadConfigFile((dir / "otelpack.yaml").string(), {}, kNoEnv);
  EXPECT_TRUE(Contains(OnlyError(missing, "exporter.format").message, "format.yaml")) << AllErrors(missing);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace otelpack::config

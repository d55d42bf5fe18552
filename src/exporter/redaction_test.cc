// No configured credential leaves through what the exporter reports, even
// when the backend echoes it: a real HTTP server answers with error bodies
// that quote the API key, the Basic credentials and a declared secret header;
// the log lines (through a handler, as an application would install) and
// Stats().last_error must show *** instead.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "common/base64.h"
#include "common/testing/log_capture.h"
#include "loadgen/loadgen.h"
#include "otelpack/exporter.h"
#include "otelpack/format.h"
#include "otelpack/log.h"
#include "transport/test_http_server.h"

namespace otelpack {
namespace {

using namespace std::chrono_literals;


// One export of a few spans answered by `answers` in turn; returns the
// exporter's stats after it gave up or delivered.
ExporterStats ExportAgainst(testing::TestHttpServer& server, ExporterOptions o) {
  o.endpoint = server.Url("");
  o.project_id = "p";
  o.concurrency = 1;
  o.compression = Compression::kNone;
  o.retry.initial_interval = 1ms;
  o.retry.max_interval = 1ms;
  auto exporter = Exporter::Create(o);
  EXPECT_TRUE(exporter.ok()) << exporter.status().ToString();
  if (!exporter.ok()) return {};
  loadgen::SpanGenerator spans;
  EXPECT_TRUE((*exporter)->Export(spans.Next(3)).ok());
  (void)(*exporter)->ForceFlush(10s);
  ExporterStats stats = (*exporter)->Stats();
  (*exporter)->Shutdown();
  return stats;
}

TEST(RedactionTest, AnEchoedApiKeyIsMaskedInTheLogAndTheStats) {
  testing::LogCapture log;
  testing::TestHttpServer server;
  const std::string key = "echoed-api-key-5f2c";
  server.Push({.status = 503, .body = R"({"error":"overloaded; got Authorization: ApiKey )" + key + R"("})"});
  server.Push({.status = 401, .body = R"({"error":"invalid key )" + key + R"("})"});
  ExporterOptions o;
  o.auth.api_key = key;
  const ExporterStats stats = ExportAgainst(server, o);

  ASSERT_EQ(server.requests().size(), 2u);
  EXPECT_EQ(server.requests()[0].Header("Authorization"), "ApiKey " + key) << "the key is sent";
  EXPECT_EQ(stats.traces.dropped_permanent, 3u);
  EXPECT_NE(stats.last_error.find("invalid key ***"), std::string::npos) << stats.last_error;
  EXPECT_EQ(stats.last_error.find(key), std::string::npos) << stats.last_error;
  const std::string logged = log.text();
  EXPECT_NE(logged.find("ApiKey ***"), std::string::npos) << logged;  // the retry's line, quoted
  EXPECT_NE(logged.find("invalid key ***"), std::string::npos) << logged;
  EXPECT_EQ(logged.find(key), std::string::npos) << logged;
}

TEST(RedactionTest, EchoedBasicCredentialsAreMaskedAsSentAndAsConfigured) {
  testing::LogCapture log;
  testing::TestHttpServer server;
  const std::string password = "basic-pa55word";
  const std::string wire = Base64Encode("svc:" + password);
  server.Push({.status = 400, .body = "bad header Basic " + wire + " for password " + password});
  ExporterOptions o;
  o.auth.scheme = AuthScheme::kBasic;
  o.auth.username = "svc";
  o.auth.password = password;
  const ExporterStats stats = ExportAgainst(server, o);

  EXPECT_EQ(stats.traces.dropped_permanent, 3u);
  for (const std::string& text : {stats.last_error, log.text()}) {
    EXPECT_NE(text.find("bad header Basic *** for password ***"), std::string::npos) << text;
    EXPECT_EQ(text.find(password), std::string::npos) << text;
    EXPECT_EQ(text.find(wire), std::string::npos) << text;
  }
}

TEST(RedactionTest, ADeclaredSecretHeaderEchoedIsMasked) {
  testing::LogCapture log;
  setenv("OTELPACK_TEST_TENANT_TOKEN", "tenant-token-8d1e", 1);
  auto format = Format::Parse(R"(framing: ndjson
headers: {X-Tenant-Token: "${env:OTELPACK_TEST_TENANT_TOKEN}"}
traces: {path: /spans, event: {name: $name}}
)",
                              "secret.yaml");
  ASSERT_TRUE(format.ok()) << format.status().ToString();
  testing::TestHttpServer server;
  server.Push({.status = 403, .body = "token tenant-token-8d1e is not allowed"});
  ExporterOptions o;
  o.auth.scheme = AuthScheme::kNone;
  o.format = *format;
  const ExporterStats stats = ExportAgainst(server, o);

  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].Header("X-Tenant-Token"), "tenant-token-8d1e");
  EXPECT_NE(stats.last_error.find("token *** is not allowed"), std::string::npos) << stats.last_error;
  EXPECT_EQ(log.text().find("tenant-token-8d1e"), std::string::npos) << log.text();
}

}  // namespace
}  // namespace otelpack

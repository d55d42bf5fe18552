// SinkTest: the fixture of the sink's end-to-end tests (sink_test.cc,
// sink_events_test.cc): a sink on a loopback port with the test options, a
// keep-alive client, and ingest and read requests with the test credentials.
#ifndef OTELPACK_SINK_SINK_TEST_BASE_H_
#define OTELPACK_SINK_SINK_TEST_BASE_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/str_cat.h"
#include "http/testing/test_client.h"
#include "sink/sink.h"
#include "sink/test_util.h"

namespace otelpack::sink::testing {

class SinkTest : public ::testing::Test {
 protected:
  void SetUp() override { StartSink(TestSinkOptions()); }

  void StartSink(const SinkOptions& options) {
    sink_.reset();
    auto sink = Sink::Start(options);
    ASSERT_TRUE(sink.ok()) << sink.status().ToString();
    sink_ = std::move(sink).value();
    client_ = std::make_unique<TestClient>(sink_->endpoint());
  }

  TestResponse Post(std::string_view body, const std::vector<std::string>& headers,
                    RequestFraming framing = {}) {
    auto r = client_->Post("/v1/ingest", body, headers, framing);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : TestResponse{};
  }
  TestResponse Get(std::string_view path) {
    auto r = client_->Get(path, {StrCat("Authorization: ApiKey ", kApiKey)});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : TestResponse{};
  }
  std::uint64_t Count() { return sink_->CountEvents().ok() ? *sink_->CountEvents() : ~0ull; }

  std::unique_ptr<Sink> sink_;
  std::unique_ptr<TestClient> client_;
};

}  // namespace otelpack::sink::testing

#endif  // OTELPACK_SINK_SINK_TEST_BASE_H_

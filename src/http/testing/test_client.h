// TestClient: a small libcurl HTTP client for tests (and only
// them): one connection kept alive between requests, the answer's status,
// body and headers, and control over the request's framing (Expect:
// 100-continue, chunked bodies) so every server path can be reached.
#ifndef OTELPACK_HTTP_TESTING_TEST_CLIENT_H_
#define OTELPACK_HTTP_TESTING_TEST_CLIENT_H_

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "otelpack/status.h"

namespace otelpack::http::testing {

struct TestResponse {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names in lowercase
};

struct RequestFraming {
  // Send "Expect: 100-continue" and wait for the server's go-ahead before
  // the body (libcurl's default for big bodies); off: send the body at once.
  bool expect_continue = false;
  // Send the body with Transfer-Encoding: chunked instead of Content-Length.
  bool chunked = false;
};

// For https:// endpoints. Default: the system's CAs, no client certificate.
struct ClientTls {
  std::string ca_file;    // the CA the server's certificate must chain to
  std::string cert_file;  // a client certificate (mTLS), with key_file
  std::string key_file;
  bool tls12_only = false;  // offer TLS 1.2 and nothing newer
};

// Not thread-safe: one client per thread.
class TestClient {
 public:
  explicit TestClient(std::string endpoint);
  ~TestClient();
  TestClient(const TestClient&) = delete;
  TestClient& operator=(const TestClient&) = delete;

  void set_timeout(std::chrono::milliseconds timeout) { timeout_ = timeout; }
  void set_tls(ClientTls tls) { tls_ = std::move(tls); }

  // One request. `headers` are "Name: value" lines. Unavailable (with
  // libcurl's message) when no HTTP answer came: refused, reset, timed out.
  Result<TestResponse> Send(std::string_view method, std::string_view path,
                            std::string_view body, const std::vector<std::string>& headers,
                            RequestFraming framing = {});
  Result<TestResponse> Post(std::string_view path, std::string_view body,
                            const std::vector<std::string>& headers, RequestFraming framing = {}) {
    return Send("POST", path, body, headers, framing);
  }
  Result<TestResponse> Get(std::string_view path, const std::vector<std::string>& headers) {
    return Send("GET", path, {}, headers);
  }

  // Connections libcurl opened so far (1 when keep-alive held throughout).
  long connects() const { return connects_; }

 private:
  std::string endpoint_;
  void* curl_;  // CURL*
  std::chrono::milliseconds timeout_{10000};
  ClientTls tls_;
  long connects_ = 0;
};

}  // namespace otelpack::http::testing

#endif  // OTELPACK_HTTP_TESTING_TEST_CLIENT_H_

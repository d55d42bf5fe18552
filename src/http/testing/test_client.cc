// libcurl behind TestClient.
#include "http/testing/test_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <mutex>

#include "common/ascii.h"
#include "common/str_cat.h"

namespace otelpack::http::testing {
namespace {

CURL* Handle(void* p) { return static_cast<CURL*>(p); }

std::size_t OnBody(char* data, std::size_t size, std::size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

std::size_t OnHeader(char* data, std::size_t size, std::size_t n, void* user) {
  auto* headers = static_cast<std::map<std::string, std::string>*>(user);
  std::string_view line(data, size * n);
  if (line.substr(0, 5) == "HTTP/") headers->clear();  // a 100 Continue came first
  const std::size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name = AsciiLowercase(line.substr(0, colon));
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
      value.remove_suffix(1);
    }
    (*headers)[name] = std::string(value);
  }
  return size * n;
}

// Feeds a chunked body in pieces.
struct BodyReader {
  std::string_view rest;
};

std::size_t OnRead(char* buffer, std::size_t size, std::size_t n, void* user) {
  auto* reader = static_cast<BodyReader*>(user);
  const std::size_t count = std::min(size * n, reader->rest.size());
  std::memcpy(buffer, reader->rest.data(), count);
  reader->rest.remove_prefix(count);
  return count;
}

}  // namespace

TestClient::TestClient(std::string endpoint) : endpoint_(std::move(endpoint)) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  curl_ = curl_easy_init();
}

TestClient::~TestClient() { curl_easy_cleanup(Handle(curl_)); }

Result<TestResponse> TestClient::Send(std::string_view method, std::string_view path,
                                      std::string_view body,
                                      const std::vector<std::string>& headers,
                                      RequestFraming framing) {
  CURL* curl = Handle(curl_);
  curl_easy_reset(curl);  // keeps the connection cache
  TestResponse response;
  const std::string url = StrCat(endpoint_, path);
  const std::string method_text(method);
  curl_slist* list = nullptr;
  for (const std::string& h : headers) list = curl_slist_append(list, h.c_str());
  list = curl_slist_append(list, framing.expect_continue ? "Expect: 100-continue" : "Expect:");
  if (framing.chunked) list = curl_slist_append(list, "Transfer-Encoding: chunked");
  BodyReader reader{body};

  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_.count()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
  if (!tls_.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, tls_.ca_file.c_str());
  if (!tls_.cert_file.empty()) {
    curl_easy_setopt(curl, CURLOPT_SSLCERT, tls_.cert_file.c_str());
    curl_easy_setopt(curl, CURLOPT_SSLKEY, tls_.key_file.c_str());
  }
  if (tls_.tls12_only) {
    curl_easy_setopt(curl, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2) | static_cast<long>(CURL_SSLVERSION_MAX_TLSv1_2));
  }
  if (method == "GET") {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    if (framing.chunked) {
      curl_easy_setopt(curl, CURLOPT_READFUNCTION, &OnRead);
      curl_easy_setopt(curl, CURLOPT_READDATA, &reader);
    } else {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    }
    if (method != "POST") curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method_text.c_str());
  }
  const CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(list);
  long connects = 0;
  curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &connects);
  connects_ += connects;
  if (rc != CURLE_OK) {
    return Status::Unavailable(StrCat("curl: ", curl_easy_strerror(rc)));
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

}  // namespace otelpack::http::testing

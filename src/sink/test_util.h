// Helpers shared by the sink's tests: valid span, log and metric events and
// bodies to start from (and to break one field at a time), the document's
// examples, request headers, compression, an independent HMAC signer, and
// temporary directories.
#ifndef OTELPACK_SINK_TEST_UTIL_H_
#define OTELPACK_SINK_TEST_UTIL_H_

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/str_cat.h"
#include "http/testing/test_client.h"
#include "otelpack/compression.h"
#include "sink/sink.h"

namespace otelpack::sink::testing {

using http::testing::RequestFraming;
using http::testing::TestClient;
using http::testing::TestResponse;

inline constexpr char kApiKey[] = "sink-test-SECRET-key";
inline constexpr char kProject[] = "demo";

inline std::string Hex(unsigned long long value, int digits) {
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%0*llx", digits, value);
  return std::string(buf).substr(0, static_cast<std::size_t>(digits));
}
inline std::string TraceIdFor(int i) { return Hex(0xabc0000000000000ULL + static_cast<unsigned>(i), 32); }
inline std::string SpanIdFor(int i) { return Hex(0x1000000000000000ULL + static_cast<unsigned>(i), 16); }

// An ordered list of an object's fields as raw JSON values, so a test can
// break exactly one of them.
class JsonFields {
 public:
  JsonFields& Set(std::string key, std::string raw_value) {
    for (auto& [k, v] : fields_) {
      if (k == key) {
        v = std::move(raw_value);
        return *this;
      }
    }
    fields_.emplace_back(std::move(key), std::move(raw_value));
    return *this;
  }
  JsonFields& Add(std::string key, std::string raw_value) {  // even when present
    fields_.emplace_back(std::move(key), std::move(raw_value));
    return *this;
  }
  JsonFields& Remove(std::string_view key) {
    std::erase_if(fields_, [&](const auto& f) { return f.first == key; });
    return *this;
  }
  JsonFields& Reverse() {
    std::reverse(fields_.begin(), fields_.end());
    return *this;
  }
  std::string Json() const {
    std::string out = "{";
    for (const auto& [k, v] : fields_) {
      if (out.size() > 1) out.push_back(',');
      StrAppend(&out, "\"", k, "\":", v);
    }
    out.push_back('}');
    return out;
  }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

// The twelve required fields of a valid span event, in the documented order.
inline JsonFields SpanFields(int i, std::string trace_id = {}) {
  if (trace_id.empty()) trace_id = TraceIdFor(i);
  JsonFields f;
  f.Set("type", "\"span\"")
      .Set("trace_id", StrCat("\"", trace_id, "\""))
      .Set("span_id", StrCat("\"", SpanIdFor(i), "\""))
      .Set("parent_span_id", i % 2 == 0 ? "null" : StrCat("\"", SpanIdFor(i - 1), "\""))
      .Set("service", "\"checkout\"")
      .Set("operation", StrCat("\"GET /cart/", i, "\""))
      .Set("start_time_ms", StrCat(1732480000000LL + i))
      .Set("duration_ms", "12.345")
      .Set("status", i % 5 == 4 ? "\"error\"" : "\"ok\"")
      .Set("status_message", "\"\"")
      .Set("attributes",
           StrCat(R"({"http.method":"GET","http.status_code":200,"retry":false,"ratio":0.25,)",
                  R"("user.id":)", i, "}"))
      .Set("events", R"([{"name":"cache miss","timestamp_ms":1732480000001,"attributes":{}}])");
  return f;
}
inline std::string SpanJson(int i, std::string trace_id = {}) {
  return SpanFields(i, std::move(trace_id)).Json();
}

// The required fields of a valid log event, in the documented order.
inline JsonFields LogFields(int i) {
  JsonFields f;
  f.Set("type", "\"log\"")
      .Set("service", "\"checkout\"")
      .Set("timestamp_ms", StrCat(1732480000000LL + i))
      .Set("severity", i % 2 == 0 ? "\"ERROR\"" : "\"I\"")
      .Set("severity_number", i % 2 == 0 ? "17" : "9")
      .Set("body", StrCat("\"payment declined #", i, "\""))
      .Set("trace_id", StrCat("\"", TraceIdFor(i), "\""))
      .Set("span_id", StrCat("\"", SpanIdFor(i), "\""))
      .Set("attributes", StrCat(R"({"http.route":"/api/pay","retry":false,"n":)", i, "}"));
  return f;
}
inline std::string LogJson(int i) { return LogFields(i).Json(); }

// The metric event kinds, in the documented order.
inline const std::vector<std::string>& MetricKinds() {
  static const std::vector<std::string> kinds = {"gauge", "sum", "histogram",
                                                 "exponential_histogram", "summary"};
  return kinds;
}

// The fields of a valid metric event of `kind` (one of MetricKinds()), in
// the documented order.
inline JsonFields MetricFields(std::string_view kind, int i = 0) {
  JsonFields f;
  f.Set("type", "\"metric\"")
      .Set("service", "\"checkout\"")
      .Set("name", StrCat("\"app.", kind, "\""))
      .Set("unit", kind == "gauge" ? "\"\"" : "\"ms\"")
      .Set("kind", StrCat("\"", kind, "\""))
      .Set("timestamp_ms", StrCat(1732480060000LL + i))
      .Set("start_time_ms", kind == "gauge" ? "null" : "1732480000000")
      .Set("attributes", StrCat(R"({"http.route":"/api/pay","n":)", i, "}"));
  if (kind == "gauge") {
    f.Set("value", i % 2 == 0 ? "42" : "0.5");
  } else if (kind == "sum") {
    f.Set("value", "7").Set("monotonic", "true").Set("temporality", "\"cumulative\"");
  } else if (kind == "histogram") {
    f.Set("temporality", "\"delta\"")
        .Set("count", "12")
        .Set("sum", "3.25")
        .Set("min", "0.01")
        .Set("max", "1.2")
        .Set("buckets", R"([{"le":0.1,"count":7},{"le":1.0,"count":4},{"le":null,"count":1}])");
  } else if (kind == "exponential_histogram") {
    f.Set("temporality", "\"cumulative\"")
        .Set("count", "10")
        .Set("sum", "12.5")
        .Set("min", "-2.0")
        .Set("max", "4.0")
        .Set("scale", "-2")
        .Set("zero_count", "1")
        .Set("zero_threshold", "0.0")
        .Set("positive", R"({"offset":-1,"bucket_counts":[1,2,3]})")
        .Set("negative", R"({"offset":0,"bucket_counts":[3]})");
  } else {
    f.Set("count", "5").Set("sum", "10.5").Set(
        "quantiles", R"([{"quantile":0.0,"value":0.1},{"quantile":0.5,"value":2.0},)"
                     R"({"quantile":1.0,"value":4.5}])");
  }
  return f;
}
inline std::string MetricJson(std::string_view kind, int i = 0) {
  return MetricFields(kind, i).Json();
}

// The examples of docs/wire-protocol.md, copied verbatim.
inline constexpr char kDocLogExample[] =
    R"({"type":"log","service":"checkout","timestamp_ms":1732480000123,"severity":"ERROR",
 "severity_number":17,"body":"payment declined: card expired",
 "trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7",
 "attributes":{"http.route":"/api/pay","retry":false}})";
inline constexpr char kDocMetricExample[] =
    R"({"type":"metric","service":"checkout","name":"http.server.request.duration","unit":"s",
 "kind":"histogram","timestamp_ms":1732480060000,"start_time_ms":1732480000000,
 "attributes":{"http.route":"/api/pay"},"temporality":"cumulative","count":12,"sum":3.25,
 "min":0.01,"max":1.2,"buckets":[{"le":0.1,"count":7},{"le":1.0,"count":4},{"le":null,"count":1}]})";

inline std::string BodyJson(const std::vector<std::string>& events,
                            std::string_view project = kProject) {
  std::string out = StrCat("{\"project_id\":\"", project, "\",\"events\":[");
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.append(events[i]);
  }
  out.append("],\"sent_at\":1732480000000}");
  return out;
}

// A body of `n` valid events numbered from `first`.
inline std::string BodyOf(int n, int first = 0) {
  std::vector<std::string> events;
  for (int i = 0; i < n; ++i) events.push_back(SpanJson(first + i));
  return BodyJson(events);
}

struct IngestHeaderOptions {
  std::string api_key = kApiKey;
  std::string project = kProject;
  std::string batch_id;       // empty: no X-Batch-ID
  std::string encoding;       // empty: no Content-Encoding
  std::string content_type = "application/json";
};
inline std::vector<std::string> IngestHeaders(const IngestHeaderOptions& o = {}) {
  std::vector<std::string> h = {StrCat("Content-Type: ", o.content_type),
                                StrCat("X-Project-ID: ", o.project),
                                "User-Agent: otelpack-sink-test/1"};
  if (!o.api_key.empty()) h.push_back(StrCat("Authorization: ApiKey ", o.api_key));
  if (!o.batch_id.empty()) h.push_back(StrCat("X-Batch-ID: ", o.batch_id));
  if (!o.encoding.empty()) h.push_back(StrCat("Content-Encoding: ", o.encoding));
  return h;
}
inline std::vector<std::string> IngestHeadersWithBatch(std::string batch_id) {
  IngestHeaderOptions o;
  o.batch_id = std::move(batch_id);
  return IngestHeaders(o);
}

inline SinkOptions TestSinkOptions() {
  SinkOptions o;
  o.listen = "127.0.0.1:0";
  o.project_id = kProject;
  o.auth.scheme = AuthScheme::kApiKey;
  o.auth.api_key = kApiKey;
  return o;
}

inline std::string Compress(Compression c, std::string_view input) {
  Result<std::unique_ptr<Compressor>> compressor = NewCompressor(c);
  if (!compressor.ok()) return "compressor failed: " + compressor.status().ToString();
  Buffer out;
  if (Status s = (*compressor)->Compress(input, &out); !s.ok()) return s.ToString();
  return std::string(out.view());
}

// HMAC-SHA256 signing written here from docs/wire-protocol.md, independently
// of src/auth, so the sink's verification is checked against the document.
inline std::string ToHex(const unsigned char* data, std::size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(kDigits[data[i] >> 4]);
    out.push_back(kDigits[data[i] & 0xf]);
  }
  return out;
}
inline std::string Sha256Hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return ToHex(digest, sizeof(digest));
}
inline std::vector<std::string> HmacHeaders(std::string_view key_id, std::string_view secret,
                                            std::string_view method, std::string_view path,
                                            std::string_view project, std::string_view body,
                                            std::int64_t timestamp) {
  const std::string body_sha = Sha256Hex(body);
  const std::string ts = std::to_string(timestamp);
  const std::string to_sign = StrCat(method, "\n", path, "\n", ts, "\n", body_sha, "\n", project);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(to_sign.data()), to_sign.size(), mac, &mac_length);
  return {StrCat("X-Otelpack-Timestamp: ", ts), StrCat("X-Otelpack-Content-SHA256: ", body_sha),
          StrCat("Authorization: OTELPACK-HMAC-SHA256 KeyId=", key_id,
                 ", Signature=", ToHex(mac, mac_length))};
}
inline std::int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A fresh directory, removed with its contents at the end of the scope.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            StrCat("otelpack-sink-test-", getpid(), "-", counter++);
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string File(std::string_view name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace otelpack::sink::testing

#endif  // OTELPACK_SINK_TEST_UTIL_H_

// The receivers' `tls:` blocks in the YAML configuration: real files (made by
// the tests' CA) reach the options, and every mistake in them is reported at
// its key and line, as `otelpack validate` shows it, before any receiver
// starts.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "common/str_cat.h"
#include "config/config.h"
#include "http/testing/test_certs.h"

namespace otelpack::config {
namespace {

class ConfigTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pki = http::testing::TestPki::Create("config-tls");  // a directory per process
    ASSERT_TRUE(pki.ok()) << pki.status().ToString();
    pki_ = std::move(*pki);
  }

  LoadedConfig Parse(const std::string& yaml) {
    return ParseConfig(yaml, agent::AgentOptions{}, [](std::string_view) { return std::nullopt; });
  }

  // The document with the `tls:` flow mappings of both receivers.
  static std::string Receivers(const std::string& http_tls, const std::string& grpc_tls) {
    return StrCat("receivers:\n",               // 1
                  "  otlp:\n",                  // 2
                  "    protocols:\n",           // 3
                  "      http:\n",              // 4
                  "        tls: ", http_tls, "\n",  // 5
                  "      grpc:\n",              // 6
                  "        tls: ", grpc_tls, "\n");  // 7
  }

  static std::string AllErrors(const LoadedConfig& c) {
    std::string out;
    for (const ConfigError& e : c.errors) out += FormatError("test.yaml", e) + "\n";
    return out;
  }

  static std::map<std::string, ConfigError> ByKey(const LoadedConfig& c) {
    std::map<std::string, ConfigError> out;
    for (const ConfigError& e : c.errors) out[e.key] = e;
    return out;
  }

  std::unique_ptr<http::testing::TestPki> pki_;
};

TEST_F(ConfigTlsTest, BothBlocksReachTheReceiversOptions) {
  const std::string http_tls = StrCat("{cert_file: ", pki_->server.cert, ", key_file: ", pki_->server.key,
                                      ", client_ca_file: ", pki_->ca->cert_file(), ", min_version: \"1.3\"}");
  const std::string grpc_tls = StrCat("{cert_file: ", pki_->server.cert, ", key_file: ", pki_->server.key, "}");
  LoadedConfig c = Parse(Receivers(http_tls, grpc_tls));
  ASSERT_TRUE(c.errors.empty()) << AllErrors(c);
  const http::TlsOptions& h = c.options.http.tls;
  EXPECT_EQ(h.cert_file, pki_->server.cert);
  EXPECT_EQ(h.key_file, pki_->server.key);
  EXPECT_EQ(h.client_ca_file, pki_->ca->cert_file());
  EXPECT_EQ(h.min_version, http::TlsVersion::k13);
  const http::TlsOptions& g = c.options.grpc.tls;
  EXPECT_EQ(g.cert_file, pki_->server.cert);
  EXPECT_TRUE(g.client_ca_file.empty());
  EXPECT_EQ(g.min_version, http::TlsVersion::k12);  // the default
}

TEST_F(ConfigTlsTest, AMistakeInAFileIsReportedAtItsKeyAndLine) {
  const std::string missing = (pki_->dir / "missing.pem").string();
  // HTTP: a key that is not the certificate's; gRPC: a certificate file
  // that is not there.
  LoadedConfig c = Parse(Receivers(StrCat("{cert_file: ", pki_->server.cert, ", key_file: ", pki_->client.key, "}"),
                                   StrCat("{cert_file: ", missing, ", key_file: ", pki_->server.key, "}")));
  std::map<std::string, ConfigError> by_key = ByKey(c);
  ASSERT_EQ(c.errors.size(), 2u) << AllErrors(c);
  const ConfigError& key = by_key["receivers.otlp.protocols.http.tls.key_file"];
  EXPECT_EQ(key.line, 5);
  EXPECT_NE(key.message.find(StrCat(pki_->client.key, ": does not match the certificate")), std::string::npos)
      << key.message;
  const ConfigError& cert = by_key["receivers.otlp.protocols.grpc.tls.cert_file"];
  EXPECT_EQ(cert.line, 7);
  EXPECT_NE(cert.message.find(StrCat(missing, ": cannot read")), std::string::npos) << cert.message;
}

TEST_F(ConfigTlsTest, MinimumVersionsOutsideWhatEachReceiverCanDoAreErrors) {
  const std::string files = StrCat("cert_file: ", pki_->server.cert, ", key_file: ", pki_->server.key);
  LoadedConfig c = Parse(Receivers(StrCat("{", files, ", min_version: \"1.1\"}"),
                                   StrCat("{", files, ", min_version: \"1.3\"}")));
  std::map<std::string, ConfigError> by_key = ByKey(c);
  ASSERT_EQ(c.errors.size(), 2u) << AllErrors(c);
  EXPECT_EQ(by_key["receivers.otlp.protocols.http.tls.min_version"].line, 5);
  const ConfigError& grpc = by_key["receivers.otlp.protocols.grpc.tls.min_version"];
  EXPECT_EQ(grpc.line, 7);
  EXPECT_NE(grpc.message.find("not available for gRPC"), std::string::npos) << grpc.message;
}

TEST_F(ConfigTlsTest, AKeyWithoutACertificateIsAnError) {
  LoadedConfig c = Parse(Receivers(StrCat("{key_file: ", pki_->server.key, "}"), "{}"));
  ASSERT_EQ(c.errors.size(), 1u) << AllErrors(c);
  EXPECT_EQ(c.errors[0].key, "receivers.otlp.protocols.http.tls.key_file");
  EXPECT_NE(c.errors[0].message.find("without tls.cert_file"), std::string::npos) << c.errors[0].message;
}

}  // namespace
}  // namespace otelpack::config

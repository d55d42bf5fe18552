// TestCa: certificates made at test time with OpenSSL, for the tests of the
// servers' TLS: a CA, and leaf certificates it signs (for 127.0.0.1 and
// localhost, usable by servers and clients alike), written as PEM files.
// Two CAs make a trusted and an untrusted side.
#ifndef OTELPACK_HTTP_TESTING_TEST_CERTS_H_
#define OTELPACK_HTTP_TESTING_TEST_CERTS_H_

#include <filesystem>
#include <memory>
#include <string>

#include "otelpack/status.h"

namespace otelpack::http::testing {

struct CertFiles {
  std::string cert;  // PEM certificate
  std::string key;   // PEM private key (P-256, unencrypted)
};

class TestCa {
 public:
  // A self-signed CA named `name`, written as <dir>/<name>.pem and
  // <dir>/<name>-key.pem.
  static Result<std::unique_ptr<TestCa>> Create(const std::filesystem::path& dir, const std::string& name);
  ~TestCa();
  TestCa(const TestCa&) = delete;
  TestCa& operator=(const TestCa&) = delete;

  const std::string& cert_file() const { return files_.cert; }
  // A certificate signed by this CA for `common_name`, with the subject
  // alternative names IP:127.0.0.1 and DNS:localhost, written as
  // <dir>/<stem>.pem and <dir>/<stem>-key.pem.
  Result<CertFiles> Issue(const std::string& stem, const std::string& common_name);

 private:
  TestCa() = default;
  std::filesystem::path dir_;
  CertFiles files_;
  void* key_ = nullptr;   // EVP_PKEY*
  void* cert_ = nullptr;  // X509*
  long serial_ = 1;
};

// What a TLS test needs: in a fresh directory, a CA and another one, a
// server and a client certificate from the first (trusted) and a client
// certificate from the second (untrusted). The directory goes with it.
struct TestPki {
  // In the temporary directory, named after `name` and the process.
  static Result<std::unique_ptr<TestPki>> Create(const std::string& name);
  ~TestPki();

  std::filesystem::path dir;
  std::unique_ptr<TestCa> ca;
  std::unique_ptr<TestCa> other_ca;
  CertFiles server;  // by ca
  CertFiles client;  // by ca
  CertFiles rogue;   // by other_ca
};

}  // namespace otelpack::http::testing

#endif  // OTELPACK_HTTP_TESTING_TEST_CERTS_H_

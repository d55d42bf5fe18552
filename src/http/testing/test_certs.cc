// The test CA's OpenSSL calls: P-256 keys, X.509 v3 certificates valid for an
// hour either side of now, written with PEM_write_*.
#include "http/testing/test_certs.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <unistd.h>

#include <cstdio>

#include "common/str_cat.h"

namespace otelpack::http::testing {
namespace {

bool AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  const bool ok = ext != nullptr && X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

// A certificate for `key` named `common_name`, issued by `issuer` (itself
// when null) and signed with `issuer_key`.
X509* MakeCertificate(EVP_PKEY* key, const std::string& common_name, long serial, X509* issuer,
                      EVP_PKEY* issuer_key, bool ca) {
  X509* x = X509_new();
  bool ok = x != nullptr && X509_set_version(x, 2) == 1 &&
            ASN1_INTEGER_set(X509_get_serialNumber(x), serial) == 1 &&
            X509_gmtime_adj(X509_getm_notBefore(x), -3600) != nullptr &&
            X509_gmtime_adj(X509_getm_notAfter(x), 3600) != nullptr && X509_set_pubkey(x, key) == 1;
  if (ok) {
    X509_NAME* name = X509_get_subject_name(x);
    ok = X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                    reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1, 0) == 1 &&
         X509_set_issuer_name(x, issuer != nullptr ? X509_get_subject_name(issuer) : name) == 1;
  }
  X509* signer = issuer != nullptr ? issuer : x;
  if (ok && ca) {
    ok = AddExtension(x, signer, NID_basic_constraints, "critical,CA:TRUE") &&
         AddExtension(x, signer, NID_key_usage, "critical,keyCertSign,cRLSign") &&
         AddExtension(x, signer, NID_subject_key_identifier, "hash");
  } else if (ok) {
    ok = AddExtension(x, signer, NID_basic_constraints, "critical,CA:FALSE") &&
         AddExtension(x, signer, NID_key_usage, "critical,digitalSignature") &&
         AddExtension(x, signer, NID_ext_key_usage, "serverAuth,clientAuth") &&
         AddExtension(x, signer, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost") &&
         AddExtension(x, signer, NID_authority_key_identifier, "keyid:always");
  }
  ok = ok && X509_sign(x, issuer_key, EVP_sha256()) > 0;
  if (!ok) {
    X509_free(x);
    return nullptr;
  }
  return x;
}

Status Write(const CertFiles& files, X509* cert, EVP_PKEY* key) {
  FILE* cert_file = std::fopen(files.cert.c_str(), "w");
  FILE* key_file = std::fopen(files.key.c_str(), "w");
  const bool ok = cert_file != nullptr && key_file != nullptr && PEM_write_X509(cert_file, cert) == 1 &&
                  PEM_write_PrivateKey(key_file, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
  if (cert_file != nullptr) std::fclose(cert_file);
  if (key_file != nullptr) std::fclose(key_file);
  return ok ? Status::Ok() : Status::Internal(StrCat("cannot write ", files.cert, " and ", files.key));
}

CertFiles FilesFor(const std::filesystem::path& dir, const std::string& stem) {
  return {(dir / (stem + ".pem")).string(), (dir / (stem + "-key.pem")).string()};
}

}  // namespace

Result<std::unique_ptr<TestCa>> TestCa::Create(const std::filesystem::path& dir, const std::string& name) {
  std::unique_ptr<TestCa> ca(new TestCa);
  ca->dir_ = dir;
  ca->files_ = FilesFor(dir, name);
  EVP_PKEY* key = EVP_EC_gen("P-256");
  ca->key_ = key;
  if (key == nullptr) return Status::Internal("cannot make a key");
  X509* cert = MakeCertificate(key, name, ca->serial_++, nullptr, key, true);
  ca->cert_ = cert;
  if (cert == nullptr) return Status::Internal("cannot make the CA certificate");
  if (Status s = Write(ca->files_, cert, key); !s.ok()) return s;
  return ca;
}

TestCa::~TestCa() {
  X509_free(static_cast<X509*>(cert_));
  EVP_PKEY_free(static_cast<EVP_PKEY*>(key_));
}

Result<CertFiles> TestCa::Issue(const std::string& stem, const std::string& common_name) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  if (key == nullptr) return Status::Internal("cannot make a key");
  X509* cert = MakeCertificate(key, common_name, serial_++, static_cast<X509*>(cert_),
                               static_cast<EVP_PKEY*>(key_), false);
  CertFiles files = FilesFor(dir_, stem);
  Status s = cert != nullptr ? Write(files, cert, key) : Status::Internal("cannot make a certificate");
  X509_free(cert);
  EVP_PKEY_free(key);
  if (!s.ok()) return s;
  return files;
}

Result<std::unique_ptr<TestPki>> TestPki::Create(const std::string& name) {
  auto pki = std::make_unique<TestPki>();
  pki->dir = std::filesystem::temp_directory_path() / StrCat("otelpack-", name, "-", getpid());
  std::error_code error;
  std::filesystem::create_directories(pki->dir, error);
  if (error) return Status::Internal(StrCat("cannot create ", pki->dir.string(), ": ", error.message()));
  Result<std::unique_ptr<TestCa>> ca = TestCa::Create(pki->dir, "ca");
  if (!ca.ok()) return ca.status();
  Result<std::unique_ptr<TestCa>> other = TestCa::Create(pki->dir, "other-ca");
  if (!other.ok()) return other.status();
  pki->ca = std::move(*ca);
  pki->other_ca = std::move(*other);
  Result<CertFiles> server = pki->ca->Issue("server", "otelpack agent");
  Result<CertFiles> client = pki->ca->Issue("client", "trusted client");
  Result<CertFiles> rogue = pki->other_ca->Issue("rogue", "untrusted client");
  if (!server.ok() || !client.ok() || !rogue.ok()) return Status::Internal("cannot issue the certificates");
  pki->server = *server;
  pki->client = *client;
  pki->rogue = *rogue;
  return pki;
}

TestPki::~TestPki() {
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

}  // namespace otelpack::http::testing

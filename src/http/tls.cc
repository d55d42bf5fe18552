// Reading and checking the receivers' TLS files with OpenSSL, before any
// server sees them: both TLS libraries behind the receivers (GnuTLS in
// libmicrohttpd, OpenSSL in gRPC) would only say that they failed to start.
#include "http/tls.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "common/str_cat.h"

namespace otelpack::http {
namespace {

// A certificate chain or a CA bundle is a few KiB; a system bundle ~200 KiB.
constexpr std::size_t kMaxPemBytes = 4u << 20;

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyFree>;

// "tls.cert_file /etc/otelpack/agent.pem: ".
std::string Subject(std::string_view key, const std::string& path) {
  return StrCat("tls.", key, " ", path, ": ");
}

Result<std::string> ReadPem(std::string_view key, const std::string& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (f == nullptr) {
    return Status::InvalidArgument(StrCat(Subject(key, path), "cannot read: ", std::strerror(errno)));
  }
  std::string out;
  char buf[16384];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), f.get())) > 0) {
    if (out.size() + n > kMaxPemBytes) {
      return Status::InvalidArgument(
          StrCat(Subject(key, path), "larger than ", kMaxPemBytes, " bytes: not a PEM file"));
    }
    out.append(buf, n);
  }
  if (std::ferror(f.get())) {
    return Status::InvalidArgument(StrCat(Subject(key, path), "cannot read: ", std::strerror(errno)));
  }
  return out;
}

BioPtr MemoryBio(const std::string& pem) {
  return BioPtr(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

// The certificates in `pem`, in order; none when it holds none.
std::vector<X509Ptr> Certificates(const std::string& pem) {
  std::vector<X509Ptr> out;
  BioPtr bio = MemoryBio(pem);
  while (bio != nullptr) {
    X509* x = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
    if (x == nullptr) break;
    out.emplace_back(x);
  }
  ERR_clear_error();  // the end of the file reads as an error
  return out;
}

// An encrypted key would make OpenSSL ask for its passphrase on the terminal.
int NoPassphrase(char*, int, int, void*) { return -1; }

}  // namespace

std::string_view TlsVersionName(TlsVersion v) { return v == TlsVersion::k13 ? "1.3" : "1.2"; }

Result<TlsCredentials> LoadTlsCredentials(const TlsOptions& options) {
  if (options.cert_file.empty()) {
    if (!options.key_file.empty()) return Status::InvalidArgument("tls.key_file is set without tls.cert_file");
    if (!options.client_ca_file.empty()) {
      return Status::InvalidArgument("tls.client_ca_file is set without tls.cert_file: mTLS needs TLS");
    }
    return Status::InvalidArgument("tls.cert_file is required for TLS");
  }
  if (options.key_file.empty()) return Status::InvalidArgument("tls.key_file is required with tls.cert_file");

  TlsCredentials out;
  out.min_version = options.min_version;
  Result<std::string> cert = ReadPem("cert_file", options.cert_file);
  if (!cert.ok()) return cert.status();
  std::vector<X509Ptr> chain = Certificates(*cert);
  if (chain.empty()) {
    return Status::InvalidArgument(StrCat(Subject("cert_file", options.cert_file), "no PEM certificate in it"));
  }
  out.cert_chain_pem = std::move(*cert);

  Result<std::string> key = ReadPem("key_file", options.key_file);
  if (!key.ok()) return key.status();
  BioPtr bio = MemoryBio(*key);
  KeyPtr pkey(bio != nullptr ? PEM_read_bio_PrivateKey(bio.get(), nullptr, &NoPassphrase, nullptr) : nullptr);
  ERR_clear_error();
  if (pkey == nullptr) {
    const bool encrypted = key->find("ENCRYPTED") != std::string::npos;
    return Status::InvalidArgument(StrCat(Subject("key_file", options.key_file),
                                          encrypted ? "an encrypted private key: give it unencrypted"
                                                    : "no PEM private key in it"));
  }
  if (X509_check_private_key(chain.front().get(), pkey.get()) != 1) {
    ERR_clear_error();
    return Status::InvalidArgument(StrCat(Subject("key_file", options.key_file),
                                          "does not match the certificate of tls.cert_file ",
                                          options.cert_file));
  }
  out.private_key_pem = std::move(*key);

  if (!options.client_ca_file.empty()) {
    Result<std::string> ca = ReadPem("client_ca_file", options.client_ca_file);
    if (!ca.ok()) return ca.status();
    if (Certificates(*ca).empty()) {
      return Status::InvalidArgument(
          StrCat(Subject("client_ca_file", options.client_ca_file), "no PEM certificate in it"));
    }
    out.client_ca_pem = std::move(*ca);
  }
  return out;
}

}  // namespace otelpack::http

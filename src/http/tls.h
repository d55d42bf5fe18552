// Server-side TLS for the receivers, as the Collector's confighttp and
// configgrpc `tls:` give it: the certificate and key from PEM files, client
// certificates required and verified when a client CA is set (mutual TLS),
// and a minimum protocol version. The files are read and checked once, at
// start (no reloading), so that a mistake is an error naming the key and the
// file rather than a handshake that fails for every client later.
#ifndef OTELPACK_HTTP_TLS_H_
#define OTELPACK_HTTP_TLS_H_

#include <string>
#include <string_view>

#include "otelpack/status.h"

namespace otelpack::http {

enum class TlsVersion { k12, k13 };

// "1.2", "1.3".
std::string_view TlsVersionName(TlsVersion v);

// The `tls:` block of a receiver. Every field empty (the default): plain text.
struct TlsOptions {
  // The server's certificate chain, PEM, leaf first. Default empty: no TLS.
  std::string cert_file;
  // The certificate's private key, PEM, unencrypted. Required with cert_file.
  std::string key_file;
  // CA certificates, PEM. Non-empty: every client must present a certificate
  // signed by one of them, else the handshake is refused (mTLS). Default
  // empty: clients are not asked for a certificate.
  std::string client_ca_file;
  // The oldest protocol accepted. Default 1.2, as the Collector.
  TlsVersion min_version = TlsVersion::k12;

  bool enabled() const { return !cert_file.empty(); }
  // Any file set: TLS was asked for, and LoadTlsCredentials names what is
  // missing or wrong.
  bool requested() const { return enabled() || !key_file.empty() || !client_ca_file.empty(); }
};

// The files' contents, checked: what the servers are configured with.
struct TlsCredentials {
  std::string cert_chain_pem;
  std::string private_key_pem;
  std::string client_ca_pem;  // empty: no client certificates asked for
  TlsVersion min_version = TlsVersion::k12;

  bool require_client_cert() const { return !client_ca_pem.empty(); }
};

// Reads and checks the files of `options` (REQUIRES: options.enabled(), or
// key_file / client_ca_file set, which is then the error). InvalidArgument
// naming the key and the file: unreadable, too large, not PEM, an encrypted
// key, a key that does not match the certificate.
Result<TlsCredentials> LoadTlsCredentials(const TlsOptions& options);

}  // namespace otelpack::http

#endif  // OTELPACK_HTTP_TLS_H_

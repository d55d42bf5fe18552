// The Transport over TLS against a real OpenSSL server on 127.0.0.1, with
// certificates made at test time: an untrusted server certificate is a
// permanent failure, ca_file makes it trusted, mutual TLS sends the client
// certificate, and a broken local TLS configuration is permanent.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "transport/test_http_server.h"  // ClearProxyEnvironment
#include "transport/transport.h"

namespace otelpack {
namespace {

namespace fs = std::filesystem;

// A self-signed certificate for `common_name`, valid for 127.0.0.1, written as
// <dir>/<stem>.pem and <dir>/<stem>-key.pem.
struct CertFiles {
  std::string cert;
  std::string key;
};

bool WriteSelfSigned(const fs::path& dir, const std::string& stem, const char* common_name,
                     CertFiles* files) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* x = X509_new();
  bool ok = key != nullptr && x != nullptr && X509_set_version(x, 2) == 1 &&
            ASN1_INTEGER_set(X509_get_serialNumber(x), 1) == 1 &&
            X509_gmtime_adj(X509_getm_notBefore(x), -3600) != nullptr &&
            X509_gmtime_adj(X509_getm_notAfter(x), 3600) != nullptr &&
            X509_set_pubkey(x, key) == 1;
  if (ok) {
    X509_NAME* name = X509_get_subject_name(x);
    ok = X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                    reinterpret_cast<const unsigned char*>(common_name), -1, -1,
                                    0) == 1 &&
         X509_set_issuer_name(x, name) == 1;
  }
  if (ok) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
    X509_EXTENSION* san =
        X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, "IP:127.0.0.1");
    ok = san != nullptr && X509_add_ext(x, san, -1) == 1;
    X509_EXTENSION_free(san);
  }
  ok = ok && X509_sign(x, key, EVP_sha256()) > 0;
  files->cert = (dir / (stem + ".pem")).string();
  files->key = (dir / (stem + "-key.pem")).string();
  if (ok) {
    FILE* cert_file = std::fopen(files->cert.c_str(), "w");
    FILE* key_file = std::fopen(files->key.c_str(), "w");
    ok = cert_file != nullptr && key_file != nullptr && PEM_write_X509(cert_file, x) == 1 &&
         PEM_write_PrivateKey(key_file, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
    if (cert_file != nullptr) std::fclose(cert_file);
    if (key_file != nullptr) std::fclose(key_file);
  }
  X509_free(x);
  EVP_PKEY_free(key);
  return ok;
}

// Answers every request with 200 over TLS, one connection at a time.
class TlsServer {
 public:
  // With `client_ca` non-empty, a client certificate signed by it is required.
  TlsServer(const CertFiles& server, const std::string& client_ca) {
    testing::ClearProxyEnvironment();
    ctx_ = SSL_CTX_new(TLS_server_method());
    EXPECT_EQ(SSL_CTX_use_certificate_file(ctx_, server.cert.c_str(), SSL_FILETYPE_PEM), 1);
    EXPECT_EQ(SSL_CTX_use_PrivateKey_file(ctx_, server.key.c_str(), SSL_FILETYPE_PEM), 1);
    if (!client_ca.empty()) {
      EXPECT_EQ(SSL_CTX_load_verify_locations(ctx_, client_ca.c_str(), nullptr), 1);
      SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
    }
    listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    EXPECT_EQ(bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    EXPECT_EQ(listen(listen_fd_, 8), 0);
    EXPECT_EQ(getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len), 0);
    EXPECT_EQ(pipe(wake_), 0);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Run(); });
  }

  ~TlsServer() {
    char byte = 0;
    (void)!write(wake_[1], &byte, 1);
    thread_.join();
    close(listen_fd_);
    close(wake_[0]);
    close(wake_[1]);
    SSL_CTX_free(ctx_);
  }

  std::string Url(const char* host = "127.0.0.1") const {
    return std::string("https://") + host + ":" + std::to_string(port_) + "/v1/ingest";
  }
  // Requests received in full (over a completed handshake).
  int requests() const { return requests_.load(); }
  std::string client_subject() const {
    std::lock_guard<std::mutex> lock(mu_);
    return client_subject_;
  }

 private:
  void Run() {
    // A client that aborts the handshake (an untrusted certificate) leaves
    // OpenSSL writing to a closed socket: take the EPIPE, not the SIGPIPE.
    sigset_t pipe_only;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_only, nullptr);
    for (;;) {
      pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
      if (poll(fds, 2, -1) < 0) continue;
      if (fds[1].revents & POLLIN) return;
      int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      timeval tv{5, 0};  // never hang the test on a silent client
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
      Serve(fd);
      close(fd);
    }
  }

  void Serve(int fd) {
    SSL* ssl = SSL_new(ctx_);
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) == 1) {
      if (X509* peer = SSL_get1_peer_certificate(ssl); peer != nullptr) {
        char subject[256];
        X509_NAME_oneline(X509_get_subject_name(peer), subject, sizeof(subject));
        std::lock_guard<std::mutex> lock(mu_);
        client_subject_ = subject;
        X509_free(peer);
      }
      if (ReadRequest(ssl)) {
        ++requests_;  // before answering: the client may check as soon as it has the answer
        static constexpr char kAnswer[] =
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";
        SSL_write(ssl, kAnswer, sizeof(kAnswer) - 1);
      }
      SSL_shutdown(ssl);
    }
    ERR_clear_error();
    SSL_free(ssl);
  }

  static bool ReadRequest(SSL* ssl) {
    std::string in;
    char buf[4096];
    std::size_t end;
    while ((end = in.find("\r\n\r\n")) == std::string::npos) {
      int n = SSL_read(ssl, buf, sizeof(buf));
      if (n <= 0) return false;
      in.append(buf, static_cast<std::size_t>(n));
    }
    std::size_t cl = in.find("Content-Length: ");
    std::size_t length = cl == std::string::npos ? 0 : std::stoul(in.substr(cl + 16));
    while (in.size() < end + 4 + length) {
      int n = SSL_read(ssl, buf, sizeof(buf));
      if (n <= 0) return false;
      in.append(buf, static_cast<std::size_t>(n));
    }
    return true;
  }

  SSL_CTX* ctx_ = nullptr;
  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};
  int port_ = 0;
  std::atomic<int> requests_{0};
  std::thread thread_;
  mutable std::mutex mu_;
  std::string client_subject_;  // guarded by mu_
};

class TlsTransportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("otelpack-tls-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    ASSERT_TRUE(WriteSelfSigned(dir_, "server", "otelpack-test-server", &server_));
    ASSERT_TRUE(WriteSelfSigned(dir_, "client", "otelpack-test-client", &client_));
  }
  void TearDown() override { fs::remove_all(dir_); }

  SendResult Post(const TransportOptions& options, const std::string& url) {
    auto transport = NewHttpTransport(options);
    EXPECT_TRUE(transport.ok()) << transport.status().ToString();
    if (!transport.ok()) return SendResult{transport.status(), 0, std::nullopt, ""};
    HttpRequest request;
    request.url = url;
    request.headers = {{"Content-Type", "application/json"}};
    request.body = "{}";
    return (*transport)->Post(request);
  }

  fs::path dir_;
  CertFiles server_;
  CertFiles client_;
};

TEST_F(TlsTransportTest, UntrustedServerCertificateIsPermanent) {
  TlsServer server(server_, "");
  SendResult r = Post({}, server.Url());  // system CAs do not know our certificate
  EXPECT_EQ(r.status.code(), StatusCode::kUnauthenticated) << r.status.ToString();
  EXPECT_FALSE(r.status.retryable());
  EXPECT_EQ(r.http_status, 0);
  EXPECT_EQ(server.requests(), 0);
}

TEST_F(TlsTransportTest, CaFileMakesTheServerTrusted) {
  TlsServer server(server_, "");
  TransportOptions options;
  options.ca_file = server_.cert;
  SendResult r = Post(options, server.Url());
  EXPECT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(server.requests(), 1);
}

TEST_F(TlsTransportTest, HostNameMismatchIsPermanent) {
  TlsServer server(server_, "");
  TransportOptions options;
  options.ca_file = server_.cert;
  // Trusted issuer, but the certificate names 127.0.0.1, not "localhost".
  SendResult r = Post(options, server.Url("localhost"));
  EXPECT_EQ(r.status.code(), StatusCode::kUnauthenticated) << r.status.ToString();
  EXPECT_EQ(server.requests(), 0);
}

TEST_F(TlsTransportTest, VerificationOffAcceptsAnyCertificate) {
  TlsServer server(server_, "");
  TransportOptions options;
  options.tls_verify = false;
  SendResult r = Post(options, server.Url("localhost"));
  EXPECT_TRUE(r.status.ok()) << r.status.ToString();
}

TEST_F(TlsTransportTest, MutualTlsSendsTheClientCertificate) {
  TlsServer server(server_, client_.cert);
  TransportOptions options;
  options.ca_file = server_.cert;
  options.client_cert_file = client_.cert;
  options.client_key_file = client_.key;
  SendResult r = Post(options, server.Url());
  EXPECT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_NE(server.client_subject().find("otelpack-test-client"), std::string::npos)
      << server.client_subject();
}

TEST_F(TlsTransportTest, UnreadableClientCertificateIsPermanent) {
  TlsServer server(server_, client_.cert);
  TransportOptions options;
  options.ca_file = server_.cert;
  options.client_cert_file = (dir_ / "missing.pem").string();
  options.client_key_file = client_.key;
  SendResult r = Post(options, server.Url());
  EXPECT_EQ(r.status.code(), StatusCode::kInvalidArgument) << r.status.ToString();
  EXPECT_FALSE(r.status.retryable());
}

}  // namespace
}  // namespace otelpack

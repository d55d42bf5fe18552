// A tiny real HTTP/1.1 server on 127.0.0.1 for transport tests: it answers a
// script of responses one connection at a time and records what it received.
// Plain POSIX sockets, one thread; enough HTTP for curl's requests
// (Content-Length bodies, keep-alive), nothing more.
#ifndef OTELPACK_TRANSPORT_TEST_HTTP_SERVER_H_
#define OTELPACK_TRANSPORT_TEST_HTTP_SERVER_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "common/ascii.h"

namespace otelpack {
namespace testing {

// The tests talk to 127.0.0.1 only; a proxy from the environment (as CI
// machines often set) would intercept those requests. Transport honours the
// proxy variables on purpose, so the tests remove them from their own process.
inline void ClearProxyEnvironment() {
  for (const char* name : {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy",
                           "ALL_PROXY"}) {
    unsetenv(name);
  }
}

struct ScriptedResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body = "{}";
  std::chrono::milliseconds delay{0};  // waited before answering
  // Waited after the status line and headers, before the body: a backend
  // whose answer stalls half-way.
  std::chrono::milliseconds body_delay{0};
  bool close = false;                  // close the connection after answering
  bool drop = false;                   // close the connection without answering
};

struct ReceivedRequest {
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;  // as received, in order
  std::string body;
  int connection = 0;  // 0 for the first accepted connection, 1 for the next...

  // The first header called `name` (case-insensitive).
  std::optional<std::string> Header(std::string_view name) const {
    for (const auto& [n, v] : headers) {
      if (EqualsIgnoreCase(n, name)) return v;
    }
    return std::nullopt;
  }
};

class TestHttpServer {
 public:
  TestHttpServer() {
    ClearProxyEnvironment();
    listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof(addr);
    if (listen_fd_ < 0 ||
        bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
        listen(listen_fd_, 16) != 0 ||
        getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0 ||
        pipe(wake_) != 0) {
      throw std::runtime_error("TestHttpServer: cannot listen on 127.0.0.1");
    }
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Run(); });
  }

  ~TestHttpServer() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    char byte = 0;
    (void)!write(wake_[1], &byte, 1);
    thread_.join();
    close(listen_fd_);
    close(wake_[0]);
    close(wake_[1]);
  }

  TestHttpServer(const TestHttpServer&) = delete;
  TestHttpServer& operator=(const TestHttpServer&) = delete;

  int port() const { return port_; }
  std::string Url(std::string_view path = "/v1/ingest") const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }

  // Queues the answer to a future request; with the queue empty: 200 "{}".
  void Push(ScriptedResponse response) {
    std::lock_guard<std::mutex> lock(mu_);
    script_.push_back(std::move(response));
  }

  std::vector<ReceivedRequest> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }
  int accepts() const { return accepts_.load(); }

 private:
  // Waits until `fd` is readable; false when the server stops first.
  bool WaitReadable(int fd) {
    pollfd fds[2] = {{fd, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    while (poll(fds, 2, -1) < 0) {
    }
    return (fds[1].revents & POLLIN) == 0;
  }

  void Run() {
    while (WaitReadable(listen_fd_)) {
      int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      int connection = accepts_.fetch_add(1);
      Serve(fd, connection);
      close(fd);
    }
  }

  // Serves requests on one connection until the client closes it or the
  // script says to.
  void Serve(int fd, int connection) {
    std::string buffer;
    for (;;) {
      ReceivedRequest request;
      if (!ReadRequest(fd, &buffer, &request)) return;
      request.connection = connection;
      ScriptedResponse response;
      {
        std::unique_lock<std::mutex> lock(mu_);
        requests_.push_back(request);
        if (!script_.empty()) {
          response = std::move(script_.front());
          script_.pop_front();
        }
      }
      if (!WaitUnlessHungUp(fd, response.delay)) return;
      if (response.drop) return;
      std::string out = "HTTP/1.1 " + std::to_string(response.status) + " Scripted\r\n";
      out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
      for (const auto& [name, value] : response.headers) out += name + ": " + value + "\r\n";
      if (response.close) out += "Connection: close\r\n";
      out += "\r\n";
      if (response.body_delay.count() > 0) {
        if (!WriteAll(fd, out)) return;
        out.clear();
        if (!WaitUnlessHungUp(fd, response.body_delay)) return;
      }
      out += response.body;
      if (!WriteAll(fd, out) || response.close) return;
    }
  }

  // Waits `duration`; false as soon as the server stops or the client closes
  // the connection (a client that gave up must not hold the next one back).
  bool WaitUnlessHungUp(int fd, std::chrono::milliseconds duration) {
    const auto until = std::chrono::steady_clock::now() + duration;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
      if (left.count() <= 0) return true;
      pollfd fds[2] = {{fd, POLLIN, 0}, {wake_[0], POLLIN, 0}};
      if (poll(fds, 2, static_cast<int>(std::min<long long>(left.count(), 100))) < 0) continue;
      if ((fds[1].revents & POLLIN) != 0) return false;
      if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
        char byte;
        if (recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) <= 0) return false;  // closed
      }
    }
  }

  bool ReadRequest(int fd, std::string* buffer, ReceivedRequest* request) {
    std::size_t end;
    while ((end = buffer->find("\r\n\r\n")) == std::string::npos) {
      if (!ReadMore(fd, buffer)) return false;
    }
    std::string head = buffer->substr(0, end + 2);
    buffer->erase(0, end + 4);
    std::size_t line_end = head.find("\r\n");
    std::string request_line = head.substr(0, line_end);
    std::size_t sp1 = request_line.find(' ');
    std::size_t sp2 = request_line.find(' ', sp1 + 1);
    request->method = request_line.substr(0, sp1);
    request->target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
    std::size_t content_length = 0;
    for (std::size_t pos = line_end + 2; pos < head.size();) {
      std::size_t next = head.find("\r\n", pos);
      std::string line = head.substr(pos, next - pos);
      pos = next + 2;
      std::size_t colon = line.find(':');
      std::string name = line.substr(0, colon);
      std::size_t v = line.find_first_not_of(' ', colon + 1);
      std::string value = v == std::string::npos ? "" : line.substr(v);
      if (EqualsIgnoreCase(name, "Content-Length")) {
        content_length = std::strtoull(value.c_str(), nullptr, 10);
      }
      request->headers.emplace_back(std::move(name), std::move(value));
    }
    while (buffer->size() < content_length) {
      if (!ReadMore(fd, buffer)) return false;
    }
    request->body = buffer->substr(0, content_length);
    buffer->erase(0, content_length);
    return true;
  }

  bool ReadMore(int fd, std::string* buffer) {
    if (!WaitReadable(fd)) return false;
    char chunk[64 * 1024];
    ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
    if (n <= 0) return false;
    buffer->append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  static bool WriteAll(int fd, std::string_view data) {
    while (!data.empty()) {
      ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};  // a byte written here stops the server
  int port_ = 0;
  std::atomic<int> accepts_{0};
  std::thread thread_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;                  // guarded by mu_
  std::deque<ScriptedResponse> script_;    // guarded by mu_
  std::vector<ReceivedRequest> requests_;  // guarded by mu_
};

}  // namespace testing
}  // namespace otelpack

#endif  // OTELPACK_TRANSPORT_TEST_HTTP_SERVER_H_

// ConnectionGuard: what keeps an HTTP server reachable under hostile clients,
// beside libmicrohttpd (server.cc calls it from libmicrohttpd's callbacks):
//  - a cap on open connections in total and per client address; a refused
//    connection is closed at once, unanswered, and counted (at its own total
//    cap libmicrohttpd stops accepting instead, so clients wait unanswered
//    in the listen backlog; neither of its caps tells when it refused);
//  - a deadline for each request's line and headers (slowloris: libmicrohttpd
//    only has an idle timeout, which any byte resets);
//  - noticing a client that closed: libmicrohttpd 0.9.75 in epoll mode takes a
//    short read as "nothing more to read" and waits for the next edge, so when
//    a request's bytes and the FIN arrive together it never reads the FIN and
//    keeps the connection in CLOSE-WAIT until the idle timeout. (Fixed
//    upstream in 1.0.0, which registers EPOLLRDHUP: libmicrohttpd bug 7192.)
// The guard's thread watches every connection's socket for the peer's close
// (EPOLLRDHUP) and for the deadlines, and answers both with shutdown(2): the
// socket then reads as closed, libmicrohttpd's own loop is woken and closes
// the connection the ordinary way, freeing its state. The guard never closes
// a descriptor itself, and acts only on connections it knows to be open (the
// close notification removes them under the same lock), so it cannot touch a
// reused descriptor.
#ifndef OTELPACK_HTTP_CONNECTION_GUARD_H_
#define OTELPACK_HTTP_CONNECTION_GUARD_H_

#include <sys/socket.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <queue>
#include <thread>
#include <unordered_map>
#include <vector>

#include "http/connection_counters.h"
#include "otelpack/status.h"

namespace otelpack::http {

struct GuardOptions {
  std::size_t max_connections = 10000;  // > 0
  std::size_t max_connections_per_client = 0;  // 0: no per-client cap
  std::chrono::milliseconds read_header_timeout{60000};  // 0: no deadline
};

class ConnectionGuard {
 public:
  struct Watched;  // one open connection (connection_guard.cc)

  // Starts the watching thread. `counters` must outlive the guard.
  static Result<std::unique_ptr<ConnectionGuard>> Start(const GuardOptions& options,
                                                        ConnectionCounters* counters);
  // Stops the thread. REQUIRES: every connection Closed.
  ~ConnectionGuard();
  ConnectionGuard(const ConnectionGuard&) = delete;
  ConnectionGuard& operator=(const ConnectionGuard&) = delete;

  // A connection from `address` is being accepted: true reserves its place,
  // false refuses it (counted by the limit hit). Thread-safe.
  bool Admit(const sockaddr* address);
  // An admitted connection is open on `fd`: it is watched, and its first
  // request's deadline starts. The result is passed to the calls below.
  Watched* Opened(int fd, const sockaddr* address);
  // The request's headers are in: no deadline until the next request.
  static void HeadersIn(Watched* w);
  // A request ended (answered or not): the next one's deadline starts.
  void RequestDone(Watched* w);
  // The connection is closing (its descriptor still open): its place is
  // freed and `w` deleted. Null is ignored.
  void Closed(Watched* w);

  // A client address as a key: IPv4 as its IPv4-mapped IPv6 form, so that a
  // client counts once whichever way it came in.
  using ClientKey = std::array<std::uint8_t, 16>;

 private:
  struct KeyHash {
    std::size_t operator()(const ClientKey& k) const;
  };
  struct Deadline {
    std::chrono::steady_clock::time_point when;
    std::uint64_t id;
    bool operator>(const Deadline& o) const { return when > o.when; }
  };

  ConnectionGuard(const GuardOptions& options, ConnectionCounters* counters);
  void Loop();
  void Arm(Watched* w);  // REQUIRES: mu_ held
  void Cut(Watched* w);  // REQUIRES: mu_ held

  const GuardOptions options_;
  ConnectionCounters* const counters_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;  // an eventfd: a deadline was set while none was pending, or stop

  std::mutex mu_;
  bool stopping_ = false;                                      // guarded by mu_
  std::size_t admitted_ = 0;                                   // guarded by mu_
  std::unordered_map<ClientKey, std::size_t, KeyHash> per_client_;  // guarded by mu_
  std::uint64_t next_id_ = 1;                                  // guarded by mu_; 0 is the wake fd
  std::unordered_map<std::uint64_t, Watched*> open_;          // guarded by mu_
  // At most one per open connection, soonest first. A connection whose
  // deadline moved later since is queued again when its entry comes up.
  std::priority_queue<Deadline, std::vector<Deadline>, std::greater<>> deadlines_;  // guarded by mu_
  std::thread thread_;
};

}  // namespace otelpack::http

#endif  // OTELPACK_HTTP_CONNECTION_GUARD_H_

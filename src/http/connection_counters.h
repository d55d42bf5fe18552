// What an HTTP server's connections did, for the agent's /metrics: how many
// are open, and how many the guard (connection_guard.h) refused or cut, by
// reason, so that an operator sees a limit being hit rather than guessing
// from clients' timeouts.
#ifndef OTELPACK_HTTP_CONNECTION_COUNTERS_H_
#define OTELPACK_HTTP_CONNECTION_COUNTERS_H_

#include <atomic>
#include <cstdint>

namespace otelpack::http {

struct ConnectionCounters {
  std::atomic<std::uint64_t> open{0};      // a gauge: connections open now
  std::atomic<std::uint64_t> accepted{0};  // connections taken, since the start
  // Closed unanswered at once because the server had max_connections open.
  std::atomic<std::uint64_t> refused_max_connections{0};
  // Closed unanswered at once because their client address had
  // max_connections_per_client open.
  std::atomic<std::uint64_t> refused_max_connections_per_client{0};
  // Closed because a request's line and headers took longer than
  // read_header_timeout (slowloris, or a client that stalled).
  std::atomic<std::uint64_t> closed_read_header_timeout{0};
};

}  // namespace otelpack::http

#endif  // OTELPACK_HTTP_CONNECTION_COUNTERS_H_

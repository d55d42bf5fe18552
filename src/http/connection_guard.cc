// The connection guard's bookkeeping and its one thread: epoll on the open
// connections for a peer's close, and the request deadlines in expiry order.
#include "http/connection_guard.h"

#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <string_view>

#include "common/str_cat.h"
#include "common/thread_name.h"

namespace otelpack::http {

using Clock = std::chrono::steady_clock;

struct ConnectionGuard::Watched {
  std::uint64_t id = 0;
  int fd = -1;
  ClientKey client{};
  bool cut = false;      // guarded by mu_: shut down already
  bool queued = false;   // guarded by mu_: has an entry in deadlines_
  Clock::time_point when{};  // guarded by mu_: the current request's deadline
  std::atomic<bool> armed{false};  // the current request's headers are not in yet
};

namespace {

ConnectionGuard::ClientKey KeyOf(const sockaddr* address) {
  ConnectionGuard::ClientKey key{};
  if (address == nullptr) return key;
  if (address->sa_family == AF_INET6) {
    std::memcpy(key.data(), &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr, 16);
  } else if (address->sa_family == AF_INET) {
    key[10] = 0xff;
    key[11] = 0xff;
    std::memcpy(key.data() + 12, &reinterpret_cast<const sockaddr_in*>(address)->sin_addr, 4);
  }
  return key;
}

void Bump(std::atomic<std::uint64_t>& counter) { counter.fetch_add(1, std::memory_order_relaxed); }

}  // namespace

std::size_t ConnectionGuard::KeyHash::operator()(const ClientKey& k) const {
  return std::hash<std::string_view>()(
      std::string_view(reinterpret_cast<const char*>(k.data()), k.size()));
}

ConnectionGuard::ConnectionGuard(const GuardOptions& options, ConnectionCounters* counters)
    : options_(options), counters_(counters) {}

Result<std::unique_ptr<ConnectionGuard>> ConnectionGuard::Start(const GuardOptions& options,
                                                                ConnectionCounters* counters) {
  std::unique_ptr<ConnectionGuard> guard(new ConnectionGuard(options, counters));
  guard->epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  guard->wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (guard->epoll_fd_ < 0 || guard->wake_fd_ < 0) {
    return Status::Unavailable(StrCat("connection guard: ", std::strerror(errno)));
  }
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.u64 = 0;
  if (epoll_ctl(guard->epoll_fd_, EPOLL_CTL_ADD, guard->wake_fd_, &event) != 0) {
    return Status::Unavailable(StrCat("connection guard: ", std::strerror(errno)));
  }
  ConnectionGuard* g = guard.get();
  guard->thread_ = std::thread([g] { g->Loop(); });
  NameThread(guard->thread_, "otelpack-guard");
  return guard;
}

ConnectionGuard::~ConnectionGuard() {
  if (thread_.joinable()) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    const std::uint64_t one = 1;
    (void)!write(wake_fd_, &one, sizeof(one));
    thread_.join();
  }
  if (wake_fd_ >= 0) close(wake_fd_);
  if (epoll_fd_ >= 0) close(epoll_fd_);
}

bool ConnectionGuard::Admit(const sockaddr* address) {
  std::lock_guard<std::mutex> lock(mu_);
  if (admitted_ >= options_.max_connections) {
    Bump(counters_->refused_max_connections);
    return false;
  }
  if (options_.max_connections_per_client > 0) {
    std::size_t& n = per_client_[KeyOf(address)];
    if (n >= options_.max_connections_per_client) {
      Bump(counters_->refused_max_connections_per_client);
      return false;
    }
    ++n;
  }
  ++admitted_;
  return true;
}

ConnectionGuard::Watched* ConnectionGuard::Opened(int fd, const sockaddr* address) {
  auto* w = new Watched;
  w->fd = fd;
  w->client = KeyOf(address);
  Bump(counters_->accepted);
  counters_->open.fetch_add(1, std::memory_order_relaxed);
  {
    std::lock_guard<std::mutex> lock(mu_);
    w->id = next_id_++;
    open_.emplace(w->id, w);
    Arm(w);
  }
  // One shot: once the peer has closed, the event would repeat until the
  // connection is gone.
  epoll_event event{};
  event.events = EPOLLRDHUP | EPOLLONESHOT;
  event.data.u64 = w->id;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event);  // on failure: watched by deadline only
  return w;
}

void ConnectionGuard::HeadersIn(Watched* w) {
  if (w != nullptr) w->armed.store(false, std::memory_order_relaxed);
}

void ConnectionGuard::RequestDone(Watched* w) {
  if (w == nullptr) return;
  std::lock_guard<std::mutex> lock(mu_);
  Arm(w);
}

void ConnectionGuard::Closed(Watched* w) {
  if (w == nullptr) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    open_.erase(w->id);
    --admitted_;
    if (options_.max_connections_per_client > 0) {
      auto it = per_client_.find(w->client);
      if (it != per_client_.end() && --it->second == 0) per_client_.erase(it);
    }
  }
  // Before libmicrohttpd closes the descriptor, which may then be reused.
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, w->fd, nullptr);
  counters_->open.fetch_sub(1, std::memory_order_relaxed);
  delete w;
}

void ConnectionGuard::Arm(Watched* w) {
  if (options_.read_header_timeout.count() <= 0) return;
  w->when = Clock::now() + options_.read_header_timeout;
  w->armed.store(true, std::memory_order_relaxed);
  if (w->queued) return;  // its entry is sooner: it is queued again then
  w->queued = true;
  const bool was_idle = deadlines_.empty();
  deadlines_.push({w->when, w->id});
  if (was_idle) {
    const std::uint64_t one = 1;
    (void)!write(wake_fd_, &one, sizeof(one));
  }
}

void ConnectionGuard::Cut(Watched* w) {
  if (w->cut) return;
  w->cut = true;
  shutdown(w->fd, SHUT_RDWR);
}

void ConnectionGuard::Loop() {
  std::array<epoll_event, 64> events;
  int timeout_ms = -1;
  while (true) {
    const int n = epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), timeout_ms);
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    for (int i = 0; i < n; ++i) {
      if (events[i].data.u64 == 0) {
        std::uint64_t drained = 0;
        (void)!read(wake_fd_, &drained, sizeof(drained));
        continue;
      }
      // The peer closed (or the socket failed): make libmicrohttpd see it.
      auto it = open_.find(events[i].data.u64);
      if (it != open_.end()) Cut(it->second);
    }
    const Clock::time_point now = Clock::now();
    while (!deadlines_.empty() && deadlines_.top().when <= now) {
      const std::uint64_t id = deadlines_.top().id;
      deadlines_.pop();
      auto it = open_.find(id);
      if (it == open_.end()) continue;
      Watched* w = it->second;
      w->queued = false;
      if (!w->armed.load(std::memory_order_relaxed) || w->cut) continue;
      if (w->when > now) {  // a later request's deadline
        w->queued = true;
        deadlines_.push({w->when, w->id});
        continue;
      }
      Bump(counters_->closed_read_header_timeout);
      Cut(w);
    }
    timeout_ms = -1;
    if (!deadlines_.empty()) {
      const auto wait = std::chrono::ceil<std::chrono::milliseconds>(deadlines_.top().when - now);
      timeout_ms = static_cast<int>(std::max<std::int64_t>(1, wait.count()));
    }
  }
}

}  // namespace otelpack::http

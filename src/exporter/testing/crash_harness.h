// For tests that kill an exporting process: starting crash_child
// (crash_child.cc) with its stdout on a pipe, reading which spans it
// acknowledged, and what the sink stored of them.
#ifndef OTELPACK_EXPORTER_TESTING_CRASH_HARNESS_H_
#define OTELPACK_EXPORTER_TESTING_CRASH_HARNESS_H_

#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/testing/test_sink.h"
#include "sink/sink.h"

extern char** environ;

namespace otelpack::testing {

// Starts crash_child with `args` (args[0] its path) and stdout on a pipe.
inline pid_t SpawnChild(const std::vector<std::string>& args, int* stdout_fd) {
  int fds[2];
  EXPECT_EQ(pipe(fds), 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  setenv("OTELPACK_API_KEY", kTestApiKey, 1);
  pid_t pid;
  EXPECT_EQ(posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  *stdout_fd = fds[0];
  return pid;
}

// Appends what `fd` says to *text until it holds `marker` (true) or
// `timeout` passes or the writer closes it (false).
inline bool ReadUntil(int fd, std::string_view marker, std::chrono::milliseconds timeout, std::string* text) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[4096];
  while (text->find(marker) == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) return false;
    text->append(buf, static_cast<std::size_t>(n));
  }
  return true;
}

// SIGKILLs `child`, reads the rest of its output into *text and closes `fd`.
inline void KillChild(pid_t child, int fd, std::string* text) {
  ASSERT_EQ(kill(child, SIGKILL), 0);
  int status;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  char buf[4096];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) text->append(buf, static_cast<std::size_t>(n));
  close(fd);
}

// The spans of every complete "acked FIRST LAST" line: acknowledged Exports.
inline std::set<std::uint64_t> AckedSpans(const std::string& text) {
  std::set<std::uint64_t> acked;
  std::size_t pos = 0;
  while ((pos = text.find("acked ", pos)) != std::string::npos) {
    unsigned long long first, last;
    if (std::sscanf(text.c_str() + pos, "acked %llu %llu", &first, &last) == 2 &&
        text.find('\n', pos) != std::string::npos) {
      for (auto i = first; i <= last; ++i) acked.insert(i);
    }
    pos += 6;
  }
  return acked;
}

// Runs "crash_child drain": the next start of the process delivers what the
// killed one left in `dir`. True when it exited 0.
inline bool DrainInChild(const std::string& child_path, const sink::Sink& sink, const std::string& dir) {
  int out;
  pid_t drain = SpawnChild({child_path, "drain", sink.endpoint(), dir}, &out);
  int status;
  waitpid(drain, &status, 0);
  close(out);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// span_id -> how many times the sink stored it.
inline std::map<std::string, int> StoredSpanIds(const sink::Sink& sink) {
  std::map<std::string, int> ids;
  auto events = sink.AllEvents();
  EXPECT_TRUE(events.ok());
  simdjson::dom::parser parser;
  for (const std::string& e : *events) {
    simdjson::dom::element el = parser.parse(simdjson::padded_string(e));
    ++ids[std::string(std::string_view(el["span_id"]))];
  }
  return ids;
}

// Every span stored once, and every acknowledged one among them.
inline void ExpectAckedStoredOnce(const sink::Sink& sink, const std::set<std::uint64_t>& acked) {
  std::map<std::string, int> stored = StoredSpanIds(sink);
  for (const auto& [id, n] : stored) ASSERT_EQ(n, 1) << "span " << id << " stored " << n << " times";
  for (std::uint64_t i : acked) {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(i));
    ASSERT_EQ(stored.count(hex), 1u) << "acknowledged span " << hex << " was lost";
  }
}

}  // namespace otelpack::testing

#endif  // OTELPACK_EXPORTER_TESTING_CRASH_HARNESS_H_

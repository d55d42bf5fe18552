// A process whose threads log while another thread forks (a pre-forking
// server with an exporter in it): the child must be able to log and redact,
// not find the logging or secrets lock held by a thread it does not have.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "common/secrets.h"
#include "otelpack/log.h"

namespace otelpack {
namespace {

TEST(LogForkTest, AChildCanLogWhileTheParentsThreadsWereLogging) {
  RegisterSecret("fork-test-secret-value");
  std::atomic<bool> stop{false};
  // The handler holds the lock a while, so that forks land inside it.
  SetLogHandler([](LogLevel, std::string_view) { std::this_thread::sleep_for(std::chrono::microseconds(200)); });
  std::vector<std::thread> loggers;
  for (int i = 0; i < 3; ++i) {
    loggers.emplace_back([&] {
      while (!stop.load()) Log(LogLevel::kWarn, "busy fork-test-secret-value");
    });
  }
  int hung = 0;
  for (int i = 0; i < 20; ++i) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      alarm(3);  // a child stuck on a lock dies of SIGALRM
      Log(LogLevel::kWarn, "child fork-test-secret-value");
      const bool redacted = RedactSecrets("x fork-test-secret-value").find("secret") == std::string::npos;
      _exit(redacted ? 0 : 3);
    }
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) ++hung;
  }
  stop.store(true);
  for (auto& t : loggers) t.join();
  SetLogHandler(nullptr);
  EXPECT_EQ(hung, 0) << "children that could not log (or redact) after fork";
}

}  // namespace
}  // namespace otelpack

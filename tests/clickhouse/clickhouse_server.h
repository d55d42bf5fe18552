// ClickHouseServer: a real clickhouse-server (Debian 12's, 18.16) for tests, started in a
// temporary directory of its own with a configuration written there, listening on a free
// loopback port for HTTP only, with one user whose password is set -- and no `default` user --
// so that a request without the right X-ClickHouse-User / X-ClickHouse-Key is refused.
//
//   Result<std::unique_ptr<ClickHouseServer>> ch = ClickHouseServer::Start();
//   ASSERT_TRUE(ch.ok()) << ch.status().ToString();   // never a skip: a missing binary fails
//   (*ch)->RunScript("schema.sql");
//   Result<std::string> rows = (*ch)->Query("SELECT ... FORMAT JSONEachRow");
//
// Not thread-safe. The destructor kills the server and removes its directory.
#ifndef OTELPACK_TESTS_CLICKHOUSE_CLICKHOUSE_SERVER_H_
#define OTELPACK_TESTS_CLICKHOUSE_CLICKHOUSE_SERVER_H_

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "otelpack/status.h"

namespace otelpack::testing {

struct ClickHouseServerOptions {
  // The one user, and its password (sent as X-ClickHouse-Key). Default "otel" / a fixed key.
  std::string user = "otel";
  std::string password = "ch-key-7f3a9c";
  // How long a start may take until `SELECT 1` answers. Default 30 s (18.16 needs under one).
  std::chrono::milliseconds start_timeout{30'000};
};

class ClickHouseServer {
 public:
  // Starts a server and waits until it answers. FailedPrecondition naming the package when
  // clickhouse-server is not installed; Unavailable (with the end of its error log) when it
  // does not come up.
  static Result<std::unique_ptr<ClickHouseServer>> Start(ClickHouseServerOptions options = {});
  ~ClickHouseServer();
  ClickHouseServer(const ClickHouseServer&) = delete;
  ClickHouseServer& operator=(const ClickHouseServer&) = delete;

  // "http://127.0.0.1:PORT"; the same across Stop and Restart.
  const std::string& endpoint() const { return endpoint_; }
  const std::string& user() const { return options_.user; }
  const std::string& password() const { return options_.password; }

  // One statement over HTTP as the user, 64-bit integers written as JSON numbers. The
  // answer's body; Internal with ClickHouse's message when it refuses the statement.
  Result<std::string> Query(std::string_view sql);
  // Every statement of a .sql file, in order ('--' comments and quoted ';' understood).
  Status RunScript(const std::string& path);

  // Stops the server (SIGTERM, then SIGKILL after 15 s) and keeps its data; Restart starts
  // it again on the same port and waits until it answers.
  void Stop();
  Status Restart();

 private:
  explicit ClickHouseServer(ClickHouseServerOptions options) : options_(std::move(options)) {}
  Status WriteConfiguration();
  // Spawns the server and waits for `SELECT 1`.
  Status Launch();
  std::string ErrorLogTail() const;

  const ClickHouseServerOptions options_;
  std::string binary_;
  std::string dir_;  // the temporary directory, removed by the destructor
  int port_ = 0;
  std::string endpoint_;
  pid_t pid_ = -1;  // -1: not running
};

// The statements of a SQL script: split at ';' outside quotes, '--' comments removed, empty
// ones left out.
std::vector<std::string> SplitSqlStatements(std::string_view script);

}  // namespace otelpack::testing

#endif  // OTELPACK_TESTS_CLICKHOUSE_CLICKHOUSE_SERVER_H_

// ClickHouseServer (clickhouse_server.h): a configuration of our own rather than
// /etc/clickhouse-server's, so that the test depends on the binary only -- and opens one port:
// the packaged configuration also listens on fixed TCP and interserver ports (9000, 9009), which
// parallel tests would fight over.
#include "tests/clickhouse/clickhouse_server.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "common/str_cat.h"
#include "http/testing/test_client.h"

extern char** environ;

namespace otelpack::testing {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// PATH first, then where Debian puts it (/usr/sbin is not on a user's PATH).
std::string FindBinary(std::string_view name) {
  std::vector<std::string> dirs;
  if (const char* path = std::getenv("PATH")) {
    std::stringstream in(path);
    for (std::string dir; std::getline(in, dir, ':');) {
      if (!dir.empty()) dirs.push_back(dir);
    }
  }
  dirs.insert(dirs.end(), {"/usr/sbin", "/usr/bin"});
  for (const std::string& dir : dirs) {
    const std::string candidate = StrCat(dir, "/", name);
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

// A port the kernel considers free now. Another process may take it before the server binds
// it: Start tries again with another.
Result<int> FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return Status::Unavailable("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = -1;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  if (port <= 0) return Status::Unavailable("no free loopback port");
  return port;
}

Status WriteFile(const std::string& path, std::string_view text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  out.close();
  if (!out) return Status::Internal(StrCat("cannot write ", path));
  return Status::Ok();
}

}  // namespace

std::vector<std::string> SplitSqlStatements(std::string_view script) {
  std::vector<std::string> statements;
  std::string current;
  char quote = 0;
  for (std::size_t i = 0; i < script.size(); ++i) {
    const char c = script[i];
    if (quote != 0) {
      current += c;
      if (c == '\\' && i + 1 < script.size()) {
        current += script[++i];
      } else if (c == quote) {
        quote = 0;
      }
    } else if (c == '-' && i + 1 < script.size() && script[i + 1] == '-') {
      while (i < script.size() && script[i] != '\n') ++i;
      current += '\n';
    } else if (c == ';') {
      statements.push_back(std::move(current));
      current.clear();
    } else {
      if (c == '\'' || c == '"' || c == '`') quote = c;
      current += c;
    }
  }
  statements.push_back(std::move(current));
  std::erase_if(statements, [](const std::string& s) {
    return s.find_first_not_of(" \t\r\n") == std::string::npos;
  });
  return statements;
}

Result<std::unique_ptr<ClickHouseServer>> ClickHouseServer::Start(ClickHouseServerOptions options) {
  std::unique_ptr<ClickHouseServer> server(new ClickHouseServer(std::move(options)));
  server->binary_ = FindBinary("clickhouse-server");
  if (server->binary_.empty()) {
    return Status::FailedPrecondition(
        "clickhouse-server is not installed (not on PATH, nor in /usr/sbin or /usr/bin): "
        "scripts/install-deps.sh installs Debian's clickhouse-server");
  }
  std::string dir = (std::filesystem::temp_directory_path() / "otelpack-clickhouse-XXXXXX").string();
  if (mkdtemp(dir.data()) == nullptr) return Status::Internal("mkdtemp failed");
  server->dir_ = dir;
  Status last;
  // The port may be taken between FreeLoopbackPort and the server's bind: a few tries.
  for (int attempt = 0; attempt < 3; ++attempt) {
    Result<int> port = FreeLoopbackPort();
    if (!port.ok()) return port.status();
    server->port_ = *port;
    server->endpoint_ = StrCat("http://127.0.0.1:", *port);
    if (Status s = server->WriteConfiguration(); !s.ok()) return s;
    last = server->Launch();
    if (last.ok()) return server;
  }
  return last;
}

ClickHouseServer::~ClickHouseServer() {
  if (pid_ > 0) {
    // Its data goes with the directory: no need for a clean shutdown.
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  if (!dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
}

Status ClickHouseServer::WriteConfiguration() {
  for (const char* sub : {"data", "tmp", "user_files", "format_schemas", "log"}) {
    std::filesystem::create_directories(StrCat(dir_, "/", sub));
  }
  const std::string config = StrCat(R"(<?xml version="1.0"?>
<yandex>
  <logger>
    <level>warning</level>
    <log>)", dir_, R"(/log/server.log</log>
    <errorlog>)", dir_, R"(/log/error.log</errorlog>
    <console>0</console>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>)", port_, R"(</http_port>
  <path>)", dir_, R"(/data/</path>
  <tmp_path>)", dir_, R"(/tmp/</tmp_path>
  <user_files_path>)", dir_, R"(/user_files/</user_files_path>
  <format_schema_path>)", dir_, R"(/format_schemas/</format_schema_path>
  <users_config>users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>268435456</mark_cache_size>
</yandex>
)");
  const std::string users = StrCat(R"(<?xml version="1.0"?>
<yandex>
  <profiles><default></default></profiles>
  <users>
    <)", options_.user, R"(>
      <password>)", options_.password, R"(</password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </)", options_.user, R"(>
  </users>
  <quotas><default></default></quotas>
</yandex>
)");
  if (Status s = WriteFile(StrCat(dir_, "/config.xml"), config); !s.ok()) return s;
  return WriteFile(StrCat(dir_, "/users.xml"), users);
}

Status ClickHouseServer::Launch() {
  const std::string config_flag = StrCat("--config-file=", dir_, "/config.xml");
  const std::string output = StrCat(dir_, "/log/stdout.log");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, output.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  char* argv[] = {binary_.data(), const_cast<char*>(config_flag.c_str()), nullptr};
  const int rc = posix_spawn(&pid_, binary_.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    pid_ = -1;
    return Status::Unavailable(StrCat("cannot start ", binary_, ": error ", rc));
  }
  const Clock::time_point deadline = Clock::now() + options_.start_timeout;
  while (Clock::now() < deadline) {
    int wstatus = 0;
    if (waitpid(pid_, &wstatus, WNOHANG) == pid_) {
      pid_ = -1;
      return Status::Unavailable(StrCat("clickhouse-server on port ", port_, " exited at start (status ", wstatus,
                                        "): ", ErrorLogTail()));
    }
    if (Query("SELECT 1").ok()) return Status::Ok();
    std::this_thread::sleep_for(50ms);
  }
  Stop();
  return Status::Unavailable(StrCat("clickhouse-server on port ", port_, " did not answer SELECT 1 within ",
                                    options_.start_timeout.count(), " ms: ", ErrorLogTail()));
}

std::string ClickHouseServer::ErrorLogTail() const {
  std::string tail;
  for (const char* name : {"/log/error.log", "/log/stdout.log"}) {
    std::ifstream in(StrCat(dir_, name));
    std::stringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    if (s.size() > 2000) s.erase(0, s.size() - 2000);
    if (!s.empty()) tail += StrCat("[", name + 5, "] ", s);
  }
  return tail.empty() ? "(nothing logged)" : tail;
}

Result<std::string> ClickHouseServer::Query(std::string_view sql) {
  // A client per query: a kept-alive connection would not survive Stop and Restart.
  http::testing::TestClient client(endpoint_);
  Result<http::testing::TestResponse> r =
      client.Post("/?output_format_json_quote_64bit_integers=0", sql,
                  {StrCat("X-ClickHouse-User: ", options_.user), StrCat("X-ClickHouse-Key: ", options_.password)});
  if (!r.ok()) return r.status();
  if (r->status != 200) {
    return Status::Internal(StrCat("ClickHouse answered ", r->status, " to `", sql.substr(0, 200), "`: ", r->body));
  }
  return std::move(r->body);
}

Status ClickHouseServer::RunScript(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound(StrCat("cannot read ", path));
  std::stringstream text;
  text << in.rdbuf();
  for (const std::string& statement : SplitSqlStatements(text.str())) {
    if (Result<std::string> r = Query(statement); !r.ok()) return r.status();
  }
  return Status::Ok();
}

void ClickHouseServer::Stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  const Clock::time_point deadline = Clock::now() + 15s;
  while (waitpid(pid_, nullptr, WNOHANG) != pid_) {
    if (Clock::now() >= deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
      break;
    }
    std::this_thread::sleep_for(20ms);
  }
  pid_ = -1;
}

Status ClickHouseServer::Restart() {
  Stop();
  return Launch();
}

}  // namespace otelpack::testing

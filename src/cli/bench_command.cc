// `otelpack bench`: the agent under load, measured from outside.
//
//   load (this process) --OTLP/HTTP protobuf, keep-alive--> agent (a child
//   process: `otelpack run`) --JSON + zstd--> sink (this process, count-only)
//
// The agent runs in its own process so that its CPU time and peak RSS are
// its own (read from /proc/<pid>/stat and /proc/<pid>/status). The load
// sends requests encoded before the clock starts; the sink validates every
// event and counts it but stores none (SQLite would be the bottleneck).
// After a warm-up, records/s and the agent's CPU seconds (in all, and by
// thread from /proc/<pid>/task) are taken over the measured window; then the
// agent is stopped with SIGTERM and the sink's count must equal what the
// agent accepted. --runs N does this N times and prints the medians.
// --signal chooses what the load sends: spans (traces, the default), log
// records (logs) or metric data points (metrics), each from loadgen's
// realistic generators; the figures are then per record of that signal.
#include "cli/bench_command.h"

#include <dirent.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "cli/command.h"
#include "cli/format.h"
#include "common/str_cat.h"
#include "loadgen/otlp_load.h"
#include "otelpack/compression.h"
#include "sink/sink.h"

namespace otelpack::cli {
namespace {

using Clock = std::chrono::steady_clock;

struct BenchFlags {
  double duration = 20;
  double warmup = 3;
  int connections = 4;
  std::string signal = "traces";
  std::size_t records_per_request = 512;
  std::string compression = "zstd";
  bool gzip_requests = false;
  double rate = 0;
  std::string agent_config;
  std::string protocol = "http";
  int runs = 1;
};

struct ProcessUsage {
  double cpu_seconds = 0;   // user + system
  std::uint64_t peak_rss_kib = 0;
  std::map<pid_t, std::pair<std::string, double>> threads;  // tid -> name, CPU seconds
};

// A small /proc file, whole.
std::string ReadProcFile(const std::string& path) {
  std::string text;
  if (FILE* f = std::fopen(path.c_str(), "r")) {
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof(buf), f)) > 0;) text.append(buf, n);
    std::fclose(f);
  }
  return text;
}

// User + system CPU seconds from a /proc/.../stat file.
double CpuSeconds(const std::string& stat) {
  // Fields after the command name (which may hold spaces) start after ')':
  // state is field 3, utime 14, stime 15.
  const std::size_t close = stat.rfind(')');
  unsigned long long utime = 0, stime = 0;
  if (close != std::string::npos &&
      std::sscanf(stat.c_str() + close + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
                  &utime, &stime) == 2) {
    return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
  }
  return 0;
}

ProcessUsage ReadUsage(pid_t pid) {
  ProcessUsage u;
  u.cpu_seconds = CpuSeconds(ReadProcFile(StrCat("/proc/", pid, "/stat")));
  const std::string tasks = StrCat("/proc/", pid, "/task");
  if (DIR* dir = opendir(tasks.c_str())) {
    while (const dirent* e = readdir(dir)) {
      const pid_t tid = static_cast<pid_t>(std::atoi(e->d_name));
      if (tid <= 0) continue;
      std::string name = ReadProcFile(StrCat(tasks, "/", tid, "/comm"));
      while (!name.empty() && name.back() == '\n') name.pop_back();
      u.threads[tid] = {std::move(name), CpuSeconds(ReadProcFile(StrCat(tasks, "/", tid, "/stat")))};
    }
    closedir(dir);
  }
  const std::string status = ReadProcFile(StrCat("/proc/", pid, "/status"));
  if (std::size_t at = status.find("VmHWM:"); at != std::string::npos) {
    u.peak_rss_kib = std::strtoull(status.c_str() + at + 6, nullptr, 10);
  }
  return u;
}

// What an agent thread does, from the name it runs under (NameThread;
// libmicrohttpd and gRPC name their own). The receivers decode and encode;
// the batcher compresses (with the disk queue, the receivers do).
std::string_view RoleOf(std::string_view thread) {
  if (thread == "otelpack-batch") return "batcher";
  if (thread.starts_with("otelpack-send")) return "senders";
  if (thread.starts_with("MHD-") || thread.starts_with("otelpack-grpc") || thread.starts_with("grpc")) {
    return "receivers";
  }
  return "other";
}

constexpr std::string_view kRoles[] = {"receivers", "batcher", "senders", "other"};

// The agent's CPU microseconds per record between two readings, by role
// (and "all").
std::map<std::string_view, double> CpuPerRecord(const ProcessUsage& before, const ProcessUsage& after,
                                                double records) {
  std::map<std::string_view, double> us;
  if (records <= 0) return us;
  for (const auto& [tid, thread] : after.threads) {
    auto was = before.threads.find(tid);
    const double seconds = thread.second - (was == before.threads.end() ? 0 : was->second.second);
    us[RoleOf(thread.first)] += 1e6 * seconds / records;
  }
  us["all"] = 1e6 * (after.cpu_seconds - before.cpu_seconds) / records;
  return us;
}

std::string Fixed(double v, int decimals) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.*f", decimals, v);
  return text;
}

// "2.87 us: receivers 1.02, batcher 1.63, senders 0.22, other 0.00".
std::string FormatCpuPerRecord(std::map<std::string_view, double> us) {
  std::string out = StrCat(Fixed(us["all"], 2), " us");
  const char* sep = ": ";
  for (std::string_view role : kRoles) {
    out += StrCat(sep, role, " ", Fixed(us[role], 2));
    sep = ", ";
  }
  return out;
}

// What one run measured.
struct RunResult {
  double records_per_second = 0;
  double records_per_cpu_second = 0;
  std::map<std::string_view, double> cpu_us_per_record;
  double peak_rss_mib = 0;
};

// The agent as a child process; its first output line names its addresses.
struct Child {
  pid_t pid = -1;
  FILE* out = nullptr;
};

Result<Child> SpawnAgent(const BenchFlags& flags, const std::string& sink_endpoint,
                         const std::string& api_key) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return Status::Internal("pipe failed");
  const bool grpc = flags.protocol == "grpc";
  std::vector<std::string> args = {"/proc/self/exe", "run",
                                   "--otlp-http",    grpc ? "off" : "127.0.0.1:0",
                                   "--otlp-grpc",    grpc ? "127.0.0.1:0" : "off",
                                   "--metrics",      "off",
                                   "--endpoint",     sink_endpoint,
                                   "--project",      "bench",
                                   "--compression",  flags.compression,
                                   "--quiet"};
  if (!flags.agent_config.empty()) {
    args.push_back("--config");
    args.push_back(flags.agent_config);
  }
  const pid_t pid = fork();
  if (pid < 0) return Status::Internal("fork failed");
  if (pid == 0) {
    dup2(pipe_fds[1], STDOUT_FILENO);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    setenv("OTELPACK_API_KEY", api_key.c_str(), 1);
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv("/proc/self/exe", argv.data());
    _exit(127);
  }
  close(pipe_fds[1]);
  return Child{pid, fdopen(pipe_fds[0], "r")};
}

// The agent's first line: "otelpack run: OTLP/HTTP http://127.0.0.1:PORT/v1/{traces,logs,metrics}
// · OTLP/gRPC 127.0.0.1:PORT · ..." -> the signal's URL (HTTP) or the address (gRPC).
std::string LoadUrl(const std::string& line, bool grpc, Signal signal) {
  const std::string_view marker = grpc ? "OTLP/gRPC " : "OTLP/HTTP ";
  std::size_t start = line.find(marker);
  if (start == std::string::npos) return {};
  start += marker.size();
  const std::size_t end = line.find(' ', start);
  std::string url = line.substr(start, end - start);
  if (url == "off") return {};
  if (grpc) return url;
  const std::size_t paths = url.find("/v1/");
  return paths == std::string::npos ? std::string() : StrCat(url.substr(0, paths), "/v1/", SignalName(signal));
}

Signal SignalFlag(const std::string& name) {
  if (name == "logs") return Signal::kLogs;
  if (name == "metrics") return Signal::kMetrics;
  return Signal::kTraces;
}

// One run: a fresh sink and agent, warm-up, the measured window, shutdown.
// 0 when every span the agent accepted was delivered exactly once.
int RunOnce(const BenchFlags& flags, RunResult* result) {
  sink::SinkOptions sink_options;
  sink_options.project_id = "bench";
  sink_options.auth.api_key = "bench-key";
  sink_options.keep_events = false;
  Result<std::unique_ptr<sink::Sink>> sink = sink::Sink::Start(sink_options);
  if (!sink.ok()) {
    std::fprintf(stderr, "otelpack bench: sink: %s\n", sink.status().ToString().c_str());
    return 1;
  }
  Result<Child> agent = SpawnAgent(flags, (*sink)->endpoint(), sink_options.auth.api_key);
  if (!agent.ok()) {
    std::fprintf(stderr, "otelpack bench: %s\n", agent.status().ToString().c_str());
    return 1;
  }
  char line[512] = {};
  const bool grpc = flags.protocol == "grpc";
  const Signal signal = SignalFlag(flags.signal);
  const std::string records_name = StrCat(RecordName(signal), "s");  // "spans", "log records", "data points"
  if (std::fgets(line, sizeof(line), agent->out) == nullptr || LoadUrl(line, grpc, signal).empty()) {
    std::fprintf(stderr, "otelpack bench: the agent did not start\n");
    kill(agent->pid, SIGKILL);
    waitpid(agent->pid, nullptr, 0);
    return 1;
  }
  // Drain the agent's further output so it never blocks on a full pipe.
  std::thread drain([out = agent->out] {
    char buf[512];
    while (std::fgets(buf, sizeof(buf), out) != nullptr) {
    }
  });

  loadgen::OtlpLoadOptions load_options;
  load_options.protocol = grpc ? loadgen::OtlpProtocol::kGrpc : loadgen::OtlpProtocol::kHttp;
  load_options.signal = signal;
  load_options.url = LoadUrl(line, grpc, signal);
  load_options.connections = flags.connections;
  load_options.records_per_request = flags.records_per_request;
  load_options.records_per_second = flags.rate;
  if (flags.gzip_requests) load_options.compression = Compression::kGzip;
  Result<std::unique_ptr<loadgen::OtlpLoad>> load = loadgen::OtlpLoad::Start(load_options);
  if (!load.ok()) {
    std::fprintf(stderr, "otelpack bench: load: %s\n", load.status().ToString().c_str());
    kill(agent->pid, SIGKILL);
    waitpid(agent->pid, nullptr, 0);
    drain.join();
    return 1;
  }
  std::printf("otelpack bench: %s over OTLP/%s, %d connections x %s %s/request (%.0f B/%s protobuf%s) -> "
              "agent pid %d -> %s -> sink (count-only)\n",
              std::string(SignalName(signal)).c_str(), grpc ? "gRPC" : "HTTP", flags.connections,
              Thousands(flags.records_per_request).c_str(), records_name.c_str(), (*load)->bytes_per_record(),
              std::string(RecordName(signal)).c_str(), flags.gzip_requests ? ", gzip" : "",
              static_cast<int>(agent->pid), flags.compression.c_str());
  std::printf("  warm-up %.0f s, then %.0f s measured\n", flags.warmup, flags.duration);
  std::fflush(stdout);

  std::this_thread::sleep_for(std::chrono::duration<double>(flags.warmup));
  const loadgen::OtlpLoadStats s0 = (*load)->Stats();
  const ProcessUsage u0 = ReadUsage(agent->pid);
  const Clock::time_point t0 = Clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(flags.duration));
  const loadgen::OtlpLoadStats s1 = (*load)->Stats();
  const ProcessUsage u1 = ReadUsage(agent->pid);
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  (*load)->Stop();

  // Stop the agent: it delivers what it holds, then exits.
  kill(agent->pid, SIGTERM);
  const ProcessUsage at_end = ReadUsage(agent->pid);
  int wait_status = 0;
  waitpid(agent->pid, &wait_status, 0);
  drain.join();
  std::fclose(agent->out);

  const double records = static_cast<double>(s1.records_ok - s0.records_ok);
  const double cpu = u1.cpu_seconds - u0.cpu_seconds;
  const loadgen::OtlpLoadStats total = (*load)->Stats();
  Result<std::uint64_t> stored = (*sink)->CountEvents();
  std::printf("  throughput      %s %s/s (%s requests/s, %s refused with 429/503, %s failed)\n",
              Thousands(static_cast<std::uint64_t>(records / seconds)).c_str(), records_name.c_str(),
              Thousands(static_cast<std::uint64_t>(static_cast<double>(s1.requests_ok - s0.requests_ok) / seconds)).c_str(),
              Thousands(total.requests_refused).c_str(), Thousands(total.requests_failed).c_str());
  std::printf("  agent CPU       %.2f s over %.1f s (%.0f%% of one core)\n", cpu, seconds, 100 * cpu / seconds);
  std::printf("  per core        %s %s per CPU-second\n",
              Thousands(static_cast<std::uint64_t>(cpu > 0 ? records / cpu : 0)).c_str(), records_name.c_str());
  result->records_per_second = records / seconds;
  result->records_per_cpu_second = cpu > 0 ? records / cpu : 0;
  result->cpu_us_per_record = CpuPerRecord(u0, u1, records);
  result->peak_rss_mib = static_cast<double>(std::max(u1.peak_rss_kib, at_end.peak_rss_kib)) / 1024;
  std::printf("  CPU per %-7s %s\n", signal == Signal::kTraces ? "span" : "record",
              FormatCpuPerRecord(result->cpu_us_per_record).c_str());
  std::printf("  agent peak RSS  %.1f MiB\n", result->peak_rss_mib);
  const bool exact = stored.ok() && *stored == total.records_ok;
  std::printf("  delivered       %s of %s %s accepted by the agent: %s\n",
              stored.ok() ? Thousands(*stored).c_str() : stored.status().ToString().c_str(),
              Thousands(total.records_ok).c_str(), records_name.c_str(), exact ? "all, exactly once" : "MISMATCH");
  if (!total.last_error.empty()) std::printf("  last load error: %s\n", total.last_error.c_str());
  const bool agent_ok = WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0;
  if (!agent_ok) std::printf("  the agent exited with status %d\n", wait_status);
  return exact && agent_ok ? 0 : 1;
}

// "342,154 (304,012-354,293)": the median of `v`, and its range.
std::string MedianAndRange(std::vector<double> v, int decimals) {
  if (v.empty()) return "-";
  std::sort(v.begin(), v.end());
  const double median = v.size() % 2 == 1 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
  auto text = [decimals](double x) {
    return decimals == 0 ? Thousands(static_cast<std::uint64_t>(x)) : Fixed(x, decimals);
  };
  return StrCat(text(median), " (", text(v.front()), "-", text(v.back()), ")");
}

// One figure of each run.
template <typename Get>
std::vector<double> Each(const std::vector<RunResult>& runs, Get get) {
  std::vector<double> v;
  for (const RunResult& r : runs) v.push_back(get(r));
  return v;
}

double CpuUs(const RunResult& r, std::string_view role) {
  auto it = r.cpu_us_per_record.find(role);
  return it == r.cpu_us_per_record.end() ? 0 : it->second;
}

// --runs N: N runs, each with a fresh agent and sink, then their medians
// (this machine's runs spread by several percent).
int Bench(const BenchFlags& flags) {
  std::vector<RunResult> runs;
  int failed = 0;
  for (int i = 0; i < flags.runs; ++i) {
    if (flags.runs > 1) std::printf("run %d of %d\n", i + 1, flags.runs);
    RunResult r;
    if (RunOnce(flags, &r) != 0) ++failed;
    runs.push_back(r);
  }
  if (flags.runs == 1) return failed == 0 ? 0 : 1;
  const Signal signal = SignalFlag(flags.signal);
  const std::string records_name = StrCat(RecordName(signal), "s");
  std::printf("%d runs, median (range):\n", flags.runs);
  std::printf("  throughput      %s %s/s\n",
              MedianAndRange(Each(runs, [](const RunResult& r) { return r.records_per_second; }), 0).c_str(),
              records_name.c_str());
  std::printf("  per core        %s %s per CPU-second\n",
              MedianAndRange(Each(runs, [](const RunResult& r) { return r.records_per_cpu_second; }), 0).c_str(),
              records_name.c_str());
  std::string cpu = MedianAndRange(Each(runs, [](const RunResult& r) { return CpuUs(r, "all"); }), 2) + " us";
  const char* sep = ": ";
  for (std::string_view role : kRoles) {
    cpu += StrCat(sep, role, " ", MedianAndRange(Each(runs, [role](const RunResult& r) { return CpuUs(r, role); }), 2));
    sep = ", ";
  }
  std::printf("  CPU per %-7s %s\n", signal == Signal::kTraces ? "span" : "record", cpu.c_str());
  std::printf("  agent peak RSS  %s MiB\n",
              MedianAndRange(Each(runs, [](const RunResult& r) { return r.peak_rss_mib; }), 1).c_str());
  if (failed > 0) std::printf("  %d run(s) failed: see above\n", failed);
  return failed == 0 ? 0 : 1;
}

}  // namespace

void RegisterBenchCommand(CLI::App& app) {
  auto flags = std::make_shared<BenchFlags>();
  CLI::App* cmd = app.add_subcommand(
      "bench", "Load-test the agent end to end: OTLP/HTTP protobuf in, JSON + compression out; "
               "records/s, the agent's CPU seconds and peak RSS");
  cmd->add_option("--duration", flags->duration, "Seconds measured")->capture_default_str()->check(CLI::Range(1.0, 3600.0));
  cmd->add_option("--warmup", flags->warmup, "Seconds of load before measuring")->capture_default_str()->check(CLI::Range(0.0, 600.0));
  cmd->add_option("--connections", flags->connections, "Keep-alive connections sending at once")
      ->capture_default_str()->check(CLI::Range(1, 256));
  cmd->add_option("--signal", flags->signal, "What the load sends: traces, logs or metrics")
      ->capture_default_str()->check(CLI::IsMember({"traces", "logs", "metrics"}));
  cmd->add_option("--records-per-request,--spans-per-request", flags->records_per_request,
                  "Spans, log records or data points per OTLP request")
      ->capture_default_str()->check(CLI::Range(1, 100000));
  cmd->add_option("--compression", flags->compression, "The agent's compression to the backend")
      ->capture_default_str()->check(CLI::IsMember({"none", "gzip", "zstd", "lz4"}));
  cmd->add_option("--protocol", flags->protocol, "How the load reaches the agent: http or grpc")
      ->capture_default_str()->check(CLI::IsMember({"http", "grpc"}));
  cmd->add_flag("--gzip-requests", flags->gzip_requests, "gzip the OTLP requests (as SDKs may)");
  cmd->add_option("--rate", flags->rate, "Records/s to offer (default: as fast as the agent answers)");
  cmd->add_option("--runs", flags->runs, "Measure this many times, each with a fresh agent, and print the medians")
      ->capture_default_str()->check(CLI::Range(1, 100));
  cmd->add_option("--agent-config", flags->agent_config, "A YAML file for the agent (queue, batch limits...)")
      ->check(CLI::ExistingFile);
  cmd->callback([flags] { SetExitCode(Bench(*flags)); });
}

}  // namespace otelpack::cli

// `otelpack run`: configuration (defaults < OTELPACK_* environment < --config
// file < flags) -> agent::Agent, until SIGINT/SIGTERM or --duration.
//
// With --embedded-sink the agent ships to a reference backend it starts
// itself (SQLite file), and --load sends it realistic OTLP/HTTP traffic over
// a real socket: the README's main job, telemetry flowing end to end, while
// real SDKs may point at the same receivers.
//
// The API key comes from OTELPACK_API_KEY or the config file, never from a
// flag (a flag shows in `ps`).
#include "cli/run_command.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/agent.h"
#include "cli/command.h"
#include "cli/format.h"
#include "common/str_cat.h"
#include "common/url.h"
#include "config/config.h"
#include "loadgen/otlp_load.h"
#include "otelpack/log.h"
#include "sink/sink.h"

namespace otelpack::cli {
namespace {

using Clock = std::chrono::steady_clock;

struct RunFlags {
  std::string config_path;
  std::string format_path;
  std::string endpoint;
  std::string project;
  std::string compression;
  std::optional<int> compression_level;
  std::string otlp_http;
  std::string otlp_grpc;
  std::string metrics;
  bool embedded_sink = false;
  std::string db_path;
  // Built-in load, records per second of each signal: spans, log records,
  // metric data points.
  std::array<double, kSignalCount> load{};
  double duration = 0;  // seconds; 0 = until a signal
  bool quiet = false;
};

// An address flag: "off" disables that listener.
void ApplyAddress(const std::string& flag, bool* enabled, std::string* listen) {
  if (flag.empty()) return;
  if (flag == "off") {
    *enabled = false;
  } else {
    *enabled = true;
    *listen = flag;
  }
}

std::string RandomHex(std::size_t bytes) {
  std::ifstream urandom("/dev/urandom", std::ios::binary);
  std::string out;
  static constexpr char kHex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < bytes; ++i) {
    const int c = urandom.get();
    out += kHex[(c >> 4) & 15];
    out += kHex[c & 15];
  }
  return out;
}

int Fail(std::string_view message) {
  std::fprintf(stderr, "otelpack run: %.*s\n", static_cast<int>(message.size()), message.data());
  return 1;
}

int Run(const RunFlags& flags) {
  Result<agent::AgentOptions> base = config::OptionsFromEnvironment();
  if (!base.ok()) return Fail(base.status().message());
  agent::AgentOptions options = *base;
  if (!flags.config_path.empty()) {
    config::LoadedConfig loaded = config::LoadConfigFile(flags.config_path, options);
    if (!flags.embedded_sink && flags.endpoint.empty()) config::CheckExporterReady(&loaded);
    if (!loaded.ok()) {
      for (const config::ConfigError& e : loaded.errors) {
        std::fprintf(stderr, "%s\n", config::FormatError(flags.config_path, e).c_str());
      }
      return 2;
    }
    options = loaded.options;
  }
  if (!flags.format_path.empty()) {
    if (!LoadFormatFlag(flags.format_path, &options.exporter.format)) return 2;
  }
  if (!flags.endpoint.empty()) options.exporter.endpoint = flags.endpoint;
  if (!flags.project.empty()) options.exporter.project_id = flags.project;
  if (!flags.compression.empty()) {
    Result<Compression> c = ParseCompression(flags.compression);
    if (!c.ok()) return Fail(c.status().message());
    options.exporter.compression = *c;
  }
  // Checked against the algorithm with the rest of the options (exporter.compression_level).
  if (flags.compression_level) options.exporter.compression_level = *flags.compression_level;
  ApplyAddress(flags.otlp_http, &options.http.enabled, &options.http.listen);
  ApplyAddress(flags.otlp_grpc, &options.grpc.enabled, &options.grpc.listen);
  ApplyAddress(flags.metrics, &options.metrics.enabled, &options.metrics.listen);
  const bool any_load = std::any_of(flags.load.begin(), flags.load.end(), [](double r) { return r > 0; });
  if (any_load && !options.http.enabled) {
    return Fail("--load sends OTLP/HTTP: it needs the HTTP receiver (--otlp-http)");
  }

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  std::unique_ptr<sink::Sink> sink;
  if (flags.embedded_sink) {
    sink::SinkOptions sink_options;
    sink_options.db_path = flags.db_path;
    if (options.exporter.project_id.empty()) options.exporter.project_id = "demo";
    sink_options.project_id = options.exporter.project_id;
    sink_options.auth.scheme = AuthScheme::kApiKey;
    sink_options.auth.api_key = RandomHex(16);  // known to this process only
    Result<std::unique_ptr<sink::Sink>> started = sink::Sink::Start(sink_options);
    if (!started.ok()) return Fail(StrCat("embedded sink: ", started.status().ToString()));
    sink = std::move(*started);
    options.exporter.endpoint = sink->endpoint();
    options.exporter.auth = AuthOptions();
    options.exporter.auth.api_key = sink_options.auth.api_key;
    options.exporter.authenticator = nullptr;
  }

  Result<std::unique_ptr<agent::Agent>> started = agent::Agent::Start(options);
  if (!started.ok()) return Fail(started.status().ToString());
  agent::Agent& a = **started;
  // A receiver that is off says so, without the path it would serve.
  auto served = [](const std::string& where, std::string_view paths) {
    return where.empty() ? std::string("off") : StrCat(where, paths);
  };
  std::printf("otelpack run: OTLP/HTTP %s · OTLP/gRPC %s · metrics %s\n",
              served(a.http_endpoint(), "/v1/{traces,logs,metrics}").c_str(), served(a.grpc_address(), "").c_str(),
              served(a.metrics_endpoint(), "/metrics").c_str());
  const int level = options.exporter.compression_level != 0 ? options.exporter.compression_level
                                                             : DefaultCompressionLevel(options.exporter.compression);
  std::printf("  exporter -> %s (project %s, %s)%s\n", RedactedUrl(options.exporter.endpoint).c_str(),
              options.exporter.project_id.empty() ? "(none)" : options.exporter.project_id.c_str(),
              options.exporter.compression == Compression::kNone
                  ? "no compression"
                  : StrCat(CompressionName(options.exporter.compression), " level ", level).c_str(),
              sink != nullptr ? StrCat(", the embedded sink, db ",
                                       flags.db_path.empty() ? ":memory:" : flags.db_path).c_str()
                              : "");

  std::vector<std::unique_ptr<loadgen::OtlpLoad>> loads;
  for (Signal signal : kAllSignals) {
    const double rate = flags.load[SignalIndex(signal)];
    if (rate <= 0) continue;
    loadgen::OtlpLoadOptions load_options;
    load_options.signal = signal;
    load_options.url = StrCat(a.http_endpoint(), "/v1/", SignalName(signal));
    load_options.records_per_second = rate;
    load_options.records_per_request = static_cast<std::size_t>(std::max(1.0, std::min(512.0, rate / 10)));
    load_options.connections = 1;
    load_options.bearer_token = options.http.bearer_token;
    Result<std::unique_ptr<loadgen::OtlpLoad>> l = loadgen::OtlpLoad::Start(load_options);
    if (!l.ok()) return Fail(StrCat("load: ", l.status().message()));
    loads.push_back(std::move(*l));
    std::printf("  built-in load: %s %ss/s of realistic OTLP protobuf to %s\n",
                Thousands(static_cast<std::uint64_t>(rate)).c_str(), std::string(RecordName(signal)).c_str(),
                load_options.url.c_str());
  }
  std::fflush(stdout);

  // Records of a signal both receivers accepted.
  auto accepted_of = [&a](Signal signal) {
    return a.http_counters()[signal].records_accepted.load() + a.grpc_counters()[signal].records_accepted.load();
  };
  const Clock::time_point start = Clock::now();
  const bool timed = flags.duration > 0;
  const Clock::time_point end = start + std::chrono::duration_cast<Clock::duration>(
                                            std::chrono::duration<double>(flags.duration));
  const bool progress = !flags.quiet && (isatty(STDOUT_FILENO) || timed);
  std::array<std::uint64_t, kSignalCount> last_accepted{};
  int received_signal = 0;
  while (true) {
    timespec tick{1, 0};
    received_signal = sigtimedwait(&signals, nullptr, &tick);
    if (received_signal > 0) break;
    if (timed && Clock::now() >= end) break;
    if (!progress) continue;
    const ExporterStats e = a.exporter_stats();
    std::string received, refused_text;
    std::uint64_t sent = 0, refused = 0, dropped = 0;
    for (Signal signal : kAllSignals) {
      const std::uint64_t accepted = accepted_of(signal);
      std::uint64_t& last = last_accepted[SignalIndex(signal)];
      // Every signal that has had traffic; spans always, as the line always had.
      if (accepted > 0 || signal == Signal::kTraces) {
        received += StrCat(received.empty() ? "" : ", ", Thousands(accepted), " ", RecordName(signal), "s (",
                           Thousands(accepted - last), "/s)");
      }
      last = accepted;
      sent += e.of(signal).sent;
      dropped += e.of(signal).dropped();
      refused += a.http_counters()[signal].records_refused.load() + a.grpc_counters()[signal].records_refused.load();
    }
    std::printf("  %5.0fs  received %s · sent %s · queued %s batches · refused %s · dropped %s%s\n",
                std::chrono::duration<double>(Clock::now() - start).count(), received.c_str(),
                Thousands(sent).c_str(), Thousands(e.queue_depth).c_str(), Thousands(refused).c_str(),
                Thousands(dropped).c_str(), e.last_error.empty() ? "" : StrCat(" · last error: ", e.last_error).c_str());
    std::fflush(stdout);
  }
  for (auto& l : loads) l->Stop();
  std::printf("otelpack run: %s, shutting down (delivering what is queued, up to %llds)\n",
              received_signal == SIGINT ? "SIGINT" : received_signal == SIGTERM ? "SIGTERM" : "time is up",
              static_cast<long long>(std::chrono::duration_cast<std::chrono::seconds>(options.shutdown_timeout).count()));
  const Status shutdown = a.Shutdown();
  const ExporterStats e = a.exporter_stats();
  bool accounted = true;
  std::uint64_t sent = 0;
  for (Signal signal : kAllSignals) {
    const SignalStats& st = e.of(signal);
    const std::uint64_t accepted = accepted_of(signal);
    if (accepted == 0 && signal != Signal::kTraces) continue;
    const std::uint64_t rejected =
        a.http_counters()[signal].records_rejected.load() + a.grpc_counters()[signal].records_rejected.load();
    std::printf("  %-8s received %s %ss (%s rejected as invalid) · sent %s · dropped %s (oversized %s, refused "
                "by the backend %s, retries exhausted %s, at shutdown %s) · left on disk %s\n",
                StrCat(SignalName(signal), ":").c_str(), Thousands(accepted).c_str(),
                std::string(RecordName(signal)).c_str(), Thousands(rejected).c_str(), Thousands(st.sent).c_str(),
                Thousands(st.dropped()).c_str(), Thousands(st.dropped_oversized).c_str(),
                Thousands(st.dropped_permanent).c_str(), Thousands(st.dropped_retries_exhausted).c_str(),
                Thousands(st.dropped_shutdown).c_str(), Thousands(st.left_on_disk).c_str());
    sent += st.sent;
    if (accepted != st.sent + st.dropped() + st.left_on_disk) accounted = false;
  }
  std::printf("  %s requests (%s retries) · %s -> %s bytes\n", Thousands(e.requests_ok).c_str(),
              Thousands(e.retries).c_str(), Thousands(e.bytes_uncompressed).c_str(),
              Thousands(e.bytes_compressed).c_str());
  int exit_code = shutdown.ok() ? 0 : 1;
  if (!shutdown.ok()) std::printf("  shutdown: %s\n", shutdown.ToString().c_str());
  if (sink != nullptr) {
    Result<std::uint64_t> stored = sink->CountEvents();
    const bool match = stored.ok() && *stored == sent;
    std::printf("  the embedded sink stored %s events: %s\n",
                stored.ok() ? Thousands(*stored).c_str() : stored.status().ToString().c_str(),
                match ? "every record sent arrived exactly once" : "MISMATCH with the records sent");
    if (!flags.db_path.empty()) {
      std::printf("  look at them: sqlite3 %s 'SELECT json FROM events LIMIT 3'\n", flags.db_path.c_str());
    }
    if (!match || !accounted) exit_code = 1;
  }
  return exit_code;
}

}  // namespace

void RegisterRunCommand(CLI::App& app) {
  auto flags = std::make_shared<RunFlags>();
  CLI::App* cmd = app.add_subcommand(
      "run", "Run the agent: OTLP in (HTTP, gRPC), the backend's JSON events out, until SIGINT/SIGTERM");
  cmd->add_option("--config", flags->config_path, "YAML configuration file (docs/configuration.md)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--format", flags->format_path,
                  "The backend's format: a declaration file (docs/formats.md; exporter.format)");
  cmd->add_option("--endpoint", flags->endpoint, "Backend base URL (exporter.endpoint)");
  cmd->add_option("--project", flags->project, "Project id (exporter.project_id)");
  cmd->add_option("--compression", flags->compression, "none, gzip, zstd or lz4 (exporter.compression)");
  cmd->add_option("--compression-level", flags->compression_level,
                  "The algorithm's level (exporter.compression_level): gzip 1..9, zstd -7..19, lz4 3..12; 0 = its default");
  cmd->add_option("--otlp-http", flags->otlp_http, "OTLP/HTTP listen address, or off (default 127.0.0.1:4318)");
  cmd->add_option("--otlp-grpc", flags->otlp_grpc, "OTLP/gRPC listen address, or off (default 127.0.0.1:4317)");
  cmd->add_option("--metrics", flags->metrics, "/metrics and /healthz address, or off (default 127.0.0.1:8888)");
  cmd->add_flag("--embedded-sink", flags->embedded_sink,
                "Ship to a reference backend started in this process (for demos and trials)");
  cmd->add_option("--db", flags->db_path, "--embedded-sink: SQLite file for the events (default: in memory)");
  cmd->add_option("--load", flags->load[SignalIndex(Signal::kTraces)],
                  "Send this many realistic spans/s of OTLP/HTTP to the agent itself")
      ->check(CLI::Range(0.0, 10'000'000.0));
  cmd->add_option("--load-logs", flags->load[SignalIndex(Signal::kLogs)],
                  "Send this many realistic log records/s of OTLP/HTTP to the agent itself")
      ->check(CLI::Range(0.0, 10'000'000.0));
  cmd->add_option("--load-metrics", flags->load[SignalIndex(Signal::kMetrics)],
                  "Send this many realistic metric data points/s of OTLP/HTTP to the agent itself")
      ->check(CLI::Range(0.0, 10'000'000.0));
  cmd->add_option("--duration", flags->duration, "Stop after this many seconds (default: at SIGINT/SIGTERM)")
      ->check(CLI::Range(0.0, 1e9));
  cmd->add_flag("--quiet", flags->quiet, "No progress lines");
  // A flag given twice takes its last value, so wrappers (scripts/demo.sh)
  // can set defaults that the user's arguments override.
  for (CLI::Option* option : cmd->get_options()) {
    option->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  }
  cmd->callback([flags] { SetExitCode(Run(*flags)); });
}

}  // namespace otelpack::cli

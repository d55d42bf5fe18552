// `otelpack sink`: flags -> SinkOptions, start, wait for a signal, stop.
//
// Credentials come from flags or, preferably, the environment: a flag's value
// is visible to every user of the machine in `ps`, an environment variable is
// not. The environment variables: OTELPACK_API_KEY (apikey and bearer),
// OTELPACK_BASIC_USER / OTELPACK_BASIC_PASSWORD, OTELPACK_HMAC_KEY_ID /
// OTELPACK_HMAC_SECRET.
#include "cli/sink_command.h"

#include <signal.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "cli/command.h"
#include "otelpack/auth.h"
#include "otelpack/format.h"
#include "sink/sink.h"

namespace otelpack::cli {
namespace {

struct SinkFlags {
  sink::SinkOptions options;
  std::string auth = "apikey";
  long long latency_ms = 0;
  long long refuse_for_ms = 0;
  std::string format_path;  // empty: the article's protocol
};

// Blocks SIGINT and SIGTERM in this thread (and so in every thread started
// after, the sink's included) and waits for one of them.
int WaitForStopSignal(const sigset_t& signals) {
  int received = 0;
  sigwait(&signals, &received);
  return received;
}

int RunSink(SinkFlags& flags) {
  Result<AuthScheme> scheme = ParseAuthScheme(flags.auth);
  if (!scheme.ok()) {
    std::fprintf(stderr, "otelpack sink: %s\n", std::string(scheme.status().message()).c_str());
    return 2;
  }
  flags.options.auth.scheme = *scheme;
  flags.options.faults.latency = std::chrono::milliseconds(flags.latency_ms);
  if (!flags.format_path.empty()) {
    if (!LoadFormatFlag(flags.format_path, &flags.options.format)) return 2;
  }

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  Result<std::unique_ptr<sink::Sink>> started = sink::Sink::Start(flags.options);
  if (!started.ok()) {
    std::fprintf(stderr, "otelpack sink: %s\n", started.status().ToString().c_str());
    return 1;
  }
  sink::Sink& s = **started;
  if (flags.refuse_for_ms > 0) s.RefuseConnectionsFor(std::chrono::milliseconds(flags.refuse_for_ms));
  const std::string& db = flags.options.db_path;
  std::printf("otelpack sink listening on %s (db %s, project %s), serving %s\n", s.endpoint().c_str(),
              db.empty() ? ":memory:" : db.c_str(), flags.options.project_id.c_str(), s.serves().c_str());
  std::fflush(stdout);

  const int signal = WaitForStopSignal(signals);
  s.Stop();
  const sink::SinkStats stats = s.Stats();
  std::fprintf(stderr, "otelpack sink: %s, stopped (%llu events in %llu batches, %llu duplicates)\n",
               signal == SIGINT ? "SIGINT" : "SIGTERM",
               static_cast<unsigned long long>(stats.events),
               static_cast<unsigned long long>(stats.batches),
               static_cast<unsigned long long>(stats.duplicates));
  return 0;
}

}  // namespace

void RegisterSinkCommand(CLI::App& app) {
  auto flags = std::make_shared<SinkFlags>();
  sink::SinkOptions& o = flags->options;
  o.listen = "127.0.0.1:8428";
  CLI::App* cmd = app.add_subcommand(
      "sink", "Run the reference backend (docs/wire-protocol.md) until SIGINT or SIGTERM");

  cmd->add_option("--listen", o.listen, "host:port to listen on (port 0: a free one)")
      ->capture_default_str();
  cmd->add_option("--db", o.db_path, "SQLite file for the events (default: in memory)");
  cmd->add_option("--project", o.project_id, "The project id requests must carry")
      ->capture_default_str();
  cmd->add_option("--format", flags->format_path,
                  "Serve this declared format (docs/formats.md) instead of the article's: its paths, "
                  "headers and framing, each event checked for the keys it always holds");
  cmd->add_flag("--count-only{false}", o.keep_events,
                "Validate, deduplicate and count batches, store no event (load tests)");

  cmd->add_option("--auth", flags->auth, "Scheme demanded: apikey, bearer, basic, hmac or none")
      ->capture_default_str()
      ->check(CLI::IsMember({"apikey", "bearer", "basic", "hmac", "none"}));
  cmd->add_option("--api-key", o.auth.api_key,
                  "API key (apikey) or token (bearer); prefer $OTELPACK_API_KEY, a flag shows in ps")
      ->envname("OTELPACK_API_KEY");
  cmd->add_option("--basic-user", o.auth.username, "basic: user (or $OTELPACK_BASIC_USER)")
      ->envname("OTELPACK_BASIC_USER");
  cmd->add_option("--basic-password", o.auth.password,
                  "basic: password; prefer $OTELPACK_BASIC_PASSWORD")
      ->envname("OTELPACK_BASIC_PASSWORD");
  cmd->add_option("--hmac-key-id", o.auth.key_id, "hmac: key id (or $OTELPACK_HMAC_KEY_ID)")
      ->envname("OTELPACK_HMAC_KEY_ID");
  cmd->add_option("--hmac-secret", o.auth.secret, "hmac: shared secret; prefer $OTELPACK_HMAC_SECRET")
      ->envname("OTELPACK_HMAC_SECRET");

  cmd->add_option("--max-body-bytes", o.max_body_bytes, "Compressed body cap (413)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--max-decompressed-bytes", o.max_decompressed_bytes,
                  "Decompressed body cap (413)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--max-events", o.max_events_per_request, "Events per request (413)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--threads", o.threads, "HTTP worker threads")
      ->capture_default_str()
      ->check(CLI::Range(1u, 256u));

  cmd->add_option("--fail-ratio", o.faults.fail_ratio,
                  "Fault: fraction of ingest requests answered --fail-status")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--fail-status", o.faults.fail_status, "Fault: the failure status")
      ->capture_default_str()
      ->check(CLI::Range(400, 599));
  cmd->add_option("--latency-ms", flags->latency_ms,
                  "Fault: answer every ingest request this late (after storing)")
      ->check(CLI::Range(0LL, 3600000LL));
  cmd->add_option("--throttle-ratio", o.faults.throttle_ratio,
                  "Fault: fraction of ingest requests answered 429")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--retry-after", o.faults.retry_after_seconds, "Fault: Retry-After of a 429 (s)")
      ->capture_default_str()
      ->check(CLI::Range(0, 86400));
  cmd->add_option("--refuse-for-ms", flags->refuse_for_ms,
                  "Fault: refuse connections this long right after start, then serve")
      ->check(CLI::Range(0LL, 3600000LL));
  cmd->add_option("--seed", o.faults.seed, "Fault: seed of the fault sequence")->capture_default_str();

  cmd->callback([flags] { SetExitCode(RunSink(*flags)); });
}

}  // namespace otelpack::cli

#include "cli/demo_command.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "batch/batch_builder.h"
#include "cli/command.h"
#include "cli/format.h"
#include "common/str_cat.h"
#include "common/url.h"
#include "exporter/format_parts.h"
#include "loadgen/loadgen.h"
#include "loadgen/signals.h"
#include "otelpack/compression.h"
#include "otelpack/exporter.h"
#include "otelpack/format.h"
#include "sink/sink.h"

namespace otelpack::cli {
namespace {

struct DemoFlags {
  std::size_t spans = 10'000;
  std::size_t logs = 5'000;     // log records
  std::size_t metrics = 2'000;  // metric data points
  std::size_t spans_per_export = 512;  // records per Export call: what the SDK's BatchSpanProcessor hands over
  std::string compression;             // default: OTELPACK_COMPRESSION, else zstd
  int level = 0;
  std::string endpoint;                // default: OTELPACK_ENDPOINT, else the embedded sink
  std::string project;
  std::string format;                  // a declaration file; default: OTELPACK_FORMAT, else the built-in format
  std::uint64_t seed = 42;
  bool compare = true;
};

struct Codec {
  Compression algorithm;
  int level;
};

// The article's comparison table, measured on the batches the demo sent.
void PrintComparison(const DemoFlags& flags, const ExporterOptions& options) {
  // The exporter's own encoders and envelope: the bodies the demo sent.
  Result<FormatParts> parts = FormatPartsFor(options);
  if (!parts.ok()) return;  // the exporter was created from these options
  loadgen::SpanGenerator generator({.seed = flags.seed});
  BatchBuilder builder({.max_events = options.max_batch_events, .max_bytes = options.max_batch_bytes},
                       parts->envelope, Signal::kTraces);
  std::vector<EncodedBatch> batches;
  for (std::size_t done = 0; done < flags.spans;) {
    std::size_t n = std::min(flags.spans_per_export, flags.spans - done);
    builder.Add(*parts->encoders.traces, generator.Next(n), &batches);
    done += n;
  }
  builder.Flush(&batches);
  std::size_t total = 0;
  for (const EncodedBatch& b : batches) total += b.body.size();

  std::printf("\nCompression of the same %zu request bodies (%s bytes of JSON), one core:\n", batches.size(),
              Thousands(total).c_str());
  std::printf("  %-10s %6s %14s %8s %14s %16s\n", "algorithm", "level", "bytes", "ratio", "compress MB/s",
              "decompress MB/s");
  const Codec codecs[] = {
      {Compression::kNone, 0}, {Compression::kGzip, 1}, {Compression::kGzip, 6}, {Compression::kGzip, 9},
      {Compression::kZstd, -1}, {Compression::kZstd, 1}, {Compression::kZstd, 3}, {Compression::kZstd, 6},
      {Compression::kZstd, 9}, {Compression::kZstd, 19}, {Compression::kLz4, 0}, {Compression::kLz4, 9},
  };
  Buffer out, back;
  for (const Codec& codec : codecs) {
    auto compressor = NewCompressor(codec.algorithm, codec.level);
    auto decompressor = NewDecompressor(codec.algorithm);
    if (!compressor.ok() || !decompressor.ok()) continue;
    std::size_t compressed = 0;
    double compress_s = 0, decompress_s = 0;
    for (const EncodedBatch& b : batches) {
      auto t0 = std::chrono::steady_clock::now();
      if (!(*compressor)->Compress(b.body.view(), &out).ok()) return;
      auto t1 = std::chrono::steady_clock::now();
      if (!(*decompressor)->Decompress(out.view(), b.body.size(), &back).ok()) return;
      auto t2 = std::chrono::steady_clock::now();
      compressed += out.size();
      compress_s += std::chrono::duration<double>(t1 - t0).count();
      decompress_s += std::chrono::duration<double>(t2 - t1).count();
    }
    std::string level = codec.algorithm == Compression::kNone ? "-"
                        : codec.algorithm == Compression::kLz4 && codec.level == 0 ? "fast"
                                                                                   : std::to_string(codec.level);
    std::printf("  %-10s %6s %14s %7.2fx %14.0f %16.0f\n", std::string(CompressionName(codec.algorithm)).c_str(),
                level.c_str(), Thousands(compressed).c_str(),
                static_cast<double>(total) / static_cast<double>(compressed), total / 1e6 / compress_s,
                total / 1e6 / decompress_s);
  }
}

int RunDemo(const DemoFlags& flags) {
  Result<ExporterOptions> env = ExporterOptions::FromEnvironment();
  if (!env.ok()) {
    std::fprintf(stderr, "otelpack demo: %s\n", env.status().ToString().c_str());
    return 2;
  }
  ExporterOptions options = *env;
  if (!flags.endpoint.empty()) options.endpoint = flags.endpoint;
  if (!flags.project.empty()) options.project_id = flags.project;
  if (!flags.compression.empty()) {
    Result<Compression> c = ParseCompression(flags.compression);
    if (!c.ok()) {
      std::fprintf(stderr, "otelpack demo: --compression: %s\n", c.status().ToString().c_str());
      return 2;
    }
    options.compression = *c;
  }
  if (flags.level != 0) options.compression_level = flags.level;
  if (!flags.format.empty()) {
    if (!LoadFormatFlag(flags.format, &options.format)) return 2;
  }

  // No endpoint: the embedded reference backend on a free loopback port.
  std::unique_ptr<sink::Sink> sink;
  std::filesystem::path tmpdir;
  if (options.endpoint.empty()) {
    char dir[] = "/tmp/otelpack-demo-XXXXXX";
    if (mkdtemp(dir) == nullptr) {
      std::perror("otelpack demo: mkdtemp");
      return 1;
    }
    tmpdir = dir;
    sink::SinkOptions so;
    so.db_path = (tmpdir / "sink.db").string();
    so.project_id = options.project_id.empty() ? "demo" : options.project_id;
    so.auth.scheme = AuthScheme::kApiKey;
    so.auth.api_key = std::to_string(std::random_device{}()) + std::to_string(std::random_device{}());
    so.format = options.format;  // the sink serves what the exporter sends
    Result<std::unique_ptr<sink::Sink>> started = sink::Sink::Start(so);
    if (!started.ok()) {
      std::fprintf(stderr, "otelpack demo: cannot start the embedded sink: %s\n",
                   started.status().ToString().c_str());
      return 1;
    }
    sink = std::move(started).value();
    options.endpoint = sink->endpoint();
    options.project_id = so.project_id;
    options.auth = so.auth;
  }

  Result<std::unique_ptr<Exporter>> exporter = Exporter::Create(options);
  if (!exporter.ok()) {
    std::fprintf(stderr, "otelpack demo: %s\n", exporter.status().ToString().c_str());
    return 2;
  }

  std::printf("otelpack demo: %s spans, %s log records, %s metric data points -> %s (%s, %s)\n",
              Thousands(flags.spans).c_str(), Thousands(flags.logs).c_str(), Thousands(flags.metrics).c_str(),
              RedactedUrl(options.endpoint).c_str(),
              options.format ? ("format " + options.format->source()).c_str() : "the article's format",
              sink ? ("embedded sink, db " + (tmpdir / "sink.db").string()).c_str() : "external backend");

  loadgen::SpanGenerator spans({.seed = flags.seed});
  loadgen::LogGenerator logs({.seed = flags.seed});
  loadgen::MetricGenerator metrics({.seed = flags.seed});
  double export_seconds = 0;
  Status last_failure;
  // `total` records of one signal, `spans_per_export` at a time.
  auto export_all = [&](std::size_t total, auto next) {
    for (std::size_t done = 0; done < total;) {
      const std::size_t n = std::min(flags.spans_per_export, total - done);
      Status s = (*exporter)->Export(next(n));
      if (!s.ok()) last_failure = s;
      done += n;
    }
  };
  auto started = std::chrono::steady_clock::now();
  export_all(flags.spans, [&](std::size_t n) { return spans.Next(n); });
  export_all(flags.logs, [&](std::size_t n) { return logs.Next(n); });
  export_all(flags.metrics, [&](std::size_t n) { return metrics.Next(n); });
  // Everything handed over is delivered or definitively failed before the
  // summary: wait, with a progress line while the backend makes us retry.
  std::string last_progress;
  auto last_printed = std::chrono::steady_clock::now();
  while (true) {
    Status flushed = (*exporter)->ForceFlush(std::chrono::seconds(1));
    if (flushed.code() != StatusCode::kDeadlineExceeded) break;
    ExporterStats p = (*exporter)->Stats();
    std::string progress = "  ... waiting: " + Thousands(p.batches_pending) + " batches pending, " +
                           Thousands(p.traces.sent + p.logs.sent + p.metrics.sent) + " records sent, " +
                           Thousands(p.retries) + " retries; last error: " + p.last_error;
    // A line when something changed, else every 5 s.
    auto now = std::chrono::steady_clock::now();
    if (progress != last_progress || now - last_printed >= std::chrono::seconds(5)) {
      std::printf("%s\n", progress.c_str());
      std::fflush(stdout);
      last_progress = std::move(progress);
      last_printed = now;
    }
  }
  export_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  (*exporter)->Shutdown();
  ExporterStats st = (*exporter)->Stats();

  std::uint64_t dropped = 0, sent = 0, received = 0;
  std::printf("\n");
  for (Signal signal : kAllSignals) {
    const SignalStats& s = st.of(signal);
    if (s.received == 0) continue;
    const std::string name = StrCat(RecordName(signal), "s sent");
    std::printf("  %-17s %s of %s\n", name.c_str(), Thousands(s.sent).c_str(), Thousands(s.received).c_str());
    if (s.dropped() + s.refused > 0) {
      std::printf("    dropped       %s oversized, %s refused by the backend, %s after retries ran out, "
                  "%s at shutdown, %s refused (queue full)\n",
                  Thousands(s.dropped_oversized).c_str(), Thousands(s.dropped_permanent).c_str(),
                  Thousands(s.dropped_retries_exhausted).c_str(), Thousands(s.dropped_shutdown).c_str(),
                  Thousands(s.refused).c_str());
    }
    dropped += s.dropped() + s.refused;
    sent += s.sent;
    received += s.received;
  }
  std::printf("  requests        %s ok, %s failed attempts (retryable), %s failed (permanent), %s retries\n",
              Thousands(st.requests_ok).c_str(), Thousands(st.requests_failed_retryable).c_str(),
              Thousands(st.requests_failed_permanent).c_str(), Thousands(st.retries).c_str());
  double ratio = st.bytes_compressed ? static_cast<double>(st.bytes_uncompressed) / st.bytes_compressed : 0;
  std::printf("  body bytes      %s -> %s (%s, ratio %.2fx)\n", Thousands(st.bytes_uncompressed).c_str(),
              Thousands(st.bytes_compressed).c_str(), std::string(CompressionName(options.compression)).c_str(),
              ratio);
  std::printf("  delivery time   %.3f s: %s records/s, %.1f MB/s of JSON (generate, convert, batch, compress, send)\n",
              export_seconds, Thousands(static_cast<std::uint64_t>(static_cast<double>(received) / export_seconds)).c_str(),
              static_cast<double>(st.bytes_uncompressed) / 1e6 / export_seconds);
  if (!st.last_error.empty()) std::printf("  last error      %s\n", st.last_error.c_str());

  int code = (dropped == 0 && last_failure.ok()) ? 0 : 1;
  if (sink) {
    Result<std::uint64_t> stored = sink->CountEvents();
    if (!stored.ok()) {
      std::printf("  sink stored     error: %s\n", stored.status().ToString().c_str());
      code = 1;
    } else {
      bool match = *stored == sent;
      std::printf("  sink stored     %s events (%s)\n", Thousands(*stored).c_str(),
                  match ? "matches the records sent" : "MISMATCH with the records sent");
      if (!match) code = 1;
    }
  }

  if (flags.compare) PrintComparison(flags, options);

  if (sink) {
    sink->Stop();
    sink.reset();
    std::error_code ignored;
    std::filesystem::remove_all(tmpdir, ignored);
  }
  return code;
}

}  // namespace

void RegisterDemoCommand(CLI::App& app) {
  auto flags = std::make_shared<DemoFlags>();
  CLI::App* cmd = app.add_subcommand(
      "demo",
      "The library on its own: export realistic spans, log records and metric data points once through it "
      "to the embedded reference backend "
      "(or --endpoint) and print a summary with the compression comparison.");
  cmd->add_option("--spans", flags->spans, "Spans to send (exactly this many)")->capture_default_str();
  cmd->add_option("--logs", flags->logs, "Log records to send (exactly this many)")->capture_default_str();
  cmd->add_option("--metrics", flags->metrics, "Metric data points to send (exactly this many)")
      ->capture_default_str();
  cmd->add_option("--spans-per-export", flags->spans_per_export, "Records handed to each Export call")
      ->capture_default_str();
  cmd->add_option("--compression", flags->compression,
                  "none, gzip, zstd or lz4 (default: OTELPACK_COMPRESSION, else zstd)");
  cmd->add_option("--level", flags->level, "Compression level, 0 = the algorithm's default")
      ->capture_default_str();
  cmd->add_option("--endpoint", flags->endpoint,
                  "Send to this backend instead of the embedded sink (default: OTELPACK_ENDPOINT; the key comes "
                  "from OTELPACK_API_KEY, the project from OTELPACK_PROJECT_ID)");
  cmd->add_option("--project", flags->project, "Project id (default: OTELPACK_PROJECT_ID, else demo)");
  cmd->add_option("--format", flags->format,
                  "A format declaration file (docs/formats.md): the exporter sends it and the embedded sink serves "
                  "it (default: OTELPACK_FORMAT, else the built-in article format)");
  cmd->add_option("--seed", flags->seed, "Seed of the span generator")->capture_default_str();
  cmd->add_flag("!--no-compare", flags->compare, "Skip the comparison of compression algorithms");
  cmd->callback([flags] { SetExitCode(RunDemo(*flags)); });
}

}  // namespace otelpack::cli

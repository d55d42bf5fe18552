// `otelpack format preview`: what a backend would receive, before anything
// is sent. The format is the one `otelpack run` would use (--format FILE,
// else the configuration's exporter.format, else the built-in article
// format); realistic records from the generators (or an OTLP JSON file)
// go through the very encoders, envelope and request targets the exporter
// builds (exporter/format_parts.h), and each request is printed: request
// line, headers, and the body pretty-printed (NDJSON: each line).
//
// Secrets: a header's value is shown only when it is known not to be one
// (the content type and encoding, the batch id, the project id, a declared
// header written as a literal); the authentication headers, values from
// ${env:...} and the configuration's extra headers print as ***, and the
// endpoint without its user info and query.
#include "cli/format_command.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "batch/batch_builder.h"
#include "cli/command.h"
#include "cli/format.h"
#include "common/json_text.h"
#include "common/str_cat.h"
#include "common/url.h"
#include "config/config.h"
#include "exporter/format_parts.h"
#include "exporter/sender.h"
#include "format/declared/compile.h"
#include "format/declared/declaration.h"
#include "loadgen/loadgen.h"
#include "loadgen/signals.h"
#include "otelpack/arena.h"
#include "otelpack/format.h"
#include "otlp/decode.h"

namespace otelpack::cli {
namespace {

constexpr int kInvalid = 2;
constexpr std::size_t kMaxInputBytes = 64u << 20;
constexpr std::size_t kMaxCount = 10'000;

struct PreviewFlags {
  std::string config;  // an agent configuration: its exporter section
  std::string format;  // a declaration file: overrides the configuration's
  std::string signal = "all";
  std::string input;   // an OTLP JSON export request; empty: generated records
  std::size_t count = 2;
  std::uint64_t seed = 42;
};

// The exporter's options as `otelpack run` would have them, with --format.
Result<ExporterOptions> OptionsFor(const PreviewFlags& flags) {
  ExporterOptions options;
  if (!flags.config.empty()) {
    Result<agent::AgentOptions> base = config::OptionsFromEnvironment();
    if (!base.ok()) return base.status();
    config::LoadedConfig loaded = config::LoadConfigFile(flags.config, *base);
    if (!loaded.ok()) {
      std::string message;
      for (const config::ConfigError& e : loaded.errors) {
        message += StrCat(message.empty() ? "" : "\n", config::FormatError(flags.config, e));
      }
      return Status::InvalidArgument(message);
    }
    options = loaded.options.exporter;
  } else {
    Result<ExporterOptions> env = ExporterOptions::FromEnvironment();
    if (!env.ok()) return env.status();
    options = *env;
  }
  if (!flags.format.empty()) {
    Result<std::shared_ptr<const Format>> format = Format::Load(flags.format);
    if (!format.ok()) return format.status();
    options.format = *format;
  }
  if (options.project_id.empty()) options.project_id = "PROJECT_ID";
  return options;
}

// The names of the headers whose values may be shown.
std::set<std::string, std::less<>> PublicHeaders(const ExporterOptions& options) {
  std::set<std::string, std::less<>> names = {"Content-Type", "Content-Encoding", "X-Batch-ID", "X-Project-ID"};
  if (!options.format) return names;
  format::declared::CompileResult compiled =
      format::declared::Compile(options.format->declaration(), {.project_id = options.project_id, .extra_fields = {}});
  if (!compiled.ok()) return names;
  for (const format::declared::CompiledHeader& h : compiled.format->headers()) {
    if (!h.secret) names.insert(h.name);
  }
  for (const HttpHeader& h : options.headers) names.erase(h.name);  // the user's may override
  return names;
}

void PrintRequest(const ExporterOptions& options, const FormatParts& parts, const EncodedBatch& batch,
                  const std::set<std::string, std::less<>>& shown, const Authenticator* auth) {
  const RequestTarget& target = parts.targets[SignalIndex(batch.signal)];
  const std::string endpoint = options.endpoint.empty() ? "ENDPOINT" : RedactedUrl(options.endpoint);
  std::printf("POST %s%s\n", endpoint.c_str(), target.path.c_str());
  std::vector<HttpHeader> headers = target.headers;
  std::string_view encoding = ContentEncoding(options.compression);
  if (!encoding.empty()) headers.push_back({"Content-Encoding", std::string(encoding)});
  headers.push_back({"X-Batch-ID", batch.batch_id});
  if (auth != nullptr) {
    std::vector<HttpHeader> signed_headers;
    if (auth->Sign({"POST", target.path, options.project_id, batch.body.view()}, &signed_headers).ok()) {
      for (HttpHeader& h : signed_headers) {
        h.value = "***";  // authentication is always a secret
        headers.push_back(std::move(h));
      }
    }
  }
  for (const HttpHeader& h : headers) {
    std::printf("%s: %s\n", h.name.c_str(), shown.count(h.name) ? h.value.c_str() : "***");
  }
  std::printf("\n");
  const bool ndjson = options.format &&
                      options.format->declaration().framing == format::declared::Framing::kNdjson;
  std::string_view body = batch.body.view();
  if (!ndjson) {
    std::printf("%s\n", PrettyJson(body).c_str());
    return;
  }
  while (!body.empty()) {
    const std::size_t end = body.find('\n');
    const std::string_view line = body.substr(0, end);
    if (!line.empty()) std::printf("%s\n", PrettyJson(line).c_str());
    body.remove_prefix(end == std::string_view::npos ? body.size() : end + 1);
  }
}

// Encodes `data` into requests as the exporter would and prints them.
template <typename View>
void PrintSignal(const ExporterOptions& options, FormatParts& parts, Signal signal, SignalEncoder<View>& encoder,
                 View data, std::size_t records, const std::set<std::string, std::less<>>& shown,
                 const Authenticator* auth) {
  BatchBuilder builder({.max_events = options.max_batch_events, .max_bytes = options.max_batch_bytes},
                       parts.envelope, signal);
  std::vector<EncodedBatch> batches;
  builder.Add(encoder, data, &batches);
  builder.Flush(&batches);
  std::printf("== %s: %zu %s(s) -> %zu request(s)\n", std::string(SignalName(signal)).c_str(), records,
              std::string(RecordName(signal)).c_str(), batches.size());
  for (const EncodedBatch& b : batches) {
    PrintRequest(options, parts, b, shown, auth);
    std::printf("\n");
  }
}

// The --input file, at most 64 MiB.
Result<std::string> ReadInput(const std::string& path) {
  std::error_code size_error;
  const std::uintmax_t size = std::filesystem::file_size(path, size_error);
  if (!size_error && size > kMaxInputBytes) return Status::InvalidArgument(StrCat("--input ", path, ": larger than 64 MiB"));
  std::ifstream in(path, std::ios::binary);
  std::ostringstream read;
  if (in) read << in.rdbuf();
  if (size_error || !in) return Status::InvalidArgument(StrCat("--input ", path, ": cannot be read"));
  return std::move(read).str();
}

// The records of an OTLP JSON export request (--input): of the signal asked
// for, or of whichever signal the file holds.
int PreviewInput(const PreviewFlags& flags, std::string_view text, const ExporterOptions& options,
                 FormatParts& parts, const std::vector<Signal>& signals, const std::set<std::string, std::less<>>& shown,
                 const Authenticator* auth) {
  const bool any = signals.size() > 1;
  std::size_t shown_signals = 0;
  std::string first_error;
  for (Signal signal : signals) {
    Arena arena;
    Status status;
    auto show = [&](auto decoded, auto& encoder) {
      if (!decoded.ok()) {
        status = decoded.status();
        return;
      }
      if (decoded->records == 0) {
        if (!any) status = Status::InvalidArgument(StrCat("no ", RecordName(signal), "s in it"));
        return;
      }
      PrintSignal(options, parts, signal, encoder, decoded->data, decoded->records, shown, auth);
      ++shown_signals;
    };
    switch (signal) {
      case Signal::kTraces: show(otlp::DecodeTracesJson(text, arena), *parts.encoders.traces); break;
      case Signal::kLogs: show(otlp::DecodeLogsJson(text, arena), *parts.encoders.logs); break;
      case Signal::kMetrics: show(otlp::DecodeMetricsJson(text, arena), *parts.encoders.metrics); break;
    }
    if (!status.ok() && !any) {
      std::fprintf(stderr, "otelpack format preview: --input %s: %s\n", flags.input.c_str(),
                   std::string(status.message()).c_str());
      return kInvalid;
    }
    if (!status.ok() && first_error.empty()) first_error = std::string(status.message());
  }
  if (shown_signals == 0) {
    std::fprintf(stderr, "otelpack format preview: --input %s: no spans, log records or data points%s%s\n",
                 flags.input.c_str(), first_error.empty() ? "" : ": ", first_error.c_str());
    return kInvalid;
  }
  return 0;
}

int RunPreview(const PreviewFlags& flags) {
  std::vector<Signal> signals;
  if (flags.signal == "all") {
    signals.assign(kAllSignals.begin(), kAllSignals.end());
  } else {
    for (Signal s : kAllSignals) {
      if (flags.signal == SignalName(s)) signals.push_back(s);
    }
    if (signals.empty()) {
      std::fprintf(stderr, "otelpack format preview: --signal %s: expected traces, logs, metrics or all\n",
                   PrintableExcerpt(flags.signal).c_str());
      return kInvalid;
    }
  }
  if (flags.count == 0 || flags.count > kMaxCount) {
    std::fprintf(stderr, "otelpack format preview: --count: expected 1 to %zu\n", kMaxCount);
    return kInvalid;
  }
  Result<ExporterOptions> options = OptionsFor(flags);
  if (!options.ok()) {
    std::fprintf(stderr, "%s\n", std::string(options.status().message()).c_str());
    return kInvalid;
  }
  Result<FormatParts> parts = FormatPartsFor(*options);
  if (!parts.ok()) {
    std::fprintf(stderr, "%s\n", std::string(parts.status().message()).c_str());
    return kInvalid;
  }
  Result<std::string> input = flags.input.empty() ? Result<std::string>(std::string()) : ReadInput(flags.input);
  if (!input.ok()) {
    std::fprintf(stderr, "otelpack format preview: %s\n", std::string(input.status().message()).c_str());
    return kInvalid;
  }
  const std::set<std::string, std::less<>> shown = PublicHeaders(*options);
  Result<std::shared_ptr<const Authenticator>> auth = AuthenticatorFor(*options);
  const Authenticator* signer = auth.ok() ? auth->get() : nullptr;
  std::printf("# format: %s\n", options->format ? options->format->source().c_str() : "built-in");
  if (!auth.ok()) std::printf("# authentication not shown: %s\n", std::string(auth.status().message()).c_str());
  std::printf("\n");

  if (!flags.input.empty()) return PreviewInput(flags, *input, *options, *parts, signals, shown, signer);
  for (Signal signal : signals) {
    switch (signal) {
      case Signal::kTraces: {
        loadgen::SpanGenerator g({.seed = flags.seed});
        PrintSignal(*options, *parts, signal, *parts->encoders.traces, g.Next(flags.count), flags.count, shown,
                    signer);
        break;
      }
      case Signal::kLogs: {
        loadgen::LogGenerator g({.seed = flags.seed});
        PrintSignal(*options, *parts, signal, *parts->encoders.logs, g.Next(flags.count), flags.count, shown,
                    signer);
        break;
      }
      case Signal::kMetrics: {
        loadgen::MetricGenerator g({.seed = flags.seed});
        PrintSignal(*options, *parts, signal, *parts->encoders.metrics, g.Next(flags.count), flags.count, shown,
                    signer);
        break;
      }
    }
  }
  return 0;
}

}  // namespace

void RegisterFormatCommand(CLI::App& app) {
  CLI::App* format = app.add_subcommand("format", "Tools for a backend's format declaration (docs/formats.md)");
  format->require_subcommand(1);
  auto flags = std::make_shared<PreviewFlags>();
  CLI::App* preview = format->add_subcommand(
      "preview",
      "Print what the backend would receive for realistic records (or an OTLP JSON file): each request's line, "
      "headers (secrets masked) and body, pretty-printed. Nothing is sent.");
  preview->add_option("--config", flags->config, "An agent configuration: its exporter section and format");
  preview->add_option("--format", flags->format,
                      "A format declaration file (default: the configuration's exporter.format, else the built-in "
                      "article format)");
  preview->add_option("--signal", flags->signal, "traces, logs, metrics or all")->capture_default_str();
  preview->add_option("--input", flags->input,
                      "An OTLP JSON export request (traces, logs or metrics, as an SDK's OTLP/HTTP JSON exporter "
                      "sends it) instead of generated records");
  preview->add_option("--count", flags->count, "Generated records of each signal")->capture_default_str();
  preview->add_option("--seed", flags->seed, "Seed of the generators")->capture_default_str();
  preview->callback([flags] { SetExitCode(RunPreview(*flags)); });
}

}  // namespace otelpack::cli

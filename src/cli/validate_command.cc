// `otelpack validate`: the configuration as `otelpack run` would load it
// (defaults, then OTELPACK_* variables, then the file), checked completely.
#include "cli/validate_command.h"

#include <cstdio>
#include <memory>
#include <string>

#include "cli/command.h"
#include "cli/format.h"
#include "common/url.h"
#include "config/config.h"
#include "config/values.h"
#include "format/declared/compile.h"
#include "otelpack/auth.h"
#include "otelpack/compression.h"
#include "otelpack/format.h"
#include "otelpack/signal.h"

namespace otelpack::cli {
namespace {

constexpr int kInvalid = 2;

std::string Receiver(bool enabled, const std::string& address) {
  return enabled ? address : "disabled";
}

// What a declared format sends: framing, each signal's request line, the
// headers (a secret's value masked).
void PrintFormat(const Format& format, const std::string& project_id) {
  format::declared::CompileResult compiled =
      format::declared::Compile(format.declaration(), {.project_id = project_id, .extra_fields = {}});
  if (!compiled.ok()) return;  // checked when loaded
  const format::declared::CompiledFormat& f = *compiled.format;
  static constexpr const char* kFraming[] = {"envelope", "ndjson", "array"};
  std::printf("  format     %s: %s, %s\n", format.source().c_str(), kFraming[static_cast<int>(f.framing())],
              f.content_type().c_str());
  for (Signal signal : kAllSignals) {
    std::printf("    %-8s POST %s\n", std::string(SignalName(signal)).c_str(), f.path(signal).c_str());
  }
  for (const format::declared::CompiledHeader& h : f.headers()) {
    std::printf("    header   %s: %s\n", h.name.c_str(), h.secret ? "***" : h.value.c_str());
  }
}

void PrintSummary(const std::string& path, const agent::AgentOptions& o) {
  const ExporterOptions& e = o.exporter;
  std::printf("%s: OK\n", path.c_str());
  std::printf("  receivers  otlp/http %s%s, otlp/grpc %s%s\n", Receiver(o.http.enabled, o.http.listen).c_str(),
              o.http.enabled && !o.http.bearer_token.empty() ? " (bearer auth)" : "",
              Receiver(o.grpc.enabled, o.grpc.listen).c_str(),
              o.grpc.enabled && !o.grpc.bearer_token.empty() ? " (bearer auth)" : "");
  std::printf("  exporter   %s, project %s, auth %s\n", RedactedUrl(e.endpoint).c_str(),
              e.project_id.empty() ? "(none)" : e.project_id.c_str(),
              std::string(AuthSchemeName(e.auth.scheme)).c_str());
  std::printf("  batches    %zu events or %s, every %s, %s%s\n", e.max_batch_events,
              config::FormatSize(e.max_batch_bytes).c_str(), config::FormatDuration(e.flush_interval).c_str(),
              std::string(CompressionName(e.compression)).c_str(),
              e.compression_level != 0 ? (" level " + std::to_string(e.compression_level)).c_str() : "");
  if (e.queue.kind == QueueKind::kDisk) {
    std::printf("  queue      disk, %s in %s\n", config::FormatSize(e.queue.disk_max_bytes).c_str(),
                e.queue.directory.c_str());
  } else {
    std::printf("  queue      memory, %s\n", config::FormatSize(e.queue.memory_max_bytes).c_str());
  }
  std::printf("  metrics    %s\n", Receiver(o.metrics.enabled, o.metrics.listen).c_str());
  if (e.format) PrintFormat(*e.format, e.project_id);
}

int RunValidateFormat(const std::string& path) {
  std::shared_ptr<const Format> format;
  if (!LoadFormatFlag(path, &format)) return kInvalid;
  std::printf("%s: OK\n", path.c_str());
  PrintFormat(*format, "<project id>");
  return 0;
}

int RunValidate(const std::string& path) {
  Result<agent::AgentOptions> base = config::OptionsFromEnvironment();
  if (!base.ok()) {
    std::fprintf(stderr, "otelpack validate: %s\n", std::string(base.status().message()).c_str());
    return kInvalid;
  }
  config::LoadedConfig loaded = config::LoadConfigFile(path, *base);
  config::CheckExporterReady(&loaded);
  if (!loaded.ok()) {
    for (const config::ConfigError& e : loaded.errors) {
      std::fprintf(stderr, "%s\n", config::FormatError(path, e).c_str());
    }
    return kInvalid;
  }
  PrintSummary(path, loaded.options);
  return 0;
}

}  // namespace

void RegisterValidateCommand(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  auto format_path = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "validate",
      "Check an agent configuration file (docs/configuration.md) or a format declaration (docs/formats.md) "
      "without starting anything");
  CLI::Option* config = cmd->add_option("--config", *path, "The YAML file, as given to `otelpack run --config`");
  CLI::Option* format = cmd->add_option("--format", *format_path, "A format declaration file, as given to --format");
  config->excludes(format);
  cmd->callback([path, format_path] {
    if (path->empty() && format_path->empty()) {
      std::fprintf(stderr, "otelpack validate: give --config FILE or --format FILE\n");
      SetExitCode(kInvalid);
      return;
    }
    SetExitCode(path->empty() ? RunValidateFormat(*format_path) : RunValidate(*path));
  });
}

}  // namespace otelpack::cli

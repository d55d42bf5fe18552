// otelpack: one binary, one subcommand per job.
//
//   otelpack demo   the main job: spans -> the embedded reference backend, with a summary
//   otelpack sink   the reference backend on its own
//   otelpack run    the agent: OTLP in (HTTP, gRPC), the backend's JSON events out
//   otelpack bench  the agent under load, measured from outside
//   otelpack validate  checks an agent configuration file or a format declaration
//   otelpack format preview  what a backend would receive, for a format declaration
#include <CLI/CLI.hpp>

#include <cstdio>

#include "cli/command.h"
#include "cli/bench_command.h"
#include "cli/demo_command.h"
#include "cli/format_command.h"
#include "cli/run_command.h"
#include "cli/sink_command.h"
#include "cli/validate_command.h"
#include "otelpack/version.h"

int main(int argc, char** argv) {
  CLI::App app{"otelpack: OpenTelemetry to a custom JSON backend - batched, compressed, delivered"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(otelpack::kVersion));
  otelpack::cli::RegisterDemoCommand(app);
  otelpack::cli::RegisterSinkCommand(app);
  otelpack::cli::RegisterRunCommand(app);
  otelpack::cli::RegisterBenchCommand(app);
  otelpack::cli::RegisterValidateCommand(app);
  otelpack::cli::RegisterFormatCommand(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return otelpack::cli::ExitCode();
}

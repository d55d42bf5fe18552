// otelpack: one binary, one subcommand per job.
//
//   otelpack demo   the main job: spans -> the embedded reference backend, with a summary
//   otelpack sink   the reference backend on its own
#include <CLI/CLI.hpp>

#include <cstdio>

#include "cli/command.h"
#include "cli/demo_command.h"
#include "cli/sink_command.h"
#include "otelpack/version.h"

int main(int argc, char** argv) {
  CLI::App app{"otelpack: OpenTelemetry to a custom JSON backend - batched, compressed, delivered"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(otelpack::kVersion));
  otelpack::cli::RegisterDemoCommand(app);
  otelpack::cli::RegisterSinkCommand(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return otelpack::cli::ExitCode();
}

// `otelpack sink`: the reference backend on its own. Prints one line
// "otelpack sink listening on http://HOST:PORT (db FILE, project P)" when it
// is ready (so a script can read the port), then serves until SIGINT or
// SIGTERM and stops cleanly.
#ifndef OTELPACK_CLI_SINK_COMMAND_H_
#define OTELPACK_CLI_SINK_COMMAND_H_

#include <CLI/CLI.hpp>

namespace otelpack::cli {

void RegisterSinkCommand(CLI::App& app);

}  // namespace otelpack::cli

#endif  // OTELPACK_CLI_SINK_COMMAND_H_

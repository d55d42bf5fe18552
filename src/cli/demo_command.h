// `otelpack demo`: the main job. Starts the reference backend on a free
// loopback port (or uses --endpoint), exports realistic spans through the
// library once, and prints what happened and what every codec would have done.
#ifndef OTELPACK_CLI_DEMO_COMMAND_H_
#define OTELPACK_CLI_DEMO_COMMAND_H_

#include <CLI/CLI.hpp>

namespace otelpack::cli {

void RegisterDemoCommand(CLI::App& app);

}  // namespace otelpack::cli

#endif  // OTELPACK_CLI_DEMO_COMMAND_H_

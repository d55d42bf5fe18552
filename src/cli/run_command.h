#ifndef OTELPACK_CLI_RUN_COMMAND_H_
#define OTELPACK_CLI_RUN_COMMAND_H_

#include <CLI/CLI.hpp>

namespace otelpack::cli {

// `otelpack run`: the agent (OTLP in, the backend out).
void RegisterRunCommand(CLI::App& app);

}  // namespace otelpack::cli

#endif  // OTELPACK_CLI_RUN_COMMAND_H_

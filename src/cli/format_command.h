// `otelpack format`: tools for a backend's format declaration (docs/formats.md).
#ifndef OTELPACK_CLI_FORMAT_COMMAND_H_
#define OTELPACK_CLI_FORMAT_COMMAND_H_

#include <CLI/CLI.hpp>

namespace otelpack::cli {

void RegisterFormatCommand(CLI::App& app);

}  // namespace otelpack::cli

#endif  // OTELPACK_CLI_FORMAT_COMMAND_H_

// `otelpack validate --config FILE`: checks an agent configuration without
// starting anything. Prints "FILE: OK" and a short summary (receivers and
// their addresses, the exporter's endpoint, compression and queue; never a
// credential) and exits 0; or prints every problem as
// "FILE:LINE:COL: KEY: MESSAGE" on stderr and exits 2.
#ifndef OTELPACK_CLI_VALIDATE_COMMAND_H_
#define OTELPACK_CLI_VALIDATE_COMMAND_H_

#include <CLI/CLI.hpp>

namespace otelpack::cli {

void RegisterValidateCommand(CLI::App& app);

}  // namespace otelpack::cli

#endif  // OTELPACK_CLI_VALIDATE_COMMAND_H_

// What every subcommand shares: the process exit code it sets.
#ifndef OTELPACK_CLI_COMMAND_H_
#define OTELPACK_CLI_COMMAND_H_

namespace otelpack::cli {

// The exit code of the subcommand that ran (0 unless it set another).
int ExitCode();
void SetExitCode(int code);

}  // namespace otelpack::cli

#endif  // OTELPACK_CLI_COMMAND_H_

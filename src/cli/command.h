// What every subcommand shares: the process exit code it sets, and reading
// a --format FILE flag.
#ifndef OTELPACK_CLI_COMMAND_H_
#define OTELPACK_CLI_COMMAND_H_

#include <memory>
#include <string>

#include "otelpack/format.h"

namespace otelpack::cli {

// The exit code of the subcommand that ran (0 unless it set another).
int ExitCode();
void SetExitCode(int code);

// The declaration in `path` (a --format FILE flag) into *format. On a mistake
// every one is printed to stderr as FILE:LINE:COL: KEY: MESSAGE and false
// returned: the command then exits 2, as for any invalid input.
bool LoadFormatFlag(const std::string& path, std::shared_ptr<const Format>* format);

}  // namespace otelpack::cli

#endif  // OTELPACK_CLI_COMMAND_H_

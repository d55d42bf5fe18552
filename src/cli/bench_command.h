#ifndef OTELPACK_CLI_BENCH_COMMAND_H_
#define OTELPACK_CLI_BENCH_COMMAND_H_

#include <CLI/CLI.hpp>

namespace otelpack::cli {

// `otelpack bench`: the end-to-end load test of the agent.
void RegisterBenchCommand(CLI::App& app);

}  // namespace otelpack::cli

#endif  // OTELPACK_CLI_BENCH_COMMAND_H_

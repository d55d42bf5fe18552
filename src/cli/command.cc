#include "cli/command.h"

#include <cstdio>

namespace otelpack::cli {
namespace {
int exit_code = 0;
}  // namespace

int ExitCode() { return exit_code; }
void SetExitCode(int code) { exit_code = code; }

bool LoadFormatFlag(const std::string& path, std::shared_ptr<const Format>* format) {
  Result<std::shared_ptr<const Format>> loaded = Format::Load(path);
  if (!loaded.ok()) {
    std::fprintf(stderr, "%s\n", std::string(loaded.status().message()).c_str());
    return false;
  }
  *format = *std::move(loaded);
  return true;
}

}  // namespace otelpack::cli

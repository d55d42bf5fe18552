#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: installs what is missing, builds
# otelpack (Release) and runs `otelpack demo` against the embedded reference
# backend. Extra arguments go to `otelpack demo` (see `otelpack demo --help`).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DOTELPACK_BUILD_TESTS=OFF -DOTELPACK_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build/release --target otelpack -j"$(nproc)"
exec build/release/src/cli/otelpack demo "$@"

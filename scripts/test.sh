#!/usr/bin/env bash
# Every test on a fresh Debian 12 machine: installs what is missing (Debian
# packages, and the JS, Python and Go packages of the SDK interop tests), builds
# with warnings as errors, runs the whole CTest suite and the Python package's
# tests (scripts/install-python.sh, pytest), then builds again with
# AddressSanitizer + UndefinedBehaviorSanitizer and runs the suite under them.
# Between the two it runs every fuzz target for a short while (scripts/fuzz.sh)
# and the concurrent parts under ThreadSanitizer.
#
#   scripts/test.sh            everything (what CI runs)
#   scripts/test.sh --fast     the plain build and suite only
set -euo pipefail
cd "$(dirname "$0")/.."

fast=0
[ "${1:-}" = "--fast" ] && fast=1
jobs=$(nproc)

scripts/install-deps.sh
scripts/install-interop.sh

run_suite() {  # build-dir, extra cmake args...
  local dir=$1; shift
  cmake -S . -B "$dir" -G Ninja -DOTELPACK_WERROR=ON "$@" >/dev/null
  cmake --build "$dir" -j"$jobs"
  (cd "$dir" && ctest --output-on-failure -j"$jobs" --timeout 300)
}

echo "== build and test (RelWithDebInfo, -Werror)"
run_suite build/ci -DCMAKE_BUILD_TYPE=RelWithDebInfo

echo "== the Python package against the real sink (python/tests)"
scripts/install-python.sh --core build/ci
OTELPACK_BIN=build/ci/src/cli/otelpack build/venv/bin/python -m pytest -q python/tests

if [ $fast -eq 0 ]; then
  echo "== fuzz every decoder (30 s each)"
  scripts/fuzz.sh 30

  # gRPC's own code is not instrumented (Debian builds it without TSan), so
  # the gRPC receiver's concurrency is covered by the ASan run and its tests.
  echo "== the concurrent parts under ThreadSanitizer (queue, exporter pipeline, sink, agent)"
  cmake -S . -B build/tsan -G Ninja -DOTELPACK_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DOTELPACK_SANITIZE=thread -DOTELPACK_BUILD_BENCHMARKS=OFF >/dev/null
  cmake --build build/tsan -j"$jobs" --target queue_test exporter_test delivery_test crash_child sink_test \
    agent_test
  (cd build/tsan && TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
    ctest --output-on-failure -j"$jobs" --timeout 300 -L "queue|integration|delivery|sink|agent")

  echo "== build and test under AddressSanitizer + UndefinedBehaviorSanitizer"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    run_suite build/asan -DCMAKE_BUILD_TYPE=Debug -DOTELPACK_SANITIZE=address,undefined \
      -DOTELPACK_BUILD_BENCHMARKS=OFF

  # The extension instrumented (the core it links is build/ci's); Python is
  # not, so the runtime and libstdc++ (for ASan's __cxa_throw) are preloaded.
  echo "== the Python package's extension under AddressSanitizer + UndefinedBehaviorSanitizer"
  scripts/install-python.sh --core build/ci --asan
  LD_PRELOAD="$(gcc -print-file-name=libasan.so) $(gcc -print-file-name=libstdc++.so)" \
    ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    OTELPACK_BIN=build/ci/src/cli/otelpack build/venv-asan/bin/python -m pytest -q python/tests
fi

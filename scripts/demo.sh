#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: installs what is missing, builds
# otelpack (Release) and runs the agent with the embedded reference backend
# and a built-in load of the three signals: realistic OTLP/HTTP protobuf
# spans, log records and metric data points -> the agent's receivers -> the
# backend's JSON events, zstd, batched -> the sink's SQLite file. For 20 s by
# default; meanwhile any OpenTelemetry SDK may send to the same agent
# (OTLP/HTTP on 127.0.0.1:4318, OTLP/gRPC on 127.0.0.1:4317).
#
#   scripts/demo.sh                     20 s at 20,000 spans/s, 10,000 log records/s
#                                       and 5,000 metric data points/s
#   scripts/demo.sh --duration 0        until Ctrl-C
#   scripts/demo.sh --load 0 --load-logs 0 --load-metrics 0
#                                       no built-in load: only what SDKs send
#
# Extra arguments go to `otelpack run` (see `otelpack run --help`); the last
# of a repeated flag wins.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DOTELPACK_BUILD_TESTS=OFF -DOTELPACK_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build/release --target otelpack -j"$(nproc)"
mkdir -p build/demo
rm -f build/demo/events.db build/demo/events.db-wal build/demo/events.db-shm
exec build/release/src/cli/otelpack run --embedded-sink --db build/demo/events.db \
  --load 20000 --load-logs 10000 --load-metrics 5000 --duration 20 "$@"

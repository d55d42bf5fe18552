#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for a
# while, starting from the seed corpora in fuzz/corpus/.
#
#   scripts/fuzz.sh [seconds per target, default 60]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}

scripts/install-deps.sh --fuzz
CC=clang-14 CXX=clang++-14 cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DOTELPACK_BUILD_FUZZERS=ON -DOTELPACK_SANITIZE=address,undefined \
  -DOTELPACK_BUILD_TESTS=OFF -DOTELPACK_BUILD_BENCHMARKS=OFF >/dev/null
targets=(
  decompress_fuzz ingest_fuzz declared_ingest_fuzz
  encoder_fuzz log_metric_encoder_fuzz declared_encoder_fuzz
  otlp_proto_fuzz otlp_logs_proto_fuzz otlp_metrics_proto_fuzz
  otlp_json_fuzz otlp_logs_json_fuzz otlp_metrics_json_fuzz
  declaration_parse_fuzz
)
cmake --build build/fuzz --target "${targets[@]}" -j"$(nproc)"

for target in "${targets[@]}"; do
  corpus=build/fuzz/corpus/$target
  mkdir -p "$corpus"
  [ -d "fuzz/corpus/$target" ] && cp -n fuzz/corpus/$target/* "$corpus"/ 2>/dev/null || true
  echo "== $target for ${seconds}s"
  build/fuzz/fuzz/$target -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1 "$corpus" \
    2>&1 | tail -n 12
done

#!/usr/bin/env bash
# Installs the Debian 12 packages otelpack needs to build and test.
# Idempotent: when everything is present it only checks and returns (about a second).
#
#   scripts/install-deps.sh          build + test dependencies
#   scripts/install-deps.sh --fuzz   also clang and libFuzzer (scripts/fuzz.sh)
#
# Run as root (or with sudo available).
set -euo pipefail

packages=(
  build-essential cmake pkg-config ninja-build
  libcurl4-openssl-dev      # transport: HTTP client with connection reuse, TLS
  libzstd-dev liblz4-dev libdeflate-dev zlib1g-dev   # codecs
  libssl-dev                # HMAC-SHA256 request signing
  libsqlite3-dev            # the sink's store
  libmicrohttpd-dev         # the sink's HTTP server
  libsimdjson-dev           # the sink's JSON validation
  libcli11-dev              # command-line parsing
  libyaml-cpp-dev           # the agent's configuration file
  libprotobuf-dev protobuf-compiler libgrpc++-dev protobuf-compiler-grpc   # OTLP/gRPC receiver
  libgtest-dev libgmock-dev libbenchmark-dev   # tests and benchmarks
  # tests/clickhouse starts a real ClickHouse (18.16) of its own, on a free loopback port;
  # the client is for examples/formats/clickhouse (clickhouse-client --multiquery < schema.sql).
  clickhouse-server clickhouse-client
)

if [ "${1:-}" = "--fuzz" ]; then
  packages+=(clang-14 libclang-rt-14-dev)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"

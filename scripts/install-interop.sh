#!/usr/bin/env bash
# Installs what the interop test (tests/interop, ctest label interop) needs:
# node and npm (Debian packages, only when npm is missing), then the pinned
# OpenTelemetry JS packages with `npm ci` from tests/interop/js/package-lock.json.
# Idempotent: does nothing when node_modules matches the lock file.
#
# Run as root (or with sudo available) when node is not installed yet.
set -euo pipefail
cd "$(dirname "$0")/../tests/interop/js"

if ! command -v npm >/dev/null 2>&1; then
  echo "install-interop: installing nodejs and npm"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends nodejs npm
fi

# node_modules/.otelpack-lock records the lock file it was installed from.
stamp=node_modules/.otelpack-lock
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "install-interop: node_modules matches package-lock.json"
  exit 0
fi

echo "install-interop: npm ci in tests/interop/js (node $(node --version))"
npm ci --no-audit --no-fund --loglevel=error
echo "$want" >"$stamp"

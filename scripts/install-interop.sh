#!/usr/bin/env bash
# Installs what the interop tests (tests/interop, ctest label interop) need,
# each part idempotent (it does nothing when what is installed matches its
# pins):
# - JS: node and npm (Debian packages, only when npm is missing), then the
#   pinned OpenTelemetry JS packages with `npm ci` from
#   tests/interop/js/package-lock.json. Node also runs every comparison.
# - Python: python3-venv (Debian, only when `python3 -m venv` cannot work),
#   then a venv at tests/interop/python/.venv with the pinned packages of
#   tests/interop/python/requirements.txt (the official SDK and its OTLP
#   exporters, from PyPI).
# - Go: `go mod download` of tests/interop/go/go.sum (the official SDK and
#   its OTLP exporters, from the Go module proxy) and one build (Go's own
#   cache makes both quick the second time) when a Go toolchain of go.mod's
#   version is on PATH or in /usr/local/go (Debian 12's golang is too old;
#   without one the Go test is skipped).
#
# Run as root (or with sudo available) when node or python3-venv is not
# installed yet.
set -euo pipefail
interop="$(cd "$(dirname "$0")/../tests/interop" && pwd)"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
apt_install() {
  echo "install-interop: installing $*"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "$@"
}

# ---- JS
if ! command -v npm >/dev/null 2>&1; then
  apt_install nodejs npm
fi
# node_modules/.otelpack-lock records the lock file it was installed from.
cd "$interop/js"
stamp=node_modules/.otelpack-lock
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "install-interop: js/node_modules matches package-lock.json"
else
  echo "install-interop: npm ci in tests/interop/js (node $(node --version))"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" >"$stamp"
fi

# ---- Python
cd "$interop/python"
if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  apt_install python3-venv
fi
# .venv/.otelpack-requirements records the requirements it was made from.
stamp=.venv/.otelpack-requirements
want=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "install-interop: python/.venv matches requirements.txt"
else
  echo "install-interop: a venv in tests/interop/python/.venv ($(python3 --version)) with requirements.txt"
  rm -rf .venv
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check --no-input -r requirements.txt
  echo "$want" >"$stamp"
fi

# ---- Go
cd "$interop/go"
go_tool=$(command -v go || true)
if [ -z "$go_tool" ] && [ -x /usr/local/go/bin/go ]; then go_tool=/usr/local/go/bin/go; fi
want=$(sed -n 's/^go \([0-9.]*\)$/\1/p' go.mod)
if [ -z "$go_tool" ]; then
  echo "install-interop: no Go toolchain (go $want or newer, e.g. in /usr/local/go): the Go interop test will be skipped"
elif ! have=$("$go_tool" env GOVERSION) || \
     [ "$(printf '%s\n%s\n' "go$want" "$have" | sort -V | head -n1)" != "go$want" ]; then
  echo "install-interop: $go_tool is ${have:-unusable}, go.mod needs go $want: the Go interop test will be skipped"
else
  echo "install-interop: go mod download and a first build in tests/interop/go ($have)"
  GOFLAGS="-mod=readonly -buildvcs=false" GOTOOLCHAIN=local "$go_tool" mod download
  # Fills Go's build cache, so that the test's own build takes seconds.
  GOFLAGS="-mod=readonly -buildvcs=false" GOTOOLCHAIN=local "$go_tool" build -o /dev/null .
fi

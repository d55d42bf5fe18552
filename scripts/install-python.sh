#!/usr/bin/env bash
# The Python package's set-up, idempotent: a venv in build/venv with the
# pinned requirements of python/requirements-test.txt, and ./python built and
# installed into it.
#
#   scripts/install-python.sh                   builds the core inside the package's
#                                               build directory (build/python/...)
#   scripts/install-python.sh --core build/ci   links the core that build has already
#                                               compiled (installed into build/core-install)
#   ... --asan                                  the extension built with AddressSanitizer and
#                                               UndefinedBehaviorSanitizer, in build/venv-asan (run
#                                               Python with LD_PRELOAD="libasan.so libstdc++.so")
#
# The build directory persists, so running it again recompiles only what changed.
# On a fresh Debian 12 it installs python3-venv and python3-dev when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

core_build=""
asan=0
while [ $# -gt 0 ]; do
  case "$1" in
    --core) core_build=${2:?"--core needs a CMake build directory"}; shift 2 ;;
    --asan) asan=1; shift ;;
    *) echo "install-python.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
python=${PYTHON:-python3}
# The machines are shared two-core ones: two compile jobs unless told otherwise.
export CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-2}

has_headers() {
  "$python" -c 'import os, sys, sysconfig
sys.exit(0 if os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")) else 1)'
}
if ! "$python" -c 'import ensurepip, venv' 2>/dev/null || ! has_headers; then
  if command -v apt-get >/dev/null; then
    echo "== installing python3-venv and python3-dev"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv python3-dev >/dev/null
  fi
fi

venv=build/venv
[ $asan -eq 1 ] && venv=build/venv-asan
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install -q --disable-pip-version-check -r python/requirements-test.txt

args=("-Ccmake.define.OTELPACK_CORE_PREFIX=")  # empty: build the core here
if [ -n "$core_build" ]; then
  cmake --install "$core_build" --prefix build/core-install >/dev/null
  args=("-Ccmake.define.OTELPACK_CORE_PREFIX=$PWD/build/core-install")
fi
if [ $asan -eq 1 ]; then
  flags="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
  # build-dir is relative to python/.
  args+=("-Cbuild-dir=../build/python-asan" "-Ccmake.build-type=Debug" "-Ccmake.define.CMAKE_CXX_FLAGS=$flags"
         "-Ccmake.define.CMAKE_SHARED_LINKER_FLAGS=-fsanitize=address,undefined")
fi
# Without build isolation the build uses the venv's pinned scikit-build-core
# and nanobind, whose paths stay the same from one run to the next.
"$venv/bin/python" -m pip install -q --disable-pip-version-check --no-build-isolation "${args[@]}" ./python
echo "== otelpack installed in $venv"

# The Go SDK's part of run.sh (sourced): its two OTLP exporters of each
# signal and how to run its sender (one program, built here from go.mod and
# go.sum with the modules scripts/install-interop.sh downloaded; nothing is
# fetched during the test).

# HTTP/protobuf gzipped and gRPC plain (the Python test does the opposite).
exporters="proto:gzip grpc:none"

# go_env COMMAND...: runs COMMAND as the test must build: from go.sum and the
# module cache only, never downloading modules or another toolchain.
go_env() {
  GOFLAGS="-mod=readonly -buildvcs=false" GOPROXY=off GOTOOLCHAIN=local "$@"
}

sender_check() {
  go_tool=$(command -v go || true)
  [ -n "$go_tool" ] || { [ -x /usr/local/go/bin/go ] && go_tool=/usr/local/go/bin/go; } || skip "go is not installed"
  # Offline and with this toolchain: a module missing from the cache means
  # the set-up was not run (or found no Go as new as go.mod wants).
  (cd "$here/go" && go_env "$go_tool" list -deps . >/dev/null 2>&1) \
    || skip "the Go modules of $here/go/go.sum are not downloaded, or $go_tool is older than go.mod wants"
}

# sender SIGNAL ARGS...: builds the program once per run (seconds with a
# warm build cache).
sender() {
  local signal=$1
  shift
  if [ ! -x "$tmp/interop-go" ]; then
    (cd "$here/go" && go_env "$go_tool" build -o "$tmp/interop-go" .) || return 1
  fi
  "$tmp/interop-go" --signal "$signal" "$@"
}

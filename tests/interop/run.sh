#!/usr/bin/env bash
# Interop test with an official OpenTelemetry SDK (JS, Python or Go): the
# SDK's OTLP exporters of each signal send spans, log records and metric data
# points of every shape to the agent (`otelpack run`, a real process), which
# ships them to the reference backend (`otelpack sink`, another real
# process); every event the sink stored is compared field by field with what
# docs/wire-protocol.md says the SDK's spans, log records and data points
# must become. Each language's sender writes those expected events (the
# format is in README.md); the comparison is the same for all.
#
# A language whose file names `tls_exporters` (the JS SDK's) also sends spans
# to a second agent that serves both receivers over TLS (certificates made
# here with openssl), over https and grpcs, trusting the test CA: Node's https
# through NODE_EXTRA_CA_CERTS; grpc-js through OTEL_EXPORTER_OTLP_CERTIFICATE,
# since it ignores Node's CA store when GRPC_DEFAULT_SSL_ROOTS_FILE_PATH is
# set (it then trusts that file alone).
#
#   tests/interop/run.sh LANG BIN_DIR   (LANG: js, python or go; BIN_DIR holds the otelpack binary)
#
# Exit status: 0 all equal, 1 a difference or a failure (with a report),
# 77 skipped (node, or the language's toolchain or installed packages are
# missing: scripts/install-interop.sh).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
lang=${1:?usage: run.sh js|python|go BIN_DIR}
bin_dir=${2:?usage: run.sh js|python|go BIN_DIR}
otelpack=$bin_dir/otelpack

skip() {
  echo "interop ($lang): skipped: $* (scripts/install-interop.sh)"
  exit 77
}

# The comparison and the port helpers are node scripts, whatever the language.
command -v node >/dev/null 2>&1 || skip "node is not installed"
tls_exporters=""
case $lang in
  js|python|go) . "$here/$lang/sender.sh" ;;
  *) echo "run.sh: LANG must be js, python or go, not $lang"; exit 2 ;;
esac
# The language's file defines `exporters` (EXPORTER:COMPRESSION ...),
# `sender_check` (calls `skip` when something is missing) and `sender SIGNAL
# ARGS...` (runs its sender of SIGNAL with the common command line); it may
# set `tls_exporters` (EXPORTER:COMPRESSION ...: spans over TLS).
sender_check
if [ ! -x "$otelpack" ]; then
  echo "interop: $otelpack: no such program"
  exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/otelpack-interop.XXXXXX")
sink_pid=""
agent_pid=""
tls_agent_pid=""
status=1

# Stops a process this script started: SIGTERM, then SIGKILL after 20 s.
stop() {
  local pid=$1
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 200); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  stop "$tls_agent_pid"
  stop "$agent_pid"
  stop "$sink_pid"
  if [ "$status" -ne 0 ]; then
    for log in agent tls-agent sink; do
      if [ -s "$tmp/$log.log" ]; then
        echo "---- last lines of the $log's output ($tmp/$log.log)"
        tail -n 25 "$tmp/$log.log"
      fi
    done
    echo "interop ($lang): FAILED (files kept in $tmp)"
  else
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT

export OTELPACK_API_KEY
OTELPACK_API_KEY=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
project=interop

# Every server listens on port 0 and the port the kernel gave is read from
# its first lines: ports picked free beforehand were taken by parallel tests
# before the server bound them (seen in CI: "Address already in use").
# listened_port FILE TEXT PID: the port after "TEXT127.0.0.1:" in FILE, which
# process PID writes; waits up to 20 s, fails when PID exits first.
listened_port() {
  local file=$1 text=$2 pid=$3 port
  for _ in $(seq 200); do
    port=$(sed -n "s|.*${text}127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p" "$file" 2>/dev/null | head -n 1)
    if [ -n "$port" ]; then
      echo "$port"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "interop: $file does not say where it listens (\"${text}127.0.0.1:PORT\")" >&2
  return 1
}

"$otelpack" sink --listen 127.0.0.1:0 --db "$tmp/sink.db" --project "$project" >"$tmp/sink.log" 2>&1 &
sink_pid=$!
sink_port=$(listened_port "$tmp/sink.log" "listening on http://" "$sink_pid")
node "$here/tools.mjs" wait "http://127.0.0.1:$sink_port/v1/stats" 20 "$sink_pid"

# start_agent NAME CONFIG: an agent on ports 0; sets NAME_pid, NAME_http_port,
# NAME_grpc_port and NAME_metrics_port once it answers /healthz.
start_agent() {
  local name=$1 config=$2 pid log="$tmp/$1.log"
  "$otelpack" run --config "$config" --quiet \
    --otlp-http 127.0.0.1:0 --otlp-grpc 127.0.0.1:0 --metrics 127.0.0.1:0 \
    --endpoint "http://127.0.0.1:$sink_port" --project "$project" >"$log" 2>&1 &
  pid=$!
  printf -v "${name//-/_}_pid" '%s' "$pid"
  local http grpc metrics
  http=$(listened_port "$log" "OTLP/HTTP [a-z]*://" "$pid")
  grpc=$(listened_port "$log" "OTLP/gRPC " "$pid")
  metrics=$(listened_port "$log" "metrics http://" "$pid")
  node "$here/tools.mjs" wait "http://127.0.0.1:$metrics/healthz" 20 "$pid"
  printf -v "${name//-/_}_http_port" '%s' "$http"
  printf -v "${name//-/_}_grpc_port" '%s' "$grpc"
  printf -v "${name//-/_}_metrics_port" '%s' "$metrics"
}

# Every optional field on, so that kind, trace state, links, resource, scope
# and the dropped counts are compared too; short flush interval for speed.
cat >"$tmp/agent.yaml" <<EOF
exporter:
  batch:
    flush_interval: 50ms
  extra_fields: {kind: true, trace_state: true, links: true, resource: true, scope: true, dropped_counts: true}
EOF
start_agent agent "$tmp/agent.yaml"
http_port=$agent_http_port grpc_port=$agent_grpc_port

if [ -n "$tls_exporters" ]; then
  # The TLS agent: a CA, and a certificate it signs for 127.0.0.1.
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj "/CN=interop CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" \
    -keyout "$tmp/ca-key.pem" -out "$tmp/ca.pem" 2>/dev/null
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=otelpack interop" \
    -keyout "$tmp/server-key.pem" -out "$tmp/server.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$tmp/server.ext"
  openssl x509 -req -in "$tmp/server.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca-key.pem" -CAcreateserial \
    -days 1 -extfile "$tmp/server.ext" -out "$tmp/server.pem" 2>/dev/null
  cat >"$tmp/tls-agent.yaml" <<EOF
receivers:
  otlp:
    protocols:
      http:
        tls: {cert_file: $tmp/server.pem, key_file: $tmp/server-key.pem}
      grpc:
        tls: {cert_file: $tmp/server.pem, key_file: $tmp/server-key.pem}
exporter:
  batch:
    flush_interval: 50ms
  extra_fields: {kind: true, trace_state: true, links: true, resource: true, scope: true, dropped_counts: true}
EOF
  start_agent tls-agent "$tmp/tls-agent.yaml"
  tls_http_port=$tls_agent_http_port tls_grpc_port=$tls_agent_grpc_port
fi

run_id="interop-$lang-$(date +%s)-$$"
exporter_names=$(for pair in $exporters; do printf '%s ' "${pair%%:*}"; done)
exporter_names+=$(for pair in $tls_exporters; do printf '%s-tls ' "${pair%%:*}"; done)
failed=0
# send SIGNAL EXPORTER URL COMPRESSION [LABEL]: one sender, one expectation
# file, named by LABEL (default: the exporter). The test CA is trusted for
# the TLS agent (unused by the plain ones).
send() {
  local signal=$1 exporter=$2 url=$3 compression=$4 label=${5:-$2}
  echo "== $lang $signal: $label ($compression) -> $url"
  if ! NODE_EXTRA_CA_CERTS="$tmp/ca.pem" OTEL_EXPORTER_OTLP_CERTIFICATE="$tmp/ca.pem" \
      sender "$signal" --exporter "$exporter" --url "$url" --compression "$compression" \
      --run-id "$run_id-$label" --out "$tmp/expected-$signal-$label.json"; then
    echo "interop: the $lang sender of $signal with --exporter $exporter ($label) failed"
    failed=1
  fi
}
for signal in spans logs metrics; do
  path=$signal
  [ "$signal" = spans ] && path=traces
  for pair in $exporters; do
    exporter=${pair%%:*}
    url="http://127.0.0.1:$http_port/v1/$path"
    [ "$exporter" = grpc ] && url="http://127.0.0.1:$grpc_port"
    send "$signal" "$exporter" "$url" "${pair#*:}"
  done
done
for pair in $tls_exporters; do
  exporter=${pair%%:*}
  url="https://127.0.0.1:$tls_http_port/v1/traces"
  [ "$exporter" = grpc ] && url="https://127.0.0.1:$tls_grpc_port"
  send spans "$exporter" "$url" "${pair#*:}" "$exporter-tls"
done

# compare SCRIPT SIGNAL...: the expectation files of these signals, compared.
compare() {
  local script=$1 signal exporter
  shift
  local expected=()
  for signal in "$@"; do
    for exporter in $exporter_names; do
      [ -s "$tmp/expected-$signal-$exporter.json" ] && expected+=("$tmp/expected-$signal-$exporter.json")
    done
  done
  echo "== comparing what the sink stored: $*"
  if [ ${#expected[@]} -eq 0 ] || ! node "$here/$script" --sink "http://127.0.0.1:$sink_port" \
      --project "$project" --timeout 30 "${expected[@]}"; then
    failed=1
  fi
}
compare compare.mjs spans
compare compare_events.mjs logs metrics

# The agent must also shut down cleanly (it delivers what is queued first).
kill -TERM "$agent_pid"
for _ in $(seq 300); do
  kill -0 "$agent_pid" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$agent_pid" 2>/dev/null; then
  echo "interop: the agent did not exit within 30 s of SIGTERM"
  kill -KILL "$agent_pid" 2>/dev/null || true
fi
agent_status=0
wait "$agent_pid" || agent_status=$?
agent_pid=""
if [ "$agent_status" -ne 0 ]; then
  echo "interop: the agent exited with status $agent_status after SIGTERM"
  failed=1
fi
grep -E "^  (traces|logs|metrics): +received" "$tmp/agent.log" || true

status=$failed
if [ "$status" -eq 0 ]; then
  echo "interop ($lang): OK"
fi
exit "$status"

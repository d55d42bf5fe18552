# The Python SDK's part of run.sh (sourced): its two OTLP exporters of each
# signal and how to run its senders (send_SIGNAL.py) in the venv that
# scripts/install-interop.sh made from requirements.txt.

# HTTP/protobuf plain and gRPC gzipped (the Go test does the opposite, the JS
# test gzips both): between them every transport goes both ways.
exporters="proto:none grpc:gzip"
python_venv=$here/python/.venv

sender_check() {
  [ -x "$python_venv/bin/python" ] || skip "no Python venv at $python_venv"
  "$python_venv/bin/python" -c 'import opentelemetry.sdk, opentelemetry.exporter.otlp.proto.grpc, opentelemetry.exporter.otlp.proto.http' \
    2>/dev/null || skip "the venv $python_venv lacks the pinned packages"
}

# sender SIGNAL ARGS...
sender() {
  local signal=$1
  shift
  "$python_venv/bin/python" "$here/python/send_$signal.py" "$@"
}

# The JS SDK's part of run.sh (sourced): its three exporters of each signal
# and how to run its senders (send_SIGNAL.mjs).

# The HTTP/protobuf exporter gzipped, the HTTP/JSON one plain, gRPC gzipped.
exporters="proto:gzip http:none grpc:gzip"

sender_check() {
  local sdk
  for sdk in sdk-trace-base sdk-logs sdk-metrics; do
    [ -d "$here/js/node_modules/@opentelemetry/$sdk" ] || skip "$here/js/node_modules/@opentelemetry/$sdk is missing"
  done
}

# sender SIGNAL ARGS...
sender() {
  local signal=$1
  shift
  node "$here/js/send_$signal.mjs" "$@"
}

# Spans over TLS to the second agent (run.sh): https with gzip, and grpcs.
tls_exporters="proto:gzip grpc:gzip"

// The Go SDK's sender of the interop test (tests/interop, run.sh go): sends
// spans, log records or metric data points of every shape through the
// official OpenTelemetry Go SDK and one of its OTLP exporters, and writes the
// backend events they must become (docs/wire-protocol.md), computed from the
// SDK's own records, in the expected-events format of README.md.
//
//	interop-go --signal spans|logs|metrics --exporter proto|grpc --url URL \
//	           --out expected.json --run-id ID [--compression none|gzip]
//
// proto takes the full URL (http://host:port/v1/<signal>), grpc
// http://host:port. Exits 1 when an export failed or the exporter did not
// send every item, 2 on a bad command line.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sync"
)

// args is the common command line of the three senders.
type args struct {
	signal, exporter, url, out, runID, compression string
}

func parseArgs() args {
	var a args
	flag.StringVar(&a.signal, "signal", "", "spans, logs or metrics")
	flag.StringVar(&a.exporter, "exporter", "", "proto (OTLP/HTTP protobuf) or grpc")
	flag.StringVar(&a.url, "url", "", "the receiver's URL")
	flag.StringVar(&a.out, "out", "", "where the expected events go")
	flag.StringVar(&a.runID, "run-id", "", "the run's id, in every resource's test.run_id")
	flag.StringVar(&a.compression, "compression", "none", "none or gzip")
	flag.Parse()
	bad := func(format string, v ...any) {
		fmt.Fprintf(os.Stderr, "interop-go: "+format+"\n", v...)
		os.Exit(2)
	}
	for name, value := range map[string]string{"signal": a.signal, "exporter": a.exporter, "url": a.url, "out": a.out, "run-id": a.runID} {
		if value == "" {
			bad("--%s is required", name)
		}
	}
	if a.exporter != "proto" && a.exporter != "grpc" {
		bad("--exporter must be proto or grpc, not %q", a.exporter)
	}
	if a.compression != "none" && a.compression != "gzip" {
		bad("--compression must be none or gzip, not %q", a.compression)
	}
	return a
}

// failures collects what went wrong in the exporters and calls; the SDK
// would only log it.
type failures struct {
	mu   sync.Mutex
	list []string
}

func (f *failures) add(format string, v ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.list = append(f.list, fmt.Sprintf(format, v...))
}

// report prints each failure after label; returns whether there was one.
func (f *failures) report(label string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, failure := range f.list {
		fmt.Fprintf(os.Stderr, "%s: %s\n", label, failure)
	}
	return len(f.list) > 0
}

// writeExpected writes the expectation file: the run header, then body.
func writeExpected(a args, body map[string]any) error {
	document := map[string]any{"run_id": a.runID, "exporter": a.exporter, "compression": a.compression}
	for k, v := range body {
		document[k] = v
	}
	text, err := json.MarshalIndent(document, "", " ")
	if err != nil {
		return fmt.Errorf("writing %s: %w", a.out, err)
	}
	return os.WriteFile(a.out, text, 0o644)
}

// serviceName is the event's "service": service.name when it is a string.
func serviceName(attributes map[string]any) string {
	if name, ok := attributes["service.name"].(string); ok {
		return name
	}
	return "unknown"
}

func main() {
	a := parseArgs()
	compression := ""
	if a.compression != "none" {
		compression = ", " + a.compression
	}
	label := fmt.Sprintf("interop-go %s (%s%s)", a.signal, a.exporter, compression)
	var summary string
	var err error
	failed := &failures{}
	switch a.signal {
	case "spans":
		summary, err = sendSpans(a, failed)
	case "logs":
		summary, err = sendLogs(a, failed)
	case "metrics":
		summary, err = sendMetrics(a, failed)
	default:
		fmt.Fprintf(os.Stderr, "interop-go: --signal must be spans, logs or metrics, not %q\n", a.signal)
		os.Exit(2)
	}
	if err != nil {
		failed.add("%v", err)
	}
	if failed.report(label) {
		os.Exit(1)
	}
	fmt.Printf("%s: %s sent to %s\n", label, summary, a.url)
}

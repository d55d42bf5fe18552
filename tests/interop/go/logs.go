// Log records of every shape through the Go SDK's LoggerProvider and the
// chosen OTLP log exporter (otlploghttp or otlploggrpc), behind a batch
// processor (a simple one, one request per record, for the service with
// small limits); the expected events come from the SDK's own records, read
// by a wrapper around the exporter at the moment of each export.
package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlplog/otlploggrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlplog/otlploghttp"
	otellog "go.opentelemetry.io/otel/log"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	"go.opentelemetry.io/otel/sdk/resource"
	"go.opentelemetry.io/otel/trace"
)

// recordingLogExporter passes each export on to the OTLP exporter and keeps
// the expected event of each record it delivered (the SDK reuses records
// after Export returns, so they are read before).
type recordingLogExporter struct {
	inner     sdklog.Exporter
	failed    *failures
	mu        sync.Mutex
	delivered []map[string]any
}

func (r *recordingLogExporter) Export(ctx context.Context, records []sdklog.Record) error {
	cases := make([]map[string]any, 0, len(records))
	for i := range records {
		body := records[i].Body().Emit()
		if len(body) > 60 {
			body = body[:60] + "..."
		}
		cases = append(cases, map[string]any{"label": fmt.Sprintf("%s: %s", records[i].InstrumentationScope().Name, body),
			"event": expectedLog(&records[i])})
	}
	if err := r.inner.Export(ctx, records); err != nil {
		r.failed.add("export of %d records failed: %v", len(records), err)
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.delivered = append(r.delivered, cases...)
	return nil
}

func (r *recordingLogExporter) Shutdown(ctx context.Context) error   { return r.inner.Shutdown(ctx) }
func (r *recordingLogExporter) ForceFlush(ctx context.Context) error { return r.inner.ForceFlush(ctx) }

func newLogExporter(a args) (sdklog.Exporter, error) {
	ctx := context.Background()
	if a.exporter == "grpc" {
		options := []otlploggrpc.Option{otlploggrpc.WithEndpointURL(a.url), otlploggrpc.WithTimeout(10 * time.Second)}
		if a.compression == "gzip" {
			options = append(options, otlploggrpc.WithCompressor("gzip"))
		}
		return otlploggrpc.New(ctx, options...)
	}
	compression := otlploghttp.NoCompression
	if a.compression == "gzip" {
		compression = otlploghttp.GzipCompression
	}
	return otlploghttp.New(ctx, otlploghttp.WithEndpointURL(a.url), otlploghttp.WithCompression(compression),
		otlploghttp.WithTimeout(10*time.Second))
}

type logService struct {
	name     string
	provider *sdklog.LoggerProvider
	otlp     *recordingLogExporter
	emitted  int
}

func newLogService(a args, res *resource.Resource, failed *failures, simple bool, options ...sdklog.LoggerProviderOption) (*logService, error) {
	exporter, err := newLogExporter(a)
	if err != nil {
		return nil, err
	}
	s := &logService{otlp: &recordingLogExporter{inner: exporter, failed: failed}}
	service, _ := resourceFields(res)
	s.name = service["s"].(string)
	var processor sdklog.Processor = sdklog.NewBatchProcessor(s.otlp, sdklog.WithExportInterval(50*time.Millisecond),
		sdklog.WithExportMaxBatchSize(64))
	if simple {
		processor = sdklog.NewSimpleProcessor(s.otlp)
	}
	s.provider = sdklog.NewLoggerProvider(append([]sdklog.LoggerProviderOption{sdklog.WithResource(res),
		sdklog.WithProcessor(processor)}, options...)...)
	return s, nil
}

// source is a logger of a service; emit counts what the service must send.
type source struct {
	service *logService
	logger  otellog.Logger
}

var logClock = t0

// nextTime is each record's own time, a millisecond and a bit apart.
func nextTime() time.Time {
	logClock = logClock.Add(1000003)
	return logClock
}

// emit sends one record: set fills it.
func (s source) emit(ctx context.Context, set func(r *otellog.Record)) {
	var r otellog.Record
	r.SetTimestamp(nextTime())
	set(&r)
	s.service.emitted++
	s.logger.Emit(ctx, r)
}

func logSeverities(web source) {
	texts := map[int]string{0: "custom", 1: "TRACE", 5: "debug", 9: "Information \u00e9", 13: "WARNING", 17: "E",
		21: "CRIT \u2620", 24: "FATAL4", 25: "BEYOND"}
	for n := 0; n <= 25; n++ {
		web.emit(context.Background(), func(r *otellog.Record) {
			r.SetObservedTimestamp(r.Timestamp().Add(500 * time.Millisecond))
			r.SetSeverity(otellog.Severity(n))
			r.SetBody(attribute.StringValue(fmt.Sprintf("severity %d", n)))
			r.AddAttributes(attribute.Int("n", n))
		})
		if text, ok := texts[n]; ok {
			web.emit(context.Background(), func(r *otellog.Record) {
				r.SetSeverity(otellog.Severity(n))
				r.SetSeverityText(text)
				r.SetBody(attribute.StringValue(fmt.Sprintf("severity %d with text", n)))
			})
		}
	}
	// The API lets any int be a severity; the exporters send 0 for these.
	for _, n := range []int{100, math.MaxInt32, -1} {
		web.emit(context.Background(), func(r *otellog.Record) {
			r.SetSeverity(otellog.Severity(n))
			r.SetBody(attribute.StringValue("out of range"))
		})
	}
	web.emit(context.Background(), func(r *otellog.Record) { r.SetSeverityText("NOTICE") })
}

func logBodies(web source) {
	bodies := []attribute.Value{
		attribute.StringValue("payment declined: card expired"), attribute.StringValue(""),
		attribute.MapValue(attribute.String("user", "u-42"), attribute.Float64("amount", 12.5), attribute.Int("items", 3),
			attribute.Bool("paid", false), attribute.StringSlice("tags", []string{"a", "b"}),
			attribute.Map("nested", attribute.Int("level", 2), attribute.Map("deeper", attribute.Bool("ok", true))),
			attribute.KeyValue{Key: "nothing"}, attribute.ByteSlice("raw", []byte{1, 2, 3})),
		attribute.MapValue(),
		attribute.SliceValue(attribute.IntValue(1), attribute.StringValue("two"), attribute.Float64Value(3.5),
			attribute.BoolValue(true), attribute.Value{}, attribute.MapValue(attribute.String("k", "v")),
			attribute.SliceValue(attribute.IntValue(1), attribute.SliceValue(attribute.IntValue(2))), attribute.ByteSliceValue([]byte{0xff})),
		attribute.SliceValue(),
		attribute.Int64Value(42), attribute.Int64Value(-7), attribute.Int64Value(math.MaxInt64), attribute.Int64Value(math.MinInt64),
		attribute.Float64Value(0.25), attribute.Float64Value(1e-7), attribute.Float64Value(math.MaxFloat64),
		attribute.Float64Value(math.Copysign(0, -1)), attribute.Float64Value(3), attribute.Float64Value(math.NaN()),
		attribute.Float64Value(math.Inf(-1)), attribute.BoolValue(true), attribute.BoolValue(false),
		attribute.ByteSliceValue([]byte{0, 1, 2, 0x7f, 0x80, 0xfe, 0xff, 0x3e, 0x3f}), attribute.ByteSliceValue([]byte{}),
		attribute.Int64SliceValue([]int64{1, 2}), attribute.Value{},
		attribute.StringValue(strings.Repeat("y", 20000) + "\u672b"),
	}
	for _, body := range bodies {
		web.emit(context.Background(), func(r *otellog.Record) {
			r.SetSeverity(otellog.SeverityInfo)
			r.SetBody(body)
		})
	}
	web.emit(context.Background(), func(r *otellog.Record) {
		r.SetSeverity(otellog.SeverityDebug)
		r.SetBody(attribute.StringValue("every attribute type"))
		r.AddAttributes(everyValueType()...)
	})
	web.emit(context.Background(), func(r *otellog.Record) {
		r.SetSeverity(otellog.SeverityWarn)
		r.SetBody(attribute.StringValue("awkward"))
		r.AddAttributes(awkwardAttributes()...)
	})
	web.emit(context.Background(), func(r *otellog.Record) { r.AddAttributes(manyAttributes(100, "attr")...) })
	web.emit(context.Background(), func(r *otellog.Record) {
		r.SetSeverity(otellog.SeverityError)
		r.SetBody(attribute.StringValue("charge failed"))
		r.SetErr(errors.New("card declined: \"insufficient funds\"\n\tretry later"))
	})
}

func logContextsAndTimes(web, api source) {
	traceID := trace.TraceID{0x0a, 0xf7, 0x65, 0x19, 0x16, 0xcd, 0x43, 0xdd, 0x84, 0x48, 0xeb, 0x21, 0x1c, 0x80, 0x31, 0x9c}
	spanID := trace.SpanID{0xb7, 0xad, 0x6b, 0x71, 0x69, 0x20, 0x33, 0x31}
	for _, flags := range []trace.TraceFlags{trace.FlagsSampled, 0} {
		ctx := trace.ContextWithSpanContext(context.Background(),
			trace.NewSpanContext(trace.SpanContextConfig{TraceID: traceID, SpanID: spanID, TraceFlags: flags}))
		web.emit(ctx, func(r *otellog.Record) { r.SetBody(attribute.StringValue(fmt.Sprintf("in a span, flags %d", flags))) })
	}
	api.emit(trace.ContextWithSpanContext(context.Background(), trace.SpanContext{}), func(r *otellog.Record) {
		r.SetBody(attribute.StringValue("invalid span context"))
	})
	web.emit(context.Background(), func(r *otellog.Record) {
		r.SetEventName("checkout.completed")
		r.SetBody(attribute.MapValue(attribute.String("order", "o-1"), attribute.Float64("total", 99.5)))
	})
	web.emit(context.Background(), func(r *otellog.Record) {
		r.SetEventName("\u30a4\u30d9\u30f3\u30c8 \"q\" \\ \n\t\x01 \U0001f680")
		r.SetSeverityText("\u8b66\u544a \"warn\"\n")
	})
	web.emit(context.Background(), func(r *otellog.Record) {
		r.SetTimestamp(time.Time{})
		r.SetObservedTimestamp(at(876543210))
		r.SetBody(attribute.StringValue("observed only"))
	})
	web.emit(context.Background(), func(r *otellog.Record) {
		r.SetTimestamp(time.Unix(0, 0))
		r.SetObservedTimestamp(time.Unix(0, 0))
		r.SetBody(attribute.StringValue("no time at all"))
	})
	web.emit(context.Background(), func(r *otellog.Record) {
		r.SetTimestamp(time.Unix(-5, 0)) // before the epoch: the exporter sends 0
		r.SetObservedTimestamp(at(1))
		r.SetBody(attribute.StringValue("before 1970"))
	})
	web.emit(context.Background(), func(r *otellog.Record) {
		r.SetTimestamp(time.Unix(1732480000, 999999))
		r.SetBody(attribute.StringValue("0.999999 ms"))
	})
}

// expectedLog is the backend event of one record, with resource and scope.
func expectedLog(r *sdklog.Record) typed {
	number := int64(r.Severity())
	if number < 0 || number > 24 {
		number = 0 // the exporters send a severity the API does not name as UNSPECIFIED
	}
	severity := r.SeverityText()
	if severity == "" {
		severity = "UNSPECIFIED"
		if number >= 1 && number <= 24 {
			severity = []string{"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"}[(number-1)/4]
		}
	}
	when := r.Timestamp()
	if when.UnixNano() <= 0 {
		when = r.ObservedTimestamp()
	}
	traceID, spanID := tNull(), tNull()
	if r.TraceID().IsValid() {
		traceID = tStr(r.TraceID().String())
	}
	if r.SpanID().IsValid() {
		spanID = tStr(r.SpanID().String())
	}
	var attributes []attribute.KeyValue
	r.WalkAttributes(func(kv attribute.KeyValue) bool {
		attributes = append(attributes, kv)
		return true
	})
	service, res := resourceFields(r.Resource())
	fields := []member{
		{"type", tStr("log")}, {"service", service}, {"timestamp_ms", tMillis(when)},
		{"severity", tStr(severity)}, {"severity_number", tInt(number)},
		{"body", tAttribute(r.Body())}, {"trace_id", traceID}, {"span_id", spanID},
		{"attributes", tAttributes(attributes)},
	}
	if r.EventName() != "" {
		fields = append(fields, member{"event_name", tStr(r.EventName())})
	}
	return tObj(append(fields, member{"resource", res}, member{"scope", tScope(r.InstrumentationScope())}))
}

func sendLogs(a args, failed *failures) (string, error) {
	frontendRes, backendRes, anonymousRes := serviceResources("interop-go-logs", a.runID)
	frontend, err := newLogService(a, frontendRes, failed, false)
	if err != nil {
		return "", err
	}
	// Small limits: the SDK drops attributes and cuts long values; each record its own export.
	backend, err := newLogService(a, backendRes, failed, true, sdklog.WithAttributeCountLimit(8),
		sdklog.WithAttributeValueLengthLimit(24))
	if err != nil {
		return "", err
	}
	anonymous, err := newLogService(a, anonymousRes, failed, false)
	if err != nil {
		return "", err
	}
	services := []*logService{frontend, backend, anonymous}
	web := source{frontend, frontend.provider.Logger("@interop/web", otellog.WithInstrumentationVersion("2.0.0"),
		otellog.WithSchemaURL("https://opentelemetry.io/schemas/1.26.0"),
		otellog.WithInstrumentationAttributes(attribute.String("scope.team", "checkout"), attribute.Int("scope.shard", 3)))}
	unversioned := source{frontend, frontend.provider.Logger("interop-unversioned")}
	api := source{backend, backend.provider.Logger("@interop/api", otellog.WithInstrumentationVersion("0.9.1"))}
	worker := source{anonymous, anonymous.provider.Logger("@interop/worker", otellog.WithInstrumentationVersion("3.1.4"))}

	logSeverities(web)
	logBodies(web)
	logContextsAndTimes(web, api)
	unversioned.emit(context.Background(), func(r *otellog.Record) { r.SetBody(attribute.StringValue("bare")) })
	api.emit(context.Background(), func(r *otellog.Record) {
		r.SetSeverity(otellog.SeverityError)
		r.AddAttributes(manyAttributes(20, "server")...)
		r.AddAttributes(attribute.String("long", "abcdefghijklmnopqrstuvwxyz0123456789"))
	})
	worker.emit(context.Background(), func(r *otellog.Record) { r.SetBody(attribute.StringValue("nightly job")) })
	for i := range 150 {
		web.emit(context.Background(), func(r *otellog.Record) {
			r.SetSeverity(otellog.Severity(1 + i%24))
			r.SetBody(attribute.StringValue(fmt.Sprintf("bulk %d", i)))
			r.AddAttributes(attribute.Int("i", i), attribute.Bool("even", i%2 == 0))
		})
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var cases []map[string]any
	var names []string
	for _, s := range services {
		if err := s.provider.ForceFlush(ctx); err != nil {
			failed.add("flush: %v", err)
		}
		if err := s.provider.Shutdown(ctx); err != nil {
			failed.add("shutdown: %v", err)
		}
		if len(s.otlp.delivered) != s.emitted {
			failed.add("service %q: the OTLP exporter sent %d records of %d", s.name, len(s.otlp.delivered), s.emitted)
		}
		cases = append(cases, s.otlp.delivered...)
		names = append(names, s.name)
	}
	if err := writeExpected(a, map[string]any{"signal": "log", "services": names, "cases": cases}); err != nil {
		return "", err
	}
	return fmt.Sprintf("%d log records of %d services", len(cases), len(services)), nil
}

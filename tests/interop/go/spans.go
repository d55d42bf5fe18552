// Spans of every shape through the Go SDK's TracerProvider, a batch span
// processor and the chosen OTLP trace exporter (otlptracehttp or
// otlptracegrpc); the expected events come from the SDK's own ReadOnlySpans,
// recorded by a tracetest.SpanRecorder on the same provider.
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

// recordingSpanExporter passes each export on to the OTLP exporter and
// counts the spans it delivered; failures go to `failed`.
type recordingSpanExporter struct {
	inner     sdktrace.SpanExporter
	delivered atomic.Int64
	failed    *failures
}

func (r *recordingSpanExporter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	err := r.inner.ExportSpans(ctx, spans)
	if err != nil {
		r.failed.add("export of %d spans failed: %v", len(spans), err)
	} else {
		r.delivered.Add(int64(len(spans)))
	}
	return err
}

func (r *recordingSpanExporter) Shutdown(ctx context.Context) error { return r.inner.Shutdown(ctx) }

func newTraceExporter(a args) (sdktrace.SpanExporter, error) {
	ctx := context.Background()
	if a.exporter == "grpc" {
		options := []otlptracegrpc.Option{otlptracegrpc.WithEndpointURL(a.url), otlptracegrpc.WithTimeout(10 * time.Second)}
		if a.compression == "gzip" {
			options = append(options, otlptracegrpc.WithCompressor("gzip"))
		}
		return otlptracegrpc.New(ctx, options...)
	}
	compression := otlptracehttp.NoCompression
	if a.compression == "gzip" {
		compression = otlptracehttp.GzipCompression
	}
	return otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(a.url), otlptracehttp.WithCompression(compression),
		otlptracehttp.WithTimeout(10*time.Second))
}

type traceService struct {
	provider *sdktrace.TracerProvider
	recorder *tracetest.SpanRecorder
	otlp     *recordingSpanExporter
}

func newTraceService(a args, res *resource.Resource, failed *failures, limits *sdktrace.SpanLimits) (*traceService, error) {
	exporter, err := newTraceExporter(a)
	if err != nil {
		return nil, err
	}
	s := &traceService{recorder: tracetest.NewSpanRecorder(), otlp: &recordingSpanExporter{inner: exporter, failed: failed}}
	options := []sdktrace.TracerProviderOption{
		sdktrace.WithResource(res),
		sdktrace.WithSpanProcessor(s.recorder),
		sdktrace.WithBatcher(s.otlp, sdktrace.WithBatchTimeout(50*time.Millisecond), sdktrace.WithMaxExportBatchSize(64)),
	}
	if limits != nil {
		options = append(options, sdktrace.WithRawSpanLimits(*limits))
	}
	s.provider = sdktrace.NewTracerProvider(options...)
	return s, nil
}

// checkoutTrace is a request through two services: every kind, errors,
// events, links, limits; then a consumer in another trace, linked.
func checkoutTrace(web, api, worker trace.Tracer) {
	ctx := context.Background()
	rootCtx, root := web.Start(ctx, "GET /checkout", trace.WithSpanKind(trace.SpanKindServer), trace.WithAttributes(everyValueType()...))
	root.AddEvent("request.received", trace.WithAttributes(attribute.Int("http.request.size", 512),
		attribute.String("client.ip", "10.0.0.7"), attribute.Float64("ratio", 0.75), attribute.Bool("cached", false),
		attribute.StringSlice("tags", []string{"a", "b"})))
	root.AddEvent("no.attributes")
	clientCtx, client := web.Start(rootCtx, "POST /api/orders", trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(attribute.String("http.method", "POST"), attribute.Int("net.peer.port", 8443)))
	serverCtx, server := api.Start(clientCtx, "POST /api/orders", trace.WithSpanKind(trace.SpanKindServer),
		trace.WithAttributes(append(manyAttributes(20, "server"), attribute.String("long", "abcdefghijklmnopqrstuvwxyz0123456789"))...),
		trace.WithLinks(
			trace.Link{SpanContext: root.SpanContext(), Attributes: []attribute.KeyValue{attribute.String("link.reason", "caller"),
				attribute.Int("link.n", 1), attribute.Float64("x.y", 2.5), attribute.Bool("z.w", true)}},
			trace.Link{SpanContext: client.SpanContext()}, // over the limit of 1
		))
	for i := range 4 { // 2 kept, 2 dropped
		server.AddEvent(fmt.Sprintf("step.%d", i), trace.WithAttributes(attribute.Int("i", i), attribute.String("a", "x"),
			attribute.Bool("b", true), attribute.Float64("c", 1.5)))
	}
	_, validate := api.Start(serverCtx, "validate order")
	validate.RecordError(errors.New("card declined: \"insufficient funds\"\n\tretry later"), trace.WithStackTrace(true))
	validate.SetStatus(codes.Error, "card declined: \"insufficient funds\"\n\u00e9\U0001f4b3")
	validate.End()
	_, publish := api.Start(serverCtx, "orders publish", trace.WithSpanKind(trace.SpanKindProducer),
		trace.WithAttributes(attribute.String("messaging.system", "kafka")))
	publish.End()
	_, cache := web.Start(rootCtx, "cache lookup", trace.WithSpanKind(trace.SpanKindInternal))
	cache.SetStatus(codes.Ok, "ignored for OK") // the SDK drops the description
	cache.End()
	server.SetStatus(codes.Error, "") // an error without a message
	server.End()
	client.End()
	root.End()
	_, consume := worker.Start(ctx, "orders process", trace.WithSpanKind(trace.SpanKindConsumer), trace.WithNewRoot(),
		trace.WithLinks(trace.Link{SpanContext: publish.SpanContext(), Attributes: []attribute.KeyValue{attribute.String("messaging.operation", "process")}}))
	consume.End()
}

// otherTraces: a remote parent with a trace state, an unspecified kind, an
// empty name, awkward text, exact times, 100 attributes, the service without
// a name, and enough spans for several batches of 64.
func otherTraces(web, unversioned, worker trace.Tracer, traceID trace.TraceID) {
	state, _ := trace.ParseTraceState("vendor1=opaque-value,rojo=00f067aa0ba902b7")
	remote := trace.NewSpanContext(trace.SpanContextConfig{TraceID: traceID, SpanID: trace.SpanID{0, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, 0xb7},
		TraceFlags: trace.FlagsSampled, TraceState: state, Remote: true})
	spanCtx, span := web.Start(trace.ContextWithRemoteSpanContext(context.Background(), remote), "handle message",
		trace.WithSpanKind(trace.SpanKindConsumer), trace.WithAttributes(attribute.Bool("remote", true)))
	_, child := unversioned.Start(spanCtx, "", trace.WithSpanKind(trace.SpanKindUnspecified), trace.WithAttributes(attribute.Bool("empty.name", true)))
	child.End()
	span.End()

	_, odd := web.Start(context.Background(), "\u65e5\u672c\u8a9e\u306e\u64cd\u4f5c \U0001f389 cafe\u0301 \"q\" \\ \n\t\x01",
		trace.WithSpanKind(trace.SpanKindServer), trace.WithAttributes(awkwardAttributes()...))
	odd.AddEvent("\u30a4\u30d9\u30f3\u30c8 \"\U0001f680\"\n", trace.WithAttributes(awkwardAttributes()...))
	odd.SetStatus(codes.Error, "\u30a8\u30e9\u30fc: \"\\\" \x00 \U0001f4a5")
	odd.End()

	rootCtx, root := web.Start(context.Background(), "timed root", trace.WithSpanKind(trace.SpanKindServer), trace.WithTimestamp(at(0)))
	for _, c := range []struct {
		name string
		ns   int64
	}{{"zero", 0}, {"1500ns rounds up", 1500}, {"2499ns rounds down", 2499}, {"half a second minus 500ns", 499999500},
		{"999999500ns", 999999500}, {"1234567890ns", 1234567890}, {"one hour", 3600e9}} {
		_, s := web.Start(rootCtx, c.name, trace.WithTimestamp(at(1000)))
		s.AddEvent("at the end", trace.WithAttributes(attribute.Int64("ns", c.ns)), trace.WithTimestamp(at(1000+c.ns)))
		s.End(trace.WithTimestamp(at(1000 + c.ns)))
	}
	_, backwards := web.Start(rootCtx, "ends before it starts", trace.WithTimestamp(at(5000)))
	backwards.End(trace.WithTimestamp(at(4000)))
	root.AddEvent("just before a millisecond", trace.WithTimestamp(at(876543210)))
	root.End(trace.WithTimestamp(at(2 * 3600e9)))

	_, many := web.Start(context.Background(), "many attributes", trace.WithAttributes(manyAttributes(100, "attr")...))
	many.End()
	jobCtx, job := worker.Start(context.Background(), "anonymous job", trace.WithAttributes(attribute.String("job", "nightly")))
	_, step := worker.Start(jobCtx, "anonymous step", trace.WithSpanKind(trace.SpanKindClient))
	step.End()
	job.End()

	bulkCtx, bulk := web.Start(context.Background(), "bulk root", trace.WithSpanKind(trace.SpanKindServer))
	for i := range 150 {
		_, s := web.Start(bulkCtx, fmt.Sprintf("bulk %d", i), trace.WithSpanKind(trace.SpanKind(1+i%5)),
			trace.WithAttributes(attribute.Int("i", i), attribute.Bool("even", i%2 == 0)))
		s.End()
	}
	bulk.End()
}

// expectedSpan is the backend event of one ReadOnlySpan, with every
// optional field (docs/wire-protocol.md, "Span event").
func expectedSpan(s sdktrace.ReadOnlySpan) typed {
	ctx := s.SpanContext()
	elapsed := max(s.EndTime().UnixNano()-s.StartTime().UnixNano(), 0)
	micros := elapsed / 1000
	if elapsed%1000 >= 500 {
		micros++
	}
	parent := tNull()
	if s.Parent().SpanID().IsValid() {
		parent = tStr(s.Parent().SpanID().String())
	}
	status := "ok"
	if s.Status().Code == codes.Error {
		status = "error"
	}
	events := []typed{}
	for _, e := range s.Events() {
		events = append(events, tObj([]member{{"name", tStr(e.Name)}, {"timestamp_ms", tMillis(e.Time)}, {"attributes", tAttributes(e.Attributes)}}))
	}
	links := []typed{}
	for _, l := range s.Links() {
		links = append(links, tObj([]member{
			{"trace_id", tStr(l.SpanContext.TraceID().String())},
			{"span_id", tStr(l.SpanContext.SpanID().String())},
			{"trace_state", tStr(l.SpanContext.TraceState().String())},
			{"attributes", tAttributes(l.Attributes)},
		}))
	}
	kind := s.SpanKind()
	if kind == trace.SpanKindUnspecified {
		kind = trace.SpanKindInternal // as the SDK's span does; kept here for clarity
	}
	service, res := resourceFields(s.Resource())
	return tObj([]member{
		{"type", tStr("span")},
		{"trace_id", tStr(ctx.TraceID().String())},
		{"span_id", tStr(ctx.SpanID().String())},
		{"parent_span_id", parent},
		{"service", service},
		{"operation", tStr(s.Name())},
		{"start_time_ms", tMillis(s.StartTime())},
		{"duration_ms", typed{"us": fmt.Sprint(micros)}},
		{"status", tStr(status)},
		{"status_message", tStr(s.Status().Description)},
		{"attributes", tAttributes(s.Attributes())},
		{"events", tArr(events)},
		{"kind", tStr(kind.String())},
		{"trace_state", tStr(ctx.TraceState().String())},
		{"links", tArr(links)},
		{"resource", res},
		{"scope", tScope(s.InstrumentationScope())},
		{"dropped", tObj([]member{{"attributes", tInt(int64(s.DroppedAttributes()))}, {"events", tInt(int64(s.DroppedEvents()))},
			{"links", tInt(int64(s.DroppedLinks()))}})},
	})
}

func sendSpans(a args, failed *failures) (string, error) {
	frontendRes, backendRes, anonymousRes := serviceResources("interop-go", a.runID)
	frontend, err := newTraceService(a, frontendRes, failed, nil)
	if err != nil {
		return "", err
	}
	// Small limits: the SDK drops and cuts, and the backend must report the counts.
	backend, err := newTraceService(a, backendRes, failed, &sdktrace.SpanLimits{AttributeValueLengthLimit: 24, AttributeCountLimit: 8,
		EventCountLimit: 2, LinkCountLimit: 1, AttributePerEventCountLimit: 3, AttributePerLinkCountLimit: -1})
	if err != nil {
		return "", err
	}
	anonymous, err := newTraceService(a, anonymousRes, failed, nil)
	if err != nil {
		return "", err
	}
	services := []*traceService{frontend, backend, anonymous}
	web := frontend.provider.Tracer("@interop/web", trace.WithInstrumentationVersion("2.0.0"),
		trace.WithSchemaURL("https://opentelemetry.io/schemas/1.26.0"),
		trace.WithInstrumentationAttributes(attribute.String("scope.team", "checkout"), attribute.Int("scope.shard", 3)))
	unversioned := frontend.provider.Tracer("interop-unversioned")
	api := backend.provider.Tracer("@interop/api", trace.WithInstrumentationVersion("0.9.1"))
	worker := anonymous.provider.Tracer("@interop/worker", trace.WithInstrumentationVersion("3.1.4"))

	checkoutTrace(web, api, worker)
	var remoteTrace trace.TraceID
	_, _ = rand.Read(remoteTrace[:]) // a trace of its own in every run
	otherTraces(web, unversioned, worker, remoteTrace)

	traces := map[string][]typed{}
	count := 0
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, s := range services {
		if err := s.provider.ForceFlush(ctx); err != nil {
			failed.add("flush: %v", err)
		}
		if err := s.provider.Shutdown(ctx); err != nil {
			failed.add("shutdown: %v", err)
		}
		ended := s.recorder.Ended()
		for _, span := range ended {
			id := span.SpanContext().TraceID().String()
			traces[id] = append(traces[id], expectedSpan(span))
			count++
		}
		if got := s.otlp.delivered.Load(); got != int64(len(ended)) {
			failed.add("the OTLP exporter sent %d spans of %d", got, len(ended))
		}
	}
	if err := writeExpected(a, map[string]any{"spans": count, "traces": traces}); err != nil {
		return "", err
	}
	return fmt.Sprintf("%d spans in %d traces", count, len(traces)), nil
}

// Data points of every kind through the Go SDK's MeterProvider, with views,
// and the chosen OTLP metric exporter (otlpmetrichttp or otlpmetricgrpc)
// behind periodic readers of each temporality; the expected events (one per
// data point) are read from exactly what each reader handed its exporter, at
// the moment of the export (the SDK reuses the ResourceMetrics afterwards).
package main

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetricgrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"
	"go.opentelemetry.io/otel/metric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// deltaSelector is the delta temporality preference: counters and
// histograms delta, up-down counters and gauges cumulative.
func deltaSelector(kind sdkmetric.InstrumentKind) metricdata.Temporality {
	switch kind {
	case sdkmetric.InstrumentKindCounter, sdkmetric.InstrumentKindHistogram, sdkmetric.InstrumentKindObservableCounter:
		return metricdata.DeltaTemporality
	}
	return metricdata.CumulativeTemporality
}

func newMetricExporter(a args, delta bool) (sdkmetric.Exporter, error) {
	ctx := context.Background()
	if a.exporter == "grpc" {
		options := []otlpmetricgrpc.Option{otlpmetricgrpc.WithEndpointURL(a.url), otlpmetricgrpc.WithTimeout(10 * time.Second)}
		if a.compression == "gzip" {
			options = append(options, otlpmetricgrpc.WithCompressor("gzip"))
		}
		if delta {
			options = append(options, otlpmetricgrpc.WithTemporalitySelector(deltaSelector))
		}
		return otlpmetricgrpc.New(ctx, options...)
	}
	compression := otlpmetrichttp.NoCompression
	if a.compression == "gzip" {
		compression = otlpmetrichttp.GzipCompression
	}
	options := []otlpmetrichttp.Option{otlpmetrichttp.WithEndpointURL(a.url), otlpmetrichttp.WithCompression(compression),
		otlpmetrichttp.WithTimeout(10 * time.Second)}
	if delta {
		options = append(options, otlpmetrichttp.WithTemporalitySelector(deltaSelector))
	}
	return otlpmetrichttp.New(ctx, options...)
}

// recordingMetricExporter passes each export on to the OTLP exporter and
// keeps the expected events of what it delivered.
type recordingMetricExporter struct {
	sdkmetric.Exporter
	reader      string
	failed      *failures
	mu          sync.Mutex
	collections int
	delivered   []map[string]any
}

func (r *recordingMetricExporter) Export(ctx context.Context, rm *metricdata.ResourceMetrics) error {
	r.mu.Lock()
	r.collections++
	cases := expectedMetrics(rm, fmt.Sprintf("%s reader, collection %d", r.reader, r.collections))
	r.mu.Unlock()
	if err := r.Exporter.Export(ctx, rm); err != nil {
		r.failed.add("%s reader: export failed: %v", r.reader, err)
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.delivered = append(r.delivered, cases...)
	return nil
}

// tStart is a start time as sent: null when the exporter sends 0.
func tStart(t time.Time) typed {
	if t.UnixNano() <= 0 {
		return tNull()
	}
	return tMillis(t)
}

func tExtrema[N int64 | float64](e metricdata.Extrema[N]) typed {
	if v, ok := e.Value(); ok {
		return tDouble(float64(v))
	}
	return tNull()
}

func tNumber[N int64 | float64](v N) typed {
	if i, ok := any(v).(int64); ok {
		return tInt(i)
	}
	return tDouble(float64(v))
}

func tTemporality(t metricdata.Temporality) typed {
	switch t {
	case metricdata.DeltaTemporality:
		return tStr("delta")
	case metricdata.CumulativeTemporality:
		return tStr("cumulative")
	}
	return tStr("unspecified")
}

// point is what every data point has.
type point struct {
	attributes  attribute.Set
	start, time time.Time
}

func numberPoints[N int64 | float64](dps []metricdata.DataPoint[N], extra func(N) []member) ([]point, [][]member) {
	var ps []point
	var fs [][]member
	for _, p := range dps {
		ps = append(ps, point{p.Attributes, p.StartTime, p.Time})
		fs = append(fs, extra(p.Value))
	}
	return ps, fs
}

func histogramPoints[N int64 | float64](h metricdata.Histogram[N]) ([]point, [][]member) {
	var ps []point
	var fs [][]member
	for _, p := range h.DataPoints {
		buckets := []typed{}
		for i, c := range p.BucketCounts {
			le := tNull()
			if i < len(p.Bounds) {
				le = tDouble(p.Bounds[i])
			}
			buckets = append(buckets, tObj([]member{{"le", le}, {"count", tUint(c)}}))
		}
		ps = append(ps, point{p.Attributes, p.StartTime, p.Time})
		fs = append(fs, []member{{"temporality", tTemporality(h.Temporality)}, {"count", tUint(p.Count)},
			{"sum", tDouble(float64(p.Sum))}, {"min", tExtrema(p.Min)}, {"max", tExtrema(p.Max)}, {"buckets", tArr(buckets)}})
	}
	return ps, fs
}

func exponentialPoints[N int64 | float64](h metricdata.ExponentialHistogram[N]) ([]point, [][]member) {
	side := func(b metricdata.ExponentialBucket) typed {
		return tObj([]member{{"offset", tInt(int64(b.Offset))}, {"bucket_counts", tSlice(b.Counts, tUint)}})
	}
	var ps []point
	var fs [][]member
	for _, p := range h.DataPoints {
		ps = append(ps, point{p.Attributes, p.StartTime, p.Time})
		fs = append(fs, []member{{"temporality", tTemporality(h.Temporality)}, {"count", tUint(p.Count)},
			{"sum", tDouble(float64(p.Sum))}, {"min", tExtrema(p.Min)}, {"max", tExtrema(p.Max)},
			{"scale", tInt(int64(p.Scale))}, {"zero_count", tUint(p.ZeroCount)}, {"zero_threshold", tDouble(p.ZeroThreshold)},
			{"positive", side(p.PositiveBucket)}, {"negative", side(p.NegativeBucket)}})
	}
	return ps, fs
}

// kindOf is a metric's kind and, per data point, its common part and the
// fields of its kind.
func kindOf(data metricdata.Aggregation) (string, []point, [][]member) {
	gauge := func(v any) []member { return []member{{"value", v.(typed)}} }
	sum := func(monotonic bool, t metricdata.Temporality) func(v typed) []member {
		return func(v typed) []member {
			return []member{{"value", v}, {"monotonic", tBool(monotonic)}, {"temporality", tTemporality(t)}}
		}
	}
	switch d := data.(type) {
	case metricdata.Gauge[int64]:
		ps, fs := numberPoints(d.DataPoints, func(v int64) []member { return gauge(tNumber(v)) })
		return "gauge", ps, fs
	case metricdata.Gauge[float64]:
		ps, fs := numberPoints(d.DataPoints, func(v float64) []member { return gauge(tNumber(v)) })
		return "gauge", ps, fs
	case metricdata.Sum[int64]:
		ps, fs := numberPoints(d.DataPoints, func(v int64) []member { return sum(d.IsMonotonic, d.Temporality)(tNumber(v)) })
		return "sum", ps, fs
	case metricdata.Sum[float64]:
		ps, fs := numberPoints(d.DataPoints, func(v float64) []member { return sum(d.IsMonotonic, d.Temporality)(tNumber(v)) })
		return "sum", ps, fs
	case metricdata.Histogram[int64]:
		ps, fs := histogramPoints(d)
		return "histogram", ps, fs
	case metricdata.Histogram[float64]:
		ps, fs := histogramPoints(d)
		return "histogram", ps, fs
	case metricdata.ExponentialHistogram[int64]:
		ps, fs := exponentialPoints(d)
		return "exponential_histogram", ps, fs
	case metricdata.ExponentialHistogram[float64]:
		ps, fs := exponentialPoints(d)
		return "exponential_histogram", ps, fs
	}
	return fmt.Sprintf("%T", data), nil, nil
}

// expectedMetrics are the events of one export, labelled with where they
// came from.
func expectedMetrics(rm *metricdata.ResourceMetrics, from string) []map[string]any {
	service, res := resourceFields(rm.Resource)
	var out []map[string]any
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			kind, points, fields := kindOf(m.Data)
			for i, p := range points {
				event := []member{
					{"type", tStr("metric")}, {"service", service}, {"name", tStr(m.Name)}, {"unit", tStr(m.Unit)},
					{"kind", tStr(kind)}, {"timestamp_ms", tMillis(p.time)}, {"start_time_ms", tStart(p.start)},
					{"attributes", tAttributes(p.attributes.ToSlice())},
				}
				event = append(append(event, fields[i]...), member{"resource", res}, member{"scope", tScope(sm.Scope)})
				out = append(out, map[string]any{"label": fmt.Sprintf("%s %s, %s", m.Name, p.attributes.Encoded(attribute.DefaultEncoder()), from),
					"event": tObj(event)})
			}
		}
	}
	return out
}

type metricService struct {
	name      string
	provider  *sdkmetric.MeterProvider
	exporters []*recordingMetricExporter
}

func newMetricService(a args, res *resource.Resource, failed *failures, deltas []bool, views ...sdkmetric.View) (*metricService, error) {
	service, _ := resourceFields(res)
	s := &metricService{name: service["s"].(string)}
	options := []sdkmetric.Option{sdkmetric.WithResource(res), sdkmetric.WithView(views...)}
	for _, delta := range deltas {
		inner, err := newMetricExporter(a, delta)
		if err != nil {
			return nil, err
		}
		reader := "cumulative"
		if delta {
			reader = "delta"
		}
		otlp := &recordingMetricExporter{Exporter: inner, reader: reader, failed: failed}
		s.exporters = append(s.exporters, otlp)
		options = append(options, sdkmetric.WithReader(sdkmetric.NewPeriodicReader(otlp, sdkmetric.WithInterval(time.Hour))))
	}
	s.provider = sdkmetric.NewMeterProvider(options...)
	return s, nil
}

func view(name string, stream sdkmetric.Stream) sdkmetric.View {
	return sdkmetric.NewView(sdkmetric.Instrument{Name: name}, stream)
}

func sendMetrics(a args, failed *failures) (string, error) {
	frontendRes, _, anonymousRes := serviceResources("interop-go-metrics", a.runID)
	frontend, err := newMetricService(a, frontendRes, failed, []bool{true, false},
		view("interop.size.custom", sdkmetric.Stream{Aggregation: sdkmetric.AggregationExplicitBucketHistogram{
			Boundaries: []float64{1, 2.5, 5, 1e9}, NoMinMax: true}}),
		view("interop.single.bucket", sdkmetric.Stream{Aggregation: sdkmetric.AggregationExplicitBucketHistogram{Boundaries: []float64{}}}),
		view("interop.payload.size", sdkmetric.Stream{Aggregation: sdkmetric.AggregationBase2ExponentialHistogram{MaxSize: 20, MaxScale: 20}}),
		view("interop.queue.change", sdkmetric.Stream{Aggregation: sdkmetric.AggregationBase2ExponentialHistogram{MaxSize: 160, MaxScale: 20}}),
		view("interop.renamed.source", sdkmetric.Stream{Name: "interop.renamed"}))
	if err != nil {
		return "", err
	}
	anonymous, err := newMetricService(a, anonymousRes, failed, []bool{false})
	if err != nil {
		return "", err
	}
	services := []*metricService{frontend, anonymous}
	web := frontend.provider.Meter("@interop/web", metric.WithInstrumentationVersion("2.0.0"),
		metric.WithSchemaURL("https://opentelemetry.io/schemas/1.26.0"),
		metric.WithInstrumentationAttributes(attribute.String("scope.team", "checkout")))
	unversioned := frontend.provider.Meter("interop-unversioned")
	worker := anonymous.provider.Meter("@interop/worker", metric.WithInstrumentationVersion("3.1.4"))

	phase := 1
	ctx := context.Background()
	must := func(err error) {
		if err != nil {
			failed.add("creating an instrument: %v", err)
		}
	}
	requests, err := web.Int64Counter("interop.requests", metric.WithUnit("{request}"), metric.WithDescription("requests"))
	must(err)
	bytesSent, err := web.Float64Counter("interop.bytes", metric.WithUnit("By"))
	must(err)
	active, err := web.Int64UpDownCounter("interop.active")
	must(err)
	balance, err := web.Float64UpDownCounter("interop.balance", metric.WithUnit("{EUR}"))
	must(err)
	duration, err := web.Float64Histogram("interop.request.duration", metric.WithUnit("ms"))
	must(err)
	latency, err := web.Float64Histogram("interop.latency", metric.WithUnit("s"), metric.WithExplicitBucketBoundaries(0.001, 0.01, 0.1, 1, 10))
	must(err)
	sizeCustom, err := web.Int64Histogram("interop.size.custom")
	must(err)
	singleBucket, err := web.Float64Histogram("interop.single.bucket")
	must(err)
	payload, err := web.Float64Histogram("interop.payload.size", metric.WithUnit("By"))
	must(err)
	odd, err := web.Float64Histogram("interop.odd.values", metric.WithUnit("\u00b5s"))
	must(err)
	queueChange, err := web.Int64Histogram("interop.queue.change")
	must(err)
	renamed, err := web.Int64Counter("interop.renamed.source")
	must(err)
	temperature, err := web.Int64Gauge("interop.temperature", metric.WithUnit("Cel"))
	must(err)
	load, err := web.Float64Gauge("interop.cpu.load", metric.WithUnit("1"))
	must(err)
	_, err = web.Float64ObservableGauge("interop.memory.ratio", metric.WithFloat64Callback(func(_ context.Context, o metric.Float64Observer) error {
		o.Observe(0.5*float64(phase), metric.WithAttributes(attribute.String("pool", "heap")))
		o.Observe(1, metric.WithAttributes(attribute.String("pool", "stack")))
		return nil
	}))
	must(err)
	_, err = web.Int64ObservableCounter("interop.cpu.time", metric.WithUnit("ms"), metric.WithInt64Callback(func(_ context.Context, o metric.Int64Observer) error {
		o.Observe(map[int]int64{1: 100, 2: 250}[phase], metric.WithAttributes(attribute.String("state", "user")))
		return nil
	}))
	must(err)
	_, err = web.Int64ObservableUpDownCounter("interop.threads", metric.WithInt64Callback(func(_ context.Context, o metric.Int64Observer) error {
		o.Observe(map[int]int64{1: 12, 2: 9}[phase])
		return nil
	}))
	must(err)
	unversionedCount, err := unversioned.Int64Counter("interop.unversioned.count")
	must(err)
	jobs, err := worker.Int64Counter("interop.jobs")
	must(err)
	workerLoad, err := worker.Float64Gauge("interop.worker.load")
	must(err)

	routeA := metric.WithAttributes(attribute.String("route", "/a"), attribute.String("method", "GET"))
	routeB := metric.WithAttributes(attribute.String("route", "/b"), attribute.Int("http.status_code", 200), attribute.Bool("ok", true),
		attribute.Float64("ratio", 0.5), attribute.StringSlice("tags", []string{"x", "y"}))
	for range 3 {
		requests.Add(ctx, 1, routeA)
	}
	requests.Add(ctx, 5, routeB)
	requests.Add(ctx, 2)
	requests.Add(ctx, 7, metric.WithAttributes(awkwardAttributes()[:6]...))
	bytesSent.Add(ctx, 1.5)
	bytesSent.Add(ctx, 1.5) // 3: a double, written 3.0
	active.Add(ctx, 5)
	active.Add(ctx, -8)
	balance.Add(ctx, -0.25, metric.WithAttributes(attribute.String("account", "x")))
	for _, v := range []float64{0, 3, 7, 250, 10001, 7.5} {
		duration.Record(ctx, v, routeA)
	}
	for _, v := range []float64{0.0005, 0.05, 2, 100} {
		latency.Record(ctx, v)
	}
	for _, v := range []int64{1, 2, 3, 4, 6} {
		sizeCustom.Record(ctx, v)
	}
	singleBucket.Record(ctx, 1)
	singleBucket.Record(ctx, 2)
	for _, v := range []float64{0, 0, 1, 2, 3, 1000, 1e6, 0.001} {
		payload.Record(ctx, v)
	}
	for _, v := range []float64{1, math.Inf(1), math.NaN()} {
		odd.Record(ctx, v) // kept: the sum is NaN and the max +Inf, both null
	}
	for _, v := range []int64{5, -3, 0, 12} {
		queueChange.Record(ctx, v)
	}
	renamed.Add(ctx, 3)
	temperature.Record(ctx, -7, metric.WithAttributes(attribute.String("room", "a")))
	temperature.Record(ctx, 42, metric.WithAttributes(attribute.String("room", "a")))
	temperature.Record(ctx, 1<<60, metric.WithAttributes(attribute.String("room", "big")))
	temperature.Record(ctx, math.MinInt64, metric.WithAttributes(attribute.String("room", "min")))
	for i, v := range []float64{0.75, 3, 1e-7, math.MaxFloat64, math.NaN(), math.Inf(1), math.Inf(-1), math.Copysign(0, -1)} {
		load.Record(ctx, v, metric.WithAttributes(attribute.Int("cpu", i)))
	}
	unversionedCount.Add(ctx, 1)
	jobs.Add(ctx, 3, metric.WithAttributes(attribute.String("job", "nightly")))
	workerLoad.Record(ctx, 0.5)

	flushCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for _, s := range services {
		if err := s.provider.ForceFlush(flushCtx); err != nil {
			failed.add("flush: %v", err)
		}
	}
	phase = 2
	// In a sampled span the SDK adds exemplars (with the span's ids), which
	// the agent must ignore.
	spanCtx, span := sdktrace.NewTracerProvider().Tracer("@interop/exemplars").Start(ctx, "measured")
	requests.Add(spanCtx, 1, routeA)
	duration.Record(spanCtx, 42, routeA)
	span.End()
	requests.Add(ctx, 10, routeA)
	bytesSent.Add(ctx, 0.25)
	active.Add(ctx, 1)
	balance.Add(ctx, 0.125, metric.WithAttributes(attribute.String("account", "x")))
	duration.Record(ctx, 12, routeA)
	duration.Record(ctx, 0.5, metric.WithAttributes(attribute.String("route", "/b")))
	payload.Record(ctx, 5)
	queueChange.Record(ctx, -7)
	temperature.Record(ctx, 21, metric.WithAttributes(attribute.String("room", "a")))
	load.Record(ctx, 0.5, metric.WithAttributes(attribute.Int("cpu", 0)))
	jobs.Add(ctx, 4, metric.WithAttributes(attribute.String("job", "nightly")))

	var cases []map[string]any
	var names []string
	for _, s := range services {
		if err := s.provider.ForceFlush(flushCtx); err != nil {
			failed.add("flush: %v", err)
		}
		if err := s.provider.Shutdown(flushCtx); err != nil { // a third collection
			failed.add("shutdown: %v", err)
		}
		for _, e := range s.exporters {
			cases = append(cases, e.delivered...)
		}
		names = append(names, s.name)
	}
	if len(cases) == 0 {
		failed.add("no data point was exported")
	}
	if err := writeExpected(a, map[string]any{"signal": "metric", "services": names, "cases": cases}); err != nil {
		return "", err
	}
	return fmt.Sprintf("%d metric events of %d services", len(cases), len(services)), nil
}

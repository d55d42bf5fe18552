# Sends data points of every kind through the official OpenTelemetry Python
# SDK (MeterProvider) and one of its OTLP metric exporters, and writes the
# backend events they must become (docs/wire-protocol.md, "Metric event"),
# one per data point, read from exactly what each reader handed its OTLP
# exporter at the moment of the export.
#
#   python send_metrics.py --exporter proto|grpc --url URL --out expected.json \
#          --run-id ID [--compression none|gzip]
#
# The readers collect only when this script flushes them (their interval is
# an hour), so every collection is compared. Exits non-zero when an export
# failed or nothing was exported.
import json
import math
import sys

from opentelemetry.exporter.otlp.proto.grpc.metric_exporter import OTLPMetricExporter as GrpcExporter
from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter as ProtoExporter
from opentelemetry.metrics import CallbackOptions, Observation
from opentelemetry.sdk.metrics import (
    Counter, Histogram, MeterProvider, ObservableCounter, ObservableGauge, ObservableUpDownCounter, UpDownCounter,
)
from opentelemetry.sdk.metrics.export import (
    AggregationTemporality, ExponentialHistogram, Gauge, MetricExportResult, PeriodicExportingMetricReader, Sum,
)
from opentelemetry.sdk.metrics.view import (
    ExplicitBucketHistogramAggregation, ExponentialBucketHistogramAggregation, View,
)
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider

from common import (
    AWKWARD, RecordingExporter, exporter_options, millis, report_failures, sender_args, service_name,
    service_resources, typed_attributes, typed_double, typed_int, typed_scope, typed_value, write_expected,
)

args = sender_args("send_metrics.py")
Exporter = GrpcExporter if args.exporter == "grpc" else ProtoExporter

DELTA = {Counter: AggregationTemporality.DELTA, Histogram: AggregationTemporality.DELTA,
         ObservableCounter: AggregationTemporality.DELTA, UpDownCounter: AggregationTemporality.CUMULATIVE,
         ObservableUpDownCounter: AggregationTemporality.CUMULATIVE, ObservableGauge: AggregationTemporality.CUMULATIVE}
TEMPORALITIES = {AggregationTemporality.DELTA: "delta", AggregationTemporality.CUMULATIVE: "cumulative"}


def kind_fields(metric):
    """The fields of a data point's kind, as the OTLP encoder sends them."""
    data = metric.data
    temporality = ["temporality", {"s": TEMPORALITIES.get(getattr(data, "aggregation_temporality", None),
                                                          "unspecified")}]

    def count_sum_min_max(p):
        # min and max without record_min_max are ±inf in the SDK: null.
        return [["count", typed_int(p.count)], ["sum", typed_double(p.sum)],
                ["min", typed_double(p.min)], ["max", typed_double(p.max)]]

    def side(buckets):
        # The encoder sends no buckets (offset 0) when there are no counts.
        counts = list(buckets.bucket_counts)
        return {"o": [["offset", typed_int(buckets.offset if counts else 0)],
                      ["bucket_counts", {"a": [typed_int(c) for c in counts]}]]}

    if isinstance(data, Gauge):
        return lambda p: [["value", typed_value(p.value)]]
    if isinstance(data, Sum):
        return lambda p: [["value", typed_value(p.value)], ["monotonic", {"b": data.is_monotonic}], temporality]
    if isinstance(data, ExponentialHistogram):
        return lambda p: [temporality, *count_sum_min_max(p), ["scale", typed_int(p.scale)],
                          ["zero_count", typed_int(p.zero_count)],
                          ["zero_threshold", typed_double(0.0)],  # the encoder does not send it: OTLP's 0
                          ["positive", side(p.positive)], ["negative", side(p.negative)]]
    return lambda p: [temporality, *count_sum_min_max(p), ["buckets", {"a": [
        {"o": [["le", typed_double(p.explicit_bounds[i]) if i < len(p.explicit_bounds) else {"n": None}],
               ["count", typed_int(c)]]} for i, c in enumerate(p.bucket_counts)]}]]


def snapshot_of(reader):
    """The expected events of one export, labelled with the reader and the
    collection they came from."""
    collection = [0]

    def snapshot(metrics_data):
        collection[0] += 1
        out = []
        for rm in metrics_data.resource_metrics:
            resource = rm.resource.attributes
            for sm in rm.scope_metrics:
                for metric in sm.metrics:
                    fields = kind_fields(metric)
                    gauge = isinstance(metric.data, Gauge)
                    for p in metric.data.data_points:
                        attributes = json.dumps(dict(p.attributes or {}), ensure_ascii=False, default=str)
                        # The encoder sends a gauge point without its start time.
                        start = 0 if gauge else p.start_time_unix_nano
                        out.append({"label": f"{metric.name} {attributes[:60]}, {reader} reader, collection {collection[0]}",
                                    "event": {"o": [
                                        ["type", {"s": "metric"}],
                                        ["service", {"s": service_name(resource)}],
                                        ["name", {"s": metric.name}],
                                        ["unit", {"s": metric.unit or ""}],
                                        ["kind", {"s": kind_name(metric.data)}],
                                        ["timestamp_ms", millis(p.time_unix_nano)],
                                        ["start_time_ms", millis(start) if start else {"n": None}],
                                        ["attributes", typed_attributes(p.attributes)],
                                        *fields(p),
                                        ["resource", typed_attributes(resource)],
                                        ["scope", typed_scope(sm.scope)],
                                    ]}})
        return out
    return snapshot


def kind_name(data):
    if isinstance(data, Gauge):
        return "gauge"
    if isinstance(data, Sum):
        return "sum"
    if isinstance(data, ExponentialHistogram):
        return "exponential_histogram"
    return "histogram"


def make_service(attributes, preferences, views=()):
    """A provider with its resource, views and one reader per temporality
    preference, each with its OTLP exporter."""
    exporters = []
    readers = []
    for name, preference in preferences:
        inner = Exporter(**exporter_options(args),
                         **({"preferred_temporality": preference} if preference else {}))
        otlp = RecordingExporter(inner, MetricExportResult.SUCCESS, snapshot_of(name))
        exporters.append(otlp)
        readers.append(PeriodicExportingMetricReader(otlp, export_interval_millis=3600000,
                                                     export_timeout_millis=10000))
    provider = MeterProvider(metric_readers=readers, resource=Resource(attributes), views=list(views))
    return {"name": service_name(attributes), "provider": provider, "exporters": exporters}


resources = service_resources("interop-py-metrics", args.run_id)
frontend = make_service(resources["frontend"], [("delta", DELTA), ("cumulative", None)], [
    View(instrument_name="interop.size.custom",
         aggregation=ExplicitBucketHistogramAggregation(boundaries=[1, 2.5, 5, 1e9], record_min_max=False)),
    View(instrument_name="interop.single.bucket", aggregation=ExplicitBucketHistogramAggregation(boundaries=[])),
    View(instrument_name="interop.payload.size", aggregation=ExponentialBucketHistogramAggregation(max_size=20)),
    View(instrument_name="interop.queue.change", aggregation=ExponentialBucketHistogramAggregation()),
    View(instrument_name="interop.renamed.source", name="interop.renamed", description="a view renames"),
])
anonymous = make_service(resources["anonymous"], [("cumulative", None)])
services = [frontend, anonymous]

web = frontend["provider"].get_meter("@interop/web", "2.0.0", "https://opentelemetry.io/schemas/1.26.0",
                                     {"scope.team": "checkout"})
unversioned = frontend["provider"].get_meter("interop-unversioned")
worker = anonymous["provider"].get_meter("@interop/worker", "3.1.4")

phase = [1]


def memory_ratio(_options: CallbackOptions):
    return [Observation(0.5 * phase[0], {"pool": "heap"}), Observation(1.0, {"pool": "stack"})]


def cpu_time(_options: CallbackOptions):
    return [Observation(100 if phase[0] == 1 else 250, {"state": "user"})]


def threads(_options: CallbackOptions):
    return [Observation(12 if phase[0] == 1 else 9)]


requests = web.create_counter("interop.requests", unit="{request}", description="requests")
bytes_sent = web.create_counter("interop.bytes", unit="By")
active = web.create_up_down_counter("interop.active")
balance = web.create_up_down_counter("interop.balance", unit="{EUR}")
duration = web.create_histogram("interop.request.duration", unit="ms")
latency = web.create_histogram("interop.latency", unit="s",
                               explicit_bucket_boundaries_advisory=[0.001, 0.01, 0.1, 1, 10])
size_custom = web.create_histogram("interop.size.custom")
single_bucket = web.create_histogram("interop.single.bucket")
payload = web.create_histogram("interop.payload.size", unit="By")
odd = web.create_histogram("interop.odd.values", unit="us")  # the SDK takes ASCII units only
queue_change = web.create_up_down_counter("interop.queue.change")  # an exponential histogram by its view
renamed = web.create_counter("interop.renamed.source")
temperature = web.create_gauge("interop.temperature", unit="Cel")
load = web.create_gauge("interop.cpu.load", unit="1")
web.create_observable_gauge("interop.memory.ratio", [memory_ratio])
web.create_observable_counter("interop.cpu.time", [cpu_time], unit="ms")
web.create_observable_up_down_counter("interop.threads", [threads])
unversioned_count = unversioned.create_counter("interop.unversioned.count")
jobs = worker.create_counter("interop.jobs")
worker_load = worker.create_gauge("interop.worker.load")

route_a = {"route": "/a", "method": "GET"}
route_b = {"route": "/b", "http.status_code": 200, "ok": True, "ratio": 0.5, "tags": ("x", "y")}
awkward = dict(list(AWKWARD.items())[:6])


def phase_one():
    for _ in range(3):
        requests.add(1, route_a)
    requests.add(5, route_b)
    requests.add(2)
    requests.add(7, awkward)
    bytes_sent.add(1.5)
    bytes_sent.add(1.5)  # 3: a double, written 3.0
    active.add(5)
    active.add(-8)
    balance.add(-0.25, {"account": "x"})
    for v in (0, 3, 7, 250, 10001, 7.5):
        duration.record(v, route_a)
    for v in (0.0005, 0.05, 2, 100):
        latency.record(v)
    for v in (1, 2, 3, 4, 6):
        size_custom.record(v)
    single_bucket.record(1)
    single_bucket.record(2)
    for v in (0, 0, 1, 2, 3, 1000, 1e6, 0.001):
        payload.record(v)
    for v in (1, math.inf, math.nan):
        odd.record(v)  # the SDK ignores the non-finite ones
    for v in (5, -3, -0.5, 0, 12):
        queue_change.add(v)
    renamed.add(3)
    temperature.set(-7, {"room": "a"})
    temperature.set(42, {"room": "a"})
    temperature.set(2**60, {"room": "big"})
    temperature.set(-(2**63), {"room": "min"})
    for cpu, v in ((0, 0.75), (1, 3.0), (2, 1e-7), (3, 1.7976931348623157e308), ("nan", math.nan),
                   ("inf", math.inf), ("-inf", -math.inf), ("-0", -0.0)):
        load.set(v, {"cpu": cpu})
    unversioned_count.add(1)
    jobs.add(3, {"job": "nightly"})
    worker_load.set(0.5)


def phase_two():
    phase[0] = 2
    # In a sampled span the SDK adds exemplars (with the span's ids), which the
    # agent must ignore.
    with TracerProvider().get_tracer("@interop/exemplars").start_as_current_span("measured"):
        requests.add(1, route_a)
        duration.record(42, route_a)
    requests.add(10, route_a)
    bytes_sent.add(0.25)
    active.add(1)
    balance.add(0.125, {"account": "x"})
    duration.record(12, route_a)
    duration.record(0.5, {"route": "/b"})
    payload.record(5)
    queue_change.add(-7)
    temperature.set(21, {"room": "a"})
    load.set(0.5, {"cpu": 0})
    jobs.add(4, {"job": "nightly"})


label = f"send_metrics.py ({args.exporter})"
phase_one()
for service in services:
    service["provider"].force_flush(20000)
phase_two()
for service in services:
    service["provider"].force_flush(20000)
    service["provider"].shutdown()  # a third collection
exporters = [otlp for service in services for otlp in service["exporters"]]
failed = report_failures(label, exporters)
cases = [case for otlp in exporters for case in otlp.delivered]
if not cases:
    print(f"{label}: no data point was exported", file=sys.stderr)
    failed = True
write_expected(args, {"signal": "metric", "services": [s["name"] for s in services], "cases": cases},
               "send_metrics.py")
sys.exit(1 if failed else 0)

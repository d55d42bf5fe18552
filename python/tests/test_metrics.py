"""otelpack.MetricExporter: the Python metrics SDK's gauges, sums, histograms
and exponential histograms arrive at the real sink as one documented event
per data point (docs/wire-protocol.md, "Metric event"), field by field."""
from __future__ import annotations

from opentelemetry.metrics import Observation
from opentelemetry.sdk.metrics import Histogram, MeterProvider
from opentelemetry.sdk.metrics.export import (AggregationTemporality, InMemoryMetricReader, MetricExportResult,
                                              PeriodicExportingMetricReader)
from opentelemetry.sdk.metrics.view import ExponentialBucketHistogramAggregation, View
from opentelemetry.sdk.resources import Resource

import otelpack
from conftest import exporter_options
from mapping import metric_events


def stored_metrics(sink, service: str) -> list[dict]:
    return sink.get(f"/v1/events?type=metric&service={service}&limit=1000")["events"]


def record(provider: MeterProvider) -> None:
    meter = provider.get_meter("checkout.metrics", "1.0")
    requests = meter.create_counter("http.requests", unit="1")
    requests.add(3, {"route": "/pay", "ok": True})
    requests.add(2, {"route": "/ünïcode"})
    meter.create_up_down_counter("queue.depth").add(-4, {"q": "a"})
    latency = meter.create_histogram("http.duration", unit="s")
    for v in (0.004, 0.02, 0.3, 7.5, 1200.0):
        latency.record(v, {"route": "/pay"})
    sizes = meter.create_histogram("payload.size", unit="By")
    for v in (1, 3, 1000, 0, 65536):
        sizes.record(v)
    meter.create_gauge("temperature").set(21.5, {"room": "b"})
    meter.create_observable_gauge("cpu", callbacks=[lambda options: [Observation(0.25, {"core": 1})]])


def test_metric_points_arrive_field_by_field(sink):
    reader = InMemoryMetricReader(preferred_temporality={Histogram: AggregationTemporality.DELTA})
    provider = MeterProvider(resource=Resource.create({"service.name": "meters"}), metric_readers=[reader],
                             views=[View(instrument_name="payload.size",
                                         aggregation=ExponentialBucketHistogramAggregation())],
                             shutdown_on_exit=False)
    record(provider)
    data = reader.get_metrics_data()
    want = metric_events(data)
    assert {e["kind"] for e in want} == {"sum", "histogram", "exponential_histogram", "gauge"}

    exporter = otelpack.MetricExporter(**exporter_options(sink))
    assert exporter.export(data) == MetricExportResult.SUCCESS
    assert exporter.force_flush(20000)
    got = stored_metrics(sink, "meters")
    key = lambda e: (e["name"], sorted(e["attributes"].items(), key=str))  # noqa: E731
    assert sorted(got, key=key) == sorted(want, key=key)
    assert exporter.stats().metrics.received == len(want)
    exporter.shutdown()
    provider.shutdown()


def test_periodic_reader_delivers_at_shutdown(sink):
    exporter = otelpack.MetricExporter(**exporter_options(sink))
    reader = PeriodicExportingMetricReader(exporter, export_interval_millis=600000)
    provider = MeterProvider(resource=Resource.create({"service.name": "periodic"}), metric_readers=[reader],
                             shutdown_on_exit=False)
    provider.get_meter("m").create_counter("jobs").add(7, {"kind": "batch"})
    provider.shutdown()  # the reader's last collection, then the exporter's shutdown
    (event,) = stored_metrics(sink, "periodic")
    assert event["name"] == "jobs" and event["value"] == 7 and event["monotonic"] is True
    assert event["temporality"] == "cumulative"

"""Delivery through the SDK's processors to the real sink: BatchSpanProcessor
and SimpleSpanProcessor, shutdown flushes, force_flush, export after
shutdown, many threads at once, and nothing lost through a sink outage or a
sink answering 503."""
from __future__ import annotations

import threading
import time

from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor, SpanExportResult

import otelpack
from conftest import exporter_options, wait_for


def provider_with(processor) -> TracerProvider:
    p = TracerProvider(resource=Resource.create({"service.name": "delivery"}), shutdown_on_exit=False)
    p.add_span_processor(processor)
    return p


def make(provider: TracerProvider, n: int, prefix: str = "op") -> None:
    tracer = provider.get_tracer("test")
    for i in range(n):
        with tracer.start_as_current_span(f"{prefix}-{i}", attributes={"i": i}):
            pass


def operations(sink) -> list[str]:
    return sorted(e["operation"] for e in sink.spans())


def test_batch_processor_and_shutdown_flushes(sink):
    exporter = otelpack.SpanExporter(**exporter_options(sink, flush_interval=5))
    provider = provider_with(BatchSpanProcessor(exporter, schedule_delay_millis=60000, max_export_batch_size=100))
    make(provider, 1000)
    # Nothing has left yet: the processor waits a minute, the exporter 5 s.
    provider.shutdown()  # the processor's last batches, then the exporter's shutdown: delivered
    assert operations(sink) == sorted(f"op-{i}" for i in range(1000))
    stats = exporter.stats()
    assert stats.traces.received == 1000 and stats.traces.sent == 1000 and stats.traces.dropped == 0
    assert sink.stats()["events"] == 1000


def test_simple_processor(sink):
    exporter = otelpack.SpanExporter(**exporter_options(sink))
    provider = provider_with(SimpleSpanProcessor(exporter))
    make(provider, 20)
    assert exporter.force_flush(20000)
    assert len(sink.spans()) == 20
    provider.shutdown()


def test_force_flush_delivers_what_was_handed_over(sink):
    exporter = otelpack.SpanExporter(**exporter_options(sink, flush_interval=60))
    provider = provider_with(SimpleSpanProcessor(exporter))
    make(provider, 5)
    time.sleep(0.3)
    assert sink.spans() == []  # the open batch waits for its flush interval
    assert exporter.force_flush(20000) is True
    assert len(sink.spans()) == 5
    provider.shutdown()


def test_force_flush_reports_a_timeout(make_sink):
    sink = make_sink("--latency-ms", "3000")
    exporter = otelpack.SpanExporter(**exporter_options(sink))
    provider = provider_with(SimpleSpanProcessor(exporter))
    make(provider, 3)
    assert exporter.force_flush(200) is False
    assert exporter.force_flush(20000) is True
    provider.shutdown()


def test_export_after_shutdown_fails(sink):
    exporter = otelpack.SpanExporter(**exporter_options(sink))
    provider = provider_with(SimpleSpanProcessor(exporter))
    make(provider, 1)
    exporter.shutdown()
    exporter.shutdown()  # idempotent
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
    memory = InMemorySpanExporter()
    p2 = provider_with(SimpleSpanProcessor(memory))
    make(p2, 2)
    assert exporter.export(memory.get_finished_spans()) == SpanExportResult.FAILURE
    assert len(sink.spans()) == 1
    provider.shutdown()


def test_many_threads_at_once(sink):
    exporter = otelpack.SpanExporter(**exporter_options(sink))
    provider = provider_with(BatchSpanProcessor(exporter, max_export_batch_size=64, schedule_delay_millis=50))
    simple = provider_with(SimpleSpanProcessor(exporter))  # exports from every thread concurrently

    def work(t: int) -> None:
        make(provider, 200, f"batch-{t}")
        make(simple, 50, f"simple-{t}")

    threads = [threading.Thread(target=work, args=(t,)) for t in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    provider.shutdown()  # shuts the shared exporter down after its flush
    names = operations(sink)
    assert len(names) == 16 * 250 and len(set(names)) == 16 * 250
    simple.shutdown()


def test_sink_outage_loses_nothing(sink):
    exporter = otelpack.SpanExporter(**exporter_options(sink, retry_max_elapsed_time=0))
    provider = provider_with(BatchSpanProcessor(exporter, schedule_delay_millis=50))
    make(provider, 100, "before")
    # The SDK's BatchSpanProcessor.force_flush exports its spans but does not
    # call the exporter's force_flush: both, for everything to arrive.
    assert provider.force_flush(20000) and exporter.force_flush(20000)
    sink.stop()
    make(provider, 300, "during")
    time.sleep(1.0)  # batches fail and are retried while the sink is down
    assert exporter.stats().traces.sent == 100
    sink.start()  # same port, same database
    provider.shutdown()
    names = operations(sink)
    assert len(names) == 400 and len(set(names)) == 400
    stats = exporter.stats()
    assert stats.requests_failed_retryable > 0 and stats.traces.dropped == 0 and stats.traces.sent == 400


def test_sink_answering_503_loses_nothing(make_sink):
    sink = make_sink("--fail-ratio", "0.5", "--fail-status", "503", "--seed", "7")
    exporter = otelpack.SpanExporter(**exporter_options(sink, max_batch_events=20))
    provider = provider_with(BatchSpanProcessor(exporter, schedule_delay_millis=50))
    make(provider, 400)
    provider.shutdown()
    names = operations(sink)
    assert len(names) == 400 and len(set(names)) == 400
    stats = exporter.stats()
    assert stats.requests_failed_retryable > 0 and stats.retries > 0 and stats.traces.dropped == 0
    assert sink.stats()["requests"].get("503", 0) > 0

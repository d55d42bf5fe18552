"""otelpack.LogExporter: the Python logs SDK's records, from the standard
logging module and from the API, arrive at the real sink as documented
(docs/wire-protocol.md, "Log event"), field by field."""
from __future__ import annotations

import logging

import pytest
from opentelemetry._logs import LogRecord, SeverityNumber
from opentelemetry.sdk._logs import LoggerProvider, LoggingHandler
from opentelemetry.sdk._logs.export import BatchLogRecordProcessor, LogRecordExportResult, SimpleLogRecordProcessor
from opentelemetry.sdk._logs.export import InMemoryLogRecordExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider

import otelpack
from conftest import exporter_options
from mapping import log_event


def stored_logs(sink, service: str) -> list[dict]:
    return sink.get(f"/v1/events?type=log&service={service}&limit=1000")["events"]


@pytest.mark.filterwarnings("ignore:.*LoggingHandler.*:DeprecationWarning")
def test_log_records_arrive_field_by_field(sink):
    memory = InMemoryLogRecordExporter()
    providers = []
    for service in ("checkout", "billing"):
        p = LoggerProvider(resource=Resource.create({"service.name": service}), shutdown_on_exit=False)
        p.add_log_record_processor(SimpleLogRecordProcessor(memory))
        providers.append(p)

    # Through the standard logging module, inside a span.
    pylog = logging.getLogger("otelpack.test.logs")
    pylog.propagate = False
    pylog.setLevel(logging.DEBUG)
    handler = LoggingHandler(logger_provider=providers[0])
    pylog.addHandler(handler)
    tracer = TracerProvider(shutdown_on_exit=False).get_tracer("t")
    with tracer.start_as_current_span("request"):
        pylog.warning("card expired: %s ü", "visa", extra={"order.id": 12, "amount": 9.5, "tags": ("a", "b")})
    try:
        raise ValueError("boom")
    except ValueError:
        pylog.exception("failed")
    pylog.removeHandler(handler)

    # Through the API: bodies of every type, an event name, no severity text.
    api = providers[1].get_logger("billing.lib", "2.0")
    api.emit(LogRecord(body={"k": "v", "n": [1, 2]}, severity_number=SeverityNumber.ERROR2,
                       attributes={"bytes": b"\x00\xff"}, event_name="payment.declined"))
    api.emit(LogRecord(body=b"raw\x00bytes", severity_number=SeverityNumber.INFO))
    api.emit(LogRecord(body=None, timestamp=1_732_480_000_123_456_789, severity_text="NOTICE"))
    api.emit(LogRecord(body=42))

    records = memory.get_finished_logs()
    assert len(records) == 6
    exporter = otelpack.LogExporter(**exporter_options(sink))
    assert exporter.export(list(reversed(records))) == LogRecordExportResult.SUCCESS
    assert exporter.force_flush(20000)

    for service in ("checkout", "billing"):
        got = stored_logs(sink, service)
        want = [log_event(r) for r in records if r.resource.attributes["service.name"] == service]
        key = lambda e: (e["timestamp_ms"], e["severity_number"], str(e["body"]))  # noqa: E731
        assert sorted(got, key=key) == sorted(want, key=key)
    checkout = stored_logs(sink, "checkout")
    assert any(e["trace_id"] is not None for e in checkout), "the record inside a span carries its ids"
    assert any("exception.stacktrace" in e["attributes"] for e in checkout)
    assert exporter.stats().logs.received == 6
    exporter.shutdown()
    for p in providers:
        p.shutdown()


def test_batch_processor_and_shutdown(sink):
    exporter = otelpack.LogExporter(**exporter_options(sink, flush_interval=5))
    provider = LoggerProvider(resource=Resource.create({"service.name": "batched"}), shutdown_on_exit=False)
    provider.add_log_record_processor(BatchLogRecordProcessor(exporter, schedule_delay_millis=60000))
    logger = provider.get_logger("t")
    for i in range(300):
        logger.emit(LogRecord(body=f"line {i}", severity_number=SeverityNumber.INFO))
    provider.shutdown()  # the processor's batches, then the exporter's shutdown
    assert sorted(e["body"] for e in stored_logs(sink, "batched")) == sorted(f"line {i}" for i in range(300))
    assert exporter.export([]) == LogRecordExportResult.FAILURE  # after shutdown

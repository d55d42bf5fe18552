# Sends log records of every shape through the official OpenTelemetry Python
# SDK (LoggerProvider, and the logging module through its LoggingHandler) and
# one of its OTLP log exporters, and writes the backend events they must
# become (docs/wire-protocol.md, "Log event"), computed from the SDK's own
# records: an InMemoryLogRecordExporter on the same provider sees each
# record the OTLP exporter sees.
#
#   python send_logs.py --exporter proto|grpc --url URL --out expected.json \
#          --run-id ID [--compression none|gzip]
#
# Exits non-zero when an export failed or the OTLP exporter did not send
# every record.
import logging
import math
import sys

from opentelemetry import trace
from opentelemetry._logs import SeverityNumber
from opentelemetry.exporter.otlp.proto.grpc._log_exporter import OTLPLogExporter as GrpcExporter
from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter as ProtoExporter
from opentelemetry.sdk._logs import LoggerProvider, LoggingHandler, LogRecordLimits
from opentelemetry.sdk._logs.export import (
    BatchLogRecordProcessor, InMemoryLogRecordExporter, LogRecordExportResult, SimpleLogRecordProcessor,
)
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags

from common import (
    AWKWARD, T0, RecordingExporter, every_value_type, exporter_options, finish, many_attributes, millis,
    report_failures, sender_args, service_name, service_resources, typed_attributes, typed_int, typed_scope,
    typed_value, write_expected,
)

args = sender_args("send_logs.py")
Exporter = GrpcExporter if args.exporter == "grpc" else ProtoExporter


def make_service(attributes, simple=False, limits=None):
    """A provider with its resource, the OTLP exporter behind a batch
    processor (or a simple one: one request per record), and an in-memory
    copy of every record."""
    memory = InMemoryLogRecordExporter()
    otlp = RecordingExporter(Exporter(**exporter_options(args)),
                             LogRecordExportResult.SUCCESS)
    provider = LoggerProvider(resource=Resource(attributes), **({"log_record_limits": limits} if limits else {}))
    provider.add_log_record_processor(SimpleLogRecordProcessor(memory))
    provider.add_log_record_processor(
        SimpleLogRecordProcessor(otlp) if simple
        else BatchLogRecordProcessor(otlp, schedule_delay_millis=50, max_export_batch_size=64))
    return {"name": service_name(attributes), "provider": provider, "memory": memory, "otlp": otlp}


resources = service_resources("interop-py-logs", args.run_id)
frontend = make_service(resources["frontend"])
# Small limits: the SDK drops attributes and cuts long values; each record its own export.
backend = make_service(resources["backend"], simple=True,
                       limits=LogRecordLimits(max_attributes=8, max_attribute_length=24))
anonymous = make_service(resources["anonymous"])
# A service.name that is not a string: "unknown" too.
numbered = make_service({"service.name": 42, "test.run_id": args.run_id})
services = [frontend, backend, anonymous, numbered]

web = frontend["provider"].get_logger("@interop/web", "2.0.0", "https://opentelemetry.io/schemas/1.26.0",
                                      {"scope.team": "checkout", "scope.shard": 3, "scope.canary": False})
unversioned = frontend["provider"].get_logger("interop-unversioned")
api = backend["provider"].get_logger("@interop/api", "0.9.1")
worker = anonymous["provider"].get_logger("@interop/worker", "3.1.4")
tracer = TracerProvider().get_tracer("@interop/log-context")

clock = [T0]


def next_time():
    """Each record its own time, a millisecond and a bit apart."""
    clock[0] += 1000003
    return clock[0]


def severities():
    """Every severity number of the enum, without a text (the backend names
    the range) and, for the first of each range, with one."""
    texts = {0: "custom", 1: "TRACE", 5: "debug", 9: "Information \u00e9", 13: "WARNING", 17: "E",
             21: "CRIT \u2620", 24: "FATAL4"}
    for number in SeverityNumber:
        n = number.value
        web.emit(timestamp=next_time(), observed_timestamp=clock[0] + 500000000, severity_number=number,
                 body=f"severity {n}", attributes={"n": n})
        if n in texts:
            web.emit(timestamp=next_time(), severity_number=number, severity_text=texts[n],
                     body=f"severity {n} with text")
    web.emit(timestamp=next_time(), body="no severity at all")
    web.emit(timestamp=next_time(), severity_number=SeverityNumber.ERROR, severity_text="", body="empty text")
    web.emit(timestamp=next_time(), severity_text="NOTICE", body="text only")


def bodies():
    """Every body type."""
    cases = [
        "payment declined: card expired", "",
        {"user": "u-42", "amount": 12.5, "items": 3, "paid": False, "tags": ["a", "b"],
         "nested": {"level": 2, "deeper": {"ok": True}}, "nothing": None, "raw": b"\x01\x02\x03"},
        {}, [1, "two", 3.5, True, None, {"k": "v"}, [1, [2, [3]]], b"\xff"], [],
        42, -7, 2**60, -(2**63), 2**63 - 1, 0.25, 1e-7, 1.7976931348623157e308, -0.0, 3.0,
        math.nan, -math.inf, True, False, b"\x00\x01\x02\x7f\x80\xfe\xff\x3e\x3f", b"",
        " | ".join(AWKWARD.values()), dict(AWKWARD), "y" * 20000 + "\u672b",
    ]
    for body in cases:
        web.emit(timestamp=next_time(), severity_number=SeverityNumber.INFO, body=body)
    web.emit(timestamp=next_time(), severity_number=SeverityNumber.INFO, attributes={"has_body": False})


def attributes():
    """Attribute values of every type a log record allows (maps and bytes too)."""
    web.emit(timestamp=next_time(), severity_number=SeverityNumber.DEBUG, body="every attribute type", attributes={
        **every_value_type(),
        "map": {"a": 1, "b": {"c": "d", "e": [1.5, "f"]}}, "map.empty": {},
        "bytes": b"\xde\xad\xbe\xef", "bytes.empty": b"",
        "array.mixed": [1, "a", True, 2.5, None], "array.nested": [[1, 2], ["a"], []],
        "array.maps": [{"k": "v"}, {}], "array.bytes": [b"\x01", b"\x02\x03"],
    })
    web.emit(timestamp=next_time(), severity_number=SeverityNumber.WARN, body="awkward", attributes=AWKWARD)
    web.emit(timestamp=next_time(), severity_number=SeverityNumber.INFO, body="many",
             attributes=many_attributes(100, "attr"))
    unversioned.emit(timestamp=next_time(), body="bare")
    # The SDK turns an exception into exception.* attributes.
    try:
        raise TypeError('card declined: "insufficient funds"\n\tretry later')
    except TypeError as e:
        web.emit(timestamp=next_time(), severity_number=SeverityNumber.ERROR, body="charge failed", exception=e)


def trace_context():
    """Records in an active span, in an explicit, an unsampled and an invalid
    span context, and outside any."""
    with tracer.start_as_current_span("checkout"):
        web.emit(timestamp=next_time(), severity_number=SeverityNumber.INFO, body="in a span")
        with tracer.start_as_current_span("child"):
            web.emit(timestamp=next_time(), severity_number=SeverityNumber.INFO, body="in a child")
    web.emit(timestamp=next_time(), severity_number=SeverityNumber.INFO, body="outside")
    unsampled = SpanContext(0x0AF7651916CD43DD8448EB211C80319C, 0xB7AD6B7169203331, True, TraceFlags(0))
    web.emit(timestamp=next_time(), severity_number=SeverityNumber.INFO, body="unsampled",
             context=trace.set_span_in_context(NonRecordingSpan(unsampled)))
    web.emit(timestamp=next_time(), severity_number=SeverityNumber.INFO, body="invalid",
             context=trace.set_span_in_context(trace.INVALID_SPAN))
    span = tracer.start_span("backend work")
    api.emit(timestamp=next_time(), severity_number=SeverityNumber.WARN, body="explicit",
             context=trace.set_span_in_context(span))
    span.end()


def events_and_times():
    """Event names; exact times, the observed time when the time is unknown,
    both 0, the clock, just before a millisecond, after 2262."""
    web.emit(event_name="checkout.completed", timestamp=next_time(), severity_number=SeverityNumber.INFO,
             body={"order": "o-1", "total": 99.5}, attributes={"payment.method": "card"})
    web.emit(event_name="", timestamp=next_time(), body="no event name")
    web.emit(event_name='\u30a4\u30d9\u30f3\u30c8 "q" \\ \n\t\u0001 \U0001f680', timestamp=next_time(),
             severity_text='\u8b66\u544a "warn"\n')
    web.emit(observed_timestamp=T0 + 876543210, body="observed only")
    web.emit(timestamp=0, observed_timestamp=0, body="no time at all")
    web.emit(body="now")
    web.emit(timestamp=1732480000 * 10**9 + 999999, body="0.999999 ms")
    web.emit(timestamp=10413792000 * 10**9 + 999999999, observed_timestamp=T0 + 1, body="far future")


def limits_and_anonymous():
    """The backend's limits (8 attributes, values cut at 24 characters), the
    service without a name and the one whose name is a number."""
    api.emit(timestamp=next_time(), severity_number=SeverityNumber.ERROR, body="over the limit",
             attributes=many_attributes(20, "server"))
    api.emit(timestamp=next_time(), severity_number=SeverityNumber.WARN, body="the body is not cut: " * 4,
             attributes={"long": "abcdefghijklmnopqrstuvwxyz0123456789", "list": ["short", "x" * 30]})
    worker.emit(timestamp=next_time(), severity_number=SeverityNumber.INFO, body="nightly job",
                attributes={"job": "nightly"})
    worker.emit(timestamp=next_time(), body={"step": 2})
    numbered["provider"].get_logger("@interop/numbered").emit(
        timestamp=next_time(), severity_number=SeverityNumber.INFO, body="a number for a name")


def stdlib_logging():
    """The logging module through the SDK's LoggingHandler, as most Python
    services log: levels, %-formatting, extra attributes, an exception."""
    handler = LoggingHandler(level=logging.DEBUG, logger_provider=frontend["provider"])
    logger = logging.getLogger("interop.stdlib")
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    logger.debug("debug %s", "formatted")
    logger.info("order %d placed", 17, extra={"order.id": "o-17", "order.total": 99.5})
    logger.warning("caf\u00e9 \U0001f680 \"quoted\"\n")
    try:
        1 / 0
    except ZeroDivisionError:
        logger.exception("division failed")
    logger.critical("critical")
    logger.removeHandler(handler)


def bulk():
    """Enough records for several export batches (64 records each)."""
    numbers = list(SeverityNumber)[1:]
    for i in range(150):
        web.emit(timestamp=next_time(), severity_number=numbers[i % 24], body=f"bulk {i}",
                 attributes={"i": i, "even": i % 2 == 0})


RANGES = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"]


def expected_event(readable):
    """The backend event of one ReadableLogRecord, with resource and scope.
    The encoder sends the severity number of the enum, no trace or span id
    when they are 0, and no time when it is None (the observed one counts)."""
    r = readable.log_record
    number = r.severity_number.value if r.severity_number is not None else 0
    severity = r.severity_text or (RANGES[(number - 1) >> 2] if 1 <= number <= 24 else "UNSPECIFIED")
    resource = readable.resource.attributes
    fields = [
        ["type", {"s": "log"}],
        ["service", {"s": service_name(resource)}],
        ["timestamp_ms", millis(r.timestamp or r.observed_timestamp or 0)],
        ["severity", {"s": severity}],
        ["severity_number", typed_int(number)],
        ["body", typed_value(r.body)],
        ["trace_id", {"s": f"{r.trace_id:032x}"} if r.trace_id else {"n": None}],
        ["span_id", {"s": f"{r.span_id:016x}"} if r.span_id else {"n": None}],
        ["attributes", typed_attributes(r.attributes)],
    ]
    if r.event_name:
        fields.append(["event_name", {"s": r.event_name}])
    fields += [["resource", typed_attributes(resource)], ["scope", typed_scope(readable.instrumentation_scope)]]
    return {"o": fields}


severities()
bodies()
attributes()
trace_context()
events_and_times()
limits_and_anonymous()
stdlib_logging()
bulk()

label = f"send_logs.py ({args.exporter})"
failed = False
cases = []
for service in services:
    records, ok = finish(label, service, InMemoryLogRecordExporter.get_finished_logs, "records")
    failed = failed or not ok
    for i, record in enumerate(records):
        body = repr(record.log_record.body)
        cases.append({"label": f"{service['name']} record {i}: {body[:60]}", "event": expected_event(record)})
failed = report_failures(label, [s["otlp"] for s in services]) or failed
write_expected(args, {"signal": "log", "services": [s["name"] for s in services], "cases": cases}, "send_logs.py")
sys.exit(1 if failed else 0)

# Sends spans of every shape through the official OpenTelemetry Python SDK and
# one of its OTLP exporters (HTTP/protobuf or gRPC), and writes the backend
# events they must become (docs/wire-protocol.md, "Span event"), computed
# from the SDK's own ReadableSpans: an InMemorySpanExporter on the same
# provider sees each span the OTLP exporter sees.
#
#   python send_spans.py --exporter proto|grpc --url URL --out expected.json \
#          --run-id ID [--compression none|gzip]
#
# Exits non-zero when an export failed or the OTLP exporter did not send
# every span.
import random
import sys

from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter as GrpcExporter
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter as ProtoExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanLimits, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor, SpanExportResult
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import Link, NonRecordingSpan, SpanContext, SpanKind, StatusCode, TraceFlags, TraceState

from common import (
    AWKWARD, T0, RecordingExporter, every_value_type, exporter_options, finish, many_attributes, millis,
    report_failures, sender_args, service_name, service_resources, typed_attributes, typed_int, typed_scope,
    write_expected,
)

args = sender_args("send_spans.py")
Exporter = GrpcExporter if args.exporter == "grpc" else ProtoExporter


def make_service(attributes, span_limits=None):
    """A provider with its resource, the OTLP exporter behind a batch
    processor, and an in-memory copy of every span it ended."""
    memory = InMemorySpanExporter()
    otlp = RecordingExporter(Exporter(**exporter_options(args)),
                             SpanExportResult.SUCCESS)
    provider = TracerProvider(resource=Resource(attributes), span_limits=span_limits)
    provider.add_span_processor(SimpleSpanProcessor(memory))
    provider.add_span_processor(BatchSpanProcessor(otlp, schedule_delay_millis=50, max_export_batch_size=64))
    return {"provider": provider, "memory": memory, "otlp": otlp}


resources = service_resources("interop-py", args.run_id)
frontend = make_service(resources["frontend"])
# Small limits: the SDK drops, and the backend must report the counts.
backend = make_service(resources["backend"], SpanLimits(
    max_span_attributes=8, max_events=2, max_links=1, max_event_attributes=3, max_attribute_length=24))
anonymous = make_service(resources["anonymous"])
services = [frontend, backend, anonymous]

web = frontend["provider"].get_tracer("@interop/web", "2.0.0", "https://opentelemetry.io/schemas/1.26.0",
                                      attributes={"scope.team": "checkout", "scope.shard": 3})
unversioned = frontend["provider"].get_tracer("interop-unversioned")
api = backend["provider"].get_tracer("@interop/api", "0.9.1")
worker = anonymous["provider"].get_tracer("@interop/worker", "3.1.4")


def checkout_trace():
    """A request through two services, every kind, errors, events, links."""
    root = web.start_span("GET /checkout", kind=SpanKind.SERVER, attributes=every_value_type())
    root.add_event("request.received", {"http.request.size": 512, "client.ip": "10.0.0.7", "ratio": 0.75,
                                        "cached": False, "tags": ["a", "b"]})
    root.add_event("no.attributes")
    root_ctx = trace.set_span_in_context(root)
    client = web.start_span("POST /api/orders", root_ctx, SpanKind.CLIENT,
                            {"http.method": "POST", "net.peer.port": 8443})
    # Across services: the backend's server span is the client span's child.
    server = api.start_span("POST /api/orders", trace.set_span_in_context(client), SpanKind.SERVER,
                            attributes={**many_attributes(20, "server"), "long": "abcdefghijklmnopqrstuvwxyz0123456789"},
                            links=[Link(root.get_span_context(), {"link.reason": "caller", "link.n": 1, "x.y": 2.5,
                                                                  "z.w": True}),
                                   Link(client.get_span_context())])  # over the limit of 1
    for i in range(4):  # 2 kept, 2 dropped
        server.add_event(f"step.{i}", {"i": i, "a": "x", "b": True, "c": 1.5})
    server_ctx = trace.set_span_in_context(server)
    validate = api.start_span("validate order", server_ctx, SpanKind.INTERNAL)
    try:
        raise TypeError('card declined: "insufficient funds"\n\tretry later')
    except TypeError as e:
        validate.record_exception(e)
    validate.set_status(StatusCode.ERROR, 'card declined: "insufficient funds"\n\u00e9\U0001f4b3')
    validate.end()
    publish = api.start_span("orders publish", server_ctx, SpanKind.PRODUCER, {"messaging.system": "kafka"})
    publish.end()
    cache = web.start_span("cache lookup", root_ctx, SpanKind.INTERNAL)
    cache.set_status(StatusCode.OK, "ignored for OK")  # the SDK drops the description
    cache.end()
    server.set_status(StatusCode.ERROR)  # an error without a message
    server.end()
    client.end()
    root.end()
    # The consumer, in another service and another trace, linked to the producer.
    consume = worker.start_span("orders process", kind=SpanKind.CONSUMER,
                                links=[Link(publish.get_span_context(), {"messaging.operation": "process"})])
    consume.end()


def remote_parent_trace():
    """A remote parent with a trace state (as after W3C propagation)."""
    remote = SpanContext(trace_id=random.getrandbits(128) | 1,
                         span_id=0x00F067AA0BA902B7, is_remote=True, trace_flags=TraceFlags(TraceFlags.SAMPLED),
                         trace_state=TraceState([("vendor1", "opaque-value"), ("rojo", "00f067aa0ba902b7")]))
    span = web.start_span("handle message", trace.set_span_in_context(NonRecordingSpan(remote)), SpanKind.CONSUMER,
                          {"remote": True})
    child = unversioned.start_span("", trace.set_span_in_context(span), attributes={"empty.name": True})
    child.end()
    span.end()


def awkward_text_trace():
    """Unicode and escapes in names, keys, values, events and status."""
    span = web.start_span('\u65e5\u672c\u8a9e\u306e\u64cd\u4f5c \U0001f389 cafe\u0301 "q" \\ \n\t\u0001',
                          kind=SpanKind.SERVER, attributes=AWKWARD)
    span.add_event('\u30a4\u30d9\u30f3\u30c8 "\U0001f680"\n', AWKWARD)
    span.set_status(StatusCode.ERROR, '\u30a8\u30e9\u30fc: "\\" \u0000 \U0001f4a5')
    span.end()


def timing_trace():
    """Exact times, for start_time_ms, duration_ms rounding and timestamp_ms."""
    root = web.start_span("timed root", kind=SpanKind.SERVER, start_time=T0)
    ctx = trace.set_span_in_context(root)
    cases = [("zero", 0), ("1500ns rounds up", 1500), ("2499ns rounds down", 2499),
             ("half a second minus 500ns", 499999500), ("999999500ns", 999999500),
             ("1234567890ns", 1234567890), ("one hour", 3600 * 10**9)]
    for name, ns in cases:
        s = web.start_span(name, ctx, SpanKind.INTERNAL, start_time=T0 + 1000)
        s.add_event("at the end", {"ns": ns}, T0 + 1000 + ns)
        s.end(T0 + 1000 + ns)
    root.add_event("just before a millisecond", {}, T0 + 876543210)
    root.end(T0 + 2 * 3600 * 10**9)
    # Ends before it starts: duration 0.
    backwards = web.start_span("ends before it starts", ctx, start_time=T0 + 5000)
    backwards.end(T0 + 4000)


def anonymous_and_bulk():
    """A span of the service without a name, with a child; 100 attributes;
    enough spans for several export batches (64 spans each)."""
    span = worker.start_span("anonymous job", kind=SpanKind.INTERNAL, attributes={"job": "nightly"})
    worker.start_span("anonymous step", trace.set_span_in_context(span), SpanKind.CLIENT).end()
    span.end()
    web.start_span("many attributes", attributes=many_attributes(100, "attr")).end()
    root = web.start_span("bulk root", kind=SpanKind.SERVER)
    ctx = trace.set_span_in_context(root)
    kinds = list(SpanKind)
    for i in range(150):
        web.start_span(f"bulk {i}", ctx, kinds[i % 5], {"i": i, "even": i % 2 == 0}).end()
    root.end()


KINDS = {SpanKind.INTERNAL: "internal", SpanKind.SERVER: "server", SpanKind.CLIENT: "client",
         SpanKind.PRODUCER: "producer", SpanKind.CONSUMER: "consumer"}


def expected_event(span):
    """The backend event of one ReadableSpan, with every optional field."""
    ctx = span.get_span_context()
    elapsed = max(span.end_time - span.start_time, 0)
    micros = elapsed // 1000 + (1 if elapsed % 1000 >= 500 else 0)
    parent = span.parent.span_id if span.parent else 0
    return {"o": [
        ["type", {"s": "span"}],
        ["trace_id", {"s": f"{ctx.trace_id:032x}"}],
        ["span_id", {"s": f"{ctx.span_id:016x}"}],
        ["parent_span_id", {"s": f"{parent:016x}"} if parent else {"n": None}],
        ["service", {"s": service_name(span.resource.attributes)}],
        ["operation", {"s": span.name}],
        ["start_time_ms", millis(span.start_time)],
        ["duration_ms", {"us": str(micros)}],
        ["status", {"s": "error" if span.status.status_code == StatusCode.ERROR else "ok"}],
        ["status_message", {"s": span.status.description or ""}],
        ["attributes", typed_attributes(span.attributes)],
        ["events", {"a": [{"o": [
            ["name", {"s": e.name}],
            ["timestamp_ms", millis(e.timestamp)],
            ["attributes", typed_attributes(e.attributes)],
        ]} for e in span.events]}],
        ["kind", {"s": KINDS[span.kind]}],
        ["trace_state", {"s": ctx.trace_state.to_header()}],
        ["links", {"a": [{"o": [
            ["trace_id", {"s": f"{link.context.trace_id:032x}"}],
            ["span_id", {"s": f"{link.context.span_id:016x}"}],
            ["trace_state", {"s": link.context.trace_state.to_header()}],
            ["attributes", typed_attributes(link.attributes)],
        ]} for link in span.links]}],
        ["resource", typed_attributes(span.resource.attributes)],
        ["scope", typed_scope(span.instrumentation_scope)],
        ["dropped", {"o": [
            ["attributes", typed_int(span.dropped_attributes)],
            ["events", typed_int(span.dropped_events)],
            ["links", typed_int(span.dropped_links)],
        ]}],
    ]}


checkout_trace()
remote_parent_trace()
awkward_text_trace()
timing_trace()
anonymous_and_bulk()

label = f"send_spans.py ({args.exporter})"
failed = False
traces = {}
count = 0
for service in services:
    finished, ok = finish(label, service, InMemorySpanExporter.get_finished_spans, "spans")
    failed = failed or not ok
    for span in finished:
        traces.setdefault(f"{span.get_span_context().trace_id:032x}", []).append(expected_event(span))
        count += 1
failed = report_failures(label, [s["otlp"] for s in services]) or failed
write_expected(args, {"spans": count, "traces": traces}, "send_spans.py")
sys.exit(1 if failed else 0)

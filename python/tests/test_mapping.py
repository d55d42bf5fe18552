"""Spans made through the Python SDK arrive at the real sink with the
documented mapping, field by field: every kind and status, events with
exceptions, links, attributes of every type (sequences, maps, bytes, big ints,
unicode, NaN), several resources and scopes in one export."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from opentelemetry import trace as api
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExportResult
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import Link, SpanContext, SpanKind, Status, StatusCode, TraceFlags, TraceState

import otelpack
from conftest import exporter_options, wait_for
from mapping import span_event

ALL_EXTRA = ["kind", "trace_state", "links", "resource", "scope", "dropped_counts"]

TRICKY_ATTRIBUTES = {
    "str": "plain",
    "unicode": "naïve café ✓ 値 🚀",
    "controls": 'quote " backslash \\ newline \n tab \t nul \x00',
    "empty": "",
    "true": True,
    "false": False,
    "int": 42,
    "negative": -7,
    "int64.max": 2**63 - 1,
    "int64.min": -(2**63),
    "big": 2**64 + 5,
    "float": 3.25,
    "integral.float": 5.0,
    "nan": float("nan"),
    "inf": float("-inf"),
    "bytes": b"\x00\x01\xfe\xff raw",
    "strings": ("a", "b", "ü"),
    "ints": (1, 2, 3),
    "floats": (0.5, 1.0),
    "bools": (True, False),
    "mixed.nested": ("x", (1, 2), {"k": "v"}),
    "map": {"inner": {"deep": 1}, "list": [1, "two"]},
    "none": None,
    "ключ": "значение",
}


def providers(resource_attrs: list[dict]) -> tuple[list[TracerProvider], InMemorySpanExporter]:
    memory = InMemorySpanExporter()
    made = []
    for attrs in resource_attrs:
        p = TracerProvider(resource=Resource.create(attrs), shutdown_on_exit=False)
        p.add_span_processor(SimpleSpanProcessor(memory))
        made.append(p)
    return made, memory


def make_spans(provider: TracerProvider, tag: str) -> None:
    tracer = provider.get_tracer("checkout.lib", "1.2.3", attributes={"scope.attr": tag})
    other = provider.get_tracer("other.lib")
    linked = SpanContext(trace_id=0x0AF7651916CD43DD8448EB211C80319C, span_id=0xB7AD6B7169203331, is_remote=True,
                         trace_flags=TraceFlags(1), trace_state=TraceState([("vendor", "opaque"), ("k2", "v2")]))
    with tracer.start_as_current_span(f"root {tag} заказ 🚀", kind=SpanKind.SERVER,
                                      attributes=TRICKY_ATTRIBUTES,
                                      links=[Link(linked, {"link.attr": "yes", "n": 3})]) as root:
        root.add_event("checkpoint", {"step": 1, "ok": True})
        for kind in (SpanKind.INTERNAL, SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER):
            with tracer.start_as_current_span(f"{kind.name.lower()} {tag}", kind=kind) as child:
                child.set_status(Status(StatusCode.OK))
        try:
            with tracer.start_as_current_span(f"failing {tag}", record_exception=True,
                                              set_status_on_exception=True):
                raise ValueError("card expired: ü")
        except ValueError:
            pass
        with other.start_as_current_span(f"explicit error {tag}") as s:
            s.set_status(Status(StatusCode.ERROR, "payment declined"))
            s.record_exception(RuntimeError("boom"), attributes={"extra": "x"})


def test_every_field_arrives_as_documented(sink):
    made, memory = providers([{"service.name": "checkout", "deployment.environment": "prod"},
                              {"service.name": "billing", "host.cores": 8}])
    for i, p in enumerate(made):
        make_spans(p, f"r{i}")
    spans = memory.get_finished_spans()
    assert len(spans) == 2 * 7

    exporter = otelpack.SpanExporter(**exporter_options(sink, extra_fields=ALL_EXTRA))
    # One export with both resources and three scopes interleaved.
    interleaved = [s for pair in zip(spans[:7], spans[7:]) for s in pair]
    assert exporter.export(interleaved) == SpanExportResult.SUCCESS
    assert exporter.force_flush(20000)

    assert_stored_as_documented(sink, spans)
    exporter.shutdown()


def assert_stored_as_documented(sink, spans) -> None:
    """Every span is in the sink as span_event (all extra fields) says, field by field."""
    stored = {}
    for trace_id in {s.context.trace_id for s in spans}:
        for event in sink.trace(trace_id):
            stored[event["span_id"]] = event
    assert len(stored) == len(spans)
    for span in spans:
        want = span_event(span, extra=True)
        got = stored[want["span_id"]]
        assert list(got) == list(want), "fields and their order"
        for field in want:
            if field == "duration_ms":
                assert got[field] == pytest.approx(want[field], abs=1e-9)
            else:
                assert got[field] == want[field], field


def public_only(span: ReadableSpan) -> SimpleNamespace:
    """The span as another library could hand it over: plain objects with
    only the public names, for the span, its status and its events."""
    names = ("context", "parent", "name", "kind", "start_time", "end_time", "attributes", "links", "resource",
             "instrumentation_scope", "dropped_attributes", "dropped_events", "dropped_links")
    fields = {n: getattr(span, n) for n in names}
    fields["status"] = SimpleNamespace(status_code=span.status.status_code, description=span.status.description)
    fields["events"] = [SimpleNamespace(name=e.name, timestamp=e.timestamp, attributes=e.attributes)
                        for e in span.events]
    return SimpleNamespace(**fields)


def made_directly(span: ReadableSpan) -> ReadableSpan:
    """The span as a ReadableSpan made by hand: its events a tuple and its
    attributes a read-only mapping, not the SDK's bounded containers."""
    return ReadableSpan(name=span.name, context=span.context, parent=span.parent, resource=span.resource,
                        attributes=span.attributes, events=span.events, links=span.links, kind=span.kind,
                        status=span.status, start_time=span.start_time, end_time=span.end_time,
                        instrumentation_scope=span.instrumentation_scope)


@pytest.mark.parametrize("wrap", [public_only, made_directly])
def test_span_like_objects_convert_as_the_sdks_spans(sink, wrap):
    # The conversion reads the SDK's private fields where they are and the
    # public names otherwise: both must give the same events.
    made, memory = providers([{"service.name": "checkout"}])
    make_spans(made[0], "w")
    spans = memory.get_finished_spans()
    exporter = otelpack.SpanExporter(**exporter_options(sink, extra_fields=ALL_EXTRA))
    assert exporter.export([wrap(s) for s in spans]) == SpanExportResult.SUCCESS
    assert exporter.force_flush(20000)
    assert_stored_as_documented(sink, spans)
    exporter.shutdown()


def test_values_keep_their_json_types(sink):
    made, memory = providers([{"service.name": "types"}])
    make_spans(made[0], "t")
    root = next(s for s in memory.get_finished_spans() if s.parent is None)
    exporter = otelpack.SpanExporter(**exporter_options(sink))
    assert exporter.export([root]) == SpanExportResult.SUCCESS
    assert exporter.force_flush(20000)
    (event,) = sink.trace(root.context.trace_id)
    a = event["attributes"]
    assert isinstance(a["integral.float"], float) and a["integral.float"] == 5.0
    assert isinstance(a["int"], int) and a["int"] == 42
    assert a["big"] == str(2**64 + 5)
    assert a["int64.min"] == -(2**63)
    assert a["nan"] is None and a["inf"] is None and a["none"] is None
    assert a["bytes"] == "AAH+/yByYXc="
    assert a["map"] == {"inner": {"deep": 1}, "list": [1, "two"]}
    assert a["ключ"] == "значение"
    # Without extra_fields the event is exactly the article's.
    assert list(event) == ["type", "trace_id", "span_id", "parent_span_id", "service", "operation",
                           "start_time_ms", "duration_ms", "status", "status_message", "attributes", "events"]
    exporter.shutdown()


def test_text_that_is_not_utf8_is_repaired(sink):
    made, memory = providers([{"service.name": "repair"}])
    tracer = made[0].get_tracer("t")
    with tracer.start_as_current_span("lone \ud800 surrogate") as s:
        s.set_attribute("k", "bad \udcff value")
    (span,) = memory.get_finished_spans()
    exporter = otelpack.SpanExporter(**exporter_options(sink))
    assert exporter.export([span]) == SpanExportResult.SUCCESS
    assert exporter.force_flush(20000)
    (event,) = sink.trace(span.context.trace_id)
    assert event["operation"].startswith("lone ") and "\ufffd" in event["operation"]
    assert "\ufffd" in event["attributes"]["k"]
    exporter.shutdown()


def test_root_and_parent_ids(sink):
    made, memory = providers([{"service.name": "ids"}])
    tracer = made[0].get_tracer("t")
    with tracer.start_as_current_span("parent") as parent:
        with tracer.start_as_current_span("child"):
            pass
    child, root = memory.get_finished_spans()
    exporter = otelpack.SpanExporter(**exporter_options(sink))
    assert exporter.export([child, root]) == SpanExportResult.SUCCESS
    assert exporter.force_flush(20000)
    events = {e["operation"]: e for e in sink.trace(root.context.trace_id)}
    assert events["parent"]["parent_span_id"] is None
    assert events["child"]["parent_span_id"] == f"{parent.get_span_context().span_id:016x}"
    assert events["child"]["service"] == "ids"
    wait_for(lambda: exporter.stats().traces.sent == 2, what="the stats to count 2 sent spans")
    exporter.shutdown()

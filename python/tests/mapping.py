"""The documented mapping (docs/wire-protocol.md, "Span event" and "Values")
written again in Python, independently of the C++ conversion, to compare
what the sink stored against the SDK's own ReadableSpans field by field."""
from __future__ import annotations

import base64
import math
from typing import Any, Mapping, Optional

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.trace import SpanKind, StatusCode

KIND_NAMES = {SpanKind.INTERNAL: "internal", SpanKind.SERVER: "server", SpanKind.CLIENT: "client",
              SpanKind.PRODUCER: "producer", SpanKind.CONSUMER: "consumer"}


def value(v: Any) -> Any:
    if v is None or isinstance(v, bool) or isinstance(v, str):
        return v
    if isinstance(v, int):
        return v if -(2**63) <= v < 2**63 else str(v)
    if isinstance(v, float):
        return None if math.isnan(v) or math.isinf(v) else v
    if isinstance(v, (bytes, bytearray)):
        return base64.b64encode(bytes(v)).decode()
    if isinstance(v, Mapping):
        return {k: value(x) for k, x in v.items()}
    return [value(x) for x in v]


def attributes(a: Optional[Mapping[str, Any]]) -> dict[str, Any]:
    return {k: value(v) for k, v in (a or {}).items()}


def duration_ms(start: int, end: int) -> float:
    if end < start:
        return 0
    micros, rest = divmod(end - start, 1000)
    return (micros + (1 if 2 * rest >= 1000 else 0)) / 1000


def span_event(span: ReadableSpan, extra: bool) -> dict[str, Any]:
    ctx = span.context
    service = span.resource.attributes.get("service.name")
    event: dict[str, Any] = {
        "type": "span",
        "trace_id": f"{ctx.trace_id:032x}",
        "span_id": f"{ctx.span_id:016x}",
        "parent_span_id": f"{span.parent.span_id:016x}" if span.parent else None,
        "service": service if isinstance(service, str) else "unknown",
        "operation": span.name,
        "start_time_ms": span.start_time // 1_000_000,
        "duration_ms": duration_ms(span.start_time, span.end_time),
        "status": "error" if span.status.status_code is StatusCode.ERROR else "ok",
        "status_message": span.status.description or "",
        "attributes": attributes(span.attributes),
        "events": [{"name": e.name, "timestamp_ms": e.timestamp // 1_000_000, "attributes": attributes(e.attributes)}
                   for e in span.events],
    }
    if extra:
        scope = span.instrumentation_scope
        event.update({
            "kind": KIND_NAMES[span.kind],
            "trace_state": ctx.trace_state.to_header(),
            "links": [{"trace_id": f"{link.context.trace_id:032x}", "span_id": f"{link.context.span_id:016x}",
                       "trace_state": link.context.trace_state.to_header(), "attributes": attributes(link.attributes)}
                      for link in span.links],
            "resource": attributes(span.resource.attributes),
            "scope": {"name": scope.name, "version": scope.version or "", "attributes": attributes(scope.attributes)},
            "dropped": {"attributes": span.dropped_attributes, "events": span.dropped_events,
                        "links": span.dropped_links},
        })
    return event


SEVERITY_RANGES = [(1, "TRACE"), (5, "DEBUG"), (9, "INFO"), (13, "WARN"), (17, "ERROR"), (21, "FATAL"), (25, None)]


def severity_name(number: int) -> str:
    for (low, name), (high, _) in zip(SEVERITY_RANGES, SEVERITY_RANGES[1:]):
        if low <= number < high:
            return name
    return "UNSPECIFIED"


def log_event(readable: Any) -> dict[str, Any]:
    """docs/wire-protocol.md, "Log event", of a ReadableLogRecord."""
    record = readable.log_record
    service = readable.resource.attributes.get("service.name")
    number = record.severity_number.value if record.severity_number is not None else 0
    time = record.timestamp or record.observed_timestamp or 0
    event: dict[str, Any] = {
        "type": "log",
        "service": service if isinstance(service, str) else "unknown",
        "timestamp_ms": time // 1_000_000,
        "severity": record.severity_text or severity_name(number),
        "severity_number": number,
        "body": value(record.body),
        "trace_id": f"{record.trace_id:032x}" if record.trace_id else None,
        "span_id": f"{record.span_id:016x}" if record.span_id else None,
        "attributes": attributes(record.attributes),
    }
    if record.event_name:
        event["event_name"] = record.event_name
    return event


TEMPORALITY = {0: "unspecified", 1: "delta", 2: "cumulative"}
METRIC_KINDS = {"Gauge": "gauge", "Sum": "sum", "Histogram": "histogram", "ExponentialHistogram": "exponential_histogram"}


def metric_events(metrics_data: Any) -> list[dict[str, Any]]:
    """docs/wire-protocol.md, "Metric event": one per data point."""
    events = []
    for rm in metrics_data.resource_metrics:
        service = rm.resource.attributes.get("service.name")
        for sm in rm.scope_metrics:
            for m in sm.metrics:
                kind = METRIC_KINDS[type(m.data).__name__]
                for p in m.data.data_points:
                    e: dict[str, Any] = {
                        "type": "metric", "service": service if isinstance(service, str) else "unknown",
                        "name": m.name, "unit": m.unit or "", "kind": kind,
                        "timestamp_ms": p.time_unix_nano // 1_000_000,
                        "start_time_ms": p.start_time_unix_nano // 1_000_000 if p.start_time_unix_nano else None,
                        "attributes": attributes(p.attributes),
                    }
                    if kind != "gauge":
                        e["temporality"] = TEMPORALITY[m.data.aggregation_temporality.value]
                    if kind in ("gauge", "sum"):
                        e["value"] = value(p.value)
                    if kind == "sum":
                        e["monotonic"] = m.data.is_monotonic
                    if kind in ("histogram", "exponential_histogram"):
                        e.update(count=p.count, sum=value(float(p.sum)), min=value(float(p.min)),
                                 max=value(float(p.max)))
                    if kind == "histogram":
                        counts = list(p.bucket_counts)
                        bounds = list(p.explicit_bounds) + [None]
                        e["buckets"] = [{"le": b, "count": c} for b, c in zip(bounds, counts)]
                    if kind == "exponential_histogram":
                        e.update(scale=p.scale, zero_count=p.zero_count, zero_threshold=0.0,
                                 positive={"offset": p.positive.offset, "bucket_counts": list(p.positive.bucket_counts)},
                                 negative={"offset": p.negative.offset, "bucket_counts": list(p.negative.bucket_counts)})
                    events.append(e)
    return events

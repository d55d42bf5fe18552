"""The two exporters export_bench.py measures otelpack against that are not
packages: the article's plain-Python exporter (the baseline a Python user
would write) and a no-op one (what the SDK costs without any exporter).

PlainJsonExporter is the article's CompressedBatchExporter kept as its
listing does the work, so that the figure is the article's cost and not a
tuned rewrite: a dict per span built in Python, json.dumps, gzip.compress at
level 6 and a blocking requests.Session.post, on the processor's thread. Its
body is docs/wire-protocol.md's, so the reference sink accepts and counts it.
"""
from __future__ import annotations

import gzip
import json
import time
from typing import Any, Sequence

import requests
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult


class PlainJsonExporter(SpanExporter):
    """The article's exporter: JSON events, gzip, requests, one POST per 500."""

    def __init__(self, endpoint: str, api_key: str, project_id: str, max_batch_size: int = 500,
                 compression_level: int = 6, timeout: float = 30) -> None:
        self._endpoint = endpoint
        self._project_id = project_id
        self._max_batch_size = max_batch_size
        self._compression_level = compression_level
        self._timeout = timeout
        self._session = requests.Session()
        # The article's headers, which are the sink's (docs/wire-protocol.md).
        self._session.headers.update({
            "Content-Type": "application/json",
            "Content-Encoding": "gzip",
            "Authorization": f"ApiKey {api_key}",
            "X-Project-ID": project_id,
        })
        self._shutdown = False
        self.exported = 0  # spans the sink answered 2xx for, to check the run

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        if self._shutdown:
            return SpanExportResult.FAILURE
        try:
            events = self._convert_spans(spans)
            for i in range(0, len(events), self._max_batch_size):
                self._send_batch(events[i:i + self._max_batch_size])
            return SpanExportResult.SUCCESS
        except requests.exceptions.RequestException:
            return SpanExportResult.FAILURE

    @staticmethod
    def _convert_spans(spans: Sequence[ReadableSpan]) -> list[dict[str, Any]]:
        events = []
        for span in spans:
            service_name = "unknown"
            if span.resource:
                service_name = span.resource.attributes.get("service.name", "unknown")
            duration_ms = (span.end_time - span.start_time) / 1_000_000
            events.append({
                "type": "span",
                "trace_id": format(span.context.trace_id, "032x"),
                "span_id": format(span.context.span_id, "016x"),
                "parent_span_id": format(span.parent.span_id, "016x") if span.parent else None,
                "service": service_name,
                "operation": span.name,
                "start_time_ms": span.start_time // 1_000_000,
                "duration_ms": round(duration_ms, 3),
                "status": "error" if span.status.is_ok is False else "ok",
                "status_message": span.status.description or "",
                "attributes": dict(span.attributes) if span.attributes else {},
                "events": [
                    {
                        "name": event.name,
                        "timestamp_ms": event.timestamp // 1_000_000,
                        "attributes": dict(event.attributes) if event.attributes else {},
                    }
                    for event in span.events
                ],
            })
        return events

    def _send_batch(self, batch: list[dict[str, Any]]) -> None:
        payload = json.dumps({
            "project_id": self._project_id,
            "events": batch,
            "sent_at": int(time.time() * 1000),
        }).encode("utf-8")
        compressed = gzip.compress(payload, compresslevel=self._compression_level)
        response = self._session.post(f"{self._endpoint}/v1/ingest", data=compressed, timeout=self._timeout)
        response.raise_for_status()
        self.exported += len(batch)

    def shutdown(self) -> None:
        self._shutdown = True
        self._session.close()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True


class NoopExporter(SpanExporter):
    """Returns SUCCESS at once: the process's CPU with it is the SDK's own
    (span creation and the BatchSpanProcessor), which export_bench.py
    subtracts to get each exporter's share."""

    def __init__(self) -> None:
        self.exported = 0

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        self.exported += len(spans)
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        pass

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True

"""otelpack.SpanExporter: the OpenTelemetry SDK's SpanExporter on otelpack's C++ core."""
from __future__ import annotations

from typing import Sequence

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SpanExporter as _SdkSpanExporter
from opentelemetry.sdk.trace.export import SpanExportResult
from typing_extensions import Unpack

from otelpack import _core
from otelpack._exporter_base import _CoreExporter
from otelpack._options import ExporterOptions


class SpanExporter(_CoreExporter, _SdkSpanExporter):
    """Exports the SDK's spans through otelpack's C++ core.

    The keyword arguments (otelpack.ExporterOptions) mirror the C++
    ``ExporterOptions`` over the ``OTELPACK_*`` environment variables; an
    argument given wins over its variable. Wrong options raise ValueError
    with the library's message (never with a credential in it).

    ``export`` converts the spans in C++ and hands them over: SUCCESS when
    otelpack accepted them, FAILURE when it refused them (the queue is full,
    a span alone is over ``max_batch_bytes``, or after shutdown). Delivery,
    retries and drops happen later and are counted in ``stats()``.
    """

    _what = "span"

    def __init__(self, **options: Unpack[ExporterOptions]) -> None:
        super().__init__(options)

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        """Converts the spans in C++ and hands them to otelpack.

        SUCCESS when otelpack accepted them (they are then delivered, with
        retries, or counted in stats() as dropped); FAILURE when it refused
        them: the queue is full, a span alone exceeds max_batch_bytes (the
        others were accepted), or the exporter is shut down.
        """
        accepted = self._export(spans, len(spans), _core.Core.export_spans)
        return SpanExportResult.SUCCESS if accepted else SpanExportResult.FAILURE

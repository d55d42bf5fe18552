"""otelpack.LogExporter: the OpenTelemetry logs SDK's LogRecordExporter on otelpack's C++ core."""
from __future__ import annotations

from typing import Any, Sequence

try:
    from opentelemetry.sdk._logs.export import LogRecordExporter, LogRecordExportResult
except ImportError:  # SDKs before the rename
    from opentelemetry.sdk._logs.export import LogExporter as LogRecordExporter  # type: ignore[assignment]
    from opentelemetry.sdk._logs.export import LogExportResult as LogRecordExportResult  # type: ignore[assignment]
from typing_extensions import Unpack

from otelpack import _core
from otelpack._exporter_base import _CoreExporter
from otelpack._options import ExporterOptions


class LogExporter(_CoreExporter, LogRecordExporter):
    """Exports the logs SDK's records through otelpack's C++ core, as log
    events (docs/wire-protocol.md, "Log event"). Options, results and
    lifecycle as SpanExporter's; each exporter has a core of its own."""

    _what = "log record"

    def __init__(self, **options: Unpack[ExporterOptions]) -> None:
        super().__init__(options)

    def export(self, batch: Sequence[Any]) -> LogRecordExportResult:
        """Converts the records (ReadableLogRecord) in C++ and hands them to
        otelpack: SUCCESS when accepted, FAILURE when refused."""
        accepted = self._export(batch, len(batch), _core.Core.export_logs)
        return LogRecordExportResult.SUCCESS if accepted else LogRecordExportResult.FAILURE

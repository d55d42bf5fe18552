"""otelpack.MetricExporter: the OpenTelemetry metrics SDK's MetricExporter on otelpack's C++ core."""
from __future__ import annotations

from typing import Any, Optional

from opentelemetry.sdk.metrics.export import AggregationTemporality, MetricExporter as _SdkMetricExporter
from opentelemetry.sdk.metrics.export import MetricExportResult, MetricsData
from typing_extensions import Unpack

from otelpack import _core
from otelpack._exporter_base import _CoreExporter
from otelpack._options import ExporterOptions


def _data_points(data: MetricsData) -> int:
    return sum(len(getattr(m.data, "data_points", ()))
               for rm in data.resource_metrics for sm in rm.scope_metrics for m in sm.metrics)


class MetricExporter(_CoreExporter, _SdkMetricExporter):
    """Exports the metrics SDK's data through otelpack's C++ core, one metric
    event per data point (docs/wire-protocol.md, "Metric event"): gauges,
    sums, histograms and exponential histograms. Use it with a
    PeriodicExportingMetricReader. Options, results and lifecycle as
    SpanExporter's; `preferred_temporality` and `preferred_aggregation` are
    the SDK's (default: cumulative, as the SDK's own)."""

    _what = "data point"

    def __init__(self, *, preferred_temporality: Optional[dict[type, AggregationTemporality]] = None,
                 preferred_aggregation: Optional[dict[type, Any]] = None,
                 **options: Unpack[ExporterOptions]) -> None:
        _SdkMetricExporter.__init__(self, preferred_temporality=preferred_temporality,
                                    preferred_aggregation=preferred_aggregation)
        _CoreExporter.__init__(self, options)

    def export(self, metrics_data: MetricsData, timeout_millis: float = 10_000, **kwargs: Any) -> MetricExportResult:
        """Converts the data points in C++ and hands them to otelpack:
        SUCCESS when accepted, FAILURE when refused."""
        accepted = self._export(metrics_data, _data_points(metrics_data), _core.Core.export_metrics)
        return MetricExportResult.SUCCESS if accepted else MetricExportResult.FAILURE

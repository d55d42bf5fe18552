"""otelpack: OpenTelemetry spans, logs and metrics to your backend's JSON, through otelpack's C++ core.

    from otelpack import SpanExporter
    exporter = SpanExporter(endpoint="https://analytics.example.com", project_id="prod-main")
    provider.add_span_processor(BatchSpanProcessor(exporter))

The conversion of the SDK's records, the encoding, the compression, the
retries and the optional disk queue all run in C++; the GIL is released while
the records are handed over. See python/README.md.
"""
from otelpack._log_exporter import LogExporter
from otelpack._metric_exporter import MetricExporter
from otelpack._options import ExporterOptions
from otelpack._span_exporter import SpanExporter
from otelpack._stats import ExporterStats, SignalStats

__all__ = ["SpanExporter", "LogExporter", "MetricExporter", "ExporterOptions", "ExporterStats", "SignalStats"]
__version__ = "0.1.0"

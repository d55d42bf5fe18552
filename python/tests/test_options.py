"""Options: keyword arguments over the OTELPACK_* environment, ValueError
with the library's message naming the option, never a credential in it."""
from __future__ import annotations

import pytest
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor

import otelpack
from conftest import API_KEY, PROJECT

SECRET = "s3cr3t-Do-Not-Print"


@pytest.mark.parametrize("kwargs, message", [
    (dict(endpoint="ftp://x", project_id="p"), "must start with http:// or https://"),
    (dict(endpoint="", project_id="p"), "endpoint is empty"),
    (dict(endpoint="http://x", project_id=""), "project_id is empty"),
    (dict(endpoint="http://x", project_id="p", compression="brotli"), "compression"),
    (dict(endpoint="http://x", project_id="p", compression="gzip", compression_level=99), "compression_level"),
    (dict(endpoint="http://x", project_id="p", max_batch_events=0), "max_batch_events must be at least 1"),
    (dict(endpoint="http://x", project_id="p", max_batch_events=-1), "max_batch_events must be in"),
    (dict(endpoint="http://x", project_id="p", max_batch_events="10"), "max_batch_events must be an int, not str"),
    (dict(endpoint="http://x", project_id="p", timeout=True), "timeout must be a number, not bool"),
    (dict(endpoint="http://x", project_id="p", timeout=0), "timeout must be positive"),
    (dict(endpoint="http://x", project_id="p", flush_interval=-1), "flush_interval must be between 0 and a year"),
    (dict(endpoint="http://x", project_id="p", concurrency=0), "concurrency must be in 1..64"),
    (dict(endpoint="http://x", project_id="p", queue="cloud"), "queue: 'cloud' is not one of memory, disk"),
    (dict(endpoint="http://x", project_id="p", queue="disk"), "queue.directory is empty"),
    (dict(endpoint="http://x", project_id="p", auth="kerberos"), "auth"),
    (dict(endpoint="http://x", project_id="p", extra_fields=["kind", "colour"]), "extra_fields: 'colour' is not one of"),
    (dict(endpoint="http://x", project_id="p", retry_statuses=[503, 700]), "retry_statuses[1] must be in 100..599"),
    (dict(endpoint="http://x", project_id="p", headers={"X-A": 1}), "headers['X-A'] must be a str, not int"),
])
def test_bad_options_raise_value_error_naming_the_option(kwargs, message):
    with pytest.raises(ValueError) as e:
        otelpack.SpanExporter(**kwargs)
    assert message in str(e.value)


def test_unknown_argument_is_a_type_error():
    with pytest.raises(TypeError):
        otelpack.SpanExporter(endpoint="http://x", project_id="p", max_batch_size=10)  # the article's name


@pytest.mark.parametrize("kwargs", [
    dict(endpoint=f"ftp://user:{SECRET}@host", project_id="p", api_key=SECRET),
    dict(endpoint=f"https://user:{SECRET}@host", project_id="", api_key=SECRET),
    dict(endpoint="http://x", project_id="p", api_key=SECRET, compression="nope"),
    dict(endpoint="http://x", project_id="p", auth="basic", username="u", password=SECRET, timeout=-1),
    dict(endpoint="http://x", project_id="p", headers={"Authorization": SECRET, "X": 3}),
    dict(endpoint="http://x", project_id="p", auth="hmac", key_id="k", secret=SECRET, concurrency=1000),
])
def test_secrets_never_appear_in_errors(kwargs):
    with pytest.raises(ValueError) as e:
        otelpack.SpanExporter(**kwargs)
    assert SECRET not in str(e.value) and SECRET not in repr(e.value)


def test_repr_holds_no_secret(sink):
    exporter = otelpack.SpanExporter(endpoint=sink.endpoint, project_id=PROJECT, api_key=SECRET)
    assert SECRET not in repr(exporter) and SECRET not in str(exporter)
    exporter.shutdown()


def test_environment_variables_and_arguments_win(sink, monkeypatch):
    monkeypatch.setenv("OTELPACK_ENDPOINT", sink.endpoint)
    monkeypatch.setenv("OTELPACK_PROJECT_ID", PROJECT)
    monkeypatch.setenv("OTELPACK_API_KEY", "wrong-key")
    monkeypatch.setenv("OTELPACK_COMPRESSION", "gzip")
    exporter = otelpack.SpanExporter(api_key=API_KEY, flush_interval=0.05)  # the argument wins over the variable
    provider = TracerProvider(resource=Resource.create({"service.name": "env"}), shutdown_on_exit=False)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    with provider.get_tracer("t").start_as_current_span("from-env"):
        pass
    assert exporter.force_flush(20000)
    assert [e["operation"] for e in sink.spans()] == ["from-env"]
    provider.shutdown()


def test_a_bad_environment_variable_is_named(monkeypatch):
    monkeypatch.setenv("OTELPACK_COMPRESSION_LEVEL", "high")
    with pytest.raises(ValueError, match="OTELPACK_COMPRESSION_LEVEL: 'high' is not an integer"):
        otelpack.SpanExporter(endpoint="http://x", project_id="p")


def test_stats_is_a_frozen_dataclass(sink):
    exporter = otelpack.SpanExporter(endpoint=sink.endpoint, project_id=PROJECT, api_key=API_KEY)
    stats = exporter.stats()
    assert isinstance(stats, otelpack.ExporterStats) and stats.traces.received == 0
    with pytest.raises(Exception):
        stats.retries = 3  # type: ignore[misc]
    exporter.shutdown()

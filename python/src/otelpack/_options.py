"""The exporters' keyword arguments: one TypedDict, the C++ ExporterOptions' fields.

Each argument defaults to its OTELPACK_* environment variable where the core
reads one, then to the library's default (in brackets below); an argument
given wins over its variable. Durations are seconds, as in the SDK's own
exporters. The C++ core checks the values (ValueError naming the argument).
"""
from __future__ import annotations

import sys
from typing import Any, Iterable, Mapping, Sequence

if sys.version_info >= (3, 11):
    from typing import TypedDict
else:  # pragma: no cover
    from typing_extensions import TypedDict


class ExporterOptions(TypedDict, total=False):
    """Keyword arguments of SpanExporter and LogExporter (all optional)."""

    endpoint: str  #: base URL; requests go to {endpoint}/v1/ingest. OTELPACK_ENDPOINT. Required.
    project_id: str  #: OTELPACK_PROJECT_ID. Required.
    api_key: str  #: the API key or bearer token. OTELPACK_API_KEY.
    auth: str  #: ["apikey"] | "bearer" | "basic" | "hmac" | "none". OTELPACK_AUTH.
    username: str  #: basic
    password: str  #: basic
    key_id: str  #: hmac
    secret: str  #: hmac
    headers: Mapping[str, str]  #: static headers on every request
    compression: str  #: ["zstd"] | "gzip" | "lz4" | "none". OTELPACK_COMPRESSION.
    compression_level: int  #: [0: the algorithm's default]. OTELPACK_COMPRESSION_LEVEL.
    max_batch_events: int  #: events per request [500]
    max_batch_bytes: int  #: uncompressed bytes per request [5 MiB]
    flush_interval: float  #: an open batch leaves this long after its first record at the latest [0.2]
    timeout: float  #: per request [30]
    connect_timeout: float  #: [10]
    ca_file: str
    client_cert_file: str
    client_key_file: str
    tls_verify: bool  #: [True]
    format: str  #: a declared format file (docs/formats.md). OTELPACK_FORMAT.
    extra_fields: Iterable[str]  #: "kind", "trace_state", "links", "resource", "scope", "dropped_counts"
    concurrency: int  #: requests in flight [2]
    retry: bool  #: [True]
    retry_initial_interval: float  #: [5]
    retry_multiplier: float  #: [1.5]
    retry_randomization_factor: float  #: [0.5]
    retry_max_interval: float  #: [30]
    retry_max_elapsed_time: float  #: [300]; 0: retry forever
    retry_statuses: Sequence[int]  #: [408, 429, 5xx but 501]
    queue: str  #: ["memory"] | "disk"
    queue_directory: str  #: the disk queue's directory
    queue_max_bytes: int  #: [64 MiB in memory, 1 GiB on disk]
    queue_fsync: str  #: ["always"] | "interval" | "never"
    queue_fsync_interval: float  #: [0.1]
    queue_when_full: str  #: ["block"] | "drop_newest"
    queue_block_timeout: float  #: how long export waits for room when full [5]
    shutdown_timeout: float  #: how long shutdown() delivers [30]; not a core option


def core_options(kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """The arguments the core takes: unknown names are a TypeError, as for
    any Python function; None means "not given"."""
    known = ExporterOptions.__annotations__
    for name in kwargs:
        if name not in known:
            raise TypeError(f"unexpected keyword argument '{name}'")
    options = {k: v for k, v in kwargs.items() if v is not None and k != "shutdown_timeout"}
    if isinstance(options.get("headers"), Mapping):
        options["headers"] = dict(options["headers"])
    extra = options.get("extra_fields")
    if extra is not None and not isinstance(extra, str):
        try:
            options["extra_fields"] = list(extra)
        except TypeError:
            pass  # the core names the wrong type
    return options


def shutdown_millis(kwargs: Mapping[str, Any]) -> int:
    seconds = kwargs.get("shutdown_timeout", 30.0)
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 <= seconds <= 86400:
        raise ValueError("shutdown_timeout must be a number of seconds in 0..86400")
    return int(seconds * 1000)

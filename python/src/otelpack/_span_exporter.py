"""otelpack.SpanExporter: the OpenTelemetry SDK's SpanExporter on otelpack's C++ core."""
from __future__ import annotations

import logging
import threading
from typing import Any, Iterable, Mapping, Optional, Sequence

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SpanExporter as _SdkSpanExporter
from opentelemetry.sdk.trace.export import SpanExportResult

from otelpack import _core, _lifecycle
from otelpack._stats import ExporterStats

logger = logging.getLogger("otelpack")

# How many child queue directories a process tree may use at once.
_MAX_CHILD_QUEUES = 256


class SpanExporter(_SdkSpanExporter):
    """Exports the SDK's spans through otelpack's C++ core.

    Every argument mirrors a field of the C++ ``ExporterOptions`` and
    defaults to its ``OTELPACK_*`` environment variable (``OTELPACK_ENDPOINT``,
    ``OTELPACK_PROJECT_ID``, ``OTELPACK_API_KEY``, ``OTELPACK_AUTH``,
    ``OTELPACK_COMPRESSION``, ``OTELPACK_COMPRESSION_LEVEL``,
    ``OTELPACK_FORMAT``) and then to the library's default; an argument given
    wins over its variable. Durations are in seconds. Wrong options raise
    ValueError with the library's message (never with a credential in it).

    ``export`` converts the spans in C++ and hands them over: SUCCESS when
    otelpack accepted them, FAILURE when it refused them (the queue is full,
    a span alone is over ``max_batch_bytes``, or after shutdown). Delivery,
    retries and drops happen later and are counted in ``stats()``.

    Arguments (defaults in brackets): endpoint (required); project_id
    (required); api_key; auth ("apikey" | "bearer" | "basic" | "hmac" |
    "none") with username/password (basic) or key_id/secret (hmac); headers;
    compression ["zstd"] | "gzip" | "lz4" | "none"; compression_level [0: the
    algorithm's default]; max_batch_events [500]; max_batch_bytes [5 MiB];
    flush_interval [0.2]; timeout [30]; connect_timeout [10]; ca_file,
    client_cert_file, client_key_file, tls_verify [True]; format (a declared
    format file); extra_fields (names of optional event fields: "kind",
    "trace_state", "links", "resource", "scope", "dropped_counts"); concurrency
    [2]; retry [True], retry_initial_interval [5], retry_multiplier [1.5],
    retry_randomization_factor [0.5], retry_max_interval [30],
    retry_max_elapsed_time [300, 0 = forever], retry_statuses; queue
    ["memory"] | "disk", queue_directory, queue_max_bytes [64 MiB memory,
    1 GiB disk], queue_fsync ["always"] | "interval" | "never",
    queue_fsync_interval [0.1], queue_when_full ["block"] | "drop_newest",
    queue_block_timeout [5]; shutdown_timeout [30]: how long shutdown()
    delivers before it leaves the rest on disk or drops it.
    """

    def __init__(
        self,
        *,
        endpoint: Optional[str] = None,
        project_id: Optional[str] = None,
        api_key: Optional[str] = None,
        auth: Optional[str] = None,
        username: Optional[str] = None,
        password: Optional[str] = None,
        key_id: Optional[str] = None,
        secret: Optional[str] = None,
        headers: Optional[Mapping[str, str]] = None,
        compression: Optional[str] = None,
        compression_level: Optional[int] = None,
        max_batch_events: Optional[int] = None,
        max_batch_bytes: Optional[int] = None,
        flush_interval: Optional[float] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        ca_file: Optional[str] = None,
        client_cert_file: Optional[str] = None,
        client_key_file: Optional[str] = None,
        tls_verify: Optional[bool] = None,
        format: Optional[str] = None,  # noqa: A002 - the C++ option's name
        extra_fields: Optional[Iterable[str]] = None,
        concurrency: Optional[int] = None,
        retry: Optional[bool] = None,
        retry_initial_interval: Optional[float] = None,
        retry_multiplier: Optional[float] = None,
        retry_randomization_factor: Optional[float] = None,
        retry_max_interval: Optional[float] = None,
        retry_max_elapsed_time: Optional[float] = None,
        retry_statuses: Optional[Sequence[int]] = None,
        queue: Optional[str] = None,
        queue_directory: Optional[str] = None,
        queue_max_bytes: Optional[int] = None,
        queue_fsync: Optional[str] = None,
        queue_fsync_interval: Optional[float] = None,
        queue_when_full: Optional[str] = None,
        queue_block_timeout: Optional[float] = None,
        shutdown_timeout: float = 30.0,
    ) -> None:
        given = dict(locals())
        for name in ("self", "shutdown_timeout", "__class__"):
            given.pop(name, None)
        if headers is not None:
            given["headers"] = dict(headers)
        if extra_fields is not None and not isinstance(extra_fields, str):
            given["extra_fields"] = list(extra_fields)
        self._options: dict[str, Any] = {k: v for k, v in given.items() if v is not None}
        if isinstance(shutdown_timeout, bool) or not isinstance(shutdown_timeout, (int, float)) or shutdown_timeout < 0:
            raise ValueError("shutdown_timeout must be a non-negative number of seconds")
        self._shutdown_ms = int(shutdown_timeout * 1000)
        self._lock = threading.Lock()
        self._shut_down = False  # shutdown() was called
        self._closed_at_exit = False  # the exit hook shut the core down
        self._core = _core.Core(self._options)
        _lifecycle.track(self)

    def __repr__(self) -> str:
        # Never the options: they may hold credentials.
        return f"<otelpack.SpanExporter {'shut down' if self._shut_down else 'open'}>"

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        """Converts the spans in C++ and hands them to otelpack.

        SUCCESS when otelpack accepted them (they are then delivered, with
        retries, or counted in stats() as dropped); FAILURE when it refused
        them: the queue is full, a span alone exceeds max_batch_bytes (the
        others were accepted), or the exporter is shut down.
        """
        if self._shut_down:
            logger.warning("otelpack: export of %d span(s) after shutdown refused", len(spans))
            return SpanExportResult.FAILURE
        if self._closed_at_exit:
            return self._export_after_exit(spans)
        return self._export_to(self._core, spans)

    def _export_to(self, core: "_core.Core", spans: Sequence[ReadableSpan]) -> SpanExportResult:
        try:
            code, message = core.export_spans(spans)
        except Exception:  # a span the SDK would not make: never raise into the processor
            logger.exception("otelpack: export of %d span(s) failed", len(spans))
            return SpanExportResult.FAILURE
        if code == "OK":
            return SpanExportResult.SUCCESS
        logger.warning("otelpack: export of %d span(s): %s: %s", len(spans), code, message)
        return SpanExportResult.FAILURE

    def _export_after_exit(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        # The SDK's own exit hook flushes after otelpack's: deliver at once,
        # with a core of its own, since nothing may run after this.
        with self._lock:
            core = _core.Core(self._options)
        result = self._export_to(core, spans)
        core.shutdown(self._shutdown_ms)
        return result

    def shutdown(self) -> None:
        """Refuses further spans, then delivers what is pending until
        shutdown_timeout; what is left stays in the disk queue for the next
        start, or is dropped and counted with the memory queue. Idempotent."""
        with self._lock:
            if self._shut_down:
                return
            self._shut_down = True
            if self._closed_at_exit:
                return
        code, message = self._core.shutdown(self._shutdown_ms)
        if code != "OK":
            logger.warning("otelpack: shutdown: %s: %s", code, message)

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        """Closes the open batch and waits until everything handed over before
        the call is delivered or definitively failed: True when all of it was
        delivered within timeout_millis."""
        if self._shut_down or self._closed_at_exit:
            return True
        code, message = self._core.force_flush(max(int(timeout_millis), 0))
        if code != "OK":
            logger.warning("otelpack: force_flush: %s: %s", code, message)
        return code == "OK"

    def stats(self) -> ExporterStats:
        """The library's counters since this exporter (in this process) was created."""
        return ExporterStats._from_core(self._core.stats())

    def _shutdown_at_exit(self) -> None:
        with self._lock:
            if self._shut_down or self._closed_at_exit:
                return
            self._closed_at_exit = True
        code, message = self._core.shutdown(self._shutdown_ms)
        if code != "OK":
            logger.warning("otelpack: shutdown at exit: %s: %s", code, message)

    def _renew_after_fork(self) -> None:
        # Runs in the child, the only thread there: no lock is needed, and the
        # inherited one may be held by a thread that no longer exists.
        self._lock = threading.Lock()
        if self._shut_down or self._closed_at_exit:
            return
        options = dict(self._options)
        directory = options.get("queue_directory") if options.get("queue") == "disk" else None
        if directory is None:
            try:
                self._core = _core.Core(options)
            except ValueError:
                logger.exception("otelpack: the exporter could not be made anew after fork")
            return
        _lifecycle.close_inherited_files(directory)
        parent = directory.rstrip("/")
        for n in range(_MAX_CHILD_QUEUES):
            options["queue_directory"] = f"{parent}.child-{n}"
            try:
                self._core = _core.Core(options)
            except ValueError as e:
                if "already in use" in str(e):
                    continue
                raise
            self._options = options
            return
        raise RuntimeError(f"otelpack: no free child queue directory next to {parent}")

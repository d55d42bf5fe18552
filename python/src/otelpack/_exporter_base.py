"""What the span and the log exporters share: a C++ core made from the
options, shutdown, force_flush and stats, and the lifecycle at interpreter
exit and after os.fork (_lifecycle.py)."""
from __future__ import annotations

import logging
import threading
from typing import Any, Callable, Mapping, Optional

from otelpack import _core, _lifecycle
from otelpack._options import core_options, shutdown_millis
from otelpack._stats import ExporterStats

logger = logging.getLogger("otelpack")

# How many child queue directories a process tree may use at once.
_MAX_CHILD_QUEUES = 256


class _CoreExporter:
    """An otelpack core behind one of the SDK's exporter interfaces."""

    _what = "record"  # in messages: "span", "log record"

    def __init__(self, kwargs: Mapping[str, Any]) -> None:
        self._options = core_options(kwargs)
        self._shutdown_ms = shutdown_millis(kwargs)
        self._lock = threading.Lock()
        self._shut_down = False  # shutdown() was called
        self._closed_at_exit = False  # the exit hook shut the core down
        self._core = _core.Core(self._options)
        _lifecycle.track(self)

    def __repr__(self) -> str:
        # Never the options: they may hold credentials.
        return f"<otelpack.{type(self).__name__} {'shut down' if self._shut_down else 'open'}>"

    def _export(self, records: Any, count: int, method: Callable[[Any, Any], tuple[str, str]]) -> bool:
        """Hands `records` (`count` of them, for messages) to the core with
        `method` (an unbound Core method): True when otelpack accepted them."""
        if self._shut_down:
            logger.warning("otelpack: export of %d %s(s) after shutdown refused", count, self._what)
            return False
        if not self._closed_at_exit:
            return self._export_to(self._core, records, count, method)
        # The SDK's own exit hook flushes after otelpack's: deliver at once,
        # with a core of its own, since nothing may run after this.
        with self._lock:
            core = _core.Core(self._options)
        accepted = self._export_to(core, records, count, method)
        core.shutdown(self._shutdown_ms)
        return accepted

    def _export_to(self, core: "_core.Core", records: Any, count: int,
                   method: Callable[[Any, Any], tuple[str, str]]) -> bool:
        try:
            code, message = method(core, records)
        except Exception:  # a record the SDK would not make: never raise into the processor
            logger.exception("otelpack: export of %d %s(s) failed", count, self._what)
            return False
        if code == "OK":
            return True
        logger.warning("otelpack: export of %d %s(s): %s: %s", count, self._what, code, message)
        return False

    def shutdown(self, timeout_millis: Optional[float] = None, **kwargs: Any) -> None:
        """Refuses further records, then delivers what is pending until
        shutdown_timeout; what is left stays in the disk queue for the next
        start, or is dropped and counted with the memory queue. Idempotent.
        `timeout_millis` (the metrics SDK passes one) shortens that time."""
        timeout_ms = self._shutdown_ms if timeout_millis is None else min(self._shutdown_ms, max(int(timeout_millis), 0))
        with self._lock:
            if self._shut_down:
                return
            self._shut_down = True
            if self._closed_at_exit:
                return
        code, message = self._core.shutdown(timeout_ms)
        if code != "OK":
            logger.warning("otelpack: shutdown: %s: %s", code, message)

    def force_flush(self, timeout_millis: float = 30000) -> bool:
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
        try:
            self._core, self._options = self._core_for_child(dict(self._options))
        except (ValueError, RuntimeError):
            logger.exception("otelpack: the exporter could not be made anew after fork")

    @staticmethod
    def _core_for_child(options: dict[str, Any]) -> tuple["_core.Core", dict[str, Any]]:
        directory = options.get("queue_directory") if options.get("queue") == "disk" else None
        if directory is None:
            return _core.Core(options), options
        _lifecycle.close_inherited_files(directory)
        parent = directory.rstrip("/")
        for n in range(_MAX_CHILD_QUEUES):
            options["queue_directory"] = f"{parent}.child-{n}"
            try:
                return _core.Core(options), options
            except ValueError as e:
                if "already in use" not in str(e):
                    raise
        raise RuntimeError(f"otelpack: no free child queue directory next to {parent}")

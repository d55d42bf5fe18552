"""The library's counters as frozen dataclasses (SpanExporter.stats())."""
from __future__ import annotations

import dataclasses
from typing import Any, Mapping


@dataclasses.dataclass(frozen=True)
class _RequestCounters:
    """Requests to the backend and their bodies: per signal and in all."""

    requests_ok: int = 0
    requests_failed_retryable: int = 0  #: attempts; each is retried or counted as exhausted
    requests_failed_permanent: int = 0
    requests_redirected: int = 0  #: answered with a redirect otelpack does not follow
    retries: int = 0
    bytes_uncompressed: int = 0  #: request bodies sent, before compression
    bytes_compressed: int = 0  #: and after


@dataclasses.dataclass(frozen=True)
class SignalStats(_RequestCounters):
    """One signal's counters since the exporter was created, in records.

    Every record handed over ends up refused, sent, dropped (by reason), left
    on disk, or is still pending:
    received = refused + sent + dropped + left_on_disk + pending.
    """

    received: int = 0  #: handed to export()
    refused: int = 0  #: not accepted: the queue was full
    sent: int = 0  #: acknowledged by the backend
    dropped_oversized: int = 0  #: an event alone above max_batch_bytes
    dropped_permanent: int = 0  #: the backend refused them (4xx but 408/429, 501)
    dropped_retries_exhausted: int = 0  #: retryable, but retry_max_elapsed_time passed
    dropped_shutdown: int = 0  #: memory queue: not delivered by the shutdown deadline
    left_on_disk: int = 0  #: disk queue: kept for the next start at shutdown

    @property
    def dropped(self) -> int:
        """Records dropped after they were accepted, all reasons together."""
        return self.dropped_oversized + self.dropped_permanent + self.dropped_retries_exhausted + self.dropped_shutdown


@dataclasses.dataclass(frozen=True)
class ExporterStats(_RequestCounters):
    """Counters since the exporter was created: per signal and in all."""

    traces: SignalStats = SignalStats()
    logs: SignalStats = SignalStats()
    metrics: SignalStats = SignalStats()
    batches_pending: int = 0  #: closed and not yet delivered or dropped
    queue_depth: int = 0  #: batches in the queue, in flight included
    queue_bytes: int = 0
    last_error: str = ""  #: never holds a credential

    @classmethod
    def _from_core(cls, d: Mapping[str, Any]) -> "ExporterStats":
        signals = {name: SignalStats(**d[name]) for name in ("traces", "logs", "metrics")}
        rest = {k: v for k, v in d.items() if k not in signals}
        return cls(**signals, **rest)

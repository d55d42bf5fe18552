"""Fixtures of the package's tests: the real sink (`otelpack sink`, built by
CMake) on a free loopback port, read back through its query API, and spans
made by the real opentelemetry-sdk."""
from __future__ import annotations

import json
import os
import pathlib
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from typing import Any, Callable, Optional

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
PROJECT = "py-project"
API_KEY = "test-key-9f8e7d"
PROGRAMS = pathlib.Path(__file__).resolve().parent / "programs"


def otelpack_binary() -> str:
    """The `otelpack` binary: $OTELPACK_BIN, else the first CMake build found."""
    if os.environ.get("OTELPACK_BIN"):
        return os.environ["OTELPACK_BIN"]
    for build in ("ci", "dev", "rel"):
        candidate = REPO / "build" / build / "src" / "cli" / "otelpack"
        if candidate.exists():
            return str(candidate)
    pytest.fail("no otelpack binary: build it (cmake --build build/dev --target otelpack) or set OTELPACK_BIN")


class Sink:
    """One `otelpack sink` process with its SQLite file; stop() and start()
    again on the same port and file simulate an outage."""

    def __init__(self, tmp: pathlib.Path, extra_args: tuple[str, ...] = ()) -> None:
        self.db = tmp / "sink.db"
        self.extra_args = extra_args
        self.port = 0
        self.proc: Optional[subprocess.Popen[str]] = None
        self.log = tmp / "sink.log"

    def start(self) -> None:
        env = dict(os.environ, OTELPACK_API_KEY=API_KEY)
        args = [otelpack_binary(), "sink", "--listen", f"127.0.0.1:{self.port}", "--db", str(self.db),
                "--project", PROJECT, *self.extra_args]
        self.proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=open(self.log, "a"), text=True)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
        assert m, f"the sink did not start: {line!r}, log: {self.log.read_text()}"
        self.port = int(m.group(1))

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=20)
        self.proc = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def get(self, path: str) -> Any:
        req = urllib.request.Request(self.endpoint + path,
                                     headers={"Authorization": f"ApiKey {API_KEY}", "X-Project-ID": PROJECT})
        with urllib.request.urlopen(req, timeout=10) as response:
            return json.loads(response.read())

    def trace(self, trace_id: int) -> list[dict[str, Any]]:
        try:
            return self.get(f"/v1/traces/{trace_id:032x}")["events"]
        except urllib.error.HTTPError as e:
            if e.code == 404:
                return []
            raise

    def spans(self, limit: int = 10000, **filters: str) -> list[dict[str, Any]]:
        query = "&".join([f"type=span&limit={limit}"] + [f"{k}={v}" for k, v in filters.items()])
        return self.get(f"/v1/events?{query}")["events"]

    def stats(self) -> dict[str, Any]:
        return self.get("/v1/stats")


def wait_for(predicate: Callable[[], bool], timeout: float = 20.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


@pytest.fixture
def sink(tmp_path: pathlib.Path):
    s = Sink(tmp_path)
    s.start()
    yield s
    s.stop()


@pytest.fixture
def make_sink(tmp_path: pathlib.Path):
    """A sink with extra flags (fault injection)."""
    made: list[Sink] = []

    def make(*extra_args: str) -> Sink:
        s = Sink(tmp_path, tuple(extra_args))
        s.start()
        made.append(s)
        return s

    yield make
    for s in made:
        s.stop()


def exporter_options(sink: Sink, **overrides: Any) -> dict[str, Any]:
    """Options for a test: short flush interval and fast retries."""
    options: dict[str, Any] = dict(endpoint=sink.endpoint, project_id=PROJECT, api_key=API_KEY,
                                   flush_interval=0.05, retry_initial_interval=0.05, retry_max_interval=0.5,
                                   shutdown_timeout=20)
    options.update(overrides)
    return options


def run_program(name: str, *args: str, env: Optional[dict[str, str]] = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Runs python/tests/programs/NAME with this interpreter."""
    return subprocess.run([sys.executable, str(PROGRAMS / name), *args], env=dict(os.environ, **(env or {})),
                          capture_output=True, text=True, timeout=timeout)

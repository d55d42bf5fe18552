"""Where Python services live, each case a real child process: a disk queue
that survives SIGKILL (restarted, everything arrives exactly once), a
pre-forking service exporting from its children, and interpreter exit with
spans still buffered, whatever the order of the atexit hooks."""
from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from conftest import API_KEY, PROGRAMS, PROJECT, run_program, wait_for

ENV = {"TEST_PROJECT": PROJECT, "TEST_API_KEY": API_KEY, "OTELPACK_LOG_LEVEL": "warn"}


def operations(sink, **filters) -> list[str]:
    return sorted(e["operation"] for e in sink.spans(**filters))


def test_disk_queue_survives_sigkill(make_sink, tmp_path):
    # The sink answers late, so batches are in flight (stored, not yet
    # acknowledged) when the child dies: the restart sends them again and
    # the sink's batch-id dedup keeps each span once.
    sink = make_sink("--latency-ms", "400")
    queue = tmp_path / "queue"
    child = subprocess.Popen([sys.executable, str(PROGRAMS / "disk_child.py"), sink.endpoint, str(queue), "k", "300"],
                             env=dict(os.environ, **ENV), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "DONE", child.stderr.read() if child.stderr else ""
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    delivered_before_restart = len(sink.spans())
    assert delivered_before_restart < 300, "the kill came too late to leave anything on disk"

    restarted = run_program("disk_child.py", sink.endpoint, str(queue), "k", "0", env=ENV)
    assert restarted.returncode == 0, restarted.stderr
    names = operations(sink)
    assert names == sorted(f"k-{i}" for i in range(300)), "every span exactly once"


def test_fork_children_keep_exporting(sink):
    result = run_program("fork_service.py", sink.endpoint, "3", "40", env=ENV)
    assert result.returncode == 0, result.stderr
    names = operations(sink)
    want = [f"parent-before-{i}" for i in range(40)] + [f"parent-after-{i}" for i in range(40)]
    want += [f"child-{k}-{i}" for k in range(3) for i in range(40)]
    assert names == sorted(want)
    pids = {e["attributes"]["pid"] for e in sink.spans()}
    assert len(pids) == 4, "the parent and three children"


def test_fork_with_disk_queue_gives_each_child_its_own_directory(sink, tmp_path):
    queue = tmp_path / "queue"
    result = run_program("fork_service.py", sink.endpoint, "2", "30", str(queue), env=ENV)
    assert result.returncode == 0, result.stderr
    assert len(sink.spans()) == 4 * 30
    siblings = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("queue"))
    assert siblings == ["queue", "queue.child-0", "queue.child-1"]


@pytest.mark.parametrize("order", ["exporter-first", "provider-first", "provider-before-import", "user-atexit"])
def test_interpreter_exit_delivers_buffered_spans(sink, order):
    result = run_program("exit_order.py", sink.endpoint, order, "250", env=ENV, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "EXITING" in result.stdout
    assert "after shutdown" not in result.stderr
    assert operations(sink, service=order) == sorted(f"{order}-{i}" for i in range(250))
    assert sink.stats()["duplicates"] == 0

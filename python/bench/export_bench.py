"""What the Python exporter costs the Python process: otelpack.SpanExporter
against what a Python user would use instead (docs/benchmarks.md, section 11).
Run by hand, not in CI.

Throughput (the default): spans made by the real SDK through a
BatchSpanProcessor (max_export_batch_size 512) into, in turn,
  otelpack   otelpack.SpanExporter (its defaults: JSON, zstd-3) to the sink;
  otlp       the SDK's OTLPSpanExporter (HTTP/protobuf) to `otelpack run`
             (the agent), which ships them to the sink;
  plain      the article's plain-Python exporter (baseline_exporters.py:
             dicts, json.dumps, gzip-6, requests) to the sink;
  noop       an exporter that returns SUCCESS at once: the SDK's own cost.
Each configuration runs in a fresh child process, alternated round by round
(the order reversed every other round), and reports spans per second and
the child's CPU time per span (time.process_time: every thread of that
process, the processor's worker and otelpack's core threads included; not
the sink's nor the agent's, which are other processes). A round ends when
the child's own work is done: the processor flushed and, for otelpack, the
core's force_flush returned (everything delivered), so its compression and
sending are counted. The exporter's share of the CPU per span is a
configuration's figure minus noop's of the same round; since that is a
small difference of two figures that the shared machine moves by more,
it is also measured directly: the CPU time of the calling thread inside
export() (time.thread_time around each call) plus that of the threads
Python did not start (otelpack's core), from /proc/self/task/*/schedstat.

Export call (--mode call): the time of exporter.export(512 ready-made
ReadableSpans) itself (perf_counter around the call) and the process's CPU
per batch, otelpack's background work included (flushed at the end).

    build/venv/bin/python -m pip install -r python/bench/requirements.txt
    build/venv/bin/python python/bench/export_bench.py --rounds 5
    build/venv/bin/python python/bench/export_bench.py --mode call --rounds 5

The sink runs with --count-only (it validates every event and stores none);
the load average before each run is printed, since the machine is shared.
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from typing import Any, Callable, Optional

REPO = pathlib.Path(__file__).resolve().parents[2]
PROJECT = "bench"
API_KEY = "bench-key-5d1c"
CONFIGS = ("otelpack", "otlp", "plain", "noop")
CALL_CONFIGS = ("otelpack", "plain", "otlp")
BATCH = 512


# ----------------------------------------------------------------- the children

class _Failure(Exception):
    pass


def _failing() -> BaseException:
    # A raised exception, so that record_exception writes a real stack trace.
    try:
        raise ValueError("payment declined: card expired")
    except ValueError as e:
        return e


def make_requests(provider: Any, first: int, count: int) -> None:
    """`count` requests of two spans each, like the article's services: a
    server span with a few attributes and a database call under it; every
    fifth call has an event, every fiftieth request fails with an exception."""
    from opentelemetry.trace import SpanKind, Status, StatusCode
    tracer = provider.get_tracer("checkout.handlers", "1.4.0")
    error = _failing()
    for i in range(first, first + count):
        with tracer.start_as_current_span(
                "GET /api/orders/{id}", kind=SpanKind.SERVER,
                attributes={"http.method": "GET", "http.route": "/api/orders/{id}", "http.status_code": 200,
                            "user.id": f"user-{i % 1000}", "order.items": i % 7}) as root:
            with tracer.start_as_current_span(
                    "SELECT orders", kind=SpanKind.CLIENT,
                    attributes={"db.system": "postgresql", "db.statement": "SELECT * FROM orders WHERE id = $1",
                                "db.rows": i % 13}) as db:
                if i % 5 == 0:
                    db.add_event("cache.miss", {"cache.key": f"order:{i}"})
            if i % 50 == 0:
                root.record_exception(error)
                root.set_status(Status(StatusCode.ERROR, "payment declined"))


def make_exporter(config: str, sink: str, agent: str) -> tuple[Any, Callable[[], int]]:
    """The exporter of a configuration and a function giving how many spans
    it handed on (for the run's check)."""
    if config == "otelpack":
        import otelpack
        exporter = otelpack.SpanExporter(endpoint=sink, project_id=PROJECT, api_key=API_KEY)
        return exporter, lambda: exporter.stats().traces.sent
    if config == "otelpack-gzip":
        import otelpack
        exporter = otelpack.SpanExporter(endpoint=sink, project_id=PROJECT, api_key=API_KEY, compression="gzip")
        return exporter, lambda: exporter.stats().traces.sent
    if config == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        return OTLPSpanExporter(endpoint=f"{agent}/v1/traces"), lambda: -1  # counted at the sink
    from baseline_exporters import NoopExporter, PlainJsonExporter
    if config == "plain":
        plain = PlainJsonExporter(sink, API_KEY, PROJECT)
        return plain, lambda: plain.exported
    if config == "noop":
        noop = NoopExporter()
        return noop, lambda: noop.exported
    raise _Failure(f"unknown configuration {config!r}")


def flush_exporter(exporter: Any) -> None:
    # otelpack delivers in its own threads: wait for them, so their CPU counts.
    if type(exporter).__module__.startswith("otelpack"):
        if not exporter.force_flush(60000):
            raise _Failure("otelpack: force_flush did not deliver everything within 60 s")


def native_threads_cpu(started: set[Optional[int]]) -> float:
    """CPU seconds of this process's threads that Python did not start
    (otelpack's core: batcher, senders), from the kernel's per-thread
    schedstat (nanoseconds). `started`: the threads this script started,
    which may still be ending after join() returned."""
    python_threads = {t.native_id for t in threading.enumerate()} | started
    total = 0
    for tid in os.listdir("/proc/self/task"):
        if int(tid) in python_threads:
            continue
        try:
            with open(f"/proc/self/task/{tid}/schedstat") as f:
                total += int(f.read().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            pass  # the thread has just ended
    return total / 1e9


def time_exports(exporter: Any) -> list[float]:
    """Wraps exporter.export to add up the CPU time of the calling thread
    inside it (two clock reads per batch of 512)."""
    spent = [0.0]
    inner = exporter.export

    def export(spans: Any) -> Any:
        t0 = time.thread_time()
        try:
            return inner(spans)
        finally:
            spent[0] += time.thread_time() - t0

    exporter.export = export
    return spent


def child_throughput(args: argparse.Namespace) -> dict[str, Any]:
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    exporter, handed_on = make_exporter(args.config, args.sink, args.agent)
    provider = TracerProvider(resource=Resource.create({"service.name": "checkout"}), shutdown_on_exit=False)
    # The default queue (2048) drops spans whenever the loop outruns the
    # exporter, and a dropped span costs no export: the queue holds a whole
    # run instead, so that every configuration exports every span it made.
    provider.add_span_processor(BatchSpanProcessor(exporter, max_queue_size=args.spans + args.warmup,
                                                   max_export_batch_size=BATCH))
    export_cpu = time_exports(exporter)
    make_requests(provider, 0, args.warmup // 2)
    provider.force_flush(60000)
    flush_exporter(exporter)
    export_cpu[0] = 0.0
    producers: set[Optional[int]] = set()
    native0 = native_threads_cpu(producers)

    requests = args.spans // 2
    per_thread = [requests // args.threads + (1 if t < requests % args.threads else 0) for t in range(args.threads)]
    firsts = [args.warmup + sum(per_thread[:t]) for t in range(args.threads)]
    wall0, cpu0 = time.perf_counter(), time.process_time()
    if args.threads == 1:
        make_requests(provider, firsts[0], per_thread[0])
    else:
        threads = [threading.Thread(target=make_requests, args=(provider, firsts[t], per_thread[t]))
                   for t in range(args.threads)]
        for t in threads:
            t.start()
            producers.add(t.native_id)
        for t in threads:
            t.join()
    if not provider.force_flush(120000):
        raise _Failure("the BatchSpanProcessor did not flush within 120 s")
    flush_exporter(exporter)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    native = native_threads_cpu(producers) - native0
    spans = 2 * requests
    sent = handed_on()
    provider.shutdown()
    return {"config": args.config, "spans": spans, "wall_s": wall, "cpu_s": cpu,
            "spans_per_s": spans / wall, "cpu_us_per_span": cpu / spans * 1e6,
            "export_us_per_span": export_cpu[0] / spans * 1e6, "native_us_per_span": native / spans * 1e6,
            "handed_on": sent, "to_sink": 0 if args.config == "noop" else spans + 2 * (args.warmup // 2)}


def child_call(args: argparse.Namespace) -> dict[str, Any]:
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExportResult
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    memory = InMemorySpanExporter()
    provider = TracerProvider(resource=Resource.create({"service.name": "checkout"}), shutdown_on_exit=False)
    provider.add_span_processor(SimpleSpanProcessor(memory))
    make_requests(provider, 0, BATCH // 2)
    spans = memory.get_finished_spans()
    assert len(spans) == BATCH

    exporter, handed_on = make_exporter(args.config, args.sink, args.agent)
    warmup = 5
    for _ in range(warmup):
        exporter.export(spans)
    flush_exporter(exporter)
    times = []
    cpu0 = time.process_time()
    for _ in range(args.calls):
        t0 = time.perf_counter()
        result = exporter.export(spans)
        times.append(time.perf_counter() - t0)
        if result != SpanExportResult.SUCCESS:
            raise _Failure(f"{args.config}: export failed")
    flush_exporter(exporter)
    cpu = time.process_time() - cpu0
    exporter.shutdown()
    return {"config": args.config, "calls": args.calls, "call_ms": statistics.median(times) * 1e3,
            "call_ms_min": min(times) * 1e3, "cpu_ms_per_batch": cpu / args.calls * 1e3,
            "handed_on": handed_on(), "to_sink": 0 if args.config == "noop" else BATCH * (warmup + args.calls)}


# ------------------------------------------------------------------ the parent

def otelpack_binary(given: Optional[str]) -> str:
    binary = given or os.environ.get("OTELPACK_BIN") or str(REPO / "build" / "ci" / "src" / "cli" / "otelpack")
    if not os.access(binary, os.X_OK):
        sys.exit(f"export_bench: no otelpack binary at {binary}: build it or pass --otelpack-bin")
    return binary


def start(args: list[str], pattern: str) -> tuple[subprocess.Popen[str], str]:
    """Starts an otelpack process and returns it with the address its first
    line names; the rest of its output is drained so that it never blocks."""
    env = dict(os.environ, OTELPACK_API_KEY=API_KEY)
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    m = re.search(pattern, line)
    if not m:
        proc.kill()
        sys.exit(f"export_bench: {args[1]} did not start: {line!r}")
    threading.Thread(target=lambda: proc.stdout.read(), daemon=True).start()  # type: ignore[union-attr]
    return proc, m.group(1)


def sink_events(sink: str) -> int:
    request = urllib.request.Request(f"{sink}/v1/stats",
                                     headers={"Authorization": f"ApiKey {API_KEY}", "X-Project-ID": PROJECT})
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(json.loads(response.read())["events"])


def run_child(args: argparse.Namespace, config: str, sink: str, agent: str) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", args.mode, "--config", config, "--sink", sink, "--agent", agent,
               "--spans", str(args.spans), "--warmup", str(args.warmup), "--threads", str(args.threads),
               "--calls", str(args.calls)]
    # The children import baseline_exporters from here; a PYTHONPATH given
    # (another build of otelpack, to compare) stays in front.
    path = os.pathsep.join(p for p in (os.environ.get("PYTHONPATH"), str(pathlib.Path(__file__).parent)) if p)
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, env=dict(os.environ, PYTHONPATH=path))
    if done.returncode != 0:
        sys.exit(f"export_bench: {config} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def median_range(values: list[float], fmt: str) -> str:
    return f"{format(statistics.median(values), fmt)} ({format(min(values), fmt)}–{format(max(values), fmt)})"


def report_throughput(results: list[dict[str, Any]], configs: list[str]) -> None:
    rounds = sorted({r["round"] for r in results})
    by = {(r["round"], r["config"]): r for r in results}

    def share(n: int, c: str) -> float:  # the process's CPU per span beyond noop's, same round
        return by[(n, c)]["cpu_us_per_span"] - by[(n, "noop")]["cpu_us_per_span"]

    def own(r: dict[str, Any]) -> float:  # inside export() plus the threads Python did not start
        return r["export_us_per_span"] + r["native_us_per_span"]

    print("\n| exporter | spans/s | CPU µs per span | share: minus noop | share: export() + core threads | load |")
    print("|---|---|---|---|---|---|")
    for c in configs:
        rows = [by[(n, c)] for n in rounds]
        minus = median_range([share(n, c) for n in rounds], ".1f") if "noop" in configs and c != "noop" else ""
        print(f"| {c} | {median_range([r['spans_per_s'] for r in rows], ',.0f')} "
              f"| {median_range([r['cpu_us_per_span'] for r in rows], '.1f')} | {minus} "
              f"| {median_range([own(r) for r in rows], '.2f')} "
              f"| {median_range([r['load'] for r in rows], '.2f')} |")
    if {"otelpack", "plain"} <= set(configs):
        direct = [own(by[(n, "plain")]) / own(by[(n, "otelpack")]) for n in rounds]
        print(f"\nplain's share ÷ otelpack's, export() + core threads, round by round: "
              f"{', '.join(f'{x:.1f}' for x in direct)}; median {statistics.median(direct):.1f} (target ≥ 5)")
    if {"otelpack", "plain", "noop"} <= set(configs):
        ratios = [share(n, "plain") / share(n, "otelpack") for n in rounds]
        print(f"plain's share ÷ otelpack's, minus noop, round by round: {', '.join(f'{x:.1f}' for x in ratios)}; "
              f"median {statistics.median(ratios):.1f}; ratio of the medians "
              f"{statistics.median([share(n, 'plain') for n in rounds]) / statistics.median([share(n, 'otelpack') for n in rounds]):.1f}")


def report_call(results: list[dict[str, Any]], configs: list[str]) -> None:
    print("\n| exporter | export(512 spans): ms per call | fastest call ms | process CPU ms per batch | load |")
    print("|---|---|---|---|---|")
    for c in configs:
        rows = [r for r in results if r["config"] == c]
        print(f"| {c} | {median_range([r['call_ms'] for r in rows], '.2f')} "
              f"| {median_range([r['call_ms_min'] for r in rows], '.2f')} "
              f"| {median_range([r['cpu_ms_per_batch'] for r in rows], '.2f')} "
              f"| {median_range([r['load'] for r in rows], '.2f')} |")


def parent(args: argparse.Namespace) -> None:
    configs = (args.configs or ",".join(CONFIGS if args.mode == "throughput" else CALL_CONFIGS)).split(",")
    binary = otelpack_binary(args.otelpack_bin)
    sink_proc, sink = start([binary, "sink", "--listen", "127.0.0.1:0", "--project", PROJECT, "--count-only"],
                            r"listening on (http://127\.0\.0\.1:\d+)")
    agent_proc, agent = start([binary, "run", "--otlp-http", "127.0.0.1:0", "--otlp-grpc", "off", "--metrics", "off",
                               "--endpoint", sink, "--project", PROJECT, "--quiet"],
                              r"OTLP/HTTP (http://127\.0\.0\.1:\d+)")
    print(f"sink {sink} (count-only), agent {agent}; {args.mode}, {args.rounds} rounds, "
          + (f"{args.spans} spans a run, {args.threads} thread(s)" if args.mode == "throughput"
             else f"{args.calls} calls a run"))
    results: list[dict[str, Any]] = []
    expected = sink_events(sink)
    try:
        for n in range(args.rounds):
            for config in (configs if n % 2 == 0 else list(reversed(configs))):
                load = os.getloadavg()[0]
                r = run_child(args, config, sink, agent)
                r.update(round=n + 1, load=load)
                results.append(r)
                expected += r["to_sink"]
                if r["handed_on"] >= 0 and config != "noop" and r["handed_on"] != r["to_sink"]:
                    sys.exit(f"export_bench: {config} handed on {r['handed_on']} of {r['to_sink']} spans")
                shown = (f"{r['spans_per_s']:8,.0f} spans/s {r['cpu_us_per_span']:6.1f} µs CPU/span, of which "
                         f"export() {r['export_us_per_span']:5.2f} + core threads {r['native_us_per_span']:5.2f}"
                         if args.mode == "throughput" else
                         f"export {r['call_ms']:6.2f} ms/call, {r['cpu_ms_per_batch']:6.2f} ms CPU/batch")
                print(f"round {n + 1} {config:14} {shown}  (load {load:.2f})", flush=True)
        # The agent may still be delivering what the OTLP exporter handed it.
        deadline = time.monotonic() + 60
        while sink_events(sink) < expected and time.monotonic() < deadline:
            time.sleep(0.2)
        got = sink_events(sink)
        print(f"\nthe sink counted {got:,} span events, {expected:,} expected: "
              + ("all arrived" if got == expected else "MISMATCH"))
    finally:
        for proc in (agent_proc, sink_proc):
            proc.terminate()
            proc.wait(timeout=60)
    (report_throughput if args.mode == "throughput" else report_call)(results, configs)
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(results, indent=1))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--mode", choices=("throughput", "call"), default="throughput")
    p.add_argument("--rounds", type=int, default=5, help="alternated rounds (default 5)")
    p.add_argument("--configs", help="comma-separated, from otelpack, otelpack-gzip, otlp, plain, noop "
                   f"(default {','.join(CONFIGS)}; --mode call: {','.join(CALL_CONFIGS)})")
    p.add_argument("--spans", type=int, default=30720, help="spans measured per run (default 30720: 60 batches)")
    p.add_argument("--warmup", type=int, default=2048, help="spans made and exported before measuring (default 2048)")
    p.add_argument("--threads", type=int, default=1, help="threads making the spans (default 1)")
    p.add_argument("--calls", type=int, default=60, help="--mode call: timed export calls per run (default 60)")
    p.add_argument("--otelpack-bin", help="the otelpack binary (default $OTELPACK_BIN, else build/ci's)")
    p.add_argument("--json", help="write every run's figures to this file")
    p.add_argument("--child", help=argparse.SUPPRESS)
    p.add_argument("--config", help=argparse.SUPPRESS)
    p.add_argument("--sink", help=argparse.SUPPRESS)
    p.add_argument("--agent", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        try:
            result = child_throughput(args) if args.child == "throughput" else child_call(args)
        except _Failure as e:
            sys.exit(f"export_bench: {e}")
        print(json.dumps(result))
    else:
        parent(args)


if __name__ == "__main__":
    main()

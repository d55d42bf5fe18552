# What the Python senders (send_spans.py, send_logs.py, send_metrics.py)
# share: their command line, typed values (the expectation file's format,
# README.md "The expected-events file"), the exporter wrapper that keeps what
# was delivered, the services' resources and the awkward text and values.
import argparse
import base64
import json
import logging
import math
import sys
import threading
import warnings

# The limits the senders set on purpose make the SDK warn for each value it
# drops or cuts; so do the status description of an OK span and the
# non-finite measurements. The exporters' own errors still show.
for name in ("opentelemetry.attributes", "opentelemetry.trace.status", "opentelemetry.sdk.metrics._internal.instrument"):
    logging.getLogger(name).setLevel(logging.ERROR)
warnings.filterwarnings("ignore", message="Log record attributes were dropped")

# Explicit times (ns since the epoch) make timestamps exact.
T0 = 1732480000123456789


def sender_args(script):
    """The common command line: --exporter proto|grpc --url URL --out FILE
    --run-id ID [--compression none|gzip]. proto takes the full URL
    (http://host:port/v1/<signal>), grpc http://host:port. Exits 2 when bad."""
    parser = argparse.ArgumentParser(prog=script)
    parser.add_argument("--exporter", required=True, choices=["proto", "grpc"])
    parser.add_argument("--url", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--run-id", required=True)
    parser.add_argument("--compression", default="none", choices=["none", "gzip"])
    return parser.parse_args()


def exporter_options(args):
    """Keyword arguments of an OTLP exporter of either transport: its
    endpoint, compression (each transport has its own enum) and timeout."""
    if args.exporter == "grpc":
        from grpc import Compression
        compression = Compression.Gzip if args.compression == "gzip" else Compression.NoCompression
        return {"endpoint": args.url, "insecure": True, "compression": compression, "timeout": 10}
    from opentelemetry.exporter.otlp.proto.http import Compression
    compression = Compression.Gzip if args.compression == "gzip" else Compression.NoCompression
    return {"endpoint": args.url, "compression": compression, "timeout": 10}


# Typed values (README.md): what the comparison needs beyond plain JSON, so
# that 5 and 5.0 differ and int64 stays exact.
def typed_double(v):
    """A double as the backend writes it; NaN and ±Infinity as null."""
    if math.isnan(v) or math.isinf(v):
        return {"n": None}
    return {"d": repr(float(v))}


def typed_int(v):
    return {"i": str(int(v))}


def typed_value(v):
    """A Python attribute value or log AnyValue as the backend writes it
    (the OTLP encoder's _encode_value: bool before int, bytes as base64)."""
    if v is None:
        return {"n": None}
    if isinstance(v, bool):
        return {"b": v}
    if isinstance(v, str):
        return {"s": v}
    if isinstance(v, int):
        return typed_int(v)
    if isinstance(v, float):
        return typed_double(v)
    if isinstance(v, (bytes, bytearray)):
        return {"s": base64.b64encode(bytes(v)).decode("ascii")}
    if isinstance(v, dict) or hasattr(v, "items"):
        return typed_attributes(v)
    if isinstance(v, (list, tuple)):
        return {"a": [typed_value(x) for x in v]}
    raise TypeError(f"not an attribute value: {v!r}")


def typed_attributes(attributes):
    return {"o": [[str(k), typed_value(v)] for k, v in (attributes or {}).items()]}


def typed_scope(scope):
    """The optional "scope" field of every event."""
    return {"o": [
        ["name", {"s": scope.name}],
        ["version", {"s": scope.version or ""}],
        ["attributes", typed_attributes(getattr(scope, "attributes", None))],
    ]}


def millis(ns):
    return typed_int(ns // 1000000)


def service_name(attributes):
    name = attributes.get("service.name")
    return name if isinstance(name, str) else "unknown"


def service_resources(prefix, run_id):
    """The attributes of three services: a frontend with attributes of several
    types, a backend whose name is not ASCII, one without service.name (the
    backend writes "unknown"). Each carries the run id, which tells the
    comparison which stored events are the run's."""
    return {
        "frontend": {
            "service.name": f"{prefix}-frontend", "service.version": "1.2.3", "test.run_id": run_id,
            "host.cores": 8, "host.load": 0.25, "host.arch.list": ("amd64", "arm64"), "feature.enabled": True,
        },
        "backend": {"service.name": f"{prefix}-backend \u00e9\u00e8 \u670d\u52a1", "test.run_id": run_id},
        "anonymous": {"test.run_id": run_id, "service.instance.id": f"{prefix}-anonymous-1"},
    }


# Keys and values that need escaping or are not ASCII. Python strings can hold
# lone surrogates, but protobuf cannot encode them: the exporter would fail
# the whole batch, so there are none here.
AWKWARD = {
    'quote"key': 'a "quoted" value',
    "back\\slash": "C:\\temp\\new",
    "ctl\u0001\u001fkey": "bell\u0007 esc\u001b nul\u0000 end",
    "new\nline": "line1\nline2\r\n\ttabbed",
    "del\u007fkey": "del\u007f",
    "ls\u2028ps\u2029": "separators \u2028 \u2029",
    "slash/</script>": "</script><!--",
    "\u30ad\u30fc": "\u65e5\u672c\u8a9e\u306e\u5024",
    "emoji.\U0001f680": "\U0001f389\U0001f468\u200d\U0001f469\u200d\U0001f467 family",
    "combining": "cafe\u0301 n\u0303 a\u030a",
    "bidi": "\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627",
}


def every_value_type():
    """Every attribute value type the Python SDK takes: ints at the edges of
    int64, doubles at the edges of their range, NaN and infinities, -0.0,
    booleans and homogeneous sequences (empty too)."""
    return {
        "str": "value", "str.empty": "",
        "int": 42, "int.negative": -7, "int.zero": 0,
        "int.max": 2**63 - 1, "int.min": -(2**63), "int.2^53+1": 2**53 + 1,
        "double": 3.14159, "double.negative": -0.5, "double.negative_zero": -0.0, "double.integral": 3.0,
        "double.tiny": 5e-324, "double.small": 1e-7, "double.big": 1.7976931348623157e308, "double.third": 1 / 3,
        "double.nan": math.nan, "double.inf": math.inf, "double.-inf": -math.inf,
        "bool.true": True, "bool.false": False,
        "array.str": ["a", "", "\u00e9", 'x"y'], "array.int": (1, -2, 3, 2**63 - 1),
        "array.double": [0.5, -1.25, 1e-7, 2.5e300, math.nan], "array.bool": [True, False, True],
        "array.empty": [],
        "long.string": "x" * 10000 + "\u672b",
    }


def many_attributes(n, prefix):
    """n attributes named prefix.000 ..., strings, ints and doubles in turn."""
    return {f"{prefix}.{i:03d}": (f"v{i}" if i % 3 == 0 else i if i % 3 == 1 else i + 0.5) for i in range(n)}


class RecordingExporter:
    """Passes each export on to the OTLP exporter and keeps what it
    delivered: `snapshot(items)` reads an export's items at the moment of the
    export (a metric collection's objects may change later), and the
    snapshots of the successful exports are `delivered`; the failed ones are
    in `failures` (the SDK would only log them). `success` is the exporter
    result that means delivered."""

    def __init__(self, inner, success, snapshot=list):
        self.inner = inner
        self.success = success
        self.snapshot = snapshot
        self.delivered = []
        self.failures = []
        self._lock = threading.Lock()
        # A metric reader asks its exporter for these.
        for name in ("_preferred_temporality", "_preferred_aggregation"):
            if hasattr(inner, name):
                setattr(self, name, getattr(inner, name))

    def export(self, items, *args, **kwargs):
        try:
            copy = self.snapshot(items)
        except Exception as e:  # the SDK would swallow it
            with self._lock:
                self.failures.append(f"reading the export: {e!r}")
            copy = []
        result = self.inner.export(items, *args, **kwargs)
        with self._lock:
            if result == self.success:
                self.delivered.extend(copy)
            else:
                self.failures.append(f"export returned {result}")
        return result

    def force_flush(self, *args, **kwargs):
        return self.inner.force_flush(*args, **kwargs)

    def shutdown(self, *args, **kwargs):
        return self.inner.shutdown(*args, **kwargs)


def well_formed_check(cases):
    """Every string of the expectation must be encodable: a lone surrogate
    here would be a mistake of the sender, not of the agent."""
    json.dumps(cases, ensure_ascii=False).encode("utf-8")


def write_expected(args, body, out_label):
    """Writes the expectation file (the run header, then `body`)."""
    document = {"run_id": args.run_id, "exporter": args.exporter, "compression": args.compression, **body}
    well_formed_check(document)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(document, f, ensure_ascii=False, indent=1)
    label = args.exporter + ("" if args.compression == "none" else f", {args.compression}")
    print(f"{out_label} ({label}): {body_summary(body)} sent to {args.url}")


def body_summary(body):
    if "traces" in body:
        return f"{body['spans']} spans in {len(body['traces'])} traces"
    return f"{len(body['cases'])} {body['signal']} events of {len(set(body['services']))} services"


def finish(label, service, read, what):
    """Flushes a service's provider, reads its in-memory records with `read`
    (before shutdown, which may empty them), shuts it down, and checks that
    its OTLP exporter delivered as many `what`. Returns the records and
    whether all went well."""
    provider = service["provider"]
    ok = provider.force_flush(20000)
    if not ok:
        print(f"{label}: force_flush timed out", file=sys.stderr)
    records = read(service["memory"])
    provider.shutdown()
    delivered = len(service["otlp"].delivered)
    if delivered != len(records):
        print(f"{label}: the OTLP exporter sent {delivered} {what} of {len(records)}", file=sys.stderr)
        ok = False
    return records, ok


def report_failures(label, exporters):
    """Prints each failure of the RecordingExporters; returns whether any."""
    failed = False
    for exporter in exporters:
        for failure in exporter.failures:
            print(f"{label}: export failed: {failure}", file=sys.stderr)
            failed = True
    return failed

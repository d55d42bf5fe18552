// What the three senders (send_spans.mjs, send_logs.mjs, send_metrics.mjs)
// share: their command line, the wrapper that sees every export the OTLP
// exporter makes, exact times, and the awkward text and values every signal
// carries.
import { parseArgs } from 'node:util';

import { DiagLogLevel, diag } from '@opentelemetry/api';

import { typedAttributes } from '../typed_json.mjs';

// The command line of a sender:
//   --exporter proto|http|grpc --url URL --out expected.json --run-id ID
//   [--compression none|gzip]
// proto and http take the full URL (http://host:port/v1/<signal>); grpc
// takes http://host:port. Exits with status 2 on a bad command line.
export function senderArgs(script) {
  const { values: args } = parseArgs({
    options: {
      exporter: { type: 'string' },
      url: { type: 'string' },
      out: { type: 'string' },
      'run-id': { type: 'string' },
      compression: { type: 'string', default: 'none' },
    },
  });
  for (const name of ['exporter', 'url', 'out', 'run-id']) {
    if (!args[name]) {
      console.error(`${script}: --${name} is required`);
      process.exit(2);
    }
  }
  if (!['proto', 'http', 'grpc'].includes(args.exporter)) {
    console.error(`${script}: --exporter must be proto, http or grpc, not ${args.exporter}`);
    process.exit(2);
  }
  if (!['none', 'gzip'].includes(args.compression)) {
    console.error(`${script}: --compression must be none or gzip, not ${args.compression}`);
    process.exit(2);
  }
  return args;
}

// The chosen exporter of one signal: `classes` holds its proto, http and grpc
// classes; `extra` more options (a metric exporter's temporality).
export function makeExporter(args, classes, extra = {}) {
  const options = { url: args.url, compression: args.compression, timeoutMillis: 10000, ...extra };
  return new classes[args.exporter](options);
}

// The SDK only logs what goes wrong in an exporter (a refused request, a
// partial success); a sender prints it, so that a failed comparison comes
// with its cause; `expected` are the warnings the sender provokes on purpose.
// Returns the count of records the agent refused in partial successes
// (`rejected`), which the sender checks.
export function watchSdkWarnings(script, expected = []) {
  const seen = { rejected: 0 };
  const print = (level) => (...parts) => console.error(`${script}: SDK ${level}:`, ...parts);
  const warn = print('warning');
  diag.setLogger({
    error: print('error'),
    warn: (message, ...rest) => {
      if (String(message).startsWith('Received Partial Success response')) {
        const partial = JSON.parse(rest[0] ?? '{}');
        seen.rejected += Number(partial.rejectedLogRecords ?? partial.rejectedDataPoints ?? partial.rejectedSpans ?? 0);
        seen.lastMessage = partial.errorMessage;
        return;
      }
      if (!expected.includes(message)) warn(message, ...rest);
    },
    info: () => {},
    debug: () => {},
    verbose: () => {},
  }, DiagLogLevel.WARN);
  return seen;
}

// Passes each export on to the OTLP exporter and keeps what it delivered:
// `snapshot(items)` turns an export's items into plain values at the moment
// of the export (so that whatever the SDK later does with its objects, a
// metric collection's included, cannot change them), and the snapshots of
// the successful exports are `delivered`. Failed exports are in
// `failures`: the SDK would only log them.
export class RecordingExporter {
  constructor(inner, snapshot = (items) => items) {
    this.inner = inner;
    this.snapshot = snapshot;
    this.failures = [];
    this.delivered = [];
    // A metric reader asks the exporter for its temporality and aggregation.
    if (inner.selectAggregationTemporality) {
      this.selectAggregationTemporality = inner.selectAggregationTemporality.bind(inner);
    }
    if (inner.selectAggregation) this.selectAggregation = inner.selectAggregation.bind(inner);
  }

  export(items, done) {
    let copy;
    try {
      copy = this.snapshot(items);
    } catch (e) {
      // The SDK would swallow it.
      this.failures.push(`reading the export: ${e?.stack ?? e}`);
      copy = [];
    }
    this.inner.export(items, (result) => {
      if (result.code === 0) {
        this.delivered.push(...copy);
      } else {
        this.failures.push(String(result.error?.message ?? result.error ?? 'export failed'));
      }
      done(result);
    });
  }

  forceFlush() { return this.inner.forceFlush ? this.inner.forceFlush() : Promise.resolve(); }

  shutdown() { return this.inner.shutdown(); }
}

// Flushes and shuts down each provider and prints (after `label`) each
// failure of its RecordingExporters (`otlp`, or `exporters`) and of the
// calls; returns whether there was one. `beforeShutdown(service)` runs
// between the two (shutdown empties the SDK's in-memory exporters).
export async function finish(label, services, beforeShutdown = () => {}) {
  const failures = [];
  for (const service of services) {
    try {
      await service.provider.forceFlush();
    } catch (e) {
      failures.push(`flush: ${e?.message ?? e}`);
    }
    beforeShutdown(service);
    try {
      await service.provider.shutdown();
    } catch (e) {
      failures.push(`shutdown: ${e?.message ?? e}`);
    }
    for (const otlp of service.exporters ?? [service.otlp]) failures.push(...otlp.failures);
  }
  for (const failure of failures) console.error(`${label}: export failed: ${failure}`);
  return failures.length > 0;
}

// Whether the OTLP exporter delivered as many items as the SDK produced
// (`captured`); says so when not.
export function sentAll(label, otlp, captured, what) {
  if (otlp.delivered.length === captured) return true;
  console.error(`${label}: the OTLP exporter sent ${otlp.delivered.length} ${what} of ${captured}`);
  return false;
}

// The resource attributes of the three services of a sender, whose names
// start with `prefix`: a frontend with attributes of several types, a
// backend whose name is not ASCII, and one without service.name (the
// backend writes "unknown"). Each carries the run id, which tells the
// comparison which stored events are the run's.
export function serviceResources(prefix, runId) {
  return {
    frontend: {
      'service.name': `${prefix}-frontend`,
      'service.version': '1.2.3',
      'test.run_id': runId,
      'host.cores': 8,
      'host.load': 0.25,
      'host.arch.list': ['amd64', 'arm64'],
      'feature.enabled': true,
    },
    backend: { 'service.name': `${prefix}-backend \u00e9\u00e8 \u670d\u52a1`, 'test.run_id': runId },
    anonymous: { 'test.run_id': runId, 'service.instance.id': `${prefix}-anonymous-1` },
  };
}

// Explicit times (HrTime: [seconds, nanoseconds]) make timestamps exact.
export const T0 = [1732480000, 123456789];

// T0 plus `ns` nanoseconds, as an HrTime.
export function at(ns) {
  const total = BigInt(T0[0]) * 1000000000n + BigInt(T0[1]) + BigInt(ns);
  return [Number(total / 1000000000n), Number(total % 1000000000n)];
}

// An HrTime in nanoseconds, as the OTLP exporters compute it.
export function nanos(hrTime) {
  return BigInt(Math.trunc(hrTime[0])) * 1000000000n + BigInt(Math.trunc(hrTime[1]));
}

// floor(time / 1e6) of an HrTime, as a decimal string (typed_json's {i}).
export function millis(hrTime) {
  return (nanos(hrTime) / 1000000n).toString();
}

// Keys and values that need escaping or are not ASCII.
export const kAwkward = {
  'quote"key': 'a "quoted" value',
  'back\\slash': 'C:\\temp\\new',
  'ctl\u0001\u001fkey': 'bell\u0007 esc\u001b nul\u0000 end',
  'new\nline': 'line1\nline2\r\n\ttabbed',
  'del\u007fkey': 'del\u007f',
  'ls\u2028ps\u2029': 'separators \u2028 \u2029',
  'slash/</script>': '</script><!--',
  '\u30ad\u30fc': '\u65e5\u672c\u8a9e\u306e\u5024',
  'emoji.\u{1f680}': '\u{1f389}\u{1f468}\u200d\u{1f469}\u200d\u{1f467} family',
  'combining': 'cafe\u0301 n\u0303 a\u030a',
  'bidi': '\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627',
};

// Every attribute value type a span, a log record and a data point can
// carry: strings, ints at the edges of int64 and of exact doubles, doubles
// at the edges of their range, NaN and infinities, booleans, arrays.
export function everyValueType() {
  return {
    'str': 'value',
    'str.empty': '',
    'int': 42,
    'int.negative': -7,
    'int.zero': 0,
    'int.negative_zero': -0,
    'int.max_safe': Number.MAX_SAFE_INTEGER,
    'int.min_safe': Number.MIN_SAFE_INTEGER,
    'int.2^60': 2 ** 60,
    'int.-2^63': -(2 ** 63),
    'int.2^63': 2 ** 63,  // beyond int64: a double
    'int.1e21': 1e21,  // JSON.stringify writes 1e+21
    'double': 3.14159,
    'double.negative': -0.5,
    'double.tiny': 5e-324,
    'double.small': 1e-7,
    'double.big': 1.7976931348623157e308,
    'double.third': 1 / 3,
    'double.nan': NaN,
    'double.inf': Infinity,
    'double.-inf': -Infinity,
    'bool.true': true,
    'bool.false': false,
    'array.str': ['a', '', '\u00e9', 'x"y'],
    'array.int': [1, -2, 3, Number.MAX_SAFE_INTEGER],
    'array.double': [0.5, -1.25, 1e-7, 2.5e300],
    'array.bool': [true, false, true],
    'array.with_null': [1, null, 3, undefined],
    'array.empty': [],
    'long.string': `${'x'.repeat(10000)}\u672b`,
  };
}

// `n` attributes named prefix.000 ..., strings, ints and doubles in turn.
export function manyAttributes(n, prefix) {
  const out = {};
  for (let i = 0; i < n; i++) out[`${prefix}.${String(i).padStart(3, '0')}`] = i % 3 === 0 ? `v${i}` : i % 3 === 1 ? i : i + 0.5;
  return out;
}

// The event's "service": the resource's service.name when it is a string.
export function serviceName(resourceAttributes) {
  const name = resourceAttributes['service.name'];
  return typeof name === 'string' ? name : 'unknown';
}

// The optional "scope" field of every event.
export function typedScope(scope) {
  return {
    o: [
      ['name', { s: scope.name }],
      ['version', { s: scope.version ?? '' }],
      ['attributes', typedAttributes(scope.attributes)],
    ],
  };
}

// The expectation file's header: which run, exporter and compression.
export function runHeader(args) {
  return { run_id: args['run-id'], exporter: args.exporter, compression: args.compression };
}

// "proto, gzip" for messages.
export function exporterLabel(args) {
  return `${args.exporter}${args.compression === 'none' ? '' : `, ${args.compression}`}`;
}

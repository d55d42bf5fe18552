// Sends log records of every shape through the official OpenTelemetry JS SDK
// (LoggerProvider) and one of its OTLP log exporters, and writes the backend
// events they must become (docs/wire-protocol.md, "Log event"), computed
// here from the SDK's own records: an InMemoryLogRecordExporter on the same
// provider sees each record the OTLP exporter sees.
//
//   node send_logs.mjs --exporter proto|http|grpc --url URL --out expected.json \
//        --run-id ID [--compression none|gzip]
//
// proto and http take the full URL (http://host:port/v1/logs); grpc takes
// http://host:port. Exits non-zero when an export failed or the agent
// refused a record (an OTLP partial success).
import { writeFileSync } from 'node:fs';

import { INVALID_SPAN_CONTEXT, ROOT_CONTEXT, TraceFlags, context, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter as GrpcExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as HttpJsonExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchLogRecordProcessor, InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';

import {
  RecordingExporter, at, everyValueType, exporterLabel, finish, kAwkward, makeExporter, manyAttributes, millis,
  nanos, runHeader, senderArgs, sentAll, serviceName, serviceResources, typedScope, watchSdkWarnings,
} from './sender.mjs';
import { typedAttributeValue, typedAttributes, typedInt, wellFormed } from '../typed_json.mjs';

const args = senderArgs('send_logs');
const kExporters = { proto: ProtoExporter, http: HttpJsonExporter, grpc: GrpcExporter };
// The backend service's limit of 8 attributes drops some, and the SDK says so.
const sdk = watchSdkWarnings('send_logs', ['Dropping extra attributes.']);

// The API's context.with() only changes the active context with a context
// manager; this one is synchronous, which is all the records below need.
class StackContextManager {
  constructor() { this.current = ROOT_CONTEXT; }

  active() { return this.current; }

  with(ctx, fn, thisArg, ...rest) {
    const previous = this.current;
    this.current = ctx;
    try {
      return fn.call(thisArg, ...rest);
    } finally {
      this.current = previous;
    }
  }

  bind(_ctx, target) { return target; }

  enable() { return this; }

  disable() {
    this.current = ROOT_CONTEXT;
    return this;
  }
}
context.setGlobalContextManager(new StackContextManager());

// One service: a provider with its resource, the OTLP exporter behind a
// batch processor (or a simple one: one request per record), and an
// in-memory copy of every record, with the label of each.
function makeService(resourceAttributes, { simple = false, logRecordLimits } = {}) {
  const memory = new InMemoryLogRecordExporter();
  const otlp = new RecordingExporter(makeExporter(args, kExporters));
  const provider = new LoggerProvider({
    resource: resourceFromAttributes(resourceAttributes),
    logRecordLimits,
    processors: [
      new SimpleLogRecordProcessor({ exporter: memory }),
      simple ? new SimpleLogRecordProcessor({ exporter: otlp })
        : new BatchLogRecordProcessor({ exporter: otlp, scheduledDelayMillis: 50, maxExportBatchSize: 64 }),
    ],
  });
  return { name: serviceName(resourceAttributes), provider, memory, otlp, labels: [] };
}

const resources = serviceResources('interop-logs', args['run-id']);
const frontend = makeService(resources.frontend);
// Small limits: the SDK drops attributes and cuts long values. Each record
// is its own export.
const backend = makeService(
  resources.backend, { simple: true, logRecordLimits: { attributeCountLimit: 8, attributeValueLengthLimit: 24 } });
const anonymous = makeService(resources.anonymous);
// A service.name that is not a string: "unknown" too.
const numbered = makeService({ 'service.name': 42, 'test.run_id': args['run-id'] });
const services = [frontend, backend, anonymous, numbered];

// Loggers are scopes: with a version, schema URL and scope attributes, and without.
const web = { service: frontend, logger: frontend.provider.getLogger('@interop/web', '2.0.0', {
  schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
  attributes: { 'scope.team': 'checkout', 'scope.shard': 3, 'scope.canary': false },
}) };
const unversioned = { service: frontend, logger: frontend.provider.getLogger('interop-unversioned') };
const api = { service: backend, logger: backend.provider.getLogger('@interop/api', '0.9.1') };
const worker = { service: anonymous, logger: anonymous.provider.getLogger('@interop/worker', '3.1.4') };

const tracer = new BasicTracerProvider().getTracer('@interop/log-context');

// Emits one record; `label` names it in the comparison's messages.
function emit(source, label, record) {
  source.service.labels.push(label);
  source.logger.emit(record);
}

// Each record its own time, a millisecond and a bit apart.
let clock = 0;
function nextTime() {
  clock += 1000003;
  return at(clock);
}

// Every severity number, without a severity text (the backend names the
// range) and, for the first of each range and the edges, with one.
function severities() {
  const texts = {
    0: 'custom', 1: 'TRACE', 5: 'debug', 9: 'Information \u00e9', 13: 'WARNING', 17: 'E',
    21: 'CRIT \u2620', 24: 'FATAL4', 25: 'BEYOND',
  };
  for (let n = 0; n <= 25; n++) {
    const timestamp = nextTime();
    emit(web, `severity ${n} without text`, {
      timestamp, observedTimestamp: at(clock + 500000000), severityNumber: n, body: `severity ${n}`, attributes: { n },
    });
    if (n in texts) {
      emit(web, `severity ${n} text ${JSON.stringify(texts[n])}`, {
        timestamp: nextTime(), severityNumber: n, severityText: texts[n], body: `severity ${n} with text`,
      });
    }
  }
  emit(web, 'no severity number', { timestamp: nextTime(), body: 'no severity at all' });
  emit(web, 'severity 17, empty text', { timestamp: nextTime(), severityNumber: 17, severityText: '', body: 'empty text' });
  emit(web, 'no severity number, text NOTICE', { timestamp: nextTime(), severityText: 'NOTICE', body: 'text only' });
  emit(web, 'severity number 100', { timestamp: nextTime(), severityNumber: 100, body: 'far out of range' });
  emit(web, 'severity number 2^31-1', { timestamp: nextTime(), severityNumber: 2 ** 31 - 1, body: 'the largest' });
}

// Every body type.
function bodies() {
  const cases = [
    ['string', 'payment declined: card expired'],
    ['empty string', ''],
    ['map', {
      user: 'u-42', amount: 12.5, items: 3, paid: false, tags: ['a', 'b'], nested: { level: 2, deeper: { ok: true } },
      nothing: null, raw: new Uint8Array([1, 2, 3]),
    }],
    ['empty map', {}],
    ['array', [1, 'two', 3.5, true, null, { k: 'v' }, [1, [2, [3]]], new Uint8Array([255])]],
    ['empty array', []],
    ['int', 42],
    ['negative int', -7],
    ['int 2^60', 2 ** 60],
    ['int -2^63', -(2 ** 63)],
    ['2^63, a double', 2 ** 63],
    ['double', 0.25],
    ['double 1e-7', 1e-7],
    ['double 1.7976931348623157e308', 1.7976931348623157e308],
    ['NaN', NaN],
    ['-Infinity', -Infinity],
    ['true', true],
    ['false', false],
    ['bytes', new Uint8Array([0, 1, 2, 0x7f, 0x80, 0xfe, 0xff, 0x3e, 0x3f])],
    ['empty bytes', new Uint8Array()],
    ['null', null],
    ['awkward string', Object.values(kAwkward).join(' | ')],
    ['map with awkward keys', kAwkward],
    ['long string', `${'y'.repeat(20000)}\u672b`],
    // Not valid UTF-16: each lone surrogate must arrive as U+FFFD.
    ['lone surrogates', 'high \ud800 low \udc00 pair \ud83d\ude80 reversed \udc00\ud800 end \ud800'],
  ];
  for (const [label, body] of cases) {
    emit(web, `body ${label}`, { timestamp: nextTime(), severityNumber: SeverityNumber.INFO, body });
  }
  emit(web, 'no body', { timestamp: nextTime(), severityNumber: SeverityNumber.INFO, attributes: { has_body: false } });
}

// Attribute values of every type a log record allows (maps and bytes too).
function attributes() {
  emit(web, 'every attribute type', {
    timestamp: nextTime(),
    severityNumber: SeverityNumber.DEBUG,
    body: 'every attribute type',
    attributes: {
      ...everyValueType(),
      'map': { a: 1, b: { c: 'd', e: [1.5, 'f'] } },
      'map.empty': {},
      'bytes': new Uint8Array([0xde, 0xad, 0xbe, 0xef]),
      'bytes.empty': new Uint8Array(),
      'null': null,
      'undefined': undefined,
      'array.mixed': [1, 'a', true, 2.5, null],
      'array.nested': [[1, 2], ['a'], []],
      'array.maps': [{ k: 'v' }, {}],
      'array.bytes': [new Uint8Array([1]), new Uint8Array([2, 3])],
    },
  });
  emit(web, 'awkward attributes', {
    timestamp: nextTime(), severityNumber: SeverityNumber.WARN, body: 'awkward', attributes: kAwkward,
  });
  emit(web, '100 attributes', {
    timestamp: nextTime(), severityNumber: SeverityNumber.INFO, body: 'many', attributes: manyAttributes(100, 'attr'),
  });
  emit(web, 'lone surrogates everywhere', {
    timestamp: nextTime(),
    severityNumber: SeverityNumber.WARN,
    severityText: 'WARN \udc00',
    eventName: 'event \ud800',
    body: { 'key \udfff': ['\ud800'] },
    attributes: { 'lone\ud800key': 'value \udfff', 'pair \ud83d\ude80': 'ok' },
  });
  emit(unversioned, 'no attributes, unversioned scope', { timestamp: nextTime(), body: 'bare' });
  // The SDK turns an exception into exception.* attributes.
  emit(web, 'exception', {
    timestamp: nextTime(),
    severityNumber: SeverityNumber.ERROR,
    body: 'charge failed',
    exception: new TypeError('card declined: "insufficient funds"\n\tretry later'),
  });
}

// Records in an active span, in a span given explicitly, in an unsampled
// or invalid span context, and outside any.
function traceContext() {
  const span = tracer.startSpan('checkout');
  context.with(trace.setSpan(context.active(), span), () => {
    emit(web, 'in the active span', { timestamp: nextTime(), severityNumber: SeverityNumber.INFO, body: 'in a span' });
    const child = tracer.startSpan('child');
    context.with(trace.setSpan(context.active(), child), () => {
      emit(web, 'in the active child span', { timestamp: nextTime(), severityNumber: SeverityNumber.INFO, body: 'in a child' });
    });
    child.end();
  });
  span.end();
  emit(web, 'after the span ended, outside it', { timestamp: nextTime(), severityNumber: SeverityNumber.INFO, body: 'outside' });

  const unsampled = {
    traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.NONE, isRemote: true,
  };
  emit(web, 'unsampled remote span context', {
    timestamp: nextTime(), severityNumber: SeverityNumber.INFO, body: 'unsampled', context: trace.setSpanContext(ROOT_CONTEXT, unsampled),
  });
  emit(web, 'invalid span context', {
    timestamp: nextTime(), severityNumber: SeverityNumber.INFO, body: 'invalid', context: trace.setSpanContext(ROOT_CONTEXT, INVALID_SPAN_CONTEXT),
  });
  const backendSpan = tracer.startSpan('backend work');
  emit(api, 'backend record in an explicit span context', {
    timestamp: nextTime(), severityNumber: SeverityNumber.WARN, body: 'explicit', context: trace.setSpan(ROOT_CONTEXT, backendSpan),
  });
  backendSpan.end();
}

// Event names (OTLP 1.5): set, empty (no field), with escapes.
function events() {
  emit(web, 'event name', {
    eventName: 'checkout.completed', timestamp: nextTime(), severityNumber: SeverityNumber.INFO,
    body: { order: 'o-1', total: 99.5 }, attributes: { 'payment.method': 'card' },
  });
  emit(web, 'empty event name', { eventName: '', timestamp: nextTime(), body: 'no event name' });
  emit(web, 'awkward event name', {
    eventName: '\u30a4\u30d9\u30f3\u30c8 "q" \\ \n\t\u0001 \u{1f680}', timestamp: nextTime(), severityText: '\u8b66\u544a "warn"\n',
  });
}

// Times: exact ones, the observed time when the time is 0, both 0, the
// clock, a Date, fractional milliseconds, after 2262 (beyond int64 ns).
function times() {
  emit(web, 'time 0: the observed time', { timestamp: [0, 0], observedTimestamp: at(876543210), body: 'observed only' });
  emit(web, 'time and observed time 0', { timestamp: [0, 0], observedTimestamp: [0, 0], body: 'no time at all' });
  emit(web, 'the clock', { body: 'now' });
  emit(web, 'a Date', { timestamp: new Date(1732480000999), observedTimestamp: new Date(1732480001000), body: 'date' });
  emit(web, 'fractional milliseconds', { timestamp: 1732480000123.987, body: 'fractional ms' });
  emit(web, 'just before a millisecond', { timestamp: [1732480000, 999999], body: '0.999999 ms' });
  emit(web, 'year 2300', { timestamp: [10413792000, 999999999], observedTimestamp: at(1), body: 'far future' });
}

// The backend's limits (8 attributes, values cut at 24 characters) and the
// service without a name.
function limitsAndAnonymous() {
  emit(api, '20 attributes, 8 kept', {
    timestamp: nextTime(), severityNumber: SeverityNumber.ERROR, body: 'over the limit', attributes: manyAttributes(20, 'server'),
  });
  emit(api, 'long values cut', {
    timestamp: nextTime(),
    severityNumber: SeverityNumber.WARN,
    body: 'the body is not cut: '.repeat(4),
    attributes: {
      long: 'abcdefghijklmnopqrstuvwxyz0123456789',
      map: { inner: '\u00e9'.repeat(40) },
      list: ['short', 'x'.repeat(30)],
    },
  });
  emit(worker, 'anonymous service', {
    timestamp: nextTime(), severityNumber: SeverityNumber.INFO, body: 'nightly job', attributes: { job: 'nightly' },
  });
  emit(worker, 'anonymous service, no severity', { timestamp: nextTime(), body: { step: 2 } });
  emit({ service: numbered, logger: numbered.provider.getLogger('@interop/numbered') }, 'service.name 42', {
    timestamp: nextTime(), severityNumber: SeverityNumber.INFO, body: 'a number for a name',
  });
}

// Enough records for several export batches (64 records each).
function bulk() {
  for (let i = 0; i < 150; i++) {
    emit(web, `bulk ${i}`, {
      timestamp: nextTime(), severityNumber: 1 + (i % 24), body: `bulk ${i}`, attributes: { i, even: i % 2 === 0 },
    });
  }
}

const kSeverityNames = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

// The backend event for one ReadableLogRecord (docs/wire-protocol.md, "Log
// event", with the optional resource and scope), as typed values.
function expectedEvent(r) {
  const number = r.severityNumber ?? 0;
  const range = number >= 1 && number <= 24 ? kSeverityNames[(number - 1) >> 2] : 'UNSPECIFIED';
  const fields = [
    ['type', { s: 'log' }],
    ['service', { s: serviceName(r.resource.attributes) }],
    ['timestamp_ms', { i: millis(nanos(r.hrTime) !== 0n ? r.hrTime : r.hrTimeObserved) }],
    ['severity', { s: r.severityText ? r.severityText : range }],
    ['severity_number', typedInt(number)],
    ['body', typedAttributeValue(r.body)],
    ['trace_id', r.spanContext ? { s: r.spanContext.traceId } : { n: null }],
    ['span_id', r.spanContext ? { s: r.spanContext.spanId } : { n: null }],
    ['attributes', typedAttributes(r.attributes)],
  ];
  if (r.eventName) fields.push(['event_name', { s: r.eventName }]);
  fields.push(['resource', typedAttributes(r.resource.attributes)], ['scope', typedScope(r.instrumentationScope)]);
  return wellFormed({ o: fields });
}

severities();
bodies();
attributes();
traceContext();
events();
times();
limitsAndAnonymous();
bulk();

const label = `send_logs (${args.exporter})`;
// Before shutdown, which empties the in-memory exporters.
let failed = await finish(label, services, (service) => {
  service.records = service.memory.getFinishedLogRecords().slice();
});
if (sdk.rejected !== 0) {
  console.error(`${label}: the agent refused ${sdk.rejected} records: ${sdk.lastMessage}`);
  failed = true;
}
const cases = [];
for (const service of services) {
  // Each emitted record has its label: the SDK must have kept them all.
  if (service.records.length !== service.labels.length) {
    console.error(`${label}: the SDK kept ${service.records.length} of ${service.labels.length} records`);
    failed = true;
  }
  service.records.forEach((record, i) => {
    cases.push({ label: service.labels[i] ?? `record ${i}`, event: expectedEvent(record) });
  });
  if (!sentAll(label, service.otlp, service.records.length, 'records')) failed = true;
}
writeFileSync(args.out, JSON.stringify({
  signal: 'log', ...runHeader(args), services: [...new Set(services.map((s) => s.name))], cases,
}, null, 1));
console.log(`send_logs (${exporterLabel(args)}): ${cases.length} log records of ${services.length} services sent to ${args.url}`);
process.exit(failed ? 1 : 0);

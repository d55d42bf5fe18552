// Sends spans of every shape through the official OpenTelemetry JS SDK and
// one of its OTLP exporters, and writes the backend events they must become
// (docs/wire-protocol.md), computed here from the SDK's own ReadableSpans.
//
//   node send_spans.mjs --exporter proto|http|grpc --url URL --out expected.json \
//        --run-id ID [--compression none|gzip]
//
// proto and http take the full URL (http://host:port/v1/traces); grpc takes
// http://host:port. Exits non-zero when an export failed.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';

import {
  ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, createTraceState, trace,
} from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter, SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as HttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';

import {
  RecordingExporter, at, everyValueType, exporterLabel, finish, kAwkward, makeExporter, manyAttributes, millis,
  nanos, runHeader, senderArgs, sentAll, serviceName, serviceResources, typedScope,
} from './sender.mjs';
import { typedAttributes, wellFormed } from '../typed_json.mjs';

const args = senderArgs('send_spans');
const kExporters = { proto: ProtoExporter, http: HttpJsonExporter, grpc: GrpcExporter };

// One service: a provider with its resource, the OTLP exporter behind a
// batch processor, and an in-memory copy of every span it ended.
function makeService(resourceAttributes, spanLimits) {
  const memory = new InMemorySpanExporter();
  const otlp = new RecordingExporter(makeExporter(args, kExporters));
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(resourceAttributes),
    spanLimits,
    spanProcessors: [
      new SimpleSpanProcessor(memory),
      new BatchSpanProcessor(otlp, { scheduledDelayMillis: 50, maxExportBatchSize: 64 }),
    ],
  });
  return { provider, memory, otlp };
}

const resources = serviceResources('interop', args['run-id']);
const frontend = makeService(resources.frontend);
// Small limits: the SDK drops, and the backend must report the counts.
const backend = makeService(
  resources.backend, { attributeCountLimit: 8, eventCountLimit: 2, linkCountLimit: 1, attributePerEventCountLimit: 3 });
const anonymous = makeService(resources.anonymous);
const services = [frontend, backend, anonymous];

const web = frontend.provider.getTracer('@interop/web', '2.0.0', { schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' });
const unversioned = frontend.provider.getTracer('interop-unversioned');
const api = backend.provider.getTracer('@interop/api', '0.9.1');
const worker = anonymous.provider.getTracer('@interop/worker', '3.1.4');

// Trace 1: a request through two services, every kind, errors, events, links.
function checkoutTrace() {
  const root = web.startSpan('GET /checkout', { kind: SpanKind.SERVER, attributes: everyValueType() });
  root.addEvent('request.received', { 'http.request.size': 512, 'client.ip': '10.0.0.7', ratio: 0.75, cached: false, tags: ['a', 'b'] });
  root.addEvent('no.attributes');
  const rootCtx = trace.setSpan(ROOT_CONTEXT, root);

  const client = web.startSpan('POST /api/orders', { kind: SpanKind.CLIENT, attributes: { 'http.method': 'POST', 'net.peer.port': 8443 } }, rootCtx);
  const clientCtx = trace.setSpan(ROOT_CONTEXT, client);

  // Across services: the backend's server span is the client span's child.
  const server = api.startSpan('POST /api/orders', {
    kind: SpanKind.SERVER,
    attributes: manyAttributes(20, 'server'),  // over the backend's limit of 8
    links: [
      { context: root.spanContext(), attributes: { 'link.reason': 'caller', 'link.n': 1, 'x.y': 2.5, 'z.w': true } },
      { context: client.spanContext() },  // over the limit of 1
    ],
  }, clientCtx);
  for (let i = 0; i < 4; i++) server.addEvent(`step.${i}`, { i, a: 'x', b: true, c: 1.5 });  // 2 kept, 2 dropped
  const serverCtx = trace.setSpan(ROOT_CONTEXT, server);

  const validate = api.startSpan('validate order', { kind: SpanKind.INTERNAL }, serverCtx);
  validate.recordException(new TypeError('card declined: "insufficient funds"\n\tretry later'));
  validate.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined: "insufficient funds"\n\u00e9\u{1f4b3}' });
  validate.end();

  const publish = api.startSpan('orders publish', { kind: SpanKind.PRODUCER, attributes: { 'messaging.system': 'kafka' } }, serverCtx);
  publish.end();

  const cache = web.startSpan('cache lookup', { kind: SpanKind.INTERNAL }, rootCtx);
  cache.setStatus({ code: SpanStatusCode.OK, message: 'ignored for OK' });
  cache.end();

  server.setStatus({ code: SpanStatusCode.ERROR });  // an error without a message
  server.end();
  client.end();
  root.end();

  // Trace 2: the consumer, in another service and another trace, linked to the producer.
  const consume = worker.startSpan('orders process', {
    kind: SpanKind.CONSUMER,
    root: true,
    links: [{ context: publish.spanContext(), attributes: { 'messaging.operation': 'process' } }],
  });
  consume.end();
}

// Trace 3: a remote parent with a trace state (as after W3C propagation).
function remoteParentTrace() {
  const remote = {
    traceId: randomBytes(16).toString('hex'),
    spanId: '00f067aa0ba902b7',
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
    traceState: createTraceState('vendor1=opaque-value,rojo=00f067aa0ba902b7'),
  };
  const ctx = trace.setSpanContext(ROOT_CONTEXT, remote);
  const span = web.startSpan('handle message', { kind: SpanKind.CONSUMER, attributes: { remote: true } }, ctx);
  const child = unversioned.startSpan('', { attributes: { 'empty.name': true } }, trace.setSpan(ROOT_CONTEXT, span));
  child.end();
  span.end();
}

// Trace 4: unicode and escapes in names, keys, values, events and status.
function awkwardTextTrace() {
  const span = web.startSpan('\u65e5\u672c\u8a9e\u306e\u64cd\u4f5c \u{1f389} cafe\u0301 "q" \\ \n\t\u0001', {
    kind: SpanKind.SERVER,
    attributes: kAwkward,
  });
  span.addEvent('\u30a4\u30d9\u30f3\u30c8 "\u{1f680}"\n', kAwkward);
  span.setStatus({ code: SpanStatusCode.ERROR, message: '\u30a8\u30e9\u30fc: "\\" \u0000 \u{1f4a5}' });
  span.end();
}

// Trace 5: 100 attributes, within the SDK's and the agent's default limit of 128.
function manyAttributesTrace() {
  const span = web.startSpan('many attributes', { kind: SpanKind.INTERNAL, attributes: manyAttributes(100, 'attr') });
  span.end();
}

// Trace 6: exact times, for start_time_ms, duration_ms rounding and timestamp_ms.
function timingTrace() {
  const root = web.startSpan('timed root', { kind: SpanKind.SERVER, startTime: at(0) });
  const ctx = trace.setSpan(ROOT_CONTEXT, root);
  const cases = [
    ['zero', 0],
    ['1500ns rounds up', 1500],  // 1.5 us -> 2 us
    ['2499ns rounds down', 2499],
    ['half a second minus 500ns', 499999500],
    ['999999500ns', 999999500],  // 999999.5 us -> 1000000 us = 1000.0 ms
    ['1234567890ns', 1234567890],
    ['one hour', 3600 * 1e9],
  ];
  for (const [name, ns] of cases) {
    const s = web.startSpan(name, { kind: SpanKind.INTERNAL, startTime: at(1000) }, ctx);
    s.addEvent('at the end', { ns }, at(1000 + ns));
    s.end(at(1000 + ns));
  }
  root.addEvent('just before a millisecond', {}, at(876543210));  // T0 + 0.876543210 s: ...999 ms + 999999 ns
  root.end(at(2 * 3600 * 1e9));
}

// Trace 7: a span of the service without a name, with a child in it.
function anonymousTrace() {
  const span = worker.startSpan('anonymous job', { kind: SpanKind.INTERNAL, attributes: { job: 'nightly' } });
  const child = worker.startSpan('anonymous step', { kind: SpanKind.CLIENT }, trace.setSpan(ROOT_CONTEXT, span));
  child.end();
  span.end();
}

// Trace 8: enough spans for several export batches (64 spans each).
function bulkTrace() {
  const root = web.startSpan('bulk root', { kind: SpanKind.SERVER });
  const ctx = trace.setSpan(ROOT_CONTEXT, root);
  for (let i = 0; i < 150; i++) {
    web.startSpan(`bulk ${i}`, { kind: i % 5, attributes: { i, even: i % 2 === 0 } }, ctx).end();
  }
  root.end();
}

const kKinds = ['internal', 'server', 'client', 'producer', 'consumer'];

// The backend event for one ReadableSpan (docs/wire-protocol.md, "Span
// event" and "Optional fields"), as typed values (typed_json.mjs).
function expectedEvent(span) {
  const ctx = span.spanContext();
  const parent = span.parentSpanContext?.spanId;
  const resource = span.resource.attributes;
  const start = nanos(span.startTime);
  const end = nanos(span.endTime);
  const elapsed = end > start ? end - start : 0n;
  const micros = elapsed / 1000n + (elapsed % 1000n >= 500n ? 1n : 0n);
  return {
    o: [
      ['type', { s: 'span' }],
      ['trace_id', { s: ctx.traceId }],
      ['span_id', { s: ctx.spanId }],
      ['parent_span_id', parent && parent !== '0000000000000000' ? { s: parent } : { n: null }],
      ['service', { s: serviceName(resource) }],
      ['operation', { s: span.name }],
      ['start_time_ms', { i: (start / 1000000n).toString() }],
      ['duration_ms', { us: micros.toString() }],
      ['status', { s: span.status.code === SpanStatusCode.ERROR ? 'error' : 'ok' }],
      ['status_message', { s: span.status.message ?? '' }],
      ['attributes', typedAttributes(span.attributes)],
      ['events', {
        a: span.events.map((e) => ({
          o: [
            ['name', { s: e.name }],
            ['timestamp_ms', { i: millis(e.time) }],
            ['attributes', typedAttributes(e.attributes)],
          ],
        })),
      }],
      // The optional fields (the agent under test enables them all).
      ['kind', { s: kKinds[span.kind] }],
      ['trace_state', { s: ctx.traceState?.serialize() ?? '' }],
      ['links', {
        a: span.links.map((l) => ({
          o: [
            ['trace_id', { s: l.context.traceId }],
            ['span_id', { s: l.context.spanId }],
            ['trace_state', { s: l.context.traceState?.serialize() ?? '' }],
            ['attributes', typedAttributes(l.attributes)],
          ],
        })),
      }],
      ['resource', typedAttributes(resource)],
      ['scope', typedScope(span.instrumentationScope)],
      ['dropped', {
        o: [
          ['attributes', { i: String(span.droppedAttributesCount) }],
          ['events', { i: String(span.droppedEventsCount) }],
          ['links', { i: String(span.droppedLinksCount) }],
        ],
      }],
    ],
  };
}

checkoutTrace();
remoteParentTrace();
awkwardTextTrace();
manyAttributesTrace();
timingTrace();
anonymousTrace();
bulkTrace();

const label = `send_spans (${args.exporter})`;
// Before shutdown, which empties the in-memory exporters.
let failed = await finish(label, services, (service) => {
  service.finished = service.memory.getFinishedSpans().slice();
});

const traces = {};
let spans = 0;
for (const service of services) {
  for (const span of service.finished) {
    (traces[span.spanContext().traceId] ??= []).push(wellFormed(expectedEvent(span)));
    spans++;
  }
  if (!sentAll(label, service.otlp, service.finished.length, 'spans')) failed = true;
}
writeFileSync(args.out, JSON.stringify({ ...runHeader(args), spans, traces }, null, 1));
console.log(`send_spans (${exporterLabel(args)}): ${spans} spans in ${Object.keys(traces).length} traces sent to ${args.url}`);
process.exit(failed ? 1 : 0);


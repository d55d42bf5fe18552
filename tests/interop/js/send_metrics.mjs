// Sends data points of every kind through the official OpenTelemetry JS SDK
// (MeterProvider) and one of its OTLP metric exporters, and writes the
// backend events they must become (docs/wire-protocol.md, "Metric event"),
// one per data point.
//
//   node send_metrics.mjs --exporter proto|http|grpc --url URL --out expected.json \
//        --run-id ID [--compression none|gzip]
//
// proto and http take the full URL (http://host:port/v1/metrics); grpc
// takes http://host:port. Exits non-zero when an export failed or the agent
// refused other data points than those it must (see `sent` below).
//
// The expectation is computed from exactly what each reader handed its OTLP
// exporter, read at the moment of the export (a collection is the SDK's
// snapshot; nothing promises its objects stay as they were), and the
// readers collect only when this script flushes them, so every collection
// is compared.
import { writeFileSync } from 'node:fs';

import { ValueType } from '@opentelemetry/api';
import { OTLPMetricExporter as GrpcExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import {
  AggregationTemporalityPreference, OTLPMetricExporter as HttpJsonExporter,
} from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality, AggregationType, DataPointType, MeterProvider, PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';

import {
  RecordingExporter, exporterLabel, finish, kAwkward, makeExporter, millis, nanos, runHeader, senderArgs,
  serviceName, serviceResources, typedScope, watchSdkWarnings,
} from './sender.mjs';
import { typedAttributes, typedDouble, typedInt, wellFormed } from '../typed_json.mjs';

const args = senderArgs('send_metrics');
const kExporters = { proto: ProtoExporter, http: HttpJsonExporter, grpc: GrpcExporter };
const sdk = watchSdkWarnings('send_metrics');

const kKinds = {
  [DataPointType.GAUGE]: 'gauge',
  [DataPointType.SUM]: 'sum',
  [DataPointType.HISTOGRAM]: 'histogram',
  [DataPointType.EXPONENTIAL_HISTOGRAM]: 'exponential_histogram',
};
const kTemporalities = {
  [AggregationTemporality.DELTA]: 'delta',
  [AggregationTemporality.CUMULATIVE]: 'cumulative',
};

// A double as the exporter sends it. The JSON exporter writes numbers with
// JSON.stringify, which drops the sign of -0 and writes NaN and ±Infinity as
// null, that is no value at all (OTLP/JSON would want "NaN", "Infinity");
// protobuf carries every double as it is.
const sent = args.exporter === 'http' ? (v) => (Number.isFinite(v) ? v + 0 : null) : (v) => v;
const double = (v) => typedDouble(sent(v));
const optionalDouble = (v) => (v === undefined ? { n: null } : double(v));

// A gauge or sum point whose double the exporter sends as no value: the
// agent refuses it (OTLP partial success), so it has no event.
const noValue = (metric, point) => (metric.dataPointType === DataPointType.GAUGE || metric.dataPointType === DataPointType.SUM) &&
  metric.descriptor.valueType !== ValueType.INT && sent(point.value) === null;

// The fields of a data point's kind (docs/wire-protocol.md, "Metric event").
function kindFields(metric, value) {
  const temporality = ['temporality', { s: kTemporalities[metric.aggregationTemporality] ?? 'unspecified' }];
  const number = () => (metric.descriptor.valueType === ValueType.INT ? typedInt(value) : double(value));
  const side = (buckets) => ({
    o: [['offset', typedInt(buckets.offset)], ['bucket_counts', { a: buckets.bucketCounts.map(typedInt) }]],
  });
  const countSumMinMax = () => [
    ['count', typedInt(value.count)],
    ['sum', optionalDouble(value.sum)],
    ['min', optionalDouble(value.min)],
    ['max', optionalDouble(value.max)],
  ];
  switch (metric.dataPointType) {
    case DataPointType.GAUGE:
      return [['value', number()]];
    case DataPointType.SUM:
      return [['value', number()], ['monotonic', { b: metric.isMonotonic }], temporality];
    case DataPointType.HISTOGRAM: {
      const bounds = value.buckets.boundaries;
      return [temporality, ...countSumMinMax(), ['buckets', {
        a: value.buckets.counts.map((count, i) => ({
          o: [['le', i < bounds.length ? double(bounds[i]) : { n: null }], ['count', typedInt(count)]],
        })),
      }]];
    }
    case DataPointType.EXPONENTIAL_HISTOGRAM:
      return [
        temporality, ...countSumMinMax(),
        ['scale', typedInt(value.scale)],
        ['zero_count', typedInt(value.zeroCount)],
        // The SDK sends no zero threshold: OTLP's default, 0.
        ['zero_threshold', typedDouble(0)],
        ['positive', side(value.positive)],
        ['negative', side(value.negative)],
      ];
    default:
      throw new Error(`metric ${metric.descriptor.name}: unknown data point type ${metric.dataPointType}`);
  }
}

// The backend event of one data point, with the optional resource and scope.
function expectedEvent(resource, scope, metric, point) {
  return wellFormed({
    o: [
      ['type', { s: 'metric' }],
      ['service', { s: serviceName(resource) }],
      ['name', { s: metric.descriptor.name }],
      ['unit', { s: metric.descriptor.unit ?? '' }],
      ['kind', { s: kKinds[metric.dataPointType] }],
      ['timestamp_ms', { i: millis(point.endTime) }],
      ['start_time_ms', nanos(point.startTime) === 0n ? { n: null } : { i: millis(point.startTime) }],
      ['attributes', typedAttributes(point.attributes)],
      ...kindFields(metric, point.value),
      ['resource', typedAttributes(resource)],
      ['scope', typedScope(scope)],
    ],
  });
}

// The expected events of one export, labelled with the reader and the
// collection they came from.
let refused = 0;
function snapshotOf(reader) {
  let collection = 0;
  return (resourceMetrics) => {
    collection++;
    const resource = resourceMetrics.resource.attributes;
    const out = [];
    for (const { scope, metrics } of resourceMetrics.scopeMetrics) {
      for (const metric of metrics) {
        for (const point of metric.dataPoints) {
          if (noValue(metric, point)) {
            refused++;
            continue;
          }
          const attributes = JSON.stringify(point.attributes);
          out.push({
            label: `${metric.descriptor.name} ${attributes.length > 60 ? `${attributes.slice(0, 60)}...` : attributes}, ${reader} reader, collection ${collection}`,
            event: expectedEvent(resource, scope, metric, point),
          });
        }
      }
    }
    return out;
  };
}

// One service: a provider with its resource, views and one reader per
// temporality preference, each with its OTLP exporter. The readers export
// only when flushed (their interval is an hour).
function makeService(resourceAttributes, preferences, views = []) {
  const exporters = [];
  const readers = preferences.map((preference) => {
    const name = preference === AggregationTemporalityPreference.DELTA ? 'delta' : 'cumulative';
    const otlp = new RecordingExporter(
      makeExporter(args, kExporters, { temporalityPreference: preference }), snapshotOf(name));
    exporters.push(otlp);
    return new PeriodicExportingMetricReader({ exporter: otlp, exportIntervalMillis: 3600000, exportTimeoutMillis: 10000 });
  });
  const provider = new MeterProvider({ resource: resourceFromAttributes(resourceAttributes), readers, views });
  return { name: serviceName(resourceAttributes), provider, exporters };
}

const histogramView = (instrumentName, options) => ({
  instrumentName, aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options },
});
const exponentialView = (instrumentName, options) => ({
  instrumentName, aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM, options },
});

// Delta counters and histograms (the delta preference keeps up-down
// counters cumulative) beside cumulative everything.
const resources = serviceResources('interop-metrics', args['run-id']);
const frontend = makeService(resources.frontend, [AggregationTemporalityPreference.DELTA, AggregationTemporalityPreference.CUMULATIVE], [
  histogramView('interop.size.custom', { boundaries: [1, 2.5, 5, 1e9], recordMinMax: false }),
  histogramView('interop.single.bucket', { boundaries: [] }),
  histogramView('interop.queue.depth', { boundaries: [-10, 0, 10] }),
  exponentialView('interop.payload.size', { maxSize: 20 }),
  exponentialView('interop.queue.change'),
]);
const anonymous = makeService(resources.anonymous, [AggregationTemporalityPreference.CUMULATIVE]);
const services = [frontend, anonymous];

const web = frontend.provider.getMeter('@interop/web', '2.0.0', { schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' });
const unversioned = frontend.provider.getMeter('interop-unversioned');
const worker = anonymous.provider.getMeter('@interop/worker', '3.1.4');

// Observable instruments report what their callback sees in the current phase.
let phase = 1;

const INT = { valueType: ValueType.INT };
const requests = web.createCounter('interop.requests', { unit: '{request}', description: 'requests', ...INT });
const bytes = web.createCounter('interop.bytes', { unit: 'By' });
const active = web.createUpDownCounter('interop.active', INT);
const balance = web.createUpDownCounter('interop.balance', { unit: '{EUR}' });
const duration = web.createHistogram('interop.request.duration', { unit: 'ms' });
const latency = web.createHistogram('interop.latency', {
  unit: 's', advice: { explicitBucketBoundaries: [0.001, 0.01, 0.1, 1, 10] },
});
const sizeCustom = web.createHistogram('interop.size.custom', INT);
const singleBucket = web.createHistogram('interop.single.bucket');
const queueDepth = web.createUpDownCounter('interop.queue.depth', INT);
const payload = web.createHistogram('interop.payload.size', { unit: 'By' });
const odd = web.createHistogram('interop.odd.values', { unit: '\u00b5s' });
const queueChange = web.createUpDownCounter('interop.queue.change');
const temperature = web.createGauge('interop.temperature', { unit: 'Cel', ...INT });
const load = web.createGauge('interop.cpu.load', { unit: '1' });
web.createObservableGauge('interop.memory.ratio').addCallback((result) => {
  result.observe(0.5 * phase, { pool: 'heap' });
  result.observe(1, { pool: 'stack' });  // a double: 1.0
});
web.createObservableCounter('interop.cpu.time', { unit: 'ms', ...INT }).addCallback((result) => {
  result.observe(phase === 1 ? 100 : 250, { state: 'user' });
});
web.createObservableUpDownCounter('interop.threads', INT).addCallback((result) => {
  result.observe(phase === 1 ? 12 : 9);
});
const unversionedCount = unversioned.createCounter('interop.unversioned.count', INT);
const jobs = worker.createCounter('interop.jobs', INT);
const workerLoad = worker.createGauge('interop.worker.load');

const routeA = { route: '/a', method: 'GET' };
const routeB = { route: '/b', 'http.status_code': 200, ok: true, ratio: 0.5, tags: ['x', 'y'] };
const awkward = Object.fromEntries(Object.entries(kAwkward).slice(0, 6));

function phaseOne() {
  for (let i = 0; i < 3; i++) requests.add(1, routeA);
  requests.add(5, routeB);
  requests.add(2);
  requests.add(7, awkward);
  requests.add(1, { 'lone\ud800': 'surrogate \udc00' });  // each must arrive as U+FFFD
  bytes.add(1.5);
  bytes.add(1.5);  // 3: a double, written 3.0
  active.add(5);
  active.add(-8);
  balance.add(-0.25, { account: 'x' });
  for (const v of [0, 3, 7, 250, 10001, 7.5]) duration.record(v, routeA);
  for (const v of [0.0005, 0.05, 2, 100]) latency.record(v);
  for (const v of [1, 2, 3, 4, 6]) sizeCustom.record(v);
  singleBucket.record(1);
  singleBucket.record(2);
  for (const v of [-20, -5, 0, 5, 50]) queueDepth.add(v);
  for (const v of [0, 0, 1, 2, 3, 1000, 1e6, 0.001]) payload.record(v);
  for (const v of [1, Infinity, NaN]) odd.record(v);  // the sum and max are infinite: null; NaN is ignored
  for (const v of [5, -3, -0.5, 0, 12]) queueChange.add(v);
  temperature.record(-7, { room: 'a' });
  temperature.record(42, { room: 'a' });
  temperature.record(2 ** 60, { room: 'big' });
  temperature.record(-(2 ** 53), { room: 'negative' });
  load.record(0.75, { cpu: 0 });
  load.record(3, { cpu: 1 });
  load.record(1e-7, { cpu: 2 });
  load.record(1.7976931348623157e308, { cpu: 3 });
  load.record(NaN, { cpu: 'nan' });
  load.record(Infinity, { cpu: 'inf' });
  load.record(-Infinity, { cpu: '-inf' });
  load.record(-0, { cpu: '-0' });
  unversionedCount.add(1);
  jobs.add(3, { job: 'nightly' });
  workerLoad.record(0.5);
}

function phaseTwo() {
  phase = 2;
  requests.add(10, routeA);
  bytes.add(0.25);
  active.add(1);
  balance.add(0.125, { account: 'x' });
  duration.record(12, routeA);
  duration.record(0.5, { route: '/b' });
  payload.record(5);
  queueChange.add(-7);
  temperature.record(21, { room: 'a' });
  load.record(0.5, { cpu: 0 });
  jobs.add(4, { job: 'nightly' });
}

phaseOne();
for (const service of services) await service.provider.forceFlush();
phaseTwo();
const label = `send_metrics (${args.exporter})`;
let failed = await finish(label, services);
if (sdk.rejected !== refused) {
  console.error(`${label}: the agent refused ${sdk.rejected} data points` +
                ` (${sdk.lastMessage ?? 'no message'}), not the ${refused} the JSON exporter sends without a value`);
  failed = true;
}
const cases = services.flatMap((service) => service.exporters.flatMap((otlp) => otlp.delivered));
if (cases.length === 0) {
  console.error(`${label}: no data point was exported`);
  failed = true;
}
writeFileSync(args.out, JSON.stringify({
  signal: 'metric', ...runHeader(args), services: services.map((s) => s.name), cases,
}, null, 1));
const without = refused === 0 ? '' : ` (and ${refused} without a value, refused as documented)`;
console.log(`send_metrics (${exporterLabel(args)}): ${cases.length} data points${without} of ${services.length} services sent to ${args.url}`);
process.exit(failed ? 1 : 0);

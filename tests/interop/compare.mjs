// Fetches every expected trace from the sink (GET /v1/traces/{trace_id}) and
// compares each event, field by field, with what send_spans.mjs computed.
//
//   OTELPACK_API_KEY=... node compare.mjs --sink http://127.0.0.1:PORT --project ID \
//        [--timeout SECONDS] [--extra-fields kind,trace_state,links,resource,scope,dropped_counts] \
//        expected-proto.json expected-http.json ...
//
// Waits (up to --timeout) until every span has arrived, then reports, per
// file, each difference with its place: the trace, the span (id and name)
// and the field path. Exits 1 on any difference, missing, duplicate or
// unexpected event.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { compareTyped, parseTyped, show } from './typed_json.mjs';

const { values: args, positionals: files } = parseArgs({
  allowPositionals: true,
  options: {
    sink: { type: 'string' },
    project: { type: 'string' },
    timeout: { type: 'string', default: '30' },
    'extra-fields': { type: 'string', default: 'kind,trace_state,links,resource,scope,dropped_counts' },
    'max-diffs': { type: 'string', default: '40' },
  },
});
if (!args.sink || files.length === 0) {
  console.error('usage: compare.mjs --sink URL [--project ID] [--timeout S] [--extra-fields LIST] FILE...');
  process.exit(2);
}
const apiKey = process.env.OTELPACK_API_KEY ?? '';
const deadline = Date.now() + Number(args.timeout) * 1000;
const maxDiffs = Number(args['max-diffs']);

// The optional fields the agent was configured with (config flag -> event key).
const kOptional = {
  kind: 'kind', trace_state: 'trace_state', links: 'links', resource: 'resource', scope: 'scope',
  dropped_counts: 'dropped',
};
const enabled = new Set(args['extra-fields'].split(',').filter(Boolean).map((flag) => {
  if (!(flag in kOptional)) {
    console.error(`compare: unknown extra field ${flag}`);
    process.exit(2);
  }
  return kOptional[flag];
}));
const disabled = new Set(Object.values(kOptional).filter((key) => !enabled.has(key)));

// The expectation without the optional fields the agent does not write.
function withEnabledFields(event) {
  return { o: event.o.filter(([key]) => !disabled.has(key)) };
}

async function fetchTrace(traceId) {
  const headers = { Authorization: `ApiKey ${apiKey}` };
  if (args.project) headers['X-Project-ID'] = args.project;
  const response = await fetch(`${args.sink}/v1/traces/${traceId}`, { headers });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET /v1/traces/${traceId}: ${response.status} ${text.slice(0, 200)}`);
  const body = parseTyped(text);
  const events = body.o?.find(([key]) => key === 'events')?.[1];
  if (!events || !('a' in events)) throw new Error(`GET /v1/traces/${traceId}: no events array in ${text.slice(0, 200)}`);
  return events.a;
}

const field = (event, key) => event.o?.find(([k]) => k === key)?.[1];

// Polls until every trace holds at least the expected number of events (or
// the deadline), then returns the events by trace id.
async function collect(expected) {
  const got = new Map();
  for (;;) {
    let complete = true;
    for (const [traceId, events] of Object.entries(expected.traces)) {
      if ((got.get(traceId)?.length ?? 0) >= events.length) continue;
      got.set(traceId, await fetchTrace(traceId));
      if (got.get(traceId).length < events.length) complete = false;
    }
    if (complete || Date.now() > deadline) return got;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

// One event: each expected field, then any field not expected.
function compareEvent(want, event, place, diffs) {
  if (!('o' in event)) {
    diffs.push(`${place}: not a JSON object: ${show(event)}`);
    return;
  }
  const got = new Map();
  for (const [key, value] of event.o) {
    if (got.has(key)) diffs.push(`${place}: field ${key} appears twice`);
    got.set(key, value);
  }
  for (const [key, value] of want.o) {
    compareTyped(value, got.get(key), `${place}: ${key}`, diffs);
    got.delete(key);
  }
  for (const [key, value] of got) diffs.push(`${place}: unexpected field ${key} = ${show(value)}`);
}

function compareRun(expected, got) {
  const diffs = [];
  let matched = 0;
  for (const [traceId, events] of Object.entries(expected.traces)) {
    const actual = got.get(traceId) ?? [];
    const bySpan = new Map();
    for (const event of actual) {
      const spanId = field(event, 'span_id')?.s ?? '(no span_id)';
      if (bySpan.has(spanId)) diffs.push(`trace ${traceId} span ${spanId}: stored twice`);
      bySpan.set(spanId, event);
    }
    for (const want of events) {
      const spanId = field(want, 'span_id').s;
      const place = `trace ${traceId} span ${spanId} (${show(field(want, 'operation'), 60)})`;
      const event = bySpan.get(spanId);
      if (!event) {
        diffs.push(`${place}: missing from the sink`);
        continue;
      }
      bySpan.delete(spanId);
      const before = diffs.length;
      compareEvent(withEnabledFields(want), event, place, diffs);
      if (diffs.length === before) matched++;
    }
    for (const [spanId, event] of bySpan) {
      diffs.push(`trace ${traceId} span ${spanId} (${show(field(event, 'operation'), 60)}): not sent by this run`);
    }
  }
  return { diffs, matched };
}

let failed = false;
for (const file of files) {
  const expected = JSON.parse(readFileSync(file, 'utf8'));
  const label = `${expected.exporter}${expected.compression && expected.compression !== 'none' ? `+${expected.compression}` : ''}`;
  let got;
  try {
    got = await collect(expected);
  } catch (e) {
    console.log(`FAIL ${label} (run ${expected.run_id}): ${e.message}`);
    failed = true;
    continue;
  }
  const { diffs, matched } = compareRun(expected, got);
  const traces = Object.keys(expected.traces).length;
  if (diffs.length === 0) {
    console.log(`ok   ${label}: ${matched} spans in ${traces} traces, every field as expected`);
    continue;
  }
  failed = true;
  console.log(`FAIL ${label} (run ${expected.run_id}): ${matched} of ${expected.spans} spans match, ${diffs.length} differences:`);
  for (const d of diffs.slice(0, maxDiffs)) console.log(`  ${d}`);
  if (diffs.length > maxDiffs) console.log(`  ... and ${diffs.length - maxDiffs} more`);
}
process.exit(failed ? 1 : 0);

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

import { compareArgs, exactInts, fileLabel, report, sinkEvents, sleep } from './compare_common.mjs';
import { compareEvent, member as field, show } from './typed_json.mjs';

const { args, files, deadline, maxDiffs, withEnabledFields } = compareArgs(
  'compare.mjs', ['kind', 'trace_state', 'links', 'resource', 'scope', 'dropped_counts']);

// Polls until every trace holds at least the expected number of events (or
// the deadline), then returns the events by trace id.
async function collect(expected) {
  const got = new Map();
  for (;;) {
    let complete = true;
    for (const [traceId, events] of Object.entries(expected.traces)) {
      if ((got.get(traceId)?.length ?? 0) >= events.length) continue;
      got.set(traceId, await sinkEvents(args, `/v1/traces/${traceId}`));
      if (got.get(traceId).length < events.length) complete = false;
    }
    if (complete || Date.now() > deadline) return got;
    await sleep(250);
  }
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
      compareEvent(withEnabledFields(want), event, place, diffs, exactInts(expected));
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
  const traces = Object.keys(expected.traces).length;
  let got;
  try {
    got = await collect(expected);
  } catch (e) {
    console.log(`FAIL ${fileLabel(expected)} (run ${expected.run_id}): ${e.message}`);
    failed = true;
    continue;
  }
  const { diffs, matched } = compareRun(expected, got);
  if (report(expected, matched, expected.spans, `spans in ${traces} traces`, diffs, maxDiffs)) failed = true;
}
process.exit(failed ? 1 : 0);

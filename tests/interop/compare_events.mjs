// Fetches the log or metric events of each expected run from the sink
// (GET /v1/events?type=log|metric&service=...) and compares them, field by
// field, with what send_logs.mjs or send_metrics.mjs computed.
//
//   OTELPACK_API_KEY=... node compare_events.mjs --sink http://127.0.0.1:PORT --project ID \
//        [--timeout SECONDS] [--extra-fields resource,scope] expected-logs-proto.json ...
//
// Log and metric events carry no id, so an event belongs to a run by its
// resource's test.run_id (the agent must write the optional resource field),
// and is paired with the expected event it equals; an expected event that
// equals none is paired with the closest stored one of its service (and, for
// a metric, its name), whose differences are reported field by field. Waits
// (up to --timeout) until every run has all its events, then once more
// briefly for late duplicates. Exits 1 on any difference, missing,
// duplicate or unexpected event.
import { readFileSync } from 'node:fs';

import { compareArgs, exactInts, fileLabel, report, sinkEvents, sleep } from './compare_common.mjs';
import { compareEvent, member, show } from './typed_json.mjs';

const { args, files, enabled, deadline, maxDiffs, withEnabledFields } = compareArgs(
  'compare_events.mjs', ['resource', 'scope']);
if (!enabled.has('resource')) {
  console.error('compare_events.mjs: --extra-fields must include resource: it tells which run an event is of');
  process.exit(2);
}
// How long to look again for events stored after the last expected one.
const kSettleMs = 300;
// The most events one GET /v1/events returns.
const kLimit = 10000;

const runOf = (event) => member(member(event, 'resource'), 'test.run_id')?.s;
// A field as text, the same for an expected and a stored value: a string's
// characters, a number's digits.
const text = (event, key) => {
  const v = member(event, key);
  if (v === undefined) return '(absent)';
  return v.s ?? v.i ?? v.num ?? show(v, 200);
};

// Where a stored event is looked for: the events it can be paired with
// exactly (same service and time, and metric name) and, failing that, the
// closest one (same service and metric name).
const bucketOf = (event) => ['service', 'name', 'timestamp_ms'].map((key) => text(event, key)).join('\u0000');
const groupOf = (event) => ['service', 'name'].map((key) => text(event, key)).join('\u0000');

// The differences of a stored event from an expected one, the order of the
// fields included (docs/wire-protocol.md gives it).
function diffsOf(want, event, exact, place = '') {
  const diffs = [];
  compareEvent(want, event, place, diffs, exact);
  if (diffs.length === 0) {
    const order = (e) => e.o.map(([key]) => key).join(',');
    if (order(event) !== order(want)) diffs.push(`${place}: fields in the order ${order(event)}, expected ${order(want)}`);
  }
  return diffs;
}

// Every stored event of the run, of the expected services; `unattributed`
// counts those without a resource test.run_id.
async function fetchRun(expected) {
  const events = [];
  events.unattributed = 0;
  for (const service of new Set(expected.services)) {
    const query = new URLSearchParams({ type: expected.signal, service, limit: String(kLimit) });
    const stored = await sinkEvents(args, `/v1/events?${query}`);
    if (stored.length >= kLimit) throw new Error(`service ${JSON.stringify(service)}: ${kLimit} events or more; clear the sink`);
    events.push(...stored.filter((event) => runOf(event) === expected.run_id));
    events.unattributed += stored.filter((event) => runOf(event) === undefined).length;
  }
  return events;
}

// Polls until each run has at least its expected number of events (or the
// deadline), waits kSettleMs, and returns each run's events.
async function collect(runs) {
  const got = runs.map(() => []);
  for (;;) {
    let complete = true;
    for (const [i, expected] of runs.entries()) {
      if (got[i].length >= expected.cases.length) continue;
      got[i] = await fetchRun(expected);
      if (got[i].length < expected.cases.length) complete = false;
    }
    if (complete || Date.now() > deadline) break;
    await sleep(250);
  }
  await sleep(kSettleMs);
  return Promise.all(runs.map((expected) => fetchRun(expected)));
}

function groupBy(items, keyOf) {
  const groups = new Map();
  for (const item of items) {
    const key = keyOf(item.event);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(item);
  }
  return groups;
}

function compareRun(expected, stored) {
  const exact = exactInts(expected);
  const diffs = [];
  const wants = expected.cases.map((c, i) => ({
    label: `${expected.signal} ${i} (${c.label})`, event: withEnabledFields(c.event), paired: false,
  }));
  const actual = stored.map((event) => ({ event, paired: false }));
  const buckets = groupBy(actual, bucketOf);
  const groups = groupBy(actual, groupOf);

  // Equal events first, so that a difference in one cannot take another's partner.
  let matched = 0;
  for (const want of wants) {
    const hit = (buckets.get(bucketOf(want.event)) ?? []).find((a) => !a.paired && diffsOf(want.event, a.event, exact).length === 0);
    if (hit) {
      hit.paired = true;
      want.paired = true;
      matched++;
    }
  }
  for (const want of wants.filter((w) => !w.paired)) {
    let best = null;
    let bestDiffs = null;
    for (const a of groups.get(groupOf(want.event)) ?? []) {
      if (a.paired) continue;
      const d = diffsOf(want.event, a.event, exact, want.label);
      if (!best || d.length < bestDiffs.length) [best, bestDiffs] = [a, d];
    }
    if (!best) {
      diffs.push(`${want.label}: missing from the sink (service ${text(want.event, 'service')})`);
      continue;
    }
    best.paired = true;
    if (bestDiffs.length === 0) matched++;
    diffs.push(...bestDiffs);
  }
  for (const a of actual.filter((x) => !x.paired)) {
    const twin = wants.find((w) => diffsOf(w.event, a.event, exact).length === 0);
    const what = `${text(a.event, 'service')} ${text(a.event, 'name')} at ${text(a.event, 'timestamp_ms')}`;
    diffs.push(twin ? `${twin.label}: stored twice` : `stored but not sent by this run: ${what}: ${show(a.event, 300)}`);
  }
  return { diffs, matched };
}

const runs = files.map((file) => JSON.parse(readFileSync(file, 'utf8')));
let stored;
try {
  stored = await collect(runs);
} catch (e) {
  console.log(`FAIL ${runs.map(fileLabel).join(', ')}: ${e.message}`);
  process.exit(1);
}
let failed = false;
for (const [i, expected] of runs.entries()) {
  const { diffs, matched } = compareRun(expected, stored[i]);
  if (expected.cases.length === 0) diffs.push('the sender expected no event at all');
  if (stored[i].length === 0 && stored[i].unattributed > 0) {
    diffs.push(`${stored[i].unattributed} stored events have no resource["test.run_id"]: is extra_fields.resource on?`);
  }
  const what = `${expected.signal} events of ${new Set(expected.services).size} services`;
  if (report(expected, matched, expected.cases.length, what, diffs, maxDiffs)) failed = true;
}
process.exit(failed ? 1 : 0);

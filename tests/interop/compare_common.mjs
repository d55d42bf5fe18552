// What the comparisons (compare.mjs for spans, compare_events.mjs for logs
// and metrics) share: their command line, the optional fields the agent
// writes, reading the sink, and the report.
import { parseArgs } from 'node:util';

import { member, parseTyped } from './typed_json.mjs';

// Event key of each extra_fields flag of the agent's configuration.
const kOptionalKeys = {
  kind: 'kind', trace_state: 'trace_state', links: 'links', resource: 'resource', scope: 'scope',
  dropped_counts: 'dropped',
};

// The command line of a comparison:
//   --sink URL [--project ID] [--timeout SECONDS] [--extra-fields LIST]
//   [--max-diffs N] FILE...
// `signalFlags` are the extra_fields flags that apply to the signal; the
// default of --extra-fields is all of them. Returns the options, the files,
// the deadline and `withEnabledFields(event)`, the expected event without
// the optional fields the agent was not configured to write.
export function compareArgs(script, signalFlags) {
  const { values: args, positionals: files } = parseArgs({
    allowPositionals: true,
    options: {
      sink: { type: 'string' },
      project: { type: 'string' },
      timeout: { type: 'string', default: '30' },
      'extra-fields': { type: 'string', default: signalFlags.join(',') },
      'max-diffs': { type: 'string', default: '40' },
    },
  });
  if (!args.sink || files.length === 0) {
    console.error(`usage: ${script} --sink URL [--project ID] [--timeout S] [--extra-fields LIST] [--max-diffs N] FILE...`);
    process.exit(2);
  }
  const enabled = new Set(args['extra-fields'].split(',').filter(Boolean).map((flag) => {
    if (!(flag in kOptionalKeys)) {
      console.error(`${script}: unknown extra field ${flag}`);
      process.exit(2);
    }
    return kOptionalKeys[flag];
  }));
  const disabled = new Set(signalFlags.map((flag) => kOptionalKeys[flag]).filter((key) => !enabled.has(key)));
  return {
    args,
    files,
    enabled,
    deadline: Date.now() + Number(args.timeout) * 1000,
    maxDiffs: Number(args['max-diffs']),
    withEnabledFields: (event) => ({ o: event.o.filter(([key]) => !disabled.has(key)) }),
  };
}

// GET `path` from the sink (authenticated with $OTELPACK_API_KEY) and
// returns the typed events of its {"events": [...]} answer.
export async function sinkEvents(args, path) {
  const headers = { Authorization: `ApiKey ${process.env.OTELPACK_API_KEY ?? ''}` };
  if (args.project) headers['X-Project-ID'] = args.project;
  const response = await fetch(`${args.sink}${path}`, { headers });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${text.slice(0, 200)}`);
  const events = member(parseTyped(text), 'events');
  if (!events || !('a' in events)) throw new Error(`GET ${path}: no events array in ${text.slice(0, 200)}`);
  return events.a;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Whether the integers of an expectation file must arrive to the last digit
// (typed_json.mjs, compareTyped): all but the JSON exporter's.
export function exactInts(expected) {
  return expected.exporter !== 'http';
}

// "proto+gzip" for an expectation file of spans, "logs proto+gzip" for one of logs.
export function fileLabel(expected) {
  const compressed = expected.compression && expected.compression !== 'none';
  const signal = expected.signal ? `${expected.signal}s ` : '';
  return `${signal}${expected.exporter}${compressed ? `+${expected.compression}` : ''}`;
}

// Prints one file's outcome; returns whether it failed.
// `what` says what matched ("spans in 8 traces").
export function report(expected, matched, total, what, diffs, maxDiffs) {
  const label = fileLabel(expected);
  if (diffs.length === 0) {
    console.log(`ok   ${label}: ${matched} ${what}, every field as expected`);
    return false;
  }
  console.log(`FAIL ${label} (run ${expected.run_id}): ${matched} of ${total} ${what} match, ${diffs.length} differences:`);
  for (const d of diffs.slice(0, maxDiffs)) console.log(`  ${d}`);
  if (diffs.length > maxDiffs) console.log(`  ... and ${diffs.length - maxDiffs} more`);
  return true;
}

// Typed JSON: values that keep what JSON.parse loses, so that a comparison can
// tell 5 from 5.0 and read 64-bit integers exactly.
//
// A typed value is one of
//   {s: string}  {b: boolean}  {n: null}
//   {i: "decimal integer"}       an int64 (the expectation)
//   {d: "number"}                a finite double (the expectation), as the text that
//                                reads back to it exactly ("-0" keeps the sign of -0.0)
//   {us: "decimal integer"}      a duration in microseconds, written as ms with 3 decimals
//   {num: "lexeme"}              a number as the backend wrote it (parsed from JSON)
//   {a: [typed, ...]}            an array
//   {o: [[key, typed], ...]}     an object, its members in order (duplicates kept)

// The backend's event as it must be for a JavaScript attribute value or log
// AnyValue: a string, boolean, number, byte array, array or plain object of
// them (null and undefined entries allowed).
export function typedAttributeValue(v) {
  if (v === null || v === undefined) return { n: null };
  switch (typeof v) {
    case 'string': return { s: v };
    case 'boolean': return { b: v };
    case 'number':
      // The OTLP exporters send an integral number within int64 as intValue,
      // any other as doubleValue (the JSON exporter sends every integral
      // number as intValue; the agent reads those beyond int64 as doubles).
      // The backend writes NaN and ±Infinity as null.
      if (Number.isInteger(v) && v >= -(2 ** 63) && v < 2 ** 63) return { i: BigInt(v).toString() };
      return typedDouble(v);
    default:
      if (Array.isArray(v)) return { a: v.map(typedAttributeValue) };
      // Bytes are standard base64 with padding; a map is an object.
      if (v instanceof Uint8Array) return { s: Buffer.from(v).toString('base64') };
      if (Object.getPrototypeOf(v) === Object.prototype) return typedAttributes(v);
      throw new Error(`not an attribute value: ${String(v)}`);
  }
}

export function typedAttributes(attributes) {
  return { o: Object.entries(attributes ?? {}).map(([k, v]) => [k, typedAttributeValue(v)]) };
}

// A double as the backend writes it: a number that reads as a double (with a
// fraction or an exponent, so 3 is 3.0); NaN and ±Infinity as null.
export function typedDouble(v) {
  if (!Number.isFinite(v)) return { n: null };
  return { d: Object.is(v, -0) ? '-0' : String(v) };
}

// The typed value with every string and key made well-formed: a lone
// surrogate becomes U+FFFD, as the exporters' UTF-8 encoding does and as the
// backend must for an unpaired \uD800 escape of the JSON exporter
// (docs/wire-protocol.md, "Values": strings are always valid UTF-8).
export function wellFormed(t) {
  if ('s' in t) return { s: t.s.toWellFormed() };
  if ('a' in t) return { a: t.a.map(wellFormed) };
  if ('o' in t) return { o: t.o.map(([k, v]) => [k.toWellFormed(), wellFormed(v)]) };
  return t;
}

// An integer (a number or a BigInt) that must stay an integer.
export function typedInt(v) {
  return { i: BigInt(v).toString() };
}

// Parses JSON text into typed values (numbers keep their lexeme).
export function parseTyped(text) {
  let at = 0;
  const fail = (what) => {
    throw new Error(`JSON: ${what} at offset ${at}: ${JSON.stringify(text.slice(at, at + 40))}`);
  };
  const space = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at])) at++;
  };
  const value = () => {
    space();
    const c = text[at];
    if (c === '{') {
      at++;
      const members = [];
      space();
      if (text[at] === '}') {
        at++;
        return { o: members };
      }
      for (;;) {
        space();
        if (text[at] !== '"') fail('expected a key');
        const key = string();
        space();
        if (text[at++] !== ':') fail('expected :');
        members.push([key, value()]);
        space();
        const sep = text[at++];
        if (sep === '}') return { o: members };
        if (sep !== ',') fail('expected , or }');
      }
    }
    if (c === '[') {
      at++;
      const items = [];
      space();
      if (text[at] === ']') {
        at++;
        return { a: items };
      }
      for (;;) {
        items.push(value());
        space();
        const sep = text[at++];
        if (sep === ']') return { a: items };
        if (sep !== ',') fail('expected , or ]');
      }
    }
    if (c === '"') return { s: string() };
    for (const [word, typed] of [['true', { b: true }], ['false', { b: false }], ['null', { n: null }]]) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return typed;
      }
    }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(at, at + 400));
    if (!m) fail('expected a value');
    at += m[0].length;
    return { num: m[0] };
  };
  const string = () => {
    // JSON.parse decodes the escapes of one string token exactly.
    const start = at++;
    while (text[at] !== '"') {
      if (at >= text.length) fail('unterminated string');
      at += text[at] === '\\' ? 2 : 1;
    }
    at++;
    return JSON.parse(text.slice(start, at));
  };
  const result = value();
  space();
  if (at !== text.length) fail('content after the value');
  return result;
}

// The typed value as plain JSON.parse would give it (for messages).
export function show(t, max = 80) {
  const s = render(t);
  return s.length > max ? `${s.slice(0, max)}...` : s;
}

function render(t) {
  if (t === undefined) return '(absent)';
  if ('s' in t) return JSON.stringify(t.s);
  if ('b' in t) return String(t.b);
  if ('n' in t) return 'null';
  if ('i' in t) return `${t.i} (int)`;
  if ('d' in t) return `${t.d} (double)`;
  if ('us' in t) return `${t.us} us`;
  if ('num' in t) return t.num;
  if ('a' in t) return `[${t.a.map(render).join(',')}]`;
  if ('o' in t) return `{${t.o.map(([k, v]) => `${JSON.stringify(k)}:${render(v)}`).join(',')}}`;
  return JSON.stringify(t);
}

function kind(t) {
  return Object.keys(t ?? {})[0] ?? 'absent';
}

const kTwo53 = 2n ** 53n;

// Compares expectation `e` with the backend's `a`; pushes one message per
// difference onto `diffs`, each starting with `path`. With `exact`, an
// integer beyond 2^53 must be the expected one to the last digit: the
// protobuf exporters send a JavaScript number's exact value; the JSON
// exporter writes it with JSON.stringify, whose shortest decimal may be
// another integer that reads back to the same double.
export function compareTyped(e, a, path, diffs, exact = false) {
  const differ = (why) => diffs.push(`${path}: ${why ?? `expected ${show(e)}, got ${show(a)}`}`);
  if (a === undefined) return differ(`missing (expected ${show(e)})`);
  switch (kind(e)) {
    case 's': if (!('s' in a) || a.s !== e.s) differ(); return;
    case 'b': if (!('b' in a) || a.b !== e.b) differ(); return;
    case 'n': if (!('n' in a)) differ(); return;
    case 'i': {
      if (!('num' in a) || !/^-?\d+$/.test(a.num)) return differ(`expected the integer ${e.i}, got ${show(a)}`);
      const want = BigInt(e.i);
      const same = exact || (want <= kTwo53 && want >= -kTwo53) ? BigInt(a.num) === want : Number(a.num) === Number(e.i);
      if (!same) differ();
      return;
    }
    case 'd': {
      if (!('num' in a) || !/[.eE]/.test(a.num)) return differ(`expected the double ${show(e)}, got ${show(a)}`);
      if (!Object.is(Number(a.num), Number(e.d))) differ();
      return;
    }
    case 'us': {
      const m = 'num' in a ? /^(\d+)(?:\.(\d{1,3}))?$/.exec(a.num) : null;
      if (!m) return differ(`expected ms with at most 3 decimals (${Number(e.us) / 1000}), got ${show(a)}`);
      const us = BigInt(m[1]) * 1000n + BigInt((m[2] ?? '').padEnd(3, '0'));
      if (us !== BigInt(e.us)) differ(`expected ${Number(e.us) / 1000} ms, got ${a.num}`);
      return;
    }
    case 'a': {
      if (!('a' in a)) return differ();
      if (a.a.length !== e.a.length) return differ(`expected ${e.a.length} items, got ${a.a.length}: ${show(a)}`);
      e.a.forEach((item, i) => compareTyped(item, a.a[i], `${path}[${i}]`, diffs, exact));
      return;
    }
    case 'o': {
      if (!('o' in a)) return differ();
      const got = new Map();
      for (const [k, v] of a.o) {
        if (got.has(k)) diffs.push(`${path}: key ${JSON.stringify(k)} appears twice`);
        got.set(k, v);
      }
      const want = new Map(e.o);
      for (const [k, v] of want) compareTyped(v, got.get(k), `${path}[${JSON.stringify(k)}]`, diffs, exact);
      for (const k of got.keys()) {
        if (!want.has(k)) diffs.push(`${path}[${JSON.stringify(k)}]: unexpected (${show(got.get(k))})`);
      }
      return;
    }
    default:
      throw new Error(`bad expectation at ${path}: ${JSON.stringify(e)}`);
  }
}

// One event (an object): each expected field, then any field not expected;
// the messages start with `place` and name the field. `exact` as for
// compareTyped.
export function compareEvent(want, event, place, diffs, exact = false) {
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
    compareTyped(value, got.get(key), `${place}: ${key}`, diffs, exact);
    got.delete(key);
  }
  for (const [key, value] of got) diffs.push(`${place}: unexpected field ${key} = ${show(value)}`);
}

// A member of a typed object, or undefined.
export function member(object, key) {
  return object?.o?.find(([k]) => k === key)?.[1];
}

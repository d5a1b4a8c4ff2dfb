import fc from 'fast-check';

/**
 * How many cases each fuzz property runs: FUZZ_RUNS, default 10 000 (`npm test`); `npm run fuzz` sets 1 000 000.
 * One number for every suite, so the two modes differ only in it.
 */
export function fuzzRuns(): number {
  const raw = process.env.FUZZ_RUNS;
  if (raw === undefined || raw === '') return 10_000;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`FUZZ_RUNS must be a positive integer, not "${raw}"`);
  return n;
}

/** A fuzz test's timeout: generous per case so a million cases on a loaded machine still finish. */
export function fuzzTimeoutMs(perCaseMs = 1): number {
  return Math.max(60_000, fuzzRuns() * perCaseMs * 4);
}

/** fast-check parameters of a fuzz property: the shared case count; FUZZ_SEED replays a failure. */
export function fuzzParameters<T>(): fc.Parameters<T> {
  const seed = process.env.FUZZ_SEED;
  return { numRuns: fuzzRuns(), ...(seed ? { seed: Number(seed) } : {}) };
}

/** Values a parser meets at its edges: numbers as odd texts, NaN-like words, empties, huge and deep things. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    null, true, false, 0, -0, -1, 1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER + 2, -Number.MAX_SAFE_INTEGER - 2,
    '', ' ', '0', '-0', '-1', '1e400', '-1e400', '1e-400', 'NaN', 'Infinity', '-Infinity', '0x10', '1_000', '١٢٣', '1.', '.5',
    '00001', '1'.repeat(400), `0.${'0'.repeat(400)}1`, '9007199254740993', '-9007199254740993', '\u0000', '__proto__', 'constructor',
    [], {}, [[]], { __proto__: null }, 'x'.repeat(4_096),
  ).map((v) => (typeof v === 'object' && v !== null ? structuredClone(v) : v)), // a fresh copy: mutations must not change the constant
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.integer(), fc.string({ maxLength: 6 })), { maxKeys: 4 }),
  fc.integer({ min: 50, max: 500 }).map((depth) => nest(depth)),
);

/** `depth` arrays and objects inside one another: a recursive reader's stack. */
function nest(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { a: v };
  return v;
}

type Slot = { holder: Record<string, unknown> | unknown[]; key: string | number };

/**
 * The places in a JSON-like value where a field sits (the root excluded), breadth first and at most 256 of them: a
 * value an earlier mutation made deep or wide (nesting, repeats) is not walked to its end.
 */
function slotsOf(root: unknown): Slot[] {
  const out: Slot[] = [];
  const queue: unknown[] = [root];
  for (let i = 0; i < queue.length && out.length < 256; i++) {
    const value = queue[i];
    if (Array.isArray(value)) value.forEach((v, k) => (out.push({ holder: value, key: k }), queue.push(v)));
    else if (value !== null && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) out.push({ holder: value as Record<string, unknown>, key: k }), queue.push(v);
  }
  return out;
}

type Mutation = { at: number; op: 'replace' | 'delete' | 'extra' | 'stringify' | 'duplicate'; value: unknown; key: string };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('replace', 'replace', 'replace', 'delete', 'extra', 'stringify', 'duplicate'),
  value: nastyValue,
  key: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'toString', 'seq', 'code', 'id')),
});

function applyMutation(root: unknown, m: Mutation): unknown {
  const slots = slotsOf(root);
  if (slots.length === 0) return m.op === 'replace' ? m.value : root;
  const { holder, key } = slots[m.at % slots.length]!;
  const h = holder as Record<string | number, unknown>;
  switch (m.op) {
    case 'replace':
      h[key] = m.value;
      break;
    case 'delete':
      if (Array.isArray(holder)) holder.splice(key as number, 1);
      else delete h[key];
      break;
    case 'extra':
      if (Array.isArray(holder)) holder.push(m.value);
      else Object.defineProperty(holder, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
      break;
    case 'stringify':
      // A number where text belongs or text where a number does: the commonest wire drift.
      h[key] = typeof h[key] === 'string' && h[key] !== '' && Number.isFinite(Number(h[key])) ? Number(h[key]) : JSON.stringify(h[key]) ?? null;
      break;
    case 'duplicate':
      // The same value sixteen times (shared, not cloned: cloning a deep value is slow, and JSON writes each copy out);
      // only a small one, so repeats of repeats stay kilobytes, not megabytes.
      h[key] = (JSON.stringify(h[key])?.length ?? 0) <= 1_000 ? new Array<unknown>(16).fill(h[key]) : m.value;
      break;
  }
  return root;
}

/** A valid sample with one to three fields broken (wrong type, odd number, missing, extra, repeated, deep). */
export function mutationOf(samples: readonly unknown[]): fc.Arbitrary<unknown> {
  return fc
    .tuple(fc.nat({ max: samples.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 3 }))
    .map(([i, ms]) => ms.reduce((v, m) => applyMutation(v, m), structuredClone(samples[i])));
}

/** Any JSON value, deep or wide, and the text a peer could send instead of JSON. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(fc.jsonValue({ maxDepth: 4 }), nastyValue);

/**
 * Frames for a parser of text: mostly broken versions of valid messages (they get past the first checks), some
 * random JSON, some not JSON at all, and the valid samples themselves (the parser must take those).
 */
export function frameOf(samples: readonly unknown[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: mutationOf(samples).map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 2, arbitrary: anyJson.map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.constantFrom('{', '[', '{"a":', '"', 'null', '', ' ', '\u0000')) },
    { weight: 1, arbitrary: fc.constantFrom(...samples).map((v) => JSON.stringify(v)) },
  );
}

/** Parsed-value variant of frameOf, for parsers handed JSON already (a REST body, a bus message). */
export function valueOf(samples: readonly unknown[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 6, arbitrary: mutationOf(samples) },
    { weight: 3, arbitrary: anyJson },
    { weight: 1, arbitrary: fc.constantFrom(...samples).map((v) => structuredClone(v)) },
  );
}

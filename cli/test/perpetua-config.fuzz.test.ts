import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ConfigError, loadConfig } from '@perpetua/config';
import { fuzzParameters, fuzzTimeoutMs, mutationOf } from '@perpetua/testkit';
import { PerpetuaConfig } from '../src/perpetua-config.js';

/** Valid config documents (the shapes of config/*.yaml): the mutations start from these. */
const SAMPLES = [
  {
    strategies: [
      { id: 'simple-btc', venue: 'binanceusdm', account: 'paper', symbol: 'BTC-PERP', params: { kind: 'fixed-spread', spread_bps: 10, order_amount: 0.01, order_refresh_time: 1, order_refresh_tolerance_pct: 0.02 } },
    ],
    risk: { maxPosition: '0.2', maxOrderSize: '0.05' },
  },
  {
    trading: { mode: 'live' },
    strategies: [
      { id: 'adaptive-btc', venue: 'binanceusdm', account: 'paper', symbol: 'BTC-PERP', params: { kind: 'adaptive', base_spread_bps: 8, volatility_multiplier: 1, volatility_estimator: 'ewma', volatility_window: 60, skew_coefficient: 1, target_position: 0, order_amount: 0.01, order_levels: 2, order_level_spread: 10, order_level_amount: 0.01, max_position: 0.1, filled_order_delay: 2, volatility_pause_bps: 25, volatility_resume_bps: 10 } },
    ],
    risk: { maxPosition: '0.2', maxOrderSize: '0.05' },
  },
];

/** YAML's own traps: alias bombs, merge keys, tags, duplicate keys, tabs, documents, odd scalars. */
const YAML_TRAPS = [
  'a: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\nrisk: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n',
  'base: &base {maxPosition: "1"}\nrisk:\n  <<: *base\n  <<: *base\n',
  'risk: !!js/function "function(){}"\n',
  'risk: !!binary aGVsbG8=\n',
  'risk: {maxPosition: 1}\nrisk: {maxPosition: 2}\n',
  '\trisk: 1\n',
  '--- a\n--- b\n',
  'risk: *undefined\n',
  'risk:\n  maxPosition: .nan\n  maxOrderSize: -.inf\n',
  '? [a, b]\n: c\n',
  '[1, 2, 3]\n',
  'strategies: ' + '['.repeat(400) + ']'.repeat(400) + '\n',
  '__proto__: {polluted: 1}\nconstructor: {prototype: {polluted: 1}}\n',
  'risk: 0x1F\n',
  'risk:\n  maxPosition: 1_000\n',
];

/**
 * A document as YAML a person writes (block style); a bigger one as JSON (also YAML: block style grows with depth
 * squared), cut at 8 KiB like a file cut off mid-write (a config is a page, not megabytes; the loader's cost grows
 * with the problems it names).
 */
const yamlOf = (doc: unknown): string => {
  const json = JSON.stringify(doc) ?? 'null';
  return json.length <= 2_048 ? stringify(doc, { aliasDuplicateObjects: false }) : json.slice(0, 8_192);
};

const yamlText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: mutationOf(SAMPLES).map(yamlOf) },
  { weight: 2, arbitrary: fc.constantFrom(...YAML_TRAPS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...YAML_TRAPS), fc.nat(), fc.string({ maxLength: 8 })).map(([t, at, s]) => t.slice(0, at % (t.length + 1)) + s + t.slice(at % (t.length + 1))) },
);

const load = (text: string) => loadConfig(PerpetuaConfig, { file: 'perpetua.yaml', fileText: text, env: {}, dotenv: false });

describe('the config loader: defects the fuzzing found', () => {
  it('answers a key named __proto__ or constructor with a ConfigError (it found Object\'s own and threw a TypeError)', () => {
    for (const text of ['__proto__: {polluted: 1}\n', 'constructor: {prototype: {polluted: 1}}\n', 'risk:\n  constructor: 1\n'])
      expect(() => load(text), text).toThrow(ConfigError);
    expect(() => load('__proto__: 1\n')).toThrow(/__proto__/);
  });
});

describe('the config loader (fuzz)', () => {
  it('loads the valid samples', () => {
    for (const s of SAMPLES) expect(load(stringify(s)).strategies[0]?.id).toBe(s.strategies[0]?.id);
  });

  it(
    'loads a document or throws a ConfigError naming the problem, nothing else; the prototype is left alone',
    () => {
      fc.assert(
        fc.property(yamlText, (text) => {
          try {
            load(text);
          } catch (err) {
            if (!(err instanceof ConfigError)) throw err;
            expect(err.message.length).toBeGreaterThan(0);
          }
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        }),
        fuzzParameters(),
      );
    },
    fuzzTimeoutMs(2),
  );
});

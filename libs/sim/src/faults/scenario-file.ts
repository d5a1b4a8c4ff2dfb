/**
 * A fault scenario: faults to inject at set offsets from the start of a run, and optionally the venues' dialects
 * for the whole run (simulator/dialects.ts). YAML (or JSON), either a list of steps or `{ name, dialects, steps }`:
 *
 *   name: exchange-outage
 *   dialects:
 *     grvt: { sequence: per_stream, jsonrpc: '' }
 *   steps:
 *     - atMs: 0
 *       fault: { kind: basis, venue: bybit, asset: BTC, bps: 25 }
 *     - atMs: 5000
 *       fault: { kind: http_error, venue: binanceusdm, status: 503, durationMs: 2000 }
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { FaultError, FaultSpec, describeIssues } from './fault-spec.js';
import { DialectsSpec } from '../simulator/dialects.js';

export const ScenarioStep = z.strictObject({
  atMs: z.number().int().nonnegative().max(7 * 86_400_000),
  fault: FaultSpec,
});
export type ScenarioStep = z.infer<typeof ScenarioStep>;

const Steps = z.array(ScenarioStep).max(10_000);

export const Scenario = z.union([
  z.strictObject({ name: z.string().max(200).optional(), dialects: DialectsSpec.optional(), steps: Steps.default([]) }),
  Steps.transform((steps) => ({ steps, name: undefined, dialects: undefined })),
]);
export interface Scenario {
  name?: string | undefined;
  /** Venue dialects for the whole run. */
  dialects?: DialectsSpec | undefined;
  steps: ScenarioStep[];
}

export function parseScenario(text: string): Scenario {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new FaultError(`scenario is not valid YAML: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
  // Validate steps one by one so the error names the step (a union error alone would not).
  const steps: unknown = Array.isArray(doc) ? doc : doc instanceof Object && 'steps' in doc ? doc.steps : undefined;
  if (Array.isArray(steps)) {
    steps.forEach((s: unknown, i) => {
      const r = ScenarioStep.safeParse(s);
      if (!r.success) throw new FaultError(`scenario steps.${i}: ${describeIssues(r.error)}`);
    });
  }
  if (doc instanceof Object && 'dialects' in doc) {
    const d = DialectsSpec.safeParse(doc.dialects);
    if (!d.success) throw new FaultError(`scenario dialects: ${describeIssues(d.error)}`);
  }
  const r = Scenario.safeParse(doc);
  if (!r.success) throw new FaultError(`invalid scenario: ${describeIssues(r.error)}`);
  // Stable order by time; steps at the same time keep file order (ids and PRNG streams depend on it).
  const ordered = r.data.steps.map((s, i) => ({ s, i })).sort((a, b) => a.s.atMs - b.s.atMs || a.i - b.i).map((x) => x.s);
  return { name: r.data.name, ...(r.data.dialects ? { dialects: r.data.dialects } : {}), steps: ordered };
}

export async function loadScenarioFile(path: string): Promise<Scenario> {
  return parseScenario(await readFile(path, 'utf8'));
}

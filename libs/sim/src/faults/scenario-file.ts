/**
 * A fault scenario: faults to inject at set offsets from the start of a run. YAML (or JSON), either a list of
 * steps or `{ name, steps }`:
 *
 *   name: exchange-outage
 *   steps:
 *     - atMs: 0
 *       fault: { kind: basis, venue: bybit, asset: BTC, bps: 25 }
 *     - atMs: 5000
 *       fault: { kind: http_error, venue: binanceusdm, status: 503, durationMs: 2000 }
 *
 * The object form may also set venues' dialects for the whole run (simulator/dialects.ts):
 *
 *   dialects:
 *     standx: { seq: per_channel, tradeIds: absent }
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { DialectsSpec } from '../simulator/dialects.js';
import { FaultError, FaultSpec, describeIssues } from './fault-spec.js';

export const ScenarioStep = z.strictObject({
  atMs: z.number().int().nonnegative().max(7 * 86_400_000),
  fault: FaultSpec,
});
export type ScenarioStep = z.infer<typeof ScenarioStep>;

const Steps = z.array(ScenarioStep).max(10_000);

export const Scenario = z.union([
  z.strictObject({ name: z.string().max(200).optional(), dialects: DialectsSpec.optional(), steps: Steps.default([]) }),
  Steps.transform((steps) => ({ steps, name: undefined })),
]);
export interface Scenario {
  name?: string | undefined;
  /** Dialect per venue, as its schema takes it (validated; defaults filled in when applied). */
  dialects?: Record<string, unknown> | undefined;
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
  const r = Scenario.safeParse(doc);
  if (!r.success) {
    const dialectIssue = r.error.issues.find((i) => i.path[0] === 'dialects' && i.code === 'custom');
    throw new FaultError(dialectIssue ? `invalid scenario: ${dialectIssue.message}` : `invalid scenario: ${describeIssues(r.error)}`);
  }
  // Stable order by time; steps at the same time keep file order (ids and PRNG streams depend on it).
  const ordered = r.data.steps.map((s, i) => ({ s, i })).sort((a, b) => a.s.atMs - b.s.atMs || a.i - b.i).map((x) => x.s);
  const dialects = 'dialects' in r.data ? r.data.dialects : undefined;
  return { name: r.data.name, ...(dialects ? { dialects } : {}), steps: ordered };
}

export async function loadScenarioFile(path: string): Promise<Scenario> {
  return parseScenario(await readFile(path, 'utf8'));
}

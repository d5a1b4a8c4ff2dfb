import type { Violation } from './invariants.js';

export interface ChaosSummary {
  seed: number;
  minutes: number;
  steps: number;
  /** Faults injected, by kind. */
  faults: Map<string, number>;
  /** Invariant checks run, by invariant. */
  checks: Map<string, number>;
  violations: Violation[];
  /** Recovery (ms from the fault's end until every invariant held), by fault kind. */
  recovery: Map<string, number[]>;
  /** Arbitrage episodes seen on the bus, by venue pair and outcome. */
  arbEpisodes?: Map<string, number>;
}

const pct = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** The run's table, as markdown (docs/RELIABILITY.md keeps the last one). */
export function chaosTable(s: ChaosSummary): string {
  const violationsBy = new Map<string, number>();
  for (const v of s.violations) violationsBy.set(v.invariant, (violationsBy.get(v.invariant) ?? 0) + 1);
  const faultRows = [...s.faults].sort(([a], [b]) => a.localeCompare(b)).map(([kind, n]) => {
    const r = [...(s.recovery.get(kind) ?? [])].sort((a, b) => a - b);
    return [kind, String(n), r.length ? `${(pct(r, 0.5) / 1000).toFixed(1)} s` : '-', r.length ? `${(r[r.length - 1]! / 1000).toFixed(1)} s` : '-'];
  });
  const checkRows = [...s.checks].sort(([a], [b]) => a.localeCompare(b)).map(([inv, n]) => [inv, String(n), String(violationsBy.get(inv) ?? 0)]);
  const total = [...s.faults.values()].reduce((a, b) => a + b, 0);
  const checks = [...s.checks.values()].reduce((a, b) => a + b, 0);
  return [
    `Chaos run: seed ${s.seed}, ${s.minutes} min, ${s.steps} steps, ${total} faults injected, ${checks} invariant checks, ${s.violations.length} violations.`,
    '',
    table(['fault', 'injected', 'recovery p50', 'recovery max'], faultRows),
    '',
    table(['invariant', 'checks', 'violations'], checkRows),
    '',
    `Arbitrage episodes: ${s.arbEpisodes && s.arbEpisodes.size ? [...s.arbEpisodes].map(([k, n]) => `${k} × ${n}`).join(', ') : 'none'}.`,
    ...(s.violations.length
      ? ['', 'Violations:', ...s.violations.map((v, i) => `${i + 1}. ${v.invariant}, after ${v.after}:\n   ${v.evidence.replace(/\n/g, '\n   ')}`)]
      : []),
  ].join('\n');
}

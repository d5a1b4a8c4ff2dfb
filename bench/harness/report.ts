import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';
import type { Figure } from './figure.js';

const fmt = (x: number): string => (Math.abs(x) >= 100 ? Math.round(x).toLocaleString('en-US') : x.toPrecision(3));

/** The figures as a Markdown table (also what the terminal shows). */
export function renderTable(figures: readonly Figure[]): string {
  const rows = figures.map((f) => [
    f.label,
    `${fmt(f.ours)} ${f.unit}`,
    `${fmt(f.baseline)} ${f.unit}`,
    `${f.ratio.toFixed(2)}x (${f.better} is better)`,
    `±${(f.spread * 50).toFixed(0)}%`,
    f.target,
    f.met === null ? '-' : f.met ? 'met' : 'MISSED',
  ]);
  const head = ['figure', 'ours', 'baseline', 'ratio', 'spread', 'target', ''];
  return [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

export function machineLine(): string {
  return `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown cpu'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
}

/** bench/results.json: one entry per figure, with the machine it ran on. */
export function writeResults(path: string, figures: readonly Figure[], quick: boolean): void {
  mkdirSync(dirname(path), { recursive: true });
  const results = figures.map(({ name, ours, baseline, ratio, unit, target, met, spread, better }) => ({ name, ours, baseline, ratio, unit, target, met, spread, better }));
  writeFileSync(path, `${JSON.stringify({ machine: machineLine(), quick, at: new Date().toISOString(), results }, null, 2)}\n`);
}

/**
 * A partial run's figures into bench/results.json: each replaces the entry of the same name (or is added),
 * stamped with its own date and mode, since the file's `at` and `quick` stay those of the last full run.
 */
export function mergeResults(path: string, figures: readonly Figure[], quick: boolean): void {
  const file = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { results?: Array<{ name: string }> } & Record<string, unknown>) : { machine: machineLine(), quick, at: new Date().toISOString(), results: [] };
  const results = [...(file.results ?? [])];
  const at = new Date().toISOString();
  for (const { name, ours, baseline, ratio, unit, target, met, spread, better } of figures) {
    const entry = { name, ours, baseline, ratio, unit, target, met, spread, better, at, quick, machine: machineLine() };
    const i = results.findIndex((r) => r.name === name);
    if (i >= 0) results[i] = entry;
    else results.push(entry);
  }
  writeFileSync(path, `${JSON.stringify({ ...file, results }, null, 2)}
`);
}

const BEGIN = '<!-- bench:results:begin -->';
const END = '<!-- bench:results:end -->';

/** Rewrites the generated block of docs/PERFORMANCE.md; the prose around it is kept. */
export function updatePerformanceDoc(path: string, figures: readonly Figure[], quick: boolean): void {
  const block = [
    BEGIN,
    `Last run: ${new Date().toISOString().slice(0, 10)}, ${quick ? 'quick mode (`npm run bench -- --quick`)' : 'full mode (`npm run bench`)'}, on ${machineLine()}.`,
    '',
    renderTable(figures),
    '',
    ...figures.filter((f) => f.note).map((f) => `- **${f.label}**: ${f.note}`),
    END,
  ].join('\n');
  const current = existsSync(path) ? readFileSync(path, 'utf8') : `# Performance\n\n${BEGIN}\n${END}\n`;
  const start = current.indexOf(BEGIN);
  const end = current.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${path} lacks the ${BEGIN} ... ${END} markers`);
  writeFileSync(path, current.slice(0, start) + block + current.slice(end + END.length));
}

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const ROOT = resolve(import.meta.dirname, '..', '..');

export function readYamlDocs(path: string): unknown[] {
  return parseAllDocuments(readFileSync(resolve(ROOT, path), 'utf8')).map((d) => {
    if (d.errors.length) throw new Error(`${path}: ${d.errors[0]!.message}`);
    return d.toJSON() as unknown;
  }).filter((d) => d !== null);
}

export function parseYamlDocs(text: string): unknown[] {
  return parseAllDocuments(text).map((d) => d.toJSON() as unknown).filter((d) => d !== null);
}

/** Runs a tool; on failure the error carries its output, so the test says what the tool said. */
export function run(cmd: string, args: string[], cwd = ROOT): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

/** Metric names a PromQL expression reads (ours are all perpetua_*, plus Prometheus's own `up`). */
export function metricNames(expr: string): string[] {
  return [...new Set([...expr.matchAll(/\b(perpetua_[a-z0-9_]+|up)\b(?=\s*[{[)\s]|$)/g)].map((m) => m[1]!))];
}

/** Every sample name a /metrics text exposes: families from # TYPE (histograms as _bucket/_sum/_count), and samples. */
export function exportedNames(metricsText: string): Set<string> {
  const out = new Set<string>();
  for (const line of metricsText.split('\n')) {
    const t = /^# TYPE (\S+) (\S+)/.exec(line);
    if (t) {
      out.add(t[1]!);
      if (t[2] === 'histogram') for (const s of ['_bucket', '_sum', '_count']) out.add(t[1]! + s);
      if (t[2] === 'summary') for (const s of ['_sum', '_count']) out.add(t[1]! + s);
    } else if (/^[a-zA-Z_]/.test(line)) out.add(line.split(/[{ ]/)[0]!);
  }
  return out;
}

import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The parts of a V8 .cpuprofile (what `node --cpu-prof` writes) a summary needs. */
export const CpuProfile = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number(), columnNumber: z.number().optional() }),
      hitCount: z.number().optional(),
      children: z.array(z.number()).optional(),
    }),
  ),
  startTime: z.number(),
  endTime: z.number(),
  samples: z.array(z.number()).optional(),
  timeDeltas: z.array(z.number()).optional(),
});
export type CpuProfile = z.infer<typeof CpuProfile>;

export interface SelfTime {
  /** "name (file:line:column)", or V8's own entries: (garbage collector), (program), (idle). */
  label: string;
  /** Where it lives: a node_modules package, a workspace folder (libs/book), node: internals, or V8. */
  origin: string;
  ms: number;
  /** Share of the busy time (everything but (idle)), 0..1. */
  share: number;
}

export interface ProfileSummary {
  /** Wall time the profile covers, and the part of it not idle, ms. */
  totalMs: number;
  busyMs: number;
  functions: SelfTime[];
  origins: SelfTime[];
}

const V8_ENTRIES = new Set(['(garbage collector)', '(program)', '(idle)', '(root)']);

/** The package or folder a script URL belongs to, relative to `root` when it is under it. */
export function originOf(url: string, functionName: string, root: string): string {
  if (V8_ENTRIES.has(functionName) || url === '') return 'v8';
  if (url.startsWith('node:')) return 'node';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = path.slice(nm + '/node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const rel = relative(root, path);
  if (rel.startsWith('..')) return path;
  const parts = rel.split('/');
  // libs/book/src/… → libs/book; bench/gateway/… → bench/gateway.
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

function labelOf(name: string, url: string, line: number, column: number | undefined, root: string): string {
  if (V8_ENTRIES.has(name)) return name;
  const fn = name === '' ? '(anonymous)' : name;
  if (url === '') return fn;
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const nm = path.lastIndexOf('/node_modules/');
  const where = nm >= 0 ? path.slice(nm + '/node_modules/'.length) : relative(root, path).startsWith('..') ? path : relative(root, path);
  // V8 lines and columns are 0-based; the column tells apart the arrows of a file that tsx compiled to one line.
  return `${fn} (${where}:${line + 1}${column !== undefined && column >= 0 ? `:${column + 1}` : ''})`;
}

/**
 * Self time per function (and per package or folder) of a CPU profile, largest
 * first. Times come from the sample deltas, so they are ms of CPU sampling, and
 * shares are of the busy time: an idle process's waiting is not a cost. With
 * `under`, only samples inside a call to that function count.
 */
export function summariseCpuProfile(profile: CpuProfile, root: string, under?: string): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const inScope = scopeOf(profile, under);
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  if (samples.length > 0 && deltas.length === samples.length) {
    // timeDeltas[i] is the time before sample i: sample i's node ran until sample i+1.
    for (let i = 0; i < samples.length; i++) {
      const dt = i + 1 < deltas.length ? deltas[i + 1]! : 0;
      selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + Math.max(0, dt));
    }
  } else {
    // No samples kept: spread the duration over hit counts.
    const hits = profile.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0);
    const per = hits > 0 ? (profile.endTime - profile.startTime) / hits : 0;
    for (const n of profile.nodes) selfUs.set(n.id, (n.hitCount ?? 0) * per);
  }
  const fns = new Map<string, { origin: string; us: number }>();
  const origins = new Map<string, number>();
  let idleUs = 0;
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const n = byId.get(id);
    if (!n || us === 0 || !inScope(id)) continue;
    totalUs += us;
    const { functionName, url, lineNumber, columnNumber } = n.callFrame;
    if (functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const label = labelOf(functionName, url, lineNumber, columnNumber, root);
    const origin = originOf(url, functionName, root);
    const f = fns.get(label) ?? { origin, us: 0 };
    f.us += us;
    fns.set(label, f);
    origins.set(origin, (origins.get(origin) ?? 0) + us);
  }
  const busyUs = totalUs - idleUs;
  const share = (us: number) => (busyUs > 0 ? us / busyUs : 0);
  return {
    totalMs: totalUs / 1000,
    busyMs: busyUs / 1000,
    functions: [...fns].map(([label, f]) => ({ label, origin: f.origin, ms: f.us / 1000, share: share(f.us) })).sort((a, b) => b.ms - a.ms),
    origins: [...origins].map(([origin, us]) => ({ label: origin, origin, ms: us / 1000, share: share(us) })).sort((a, b) => b.ms - a.ms),
  };
}

/**
 * Which nodes count: all, or with `under`, those running inside a call to a function of that
 * name (the workload, not the process's start-up and module compilation around it).
 */
function scopeOf(profile: CpuProfile, under: string | undefined): (id: number) => boolean {
  if (under === undefined) return () => true;
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const memo = new Map<number, boolean>();
  const inside = (id: number): boolean => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const p = parent.get(id);
    const yes = byId.get(id)?.callFrame.functionName === under || (p !== undefined && inside(p));
    memo.set(id, yes);
    return yes;
  };
  return inside;
}

/** The summary as text: busy time, then the top functions and the top origins by self time. */
export function formatSummary(s: ProfileSummary, top: number): string {
  const pct = (x: number) => `${(x * 100).toFixed(1).padStart(5)}%`;
  const ms = (x: number) => x.toFixed(x < 10 ? 1 : 0);
  const row = (e: SelfTime) => `${pct(e.share)} ${e.ms.toFixed(1).padStart(9)} ms  ${e.label}`;
  return [
    `busy ${ms(s.busyMs)} ms of ${ms(s.totalMs)} ms sampled (${pct(s.totalMs > 0 ? s.busyMs / s.totalMs : 0).trim()})`,
    `top ${top} functions by self time (share of busy time):`,
    ...s.functions.slice(0, top).map(row),
    'by package or folder:',
    ...s.origins.slice(0, Math.min(top, 10)).map(row),
  ].join('\n');
}

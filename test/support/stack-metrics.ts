import type { StackProcess, StackState } from '../../cli/src/stack/stack-state.js';
import { isAlive } from '../../cli/src/stack/local-process.js';

/**
 * Reading a running `perpetua stack` from outside: its processes by group and the gauges on their /metrics
 * (which gateway holds a symbol, who holds a lease). Shared by the HA test and the chaos run.
 */
export const groupOf = (state: StackState, prefix: string): StackProcess[] =>
  state.processes.filter((p) => p.kind === 'service' && (p.id === prefix || p.id.startsWith(`${prefix}#`)));

/** A gauge's series of one process, as label set → value ([] when it does not answer). */
export async function gauge(p: StackProcess, name: string): Promise<{ labels: string; value: number }[]> {
  if (!p.http || !isAlive(p.pid)) return [];
  try {
    const text = await (await fetch(new URL('/metrics', p.http), { signal: AbortSignal.timeout(2_000) })).text();
    return text
      .split('\n')
      .filter((l) => l.startsWith(`${name}{`))
      .map((l) => ({ labels: l.slice(name.length, l.lastIndexOf('}') + 1), value: Number(l.slice(l.lastIndexOf(' ') + 1)) }));
  } catch {
    return [];
  }
}

/** The processes of a group that say they hold its lease (perpetua_lease_leader 1). */
export async function leadersOf(state: StackState, prefix: string): Promise<StackProcess[]> {
  const out: StackProcess[] = [];
  for (const p of groupOf(state, prefix)) if ((await gauge(p, 'perpetua_lease_leader')).some((g) => g.value === 1)) out.push(p);
  return out;
}

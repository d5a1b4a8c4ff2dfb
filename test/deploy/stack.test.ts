import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { waitUntil } from '@perpetua/testkit';
import { bundle } from '../../cli/build/bundle.js';
import { readStackState, type StackState } from '../../cli/src/stack/stack-state.js';
import { isAlive } from '../../cli/src/stack/local-process.js';
import { ROOT, exportedNames, metricNames } from './deploy-files.js';

/**
 * Acceptance: `perpetua stack up` on the simulator, run from the `npm run build`
 * bundle (so every service is `node dist/perpetua.js service <name>`, the image's
 * command); Prometheus (Debian's binary) reports every target up and serves live
 * series; the Grafana panels and alert rules read only metrics the services
 * export (checked against their live /metrics); `stack down` leaves no process.
 */
const TMP = join(ROOT, '.tmp', `stack-test-${process.pid}`);
const DIST = join(TMP, 'dist');
const DIR = join(TMP, 'run');
let entry: string;
let state: StackState | undefined;

function stack(verb: string): { code: number; stdout: string } {
  try {
    return { code: 0, stdout: execFileSync(process.execPath, [entry, 'stack', verb, '--dir', DIR], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 }) };
  } catch (err) {
    const e = err as { status: number; stdout: string; stderr: string };
    throw new Error(`perpetua stack ${verb} exited ${e.status}\n${e.stdout}\n${e.stderr}`);
  }
}

async function query(prometheus: string, promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const res = await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = (await res.json()) as { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  if (body.status !== 'success') throw new Error(`query ${promql}: ${JSON.stringify(body)}`);
  return body.data.result;
}

beforeAll(async () => {
  entry = (await bundle(DIST)).entry;
}, 120_000);

afterAll(() => {
  // A failed test still takes the stack down.
  if (readStackState(DIR)?.processes.some((p) => isAlive(p.pid))) stack('down');
  rmSync(TMP, { recursive: true, force: true });
}, 120_000);

describe('perpetua stack on the simulator', () => {
  it('comes up, Prometheus scrapes every target and serves live series, and down leaves no process behind', async () => {
    const up = JSON.parse(stack('up').stdout.trim().split('\n').at(-1)!) as { prometheus: string; skipped: { service: string }[] };
    state = readStackState(DIR)!;
    const prometheus = up.prometheus;
    const services = state.processes.filter((p) => p.kind === 'service');
    expect(services.map((p) => p.id)).toEqual(expect.arrayContaining(['gateway.binanceusdm', 'gateway.bybit', 'gateway.standx', 'gateway.grvt', 'risk', 'order-router.binanceusdm', 'quoter', 'arb-detector']));
    // The image's command, on the process stack.
    expect(services.find((p) => p.id === 'risk')!.command.slice(1)).toEqual([entry, 'service', 'risk']);

    // Every target up, as Prometheus itself reports it.
    let targets: { labels: { instance: string }; health: string }[] = [];
    await waitUntil(
      async () => {
        const res = (await (await fetch(`${prometheus}/api/v1/targets`)).json()) as { data: { activeTargets: typeof targets } };
        targets = res.data.activeTargets;
        return targets.length === services.length + 1 && targets.every((t) => t.health === 'up');
      },
      90_000,
      () => `targets: ${JSON.stringify(targets.map((t) => [t.labels.instance, t.health]))}`,
      500,
    );

    // Live series: books published, quotes, fills, positions.
    const live = {
      books: 'sum(perpetua_gateway_messages_published_total{kind="book"})',
      quotes: 'sum(perpetua_quoter_intents_total)',
      orders: 'sum(perpetua_router_orders_placed_total)',
      fills: 'sum(perpetua_router_fills_total)',
      booked: 'sum(perpetua_risk_fills_booked_total)',
      positions: 'count(perpetua_risk_position)',
    };
    const seen: Record<string, number> = {};
    await waitUntil(
      async () => {
        for (const [k, q] of Object.entries(live)) seen[k] = Number((await query(prometheus, q))[0]?.value[1] ?? 0);
        return Object.values(seen).every((v) => v > 0);
      },
      150_000,
      () => `live series: ${JSON.stringify(seen)}`,
      1_000,
    );
    const venues = new Set((await query(prometheus, 'perpetua_gateway_venue_up == 1')).map((r) => r.metric.venue));
    expect([...venues].sort()).toEqual(['binanceusdm', 'bybit', 'grvt', 'okx', 'standx']);

    // Every metric the dashboard and the alerts read is one a service exports (a live scrape of each).
    const exported = new Set(['up']);
    for (const p of state.processes.filter((p) => p.kind === 'service' || p.kind === 'sim')) for (const n of exportedNames(await (await fetch(new URL('/metrics', p.http))).text())) exported.add(n);
    const dashboard = JSON.parse(readFileSync(resolve(ROOT, 'deploy/grafana/dashboards/perpetua.json'), 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };
    const rules = parse(readFileSync(resolve(ROOT, 'deploy/prometheus/alerts.yml'), 'utf8')) as { groups: { rules: { alert: string; expr: string }[] }[] };
    const reads = [
      ...dashboard.panels.flatMap((p) => p.targets.map((t) => ({ where: `panel "${p.title}"`, expr: t.expr }))),
      ...rules.groups.flatMap((g) => g.rules.map((r) => ({ where: `alert ${r.alert}`, expr: r.expr }))),
    ];
    expect(reads.length).toBeGreaterThan(15);
    const unknown = reads.flatMap((r) => {
      const names = metricNames(r.expr);
      expect(names.length, `${r.where} reads no metric: ${r.expr}`).toBeGreaterThan(0);
      return names.filter((n) => !exported.has(n)).map((n) => `${r.where}: ${n}`);
    });
    expect(unknown, 'metrics no service exports').toEqual([]);

    // The Prometheus of the stack loaded the alert rules.
    const loaded = (await (await fetch(`${prometheus}/api/v1/rules`)).json()) as { data: { groups: { rules: unknown[] }[] } };
    expect(loaded.data.groups.flatMap((g) => g.rules).length).toBe(rules.groups.flatMap((g) => g.rules).length);

    // status, then down: every process gone, none left holding the run directory.
    expect(JSON.parse(stack('status').stdout) as { ok: boolean }).toMatchObject({ ok: true });
    const down = JSON.parse(stack('down').stdout) as { left: number[] };
    expect(down.left).toEqual([]);
    for (const p of state.processes) expect(isAlive(p.pid), `${p.id} (pid ${p.pid}) still running`).toBe(false);
    expect(processesMentioning(DIR)).toEqual([]);
  }, 420_000);
});

/** Processes whose command line names the run directory (a child a service forked would show here). */
function processesMentioning(text: string): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(text) && Number(pid) !== process.pid) out.push(`${pid}: ${cmd}`);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

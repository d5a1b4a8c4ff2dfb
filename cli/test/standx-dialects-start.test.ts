import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startSimulator, type RunningSimulator, type StandxDialectInput } from '@perpetua/sim';
import { runCli } from './run-cli.js';

/**
 * Acceptance #20.3: `perpetua start` quoting live on StandX against the simulator playing each reading of StandX's
 * docs that the adapter must tolerate. Per dialect, its own simulator (in this process, so the test reads the
 * venue's fills and connection counts) and its own `perpetua start` process, all at once.
 *
 * Each run lasts STANDX_DIALECT_SECONDS (default 15 in `npm test`; the acceptance run is STANDX_DIALECT_SECONDS=60).
 * Zero reconnects of any cause: the simulator saw exactly one market stream (gateway), one private stream (router)
 * and one order-response stream (router) from the run. No dropped fill: the fills booked equal the venue's.
 */
const SECONDS = Number(process.env['STANDX_DIALECT_SECONDS'] ?? 15);
const DIALECTS: ReadonlyArray<readonly [string, StandxDialectInput]> = [
  ['seq per channel', { seq: 'per_channel' }],
  ['seq with gaps', { seq: 'gaps' }],
  ['trades without ids', { tradeIds: 'absent' }],
  ['extra order statuses', { orderStatuses: 'extended' }],
];

const Summary = z.object({ event: z.literal('summary'), quotesPlaced: z.number(), fills: z.number(), fillsSignedQty: z.string(), position: z.string() });

const sims: RunningSimulator[] = [];
afterAll(async () => {
  await Promise.all(sims.map((s) => s.close()));
});

async function runDialect(name: string, dialect: StandxDialectInput) {
  const sim = await startSimulator({ venues: ['standx'], seed: 41, dialects: { standx: dialect } });
  sims.push(sim);
  const dir = mkdtempSync(join(tmpdir(), 'perpetua-standx-'));
  const file = join(dir, 'perpetua.yaml');
  writeFileSync(
    file,
    [
      'venues:',
      '  standx: { kind: standx, symbols: [BTC-PERP] }',
      `sim: { admin: "${sim.ready.admin}" }`,
      'trading: { mode: live }',
      // 1 bp each side of mid: at or inside the touch, so the simulator's taker flow fills us.
      'strategy: { venue: standx, account: demo, params: { kind: fixed-spread, spreadBps: 1, size: "0.01", requoteBps: 0 } }',
      'telemetry: { logLevel: warn }',
      '',
    ].join('\n'),
  );
  const r = await runCli(['start', '--duration', String(SECONDS), '--json', '--config', file], {}, (SECONDS + 120) * 1000);
  // Frozen as the run ends: the venue's fills and open orders are what the run left, not what the flow does after.
  sim.world.stop();
  const lines = r.stdout.trim().split('\n');
  const account = sim.ready.venues['standx']!.credentials.accountId;
  const engine = sim.world.venue('standx');
  return {
    name,
    r,
    summary: r.code === 0 ? Summary.parse(JSON.parse(lines.at(-1)!)) : undefined,
    venueFills: engine.fills(account),
    openAfter: engine.openOrders(account),
    connections: sim.connectionStats('standx'),
  };
}

describe('perpetua start on StandX under each dialect (acceptance #20.3)', () => {
  it(
    `quotes and fills for ${SECONDS} s per dialect with no reconnect and every fill booked`,
    async () => {
      const runs = await Promise.all(DIALECTS.map(([name, d]) => runDialect(name, d)));
      // The measured counts, for the acceptance record: fills booked by the run against the venue's own.
      for (const run of runs) process.stdout.write(`${run.name}: fills booked ${run.summary?.fills ?? '-'}, venue ${run.venueFills.length}\n`);
      for (const run of runs) {
        expect(run.r.code, `${run.name}: ${run.r.stderr.slice(-2000)}`).toBe(0);
        const s = run.summary!;
        expect(s.quotesPlaced, run.name).toBeGreaterThan(0);
        expect(s.fills, run.name).toBeGreaterThan(0);
        // Nothing left resting after the run (cancel-all on stop), and every fill the venue made for the account booked once.
        expect(run.openAfter.map((o) => `${o.clientOrderId} ${o.side} ${o.price} ${o.status}`), run.name).toEqual([]);
        expect(s.fills, run.name).toBe(run.venueFills.length);
        expect(s.position, run.name).toBe(s.fillsSignedQty);
        const byPath = Object.values(run.connections ?? {}).reduce<Record<string, number>>((acc, ip) => {
          for (const [path, n] of Object.entries(ip.openedByPath)) acc[path] = (acc[path] ?? 0) + n;
          return acc;
        }, {});
        expect(byPath, run.name).toEqual({ '/ws-stream/v1': 2, '/ws-api/v1': 1 });
      }
    },
    (SECONDS + 180) * 1000,
  );
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { GRVT_DIALECT_PRESETS, startSimulator, type GrvtDialectPreset, type RunningSimulator } from '@perpetua/sim';
import { waitUntil } from '@perpetua/testkit';
import { runCli } from './run-cli.js';
import { engineAccount } from './trading-harness.js';

/**
 * `perpetua start` trading live on GRVT against a simulator speaking each reading of what GRVT's docs leave open
 * (libs/sim/src/facades/grvt/grvt-dialect.ts), one process per dialect, all at once: it quotes and fills, no book
 * resync or reconnection comes from sequence numbers, every fill the simulator made is booked once, and a burst of
 * GRVT rate-limit answers (1006 / HTTP 429) is backed off, not counted as rejections.
 *
 * GRVT_DIALECT_SECONDS sets each run's length: 15 s by default so `npm test` stays bearable, 60 for the full check
 * (`GRVT_DIALECT_SECONDS=60 npx vitest run cli/test/grvt-dialects.test.ts`).
 */
const SECONDS = Number(process.env.GRVT_DIALECT_SECONDS ?? 15);
const SYMBOL = 'BTC-PERP';

const Summary = z.object({
  event: z.literal('summary'),
  venue: z.literal('grvt'),
  quotesPlaced: z.number(),
  rejected: z.number(),
  rateLimited: z.number(),
  resyncs: z.number(),
  reconnects: z.number(),
  fills: z.number(),
  fillsSignedQty: z.string(),
  position: z.string(),
});

const sims: RunningSimulator[] = [];
const dir = mkdtempSync(join(tmpdir(), 'perpetua-grvt-dialects-'));
/** GRVT alone: the simulator of each run serves only it. */
const CONFIG = join(dir, 'perpetua.yaml');
writeFileSync(CONFIG, 'venues:\n  grvt: {}\n');
afterAll(async () => {
  for (const s of sims) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(preset: GrvtDialectPreset, seed: number) {
  const sim = await startSimulator({ seed, venues: ['grvt'], dialects: { grvt: GRVT_DIALECT_PRESETS[preset] } });
  sims.push(sim);
  const engine = sim.world.venue('grvt');
  const account = engineAccount(sim.ready, 'grvt');
  const cli = runCli(
    ['start', '--config', CONFIG, '--duration', String(SECONDS), '--json'],
    {
      PERPETUA_SIM__ADMIN: sim.ready.admin!,
      PERPETUA_TRADING__MODE: 'live',
      PERPETUA_STRATEGY__VENUE: 'grvt',
      PERPETUA_STRATEGY__ACCOUNT: 'demo',
      PERPETUA_STRATEGY__SYMBOL: SYMBOL,
      PERPETUA_TELEMETRY__LOG_LEVEL: 'warn',
    },
    (SECONDS + 150) * 1000,
  );
  // Once quotes rest, GRVT's rate-limit answer to the next three create_order calls.
  let injected = false;
  let exited = false;
  void cli.finally(() => (exited = true)).catch(() => undefined);
  const started = waitUntil(() => exited || engine.openOrders(account, SYMBOL).length > 0, (SECONDS + 150) * 1000, `${preset}: first quotes`, 200)
    .then(() => {
      if (exited) return;
      sim.faults.inject({ kind: 'http_error', venue: 'grvt', status: 429, path: '/full/v1/create_order', method: 'POST', count: 3 });
      injected = true;
    })
    .catch(() => undefined);
  const r = await cli;
  await started;
  const lines = r.stdout.trim().split('\n');
  const summary = Summary.safeParse(JSON.parse(lines[lines.length - 1] || '{}'));
  // How many rate-limit answers the simulator gave (the fault's effects).
  const effects = (await sim.faults.metrics.registry.getSingleMetric('perpetua_sim_fault_effects_total')?.get())?.values ?? [];
  const limited = effects.filter((v) => v.labels.kind === 'http_error').reduce((sum, v) => sum + v.value, 0);
  return { preset, r, summary, injected, limited, venueFills: engine.fills(account, { limit: 100_000 }).length, open: engine.openOrders(account, SYMBOL).length };
}

describe(`perpetua start on GRVT under every simulator dialect (${SECONDS} s each, in parallel)`, () => {
  it('quotes and fills with no sequence-number resyncs, books every fill once, and backs off a rate limit', async () => {
    const presets = Object.keys(GRVT_DIALECT_PRESETS) as GrvtDialectPreset[];
    const results = await Promise.all(presets.map((p, i) => run(p, 101 + i)));
    for (const { preset, r, summary, injected, limited, venueFills, open } of results) {
      const what = `${preset}: exit ${r.code}\n${r.stderr.slice(-3000)}`;
      expect(r.code, what).toBe(0);
      expect(summary.success, what).toBe(true);
      const s = summary.data!;
      expect(s.quotesPlaced, what).toBeGreaterThan(0);
      expect(s.fills, what).toBeGreaterThan(0);
      // No book resync and no reconnection: whatever the venue's counting, no sequence number was taken for a gap.
      expect({ preset, resyncs: s.resyncs, reconnects: s.reconnects }).toEqual({ preset, resyncs: 0, reconnects: 0 });
      // Every fill the simulator made on the account was booked, once.
      expect({ preset, booked: s.fills }).toEqual({ preset, booked: venueFills });
      expect(s.position, what).toBe(s.fillsSignedQty);
      // The rate-limit burst: every answer counted as rate limited (the router counts these apart from rejections:
      // services/order-router/test/rate-limited.test.ts), backed off, quoting went on; stop pulled every quote.
      expect(injected, what).toBe(true);
      expect(limited, what).toBe(3);
      expect(s.rateLimited, what).toBeGreaterThanOrEqual(limited);
      expect(open, what).toBe(0);
    }
  }, (SECONDS + 200) * 1000);
});

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runCli } from './run-cli.js';

const Summary = z.object({
  event: z.literal('summary'),
  quotesPlaced: z.number(),
  cancels: z.number(),
  fills: z.number(),
  fillsSignedQty: z.string(),
  position: z.string(),
  realizedPnl: z.string(),
  unrealizedPnl: z.string(),
  fees: z.string(),
});

describe('perpetua start', () => {
  it('runs every service in one process with the defaults and prints a JSON summary last', async () => {
    const r = await runCli(['start', '--duration', '8', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const summary = Summary.parse(JSON.parse(lines[lines.length - 1]!));
    expect(summary.quotesPlaced).toBeGreaterThan(0);
    expect(summary.fills).toBeGreaterThan(0);
    expect(summary.position).toBe(summary.fillsSignedQty);
  }, 60_000);

  it('rejects a bad --duration with exit code 2 and one line', async () => {
    const r = await runCli(['start', '--duration', 'soon']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--duration');
  });

  it('rejects an unknown command with exit code 2', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command');
  });
});

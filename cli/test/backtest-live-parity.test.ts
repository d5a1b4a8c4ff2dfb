import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runLiveParity } from './live-parity-harness.js';
import { PARITY_TOLERANCE, parityVerdict } from './live-parity-tolerance.js';

const dir = mkdtempSync(join(tmpdir(), 'perpetua-live-parity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('backtest equals live (short form; npm run backtest:live-parity -- --minutes 10 is the full one)', () => {
  it(`50 s live on the simulator's Binance USD-M, then the backtest of that recording: fills, volume and PnL within ${JSON.stringify(PARITY_TOLERANCE)}`, async () => {
    const r = await runLiveParity({ seconds: 50, seed: 5, dir });
    const verdict = parityVerdict(r.live, r.backtest, r.live.volumeQuote);
    const detail = JSON.stringify({ live: r.live, backtest: r.backtest, verdict });
    expect(r.live.fills, detail).toBeGreaterThan(10);
    // Our own fills were found in the recorded tape and taken out (else the replay fills on them again).
    expect(r.ownTradesDropped, detail).toBeGreaterThan(0);
    expect(verdict.failures, detail).toEqual([]);
  }, 110_000);
});

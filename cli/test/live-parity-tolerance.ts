import type { ParityFigures } from './live-parity-harness.js';

/**
 * How close a backtest of a recording must come to the live run it recorded (docs/BACKTEST.md, "Backtest
 * against live"). The simulator matched our real orders with true price-time priority; the backtest only
 * estimates where we stood in the queue (power:2 guesses where cancels came from) and how long our
 * requests took (a constant draw against the real loopback latency), and the taker flow of the recording
 * did not react to our absence. So:
 * - fill count within ±40 % of live: it also differs by how a fill is split: the simulator books one fill
 *   per maker match (a taker smaller than our order fills us in pieces), the fill model one per trade event;
 * - base volume within ±50 % of live: the backtest trades 30-41 % more base volume than live in measured runs
 *   (+30 % over 10 min, up to +41 % over 50 s), not yet explained (issue #21 stays open on it);
 * - PnL (realized + unrealized at the last mid − fees + rebates) within 2 bps of the live traded notional:
 *   about one half-spread of the 2 bps quote per fill, the size of a queue-position error on each.
 */
export const PARITY_TOLERANCE = { fillsRel: 0.4, volumeRel: 0.5, pnlBpsOfNotional: 2 } as const;

export interface ParityVerdict {
  ok: boolean;
  fillsRatio: number;
  volumeRatio: number;
  pnlDiff: number;
  pnlAllowed: number;
  failures: string[];
}

export function parityVerdict(live: ParityFigures, backtest: ParityFigures, liveNotional: number): ParityVerdict {
  const t = PARITY_TOLERANCE;
  const fillsRatio = backtest.fills / Math.max(1, live.fills);
  const volumeRatio = backtest.volumeBase / Math.max(1e-12, live.volumeBase);
  const pnlDiff = backtest.pnl - live.pnl;
  const pnlAllowed = (liveNotional * t.pnlBpsOfNotional) / 10_000;
  const failures: string[] = [];
  if (live.fills === 0) failures.push('no live fills: nothing to compare');
  if (Math.abs(fillsRatio - 1) > t.fillsRel) failures.push(`fills ${backtest.fills} vs live ${live.fills}: beyond ±${t.fillsRel * 100}%`);
  if (Math.abs(volumeRatio - 1) > t.volumeRel) failures.push(`volume ${backtest.volumeBase} vs live ${live.volumeBase}: beyond ±${t.volumeRel * 100}%`);
  if (Math.abs(pnlDiff) > pnlAllowed) failures.push(`PnL ${backtest.pnl.toFixed(4)} vs live ${live.pnl.toFixed(4)}: differ by more than ${pnlAllowed.toFixed(4)} (${t.pnlBpsOfNotional} bps of live notional)`);
  return { ok: failures.length === 0, fillsRatio, volumeRatio, pnlDiff, pnlAllowed, failures };
}

import type { FundingPayment } from '@perpetua/core';

/**
 * Which funding payments a router asks the venue for, and how far its watermark moves: pure, so a
 * restart's behaviour is decided by numbers alone (tested exhaustively).
 */
export interface FundingWindowOptions {
  /** With no watermark stored yet, payments are asked for from this far back (ms). */
  lookbackMs: number;
  /** Payments are asked for from this long before the watermark (ms): a venue may list a settlement late. */
  marginMs: number;
}

/** Where to ask from: watermark less the margin, or now less the lookback with none; never before 0. */
export function fundingQueryStart(watermark: number | undefined, now: number, o: FundingWindowOptions): number {
  return Math.max(0, watermark === undefined ? now - o.lookbackMs : watermark - o.marginMs);
}

/** The watermark after these payments are booked: the newest settlement time seen, never moving back. */
export function nextFundingWatermark(watermark: number | undefined, booked: readonly Pick<FundingPayment, 'tsExchange'>[]): number | undefined {
  let w = watermark;
  for (const p of booked) if (w === undefined || p.tsExchange > w) w = p.tsExchange;
  return w;
}

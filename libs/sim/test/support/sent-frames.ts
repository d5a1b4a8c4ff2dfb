import type { FacadeTap, TapWsFrame } from '../../src/facades/facade-tap.js';

/**
 * Counts the WS frames a tapped façade (Binance, Bybit, OKX) writes that match `pred`, through its fault-injection
 * tap, which passes every frame on unchanged. A test waits on the count for a reply the client library keeps to
 * itself (a subscription's acknowledgement). Replaces any tap the façade had.
 */
export function countSentFrames(facade: { setTap(tap: FacadeTap): void }, pred: (frame: TapWsFrame) => boolean): () => number {
  let n = 0;
  facade.setTap({
    ws: (frame) => {
      if (pred(frame)) n++;
      return { kind: 'pass' };
    },
  });
  return () => n;
}

/** The frame's JSON object, or undefined (a frame the tap sees is text, but not always JSON). */
export function frameJson(frame: TapWsFrame): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(frame.data);
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

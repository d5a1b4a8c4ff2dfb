import { createHash } from 'node:crypto';

/**
 * Our client order ids are strings (≤ 36 characters, traceable to the intent); GRVT's `metadata.client_order_id`
 * is a uint64, and GRVT keeps the top half ([2^63, 2^64)) for orders from its own UI. So each of our ids maps to a
 * number in [1, 2^63):
 * - an id that already is a decimal in that range is sent as itself (and so always maps back, even after a restart);
 * - any other id is sent as the first 63 bits of its SHA-256 — stable, so the same string always designates the same
 *   GRVT order (a query or cancel after a restart still finds it).
 * Numbers seen in answers and streams map back through the ids this process sent; an unknown number (an order
 * placed by an earlier run or another client) is reported as its decimal text.
 */
const MAX = (1n << 63n) - 1n;
/** Ids remembered both ways; the oldest are forgotten first. */
const CAPACITY = 100_000;

export function grvtNumericClientId(clientOrderId: string): string {
  if (/^\d{1,19}$/.test(clientOrderId)) {
    const n = BigInt(clientOrderId);
    if (n >= 1n && n <= MAX && String(n) === clientOrderId) return clientOrderId;
  }
  const digest = createHash('sha256').update(clientOrderId, 'utf8').digest();
  const n = digest.readBigUInt64BE(0) & MAX;
  return String(n === 0n ? 1n : n);
}

export class GrvtClientOrderIds {
  private readonly toOurs = new Map<string, string>();

  /** GRVT's number for `clientOrderId`, remembered so answers and stream messages map back. */
  numeric(clientOrderId: string): string {
    const n = grvtNumericClientId(clientOrderId);
    const known = this.toOurs.get(n);
    if (known !== undefined && known !== clientOrderId) {
      throw new Error(`client order id ${clientOrderId} collides with ${known} on GRVT (${n})`);
    }
    if (known === undefined) {
      this.toOurs.set(n, clientOrderId);
      if (this.toOurs.size > CAPACITY) this.toOurs.delete(this.toOurs.keys().next().value!);
    }
    return n;
  }

  /** Our id behind GRVT's number; the number itself when we never sent it. */
  ours(numeric: string): string {
    return this.toOurs.get(numeric) ?? numeric;
  }
}

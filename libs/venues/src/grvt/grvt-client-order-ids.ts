import { createHash } from 'node:crypto';

/**
 * Our client order ids are strings (≤ 36 characters, traceable to the intent); GRVT's `metadata.client_order_id`
 * is a uint64. GRVT's UI draws its ids from [0, 2^63) and asks API clients to use [2^63, 2^64) (OrderMetadata,
 * api-docs.grvt.io), so an id of ours can never overlap a person's manual order. So every order we place carries a
 * number with bit 63 set:
 * - an id that already is a decimal in [2^63, 2^64) is sent as itself (and so always maps back, even after a restart);
 * - any other id is sent as 2^63 + the first 63 bits of its SHA-256: stable, so the same string always designates the
 *   same GRVT order (a query or cancel after a restart still finds it).
 * Numbers seen in answers and streams map back through the ids this process sent; an unknown number (an order
 * placed by an earlier run, another client or the UI) is reported as its decimal text, and that text designates the
 * number itself when we cancel or query it.
 */
const API_RANGE_START = 1n << 63n;
const LOW_63_BITS = API_RANGE_START - 1n;
const UINT64_MAX = (1n << 64n) - 1n;
/** Ids remembered both ways; the oldest are forgotten first. */
const CAPACITY = 100_000;

/** The uint64 a canonical decimal text stands for, if it is one. */
function asUint64(text: string): bigint | undefined {
  if (!/^(0|[1-9]\d{0,19})$/.test(text)) return undefined;
  const n = BigInt(text);
  return n <= UINT64_MAX ? n : undefined;
}

/** The number an order we place with `clientOrderId` carries on GRVT: always in [2^63, 2^64). */
export function grvtNumericClientId(clientOrderId: string): string {
  const n = asUint64(clientOrderId);
  if (n !== undefined && n >= API_RANGE_START) return clientOrderId;
  const digest = createHash('sha256').update(clientOrderId, 'utf8').digest();
  return String(API_RANGE_START | (digest.readBigUInt64BE(0) & LOW_63_BITS));
}

export class GrvtClientOrderIds {
  private readonly toOurs = new Map<string, string>();
  private readonly toGrvt = new Map<string, string>();

  /** GRVT's number for an order we are about to place, remembered so answers and stream messages map back. */
  numeric(clientOrderId: string): string {
    const n = grvtNumericClientId(clientOrderId);
    const known = this.toOurs.get(n);
    if (known !== undefined && known !== clientOrderId) {
      throw new Error(`client order id ${clientOrderId} collides with ${known} on GRVT (${n})`);
    }
    if (known === undefined) {
      this.toOurs.set(n, clientOrderId);
      this.toGrvt.set(clientOrderId, n);
      if (this.toOurs.size > CAPACITY) {
        const oldest = this.toOurs.keys().next().value!;
        this.toGrvt.delete(this.toOurs.get(oldest)!);
        this.toOurs.delete(oldest);
      }
    }
    return n;
  }

  /**
   * GRVT's number for an order to cancel or look up: the one we placed it with, or, for an id we never placed that
   * is a decimal uint64 (an order we only learned of from GRVT, reported by its number), that number itself.
   */
  reference(clientOrderId: string): string {
    const placed = this.toGrvt.get(clientOrderId);
    if (placed !== undefined) return placed;
    return asUint64(clientOrderId) !== undefined ? clientOrderId : grvtNumericClientId(clientOrderId);
  }

  /** Our id behind GRVT's number; the number itself when we never sent it. */
  ours(numeric: string): string {
    return this.toOurs.get(numeric) ?? numeric;
  }
}

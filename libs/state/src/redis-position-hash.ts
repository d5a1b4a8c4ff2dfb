import { z } from 'zod';
import { CanonicalSymbol, dec, isDecimalText, toText } from '@perpetua/core';
import { avgEntryOf } from './position-ledger.js';
import type { Position } from './position.js';
import { StateCorruptError } from './state-errors.js';

/**
 * The position hash as stored in Redis, and its strict reading: every field must
 * be present and in the canonical form this code writes, and avgEntry must agree
 * with costBasis / qty. A hash that fails is reported, never booked on.
 */

const CanonicalDecimal = z.string().refine((s) => isDecimalText(s) && toText(dec(s)) === s, { message: 'expected canonical decimal text' });
const Count = z
  .string()
  .regex(/^(0|[1-9]\d{0,15})$/, { message: 'expected a non-negative integer' })
  .transform(Number);

const PositionHash = z
  .object({
    venue: z.string().min(1),
    account: z.string().min(1),
    symbol: CanonicalSymbol,
    qty: CanonicalDecimal,
    avgEntry: CanonicalDecimal,
    costBasis: CanonicalDecimal,
    realizedPnl: CanonicalDecimal,
    fees: CanonicalDecimal,
    funding: CanonicalDecimal,
    fills: Count,
    updatedAt: Count,
    version: Count,
  })
  .superRefine((h, ctx) => {
    if (!isDecimalText(h.qty) || !isDecimalText(h.costBasis) || !isDecimalText(h.avgEntry)) return; // reported above
    const qty = dec(h.qty);
    const cost = dec(h.costBasis);
    if (qty === 0n && cost !== 0n) ctx.addIssue({ code: 'custom', path: ['costBasis'], message: 'a flat position must have costBasis 0' });
    else if (toText(avgEntryOf(cost, qty)) !== h.avgEntry) {
      ctx.addIssue({ code: 'custom', path: ['avgEntry'], message: 'does not equal costBasis / qty' });
    }
  });

export interface StoredPosition {
  position: Position;
  version: number;
}

/** Reads a hash from HGETALL; undefined when the key does not exist (empty hash). */
export function decodePositionHash(key: string, expectedKey: (p: Position) => string, raw: unknown): StoredPosition | undefined {
  if (raw !== null && typeof raw === 'object' && Object.keys(raw).length === 0) return undefined;
  const r = PositionHash.safeParse(raw);
  if (!r.success) throw new StateCorruptError(`corrupt position hash at ${key}: ${z.prettifyError(r.error)}`);
  const { version, ...position } = r.data;
  if (expectedKey(position) !== key) {
    throw new StateCorruptError(`corrupt position hash at ${key}: it names ${position.venue}/${position.account}/${position.symbol}`);
  }
  return { position, version };
}

/** Field/value pairs for HSET. */
export function encodePositionHash(p: Position, version: number): string[] {
  return [
    'venue', p.venue,
    'account', p.account,
    'symbol', p.symbol,
    'qty', p.qty,
    'avgEntry', p.avgEntry,
    'costBasis', p.costBasis,
    'realizedPnl', p.realizedPnl,
    'fees', p.fees,
    'funding', p.funding,
    'fills', String(p.fills),
    'updatedAt', String(p.updatedAt),
    'version', String(version),
  ];
}

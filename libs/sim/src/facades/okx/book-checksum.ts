import { crc32 } from 'node:zlib';
import type { SimLevel } from '../../engine/types.js';

/**
 * OKX's order-book checksum: CRC32 (as a signed 32-bit integer) of the top 25 bids and asks interleaved as
 * `bidPx:bidSz:askPx:askSz:...` in the wire's own strings; when one side is shorter, the other's remaining
 * levels follow alone.
 */
export function okxBookChecksum(bids: readonly SimLevel[], asks: readonly SimLevel[]): number {
  const parts: string[] = [];
  for (let i = 0; i < 25; i++) {
    const b = bids[i];
    const a = asks[i];
    if (b) parts.push(`${b[0]}:${b[1]}`);
    if (a) parts.push(`${a[0]}:${a[1]}`);
  }
  return crc32(parts.join(':')) | 0;
}

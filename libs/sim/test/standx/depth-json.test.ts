import { describe, expect, it } from 'vitest';
import type { SimBookSnapshot, SimInstrument } from '../../src/engine/types.js';
import { depthToWire, depthToWireJson } from '../../src/facades/standx/wire-format.js';

const inst = { symbol: 'BTC-PERP', pricePrecision: 2, qtyPrecision: 3 } as SimInstrument;
const reverse = <T>(levels: T[]): T[] => levels.reverse();

describe('StandX depth_book serialization', () => {
  it('writes exactly what JSON.stringify(depthToWire(...)) writes, padding and order included', () => {
    const books: SimBookSnapshot[] = [
      { symbol: 'BTC-PERP', lastUpdateId: 7, ts: 0, bids: [['100003', '1'], ['100001.5', '0.25'], ['99999.99', '12.125']], asks: [['100004.1', '0.001']] },
      { symbol: 'BTC-PERP', lastUpdateId: 8, ts: 0, bids: [], asks: [] },
    ];
    for (const book of books) {
      // Each call gets its own arrays to reorder (order is applied in place).
      expect(depthToWireJson(book, inst, reverse)).toBe(JSON.stringify(depthToWire(book, inst, reverse)));
    }
  });
});

import { describe, expect, it } from 'vitest';
import { MemoryStateBackend, MemoryStateStore } from '../src/memory-state-store.js';
import type { StateStore } from '../src/state-store.js';
import { stateStoreContract } from './state-contract.js';
import { ACCOUNT, makeFill, SYMBOL, VENUE } from './fill-generator.js';

stateStoreContract('memory', async () => {
  // Clients share one backend, the way Redis connections share one server.
  const data = new MemoryStateBackend();
  const clients: StateStore[] = [];
  return {
    connect: async () => {
      const s = new MemoryStateStore(data);
      clients.push(s);
      return s;
    },
    dispose: async () => {
      await Promise.all(clients.map((c) => c.close()));
    },
  };
});

describe('MemoryStateBackend: fill ids are bounded (npm start books a fill every second or two for weeks)', () => {
  it('remembers the newest maxFillIds per venue and logs as many per position; a recent fill is still refused', async () => {
    const store = new MemoryStateStore(new MemoryStateBackend({ maxFillIds: 20 }));
    for (let i = 1; i <= 500; i++) await store.applyFill(makeFill(`f-${i}`, { side: i % 2 ? 'buy' : 'sell', ticks: 1_000_000, lots: 1, feeUnits: 1 }));
    const log = await store.fillLog(VENUE, ACCOUNT, SYMBOL);
    expect(log.length).toBeGreaterThanOrEqual(20);
    expect(log.length).toBeLessThanOrEqual(22);
    expect(log.at(-1)).toBe('f-500');
    expect(await store.hasFill(VENUE, 'f-500')).toBe(true);
    expect(await store.hasFill(VENUE, 'f-1')).toBe(false);
    const again = await store.applyFill(makeFill('f-499', { side: 'buy', ticks: 1_000_000, lots: 1, feeUnits: 1 }));
    expect(again.applied).toBe(false);
    // Every fill was booked once: 250 buys and 250 sells of one lot.
    expect((await store.getPosition(VENUE, ACCOUNT, SYMBOL))?.qty).toBe('0');
  });
});

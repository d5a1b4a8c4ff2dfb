import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { D, Fill, snapPrice, subjects, type SetQuotesCommand } from '@perpetua/core';
import { InProcessBus } from '@perpetua/bus';
import { MemoryStateStore } from '@perpetua/state';
import { createLogger } from '@perpetua/telemetry';
import { CcxtTrading } from '@perpetua/venues';
import { createSimWorld, startBinanceFacade, startBybitFacade, startOkxFacade, type SimEvent, type SimWorldImpl } from '@perpetua/sim';
import { waitUntil } from '@perpetua/testkit';
import { OrderRouterService } from '../src/order-router-service.js';

/**
 * End to end: the real router with the live ccxt adapter against the simulator's Binance and Bybit façades. Quote
 * sets with moved prices become amends at the venue (not new orders), a slot never has two open orders there, and
 * the fills the router publishes add up to the venue's position.
 */

const logger = createLogger({ service: 'router-amend-e2e', level: 'silent' });
const SYMBOL = 'BTC-PERP';
const VENUES = [
  { id: 'binanceusdm', start: startBinanceFacade },
  { id: 'bybit', start: startBybitFacade },
  { id: 'okx', start: startOkxFacade },
] as const;

interface Facade {
  restUrl: string;
  credentials: { apiKey: string; secret: string; password?: string };
  accountId: string;
  close(): Promise<void>;
}

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

describe('order router amends quotes in place against the simulator', () => {
  for (const v of VENUES) {
    it(`${v.id}: moved quotes are amended, one open order per slot, fills reconcile with the venue position`, async () => {
      const world: SimWorldImpl = createSimWorld({ seed: 21, clock: 'wall', venues: [v.id] });
      world.start(20);
      cleanup.push(() => world.stop());
      const f: Facade = await v.start({ world });
      cleanup.push(() => f.close());
      const engine = world.venue(v.id);

      // The venue's view: new orders vs amends of ours, and at most one open order per side (= per slot) at any moment.
      let placedAtVenue = 0;
      let amendedAtVenue = 0;
      const doubled: string[] = [];
      const unsubscribe = engine.subscribe((e: SimEvent) => {
        if (e.type !== 'order' || e.accountId !== f.accountId) return;
        if (e.execType === 'new') placedAtVenue++;
        if (e.execType === 'amended') amendedAtVenue++;
        const open = engine.openOrders(f.accountId, SYMBOL);
        for (const side of ['buy', 'sell'] as const) {
          const n = open.filter((o) => o.side === side).length;
          if (n > 1) doubled.push(`${side}: ${open.map((o) => `${o.clientOrderId}@${o.price}`).join(', ')}`);
        }
      });
      cleanup.push(unsubscribe);

      const adapter = new CcxtTrading({
        venue: v.id,
        account: 'acct-1',
        connection: { exchangeId: v.id, apiKey: f.credentials.apiKey, secret: f.credentials.secret, password: f.credentials.password, restBaseUrl: f.restUrl, wsBaseUrl: f.restUrl.replace(/^http/, 'ws'), enableRateLimit: false },
      });
      expect(adapter.amendOrder).toBeDefined();
      const bus = new InProcessBus();
      cleanup.push(() => bus.close());
      const fills = new Map<string, Fill>();
      const venueFills = () => engine.fills(f.accountId, { symbol: SYMBOL, limit: 10_000 });
      bus.subscribe(subjects.fill(v.id, SYMBOL), Fill, (fill) => void fills.set(fill.fillId, fill));
      const router = new OrderRouterService({ bus, adapter, store: new MemoryStateStore(), logger, registry: new Registry(), reconcile: { settleMs: 0 } });
      await router.start();
      let stopped = false;
      cleanup.push(async () => {
        if (!stopped) await router.stop({ cancelOpen: true });
        await adapter.close();
      });

      const tick = (await adapter.instruments()).find((i) => i.symbol === SYMBOL)!.tickSize;
      let seq = 0;
      const quoteSet = (bid: string, ask: string, qty: string): SetQuotesCommand => ({
        type: 'set_quotes',
        commandId: `c${++seq}`,
        venue: v.id,
        account: 'acct-1',
        strategy: 'mm',
        symbol: SYMBOL,
        intentId: `i${seq}`,
        quotes: [
          { slot: 'bid-0', side: 'buy', price: bid, qty, postOnly: true },
          { slot: 'ask-0', side: 'sell', price: ask, qty, postOnly: true },
        ],
        ts: Date.now(),
      });

      // A taker of our own, so fills (partial ones too) happen for sure: it trades through a whole touch level.
      expect(engine.createAccount('taker', '100000000').ok).toBe(true);
      const hitTouch = (side: 'buy' | 'sell', price: string) => {
        const level = engine.book(SYMBOL, 1)[side === 'sell' ? 'bids' : 'asks'][0];
        if (!level || level[0] !== price) return;
        // All but one lot of the level: our order, at the back of its queue, is partly filled (then amended again).
        const qty = D.toText(D.sub(D.dec(level[1]), D.dec('0.001')));
        if (D.dec(qty) > D.ZERO) engine.placeOrder({ accountId: 'taker', symbol: SYMBOL, side, type: 'limit', price, qty, tif: 'ioc' });
      };

      const ROUNDS = 12;
      for (let round = 0; round < ROUNDS; round++) {
        const b = engine.book(SYMBOL, 1);
        // At the touch every other round (the simulator's taker flow fills us there), a few ticks behind otherwise.
        const away = round % 2 === 0 ? 0 : 0.0002 * (1 + (round % 3));
        const bid = snapPrice({ tickSize: tick }, 'buy', Number(b.bids[0]![0]) * (1 - away));
        const ask = snapPrice({ tickSize: tick }, 'sell', Number(b.asks[0]![0]) * (1 + away));
        const qty = round % 4 === 3 ? '0.003' : '0.002';
        bus.publish(subjects.orderCommand(v.id), quoteSet(bid, ask, qty));
        // Until both slots rest as wanted (a fill may empty one first: then the next set places it again).
        await waitUntil(
          () => {
            const open = engine.openOrders(f.accountId, SYMBOL);
            return open.some((o) => o.side === 'buy' && o.price === bid && o.qty === qty) && open.some((o) => o.side === 'sell' && o.price === ask && o.qty === qty);
          },
          1_500,
          'quotes resting as wanted',
        ).catch(() => undefined);
        if (round % 4 === 0) hitTouch('sell', bid);
        if (round % 4 === 2) hitTouch('buy', ask);
        // The router has seen every fill so far (a partly filled quote is amended from its true remainder next round).
        await waitUntil(() => fills.size >= venueFills().length, 5_000, () => `fills published: ${fills.size} of ${venueFills().length}`);
      }

      // The audit below needs a fill: what rests at the touch is filled by the taker flow if the hits missed.
      await waitUntil(() => venueFills().length > 0, 10_000, 'a fill of ours on the venue');
      await router.stop({ cancelOpen: true });
      stopped = true;
      expect(engine.openOrders(f.accountId, SYMBOL)).toEqual([]);

      expect(doubled).toEqual([]);
      expect(router.stats.amended).toBeGreaterThanOrEqual(ROUNDS / 2);
      // The venue saw each of the router's confirmed amends as an amend of an existing order.
      expect(amendedAtVenue).toBeGreaterThanOrEqual(router.stats.amended);
      // Moved slots were amended rather than replaced: fewer new orders than amends (new ones only for filled or refused slots).
      expect(placedAtVenue).toBeLessThan(2 + amendedAtVenue);
      expect(placedAtVenue).toBe(router.stats.placed + router.stats.rejected);

      // Every venue fill of the account was published once, and they add up to the venue's position.
      const venueFillsAtEnd = venueFills();
      expect(venueFillsAtEnd.length).toBeGreaterThan(0);
      await waitUntil(() => fills.size >= venueFillsAtEnd.length, 5_000, () => `fills published: ${fills.size} of ${venueFillsAtEnd.length}`);
      expect([...fills.values()].map((x) => x.fillId).sort()).toHaveLength(venueFillsAtEnd.length);
      const net = [...fills.values()].reduce((acc, x) => (x.side === 'buy' ? D.add(acc, D.dec(x.qty)) : D.sub(acc, D.dec(x.qty))), D.ZERO);
      expect(D.toText(net)).toBe(engine.position(f.accountId, SYMBOL).qty);
    }, 60_000);
  }
});

import { describe, expect, it } from 'vitest';
import type { Fill, OrderEvent } from '@perpetua/core';
import type { TradingAdapter, TradingHandlers } from '@perpetua/venues';
import { waitUntil } from '@perpetua/testkit';
import { startWarmTradingAdapter } from '../src/compose/warm-trading-adapter.js';

/** An adapter whose stream the test drives by hand. */
function streamOnly() {
  let handlers: TradingHandlers | undefined;
  const adapter = {
    venue: 'binanceusdm',
    account: 'acct-1',
    start: async (h: TradingHandlers) => void (handlers = h),
    close: async () => undefined,
  } as unknown as TradingAdapter;
  return { adapter, emit: () => handlers! };
}

const order = (symbol: string): OrderEvent => ({ venue: 'binanceusdm', account: 'acct-1', symbol, clientOrderId: `o-${symbol}`, side: 'buy', price: '1', qty: '1', filledQty: '0', status: 'new', ts: 1 });
const fill = (symbol: string): Fill => ({ venue: 'binanceusdm', account: 'acct-1', symbol, fillId: `f-${symbol}`, clientOrderId: 'x', side: 'buy', price: '1', qty: '1', fee: '0', liquidity: 'maker', tsExchange: 1, tsReceived: 1 });

describe('warm trading adapter', () => {
  it("remembers the symbols of the leader's orders and fills its stream showed while standing by; a router's events go to the router", async () => {
    const { adapter, emit } = streamOnly();
    const warm = await startWarmTradingAdapter(adapter, { now: () => 0 });
    emit().onOrderEvent(order('SOL-PERP'));
    emit().onFill(fill('DOGE-PERP'));
    emit().onOrderEvent(order('SOL-PERP'));
    expect(warm.symbolsSeen().sort()).toEqual(['DOGE-PERP', 'SOL-PERP']);

    const toRouter: string[] = [];
    await warm.start({ onOrderEvent: (e) => void toRouter.push(e.symbol), onFill: (f) => void toRouter.push(f.symbol) });
    emit().onOrderEvent(order('XRP-PERP'));
    expect(toRouter).toEqual(['XRP-PERP']);
    expect(warm.symbolsSeen()).not.toContain('XRP-PERP');
    await warm.close();
  });

  it('reads recent fills of the given symbols and those seen, not of every symbol the venue lists', async () => {
    const { adapter, emit } = streamOnly();
    const asked: Array<string[] | undefined> = [];
    adapter.fillsSince = async (_since, symbols) => (asked.push(symbols), []);
    const warm = await startWarmTradingAdapter(adapter, { now: () => 0, refreshEveryMs: 10, symbols: () => ['BTC-PERP'] });
    emit().onOrderEvent(order('SOL-PERP'));
    await waitUntil(() => asked.some((s) => s?.includes('SOL-PERP')), 2_000, 'a read with the seen symbol');
    expect(asked[0]).toEqual(['BTC-PERP']);
    expect(asked.every((s) => s !== undefined)).toBe(true);
    await warm.close();
  });
});

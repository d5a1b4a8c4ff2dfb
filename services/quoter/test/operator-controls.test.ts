import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { InProcessBus, BusRemoteError } from '@perpetua/bus';
import { StrategyControlReply, subjects, type Instrument } from '@perpetua/core';
import { createModel, hygieneOf, StrategyParams, type PricingContext } from '@perpetua/strategies';
import { OperatorModel, serveOperatorControls, type ControlledStrategy } from '../src/operator-controls.js';

const instrument = { venue: 'binanceusdm', symbol: 'BTC-PERP', venueSymbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', tickSize: '0.1', lotSize: '0.001', minQty: '0.001', minNotional: '5', makerFee: 0.0002, takerFee: 0.0005, contractSize: '1' } as unknown as Instrument;
const ctx: PricingContext = { now: 1, bestBid: 99_990, bestAsk: 100_010, mid: 100_000, position: 0, maxPosition: 1, instrument };

function setup() {
  const params = StrategyParams.parse({ kind: 'fixed-spread', spread_bps: 10, order_amount: 0.01, order_refresh_time: 1 });
  const model = new OperatorModel(createModel(params, instrument));
  let decisions = 0;
  const s: ControlledStrategy = { id: 'mm-1', params, instrument, model, hygiene: hygieneOf(params), redecide: () => void decisions++ };
  const bus = new InProcessBus();
  serveOperatorControls(bus, [s], pino({ level: 'silent' }));
  const ask = (verb: 'pause' | 'resume' | 'params', body: Record<string, unknown>) => bus.request(subjects.strategyControl(verb, 'mm-1'), { strategy: 'mm-1', ...body }, StrategyControlReply);
  return { s, model, ask, decisions: () => decisions };
}

describe('operator controls', () => {
  it('pause makes the model offer nothing (the runtime pulls the quotes); resume brings it back; each re-decides at once', async () => {
    const { model, ask, decisions } = setup();
    expect(model.quote(ctx)).not.toBeNull();
    expect((await ask('pause', {})).paused).toBe(true);
    expect(model.quote(ctx)).toBeNull();
    expect(model.diagnostics().operator_paused).toBe(1);
    expect((await ask('resume', {})).paused).toBe(false);
    expect(model.quote(ctx)).not.toBeNull();
    expect(decisions()).toBe(2);
  });

  it('applies valid params to the next decision and refuses bad ones with the reason, changing nothing', async () => {
    const { s, model, ask } = setup();
    const wide = await ask('params', { params: { kind: 'fixed-spread', spread_bps: 50, order_amount: 0.01, order_refresh_time: 3 } });
    expect(wide.params.spread_bps).toBe(50);
    expect(s.hygiene.order_refresh_time).toBe(3);
    const q = model.quote(ctx)!;
    expect(q.bid!.price).toBeLessThan(99_600);
    await expect(ask('params', { params: { kind: 'fixed-spread', spread_bps: -1, order_amount: 0.01 } })).rejects.toBeInstanceOf(BusRemoteError);
    await expect(ask('params', { params: { kind: 'fixed-spread', spread_bps: 10, order_amount: 0.01, max_position: 5 } })).rejects.toThrow(/max_position cannot change/);
    expect(s.params.spread_bps).toBe(50);
  });
});

import fc from 'fast-check';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { BusRemoteError, InProcessBus } from '@perpetua/bus';
import { StrategyControlReply, subjects, type Instrument } from '@perpetua/core';
import { createModel, hygieneOf, StrategyParams, type PricingContext } from '@perpetua/strategies';
import { fuzzParameters, fuzzTimeoutMs, valueOf } from '@perpetua/testkit';
import { OperatorModel, serveOperatorControls, type ControlledStrategy } from '../src/operator-controls.js';

const instrument = { venue: 'binanceusdm', symbol: 'BTC-PERP', venueSymbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', tickSize: '0.1', lotSize: '0.001', minQty: '0.001', minNotional: '5', makerFee: 0.0002, takerFee: 0.0005, contractSize: '1' } as unknown as Instrument;
const ctx: PricingContext = { now: 1, bestBid: 99_990, bestAsk: 100_010, mid: 100_000, position: 0, maxPosition: 1, instrument };

/** Valid control requests of each verb: the mutations start from these. */
const SAMPLES = {
  pause: [{ strategy: 'mm-1', by: 'token@127.0.0.1' }, { strategy: 'mm-1' }],
  params: [
    { strategy: 'mm-1', by: 'op', params: { kind: 'fixed-spread', spread_bps: 20, order_amount: 0.02, order_refresh_time: 2 } },
    { strategy: 'mm-1', params: { kind: 'fixed-spread', spread_bps: 5, order_amount: 0.01, order_refresh_time: 1, order_refresh_tolerance_pct: 0.05 } },
  ],
};

describe('the quoter operator controls (fuzz)', () => {
  it(
    'answers every request with a reply or a refusal; a refused one changes neither params, hygiene nor the model',
    async () => {
      const params = StrategyParams.parse({ kind: 'fixed-spread', spread_bps: 10, order_amount: 0.01, order_refresh_time: 1 });
      const model = new OperatorModel(createModel(params, instrument));
      const s: ControlledStrategy = { id: 'mm-1', params, instrument, model, hygiene: hygieneOf(params), redecide: () => undefined };
      const bus = new InProcessBus();
      serveOperatorControls(bus, [s], pino({ level: 'silent' }));
      const verb = fc.constantFrom('pause', 'resume', 'params', 'params', 'params');
      const body = verb.chain((v) => fc.tuple(fc.constant(v), valueOf(v === 'params' ? SAMPLES.params : SAMPLES.pause)));
      await fc.assert(
        fc.asyncProperty(body, async ([v, request]) => {
          const before = { params: structuredClone(s.params), hygiene: structuredClone(s.hygiene), paused: model.paused, quote: JSON.stringify(model.quote(ctx)) };
          try {
            const answer = await bus.request(subjects.strategyControl(v as 'pause' | 'resume' | 'params', 'mm-1'), request, StrategyControlReply);
            expect(answer.strategy).toBe('mm-1');
            // Whatever was taken still quotes a sane book: positive, finite, not crossed (a spread below a double's
            // resolution, 1e-300 bps, locks bid and ask at the mid: the runtime's tick snapping parts them).
            const q = model.paused ? null : model.quote(ctx);
            for (const l of [q?.bid, q?.ask]) if (l) expect(l.price > 0 && Number.isFinite(l.price) && l.size > 0 && Number.isFinite(l.size), JSON.stringify(q)).toBe(true);
            if (q?.bid && q.ask) expect(q.bid.price <= q.ask.price, JSON.stringify(q)).toBe(true);
          } catch (err) {
            if (!(err instanceof BusRemoteError)) throw err;
            expect(err.message.length).toBeGreaterThan(0);
            expect({ params: s.params, hygiene: s.hygiene, paused: model.paused, quote: JSON.stringify(model.quote(ctx)) }).toEqual(before);
          }
        }),
        fuzzParameters(),
      );
      await bus.close();
    },
    fuzzTimeoutMs(),
  );
});

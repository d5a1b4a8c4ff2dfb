import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { DailyLossTracker, OrderRateWindow } from '@perpetua/risk';
import { emptyPosition, type Position } from '@perpetua/state';
import { RiskGauges } from '../src/risk-gauges.js';

const pos = (p: Partial<Position>): Position => ({ ...emptyPosition('binanceusdm', 'main', 'BTC-PERP'), ...p });

async function values(registry: Registry, name: string) {
  return (await registry.getSingleMetric(name)!.get()).values.map((v) => [v.labels, v.value]);
}

describe('RiskGauges', () => {
  it('exports positions, PnL at the mark, the day, the limits and the order-rate budget', async () => {
    const registry = new Registry();
    const g = new RiskGauges(registry, { maxPosition: '0.5', maxOrderSize: '0.1', maxDailyLoss: '100', maxOrdersPerSecond: 5 } as never);
    const daily = new DailyLossTracker();
    daily.observe(10, 0);
    daily.observe(-30, 1000);
    const rate = new OrderRateWindow(5);
    rate.tryTake('binanceusdm', 2, 900);
    g.update({
      positions: [pos({ qty: '0.2', avgEntry: '100', costBasis: '20', realizedPnl: '5', fees: '1.5', funding: '0.5' }), pos({ symbol: 'ETH-PERP', qty: '0', realizedPnl: '-2' })],
      markOf: (_v, s) => (s === 'BTC-PERP' ? 110 : undefined),
      daily: daily.state(),
      rate,
      venues: ['binanceusdm', 'bybit'],
      now: 1000,
    });
    const btc = { venue: 'binanceusdm', account: 'main', symbol: 'BTC-PERP' };
    const eth = { ...btc, symbol: 'ETH-PERP' };
    expect(await values(registry, 'perpetua_risk_position')).toEqual([[btc, 0.2], [eth, 0]]);
    expect(await values(registry, 'perpetua_risk_realized_pnl')).toEqual([[btc, 3], [eth, -2]]);
    expect(await values(registry, 'perpetua_risk_unrealized_pnl')).toEqual([[btc, 2], [eth, 0]]);
    expect(await values(registry, 'perpetua_risk_daily_pnl')).toEqual([[{}, -40]]);
    expect(await values(registry, 'perpetua_risk_order_rate_available')).toEqual([[{ venue: 'binanceusdm' }, 3], [{ venue: 'bybit' }, 5]]);
    expect(await values(registry, 'perpetua_risk_limit')).toEqual(
      expect.arrayContaining([[{ limit: 'maxDailyLoss' }, 100], [{ limit: 'maxOrdersPerSecond' }, 5], [{ limit: 'maxPosition' }, 0.5]]),
    );
  });
});

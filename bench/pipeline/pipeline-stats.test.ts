import { describe, expect, it } from 'vitest';
import { binanceOrderRequestKey, hopBreakdown, HOPS, orderTiming, parseVmRssMb, percentile, percentiles, steadyTail } from './pipeline-stats.js';

describe('pipeline benchmark statistics', () => {
  it('percentiles interpolate between ranks and refuse nothing', () => {
    const xs = Array.from({ length: 101 }, (_, i) => 100 - i); // 0..100, unsorted
    expect(percentile(xs, 0.5)).toBe(50);
    expect(percentile(xs, 0.99)).toBe(99);
    expect(percentile(xs, 0.999)).toBeCloseTo(99.9, 10);
    expect(percentile([1, 2], 0.5)).toBe(1.5);
    expect(percentile([7], 0.999)).toBe(7);
    expect(percentiles([3, 1, 2])).toEqual({ n: 3, p50: 2, p99: 2.98, p999: 2.998 });
    expect(() => percentile([], 0.5)).toThrow();
    expect(() => percentile([1], 1.5)).toThrow();
  });

  const trace = {
    venue: 1000,
    'gw.recv': 1003,
    'gw.pub': 1003.5,
    'quoter.recv': 1004,
    'quoter.pub': 1004.25,
    'risk.recv': 1005,
    'risk.pub': 1005.5,
    'router.recv': 1006,
    'router.sent': 1011,
  };

  it('breaks an order down into hops that add up to the total', () => {
    const t = orderTiming(trace, 1008)!;
    expect(t.total).toBe(8);
    expect(Object.keys(t.hops)).toEqual(HOPS.map((h) => h.name));
    expect(t.hops).toMatchObject({ 'venue→gw': 3, gw: 0.5, 'gw→quoter': 0.5, quoter: 0.25, 'quoter→risk': 0.75, risk: 0.5, 'risk→router': 0.5, 'router→façade': 2 });
    expect(Object.values(t.hops).reduce((a, b) => a + b, 0)).toBeCloseTo(t.total, 10);
  });

  it('skips a trace that misses a stamp of the path', () => {
    const { 'risk.pub': _dropped, ...partial } = trace;
    expect(orderTiming(partial, 1008)).toBeUndefined();
  });

  it('summarises each hop over many orders, in path order', () => {
    const timings = [orderTiming(trace, 1008)!, orderTiming({ ...trace, 'gw.recv': 1001 }, 1010)!];
    const rows = hopBreakdown(timings);
    expect(rows.map((r) => r.hop)).toEqual(HOPS.map((h) => h.name));
    expect(rows[0]).toMatchObject({ hop: 'venue→gw', n: 2, p50: 2 });
    expect(rows.at(-1)).toMatchObject({ hop: 'router→façade', p50: 3 });
    expect(hopBreakdown([])).toEqual([]);
  });

  it('reads VmRSS from /proc/<pid>/status in MB', () => {
    const status = 'Name:\tnode\nVmPeak:\t 1234 kB\nVmRSS:\t  102400 kB\nRssAnon:\t 90000 kB\n';
    expect(parseVmRssMb(status)).toBe(100);
    expect(parseVmRssMb('Name:\tzombie\nState:\tZ (zombie)\n')).toBeUndefined();
  });

  it('takes the median of the last third as the steady value', () => {
    expect(steadyTail([10, 20, 30, 70, 71, 72, 80, 81, 82])).toBe(81);
    expect(steadyTail([5])).toBe(5);
    expect(() => steadyTail([])).toThrow();
  });

  it('keys a Binance order request (a new order or an amend) by client order id, price and qty, from the body or the query', () => {
    expect(binanceOrderRequestKey('POST', '/fapi/v1/order', '', 'symbol=BTCUSDT&newClientOrderId=abc-1&price=100000.0&quantity=0.010&signature=x')).toBe('abc-1|100000|0.01');
    expect(binanceOrderRequestKey('POST', '/fapi/v1/order', 'newClientOrderId=q-2&price=1.5&quantity=2&timestamp=1', '')).toBe('q-2|1.5|2');
    // An amend: the same client id, new values.
    expect(binanceOrderRequestKey('PUT', '/fapi/v1/order', 'origClientOrderId=abc-1&price=100001&quantity=0.01', '')).toBe('abc-1|100001|0.01');
    expect(binanceOrderRequestKey('DELETE', '/fapi/v1/order', 'origClientOrderId=abc-1', '')).toBeUndefined();
    expect(binanceOrderRequestKey('POST', '/fapi/v1/listenKey', '', '')).toBeUndefined();
    expect(binanceOrderRequestKey('POST', '/fapi/v1/order', '', 'newClientOrderId=m-1&type=MARKET&quantity=1')).toBeUndefined();
  });
});

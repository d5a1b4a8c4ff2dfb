/**
 * The pure part of the pipeline benchmark: percentiles, the per-hop breakdown
 * of an order's trace, and RSS out of /proc/<pid>/status.
 */
import type { Trace } from '@perpetua/core';
import { median } from '../harness/figure.js';
import { canonicalDecimal } from '@perpetua/core';

/** The q-quantile (0..1) of a non-empty list, linearly interpolated between ranks. */
export function percentile(xs: readonly number[], q: number): number {
  if (xs.length === 0) throw new Error('percentile of nothing');
  if (!(q >= 0 && q <= 1)) throw new Error(`quantile ${q} outside 0..1`);
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

export interface Percentiles {
  n: number;
  p50: number;
  p99: number;
  p999: number;
}

export function percentiles(xs: readonly number[]): Percentiles {
  return { n: xs.length, p50: percentile(xs, 0.5), p99: percentile(xs, 0.99), p999: percentile(xs, 0.999) };
}

/**
 * The hops of one order, in path order, each from one trace stamp to the next;
 * 'arrival' is the façade's receipt of the order request. They add up to the
 * total. The router's own 'router.sent' is not a hop end: it is stamped after
 * the venue has answered, i.e. after the arrival.
 */
export const HOPS = [
  { name: 'venue→gw', from: 'venue', to: 'gw.recv' },
  { name: 'gw', from: 'gw.recv', to: 'gw.pub' },
  { name: 'gw→quoter', from: 'gw.pub', to: 'quoter.recv' },
  { name: 'quoter', from: 'quoter.recv', to: 'quoter.pub' },
  { name: 'quoter→risk', from: 'quoter.pub', to: 'risk.recv' },
  { name: 'risk', from: 'risk.recv', to: 'risk.pub' },
  { name: 'risk→router', from: 'risk.pub', to: 'router.recv' },
  { name: 'router→façade', from: 'router.recv', to: 'arrival' },
] as const;

export interface OrderTiming {
  /** venue (the book's exchange time) → arrival at the façade, ms. */
  total: number;
  /** Hop name → ms, in HOPS order. */
  hops: Record<string, number>;
}

/**
 * One order's timing from its trace and the façade's arrival time (both epoch ms,
 * one machine's clock). Undefined when the trace misses a stamp of the path.
 */
export function orderTiming(trace: Trace, arrival: number): OrderTiming | undefined {
  const at = (stamp: string): number | undefined => (stamp === 'arrival' ? arrival : trace[stamp]);
  const hops: Record<string, number> = {};
  for (const h of HOPS) {
    const a = at(h.from);
    const b = at(h.to);
    if (a === undefined || b === undefined) return undefined;
    hops[h.name] = b - a;
  }
  return { total: arrival - trace['venue']!, hops };
}

/** Percentiles of every hop over many orders, in path order. */
export function hopBreakdown(timings: readonly OrderTiming[]): Array<{ hop: string } & Percentiles> {
  if (timings.length === 0) return [];
  const names = Object.keys(timings[0]!.hops);
  return names.map((hop) => ({ hop, ...percentiles(timings.map((t) => t.hops[hop]!)) }));
}

/** VmRSS of a /proc/<pid>/status text, in MB (2^20 bytes); undefined when absent (the process is gone). */
export function parseVmRssMb(status: string): number | undefined {
  const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return m ? Number(m[1]) / 1024 : undefined;
}

/** The steady value of a series sampled over a window: the median of its last third. */
export function steadyTail(samples: readonly number[]): number {
  if (samples.length === 0) throw new Error('no samples');
  return median(samples.slice(Math.floor((samples.length * 2) / 3)));
}

/** The join key of one order request: client order id, price and qty (an amend reuses the id with new values). */
export function orderRequestKey(clientOrderId: string, price: string, qty: string): string {
  return `${clientOrderId}|${canonicalDecimal(price)}|${canonicalDecimal(qty)}`;
}

/**
 * The order request a Binance USD-M REST call carries, as its join key: a new order
 * (POST /fapi/v1/order, newClientOrderId) or an amend (PUT /fapi/v1/order,
 * origClientOrderId); anything else, undefined.
 */
export function binanceOrderRequestKey(method: string, path: string, query: string, body: string): string | undefined {
  if (path !== '/fapi/v1/order' || (method !== 'POST' && method !== 'PUT')) return undefined;
  const params = new URLSearchParams(query);
  for (const [k, v] of new URLSearchParams(body)) params.set(k, v);
  const id = params.get(method === 'POST' ? 'newClientOrderId' : 'origClientOrderId');
  const price = params.get('price');
  const qty = params.get('quantity');
  return id && price && qty ? orderRequestKey(id, price, qty) : undefined;
}

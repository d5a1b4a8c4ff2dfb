import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frameOf, fuzzParameters, fuzzTimeoutMs } from '@perpetua/testkit';
import { GrvtPrivateStream } from '../../src/grvt/grvt-private-stream.js';
import type { GrvtSession } from '../../src/grvt/grvt-session.js';

const NS = '1767225600000000000';
const ORDER = { order_id: '0x01', sub_account_id: '42', time_in_force: 'GOOD_TILL_TIME', legs: [{ instrument: 'BTC_USDT_Perp', size: '0.01', limit_price: '100.5', is_buying_asset: true }], metadata: { client_order_id: '7' }, state: { status: 'OPEN', reject_reason: 'UNSPECIFIED', traded_size: ['0'], update_time: NS } };
const FILL = { event_time: NS, sub_account_id: '42', instrument: 'BTC_USDT_Perp', is_buyer: true, is_taker: false, size: '0.004', price: '100.5', fee: '-0.0001', trade_id: '5', order_id: '0x01', client_order_id: '7' };
/** Valid frames of the private `/ws/full`: an order and a fill feed, a subscribe answer, a heartbeat answer. */
const SAMPLES = [
  { stream: 'v1.order', selector: '42', sequence_number: '1', feed: ORDER },
  { stream: 'v1.fill', selector: '42', sequence_number: '1', feed: FILL },
  { jsonrpc: '2.0', id: 1, method: 'subscribe', result: { stream: 'v1.order', subs: ['42'], unsubs: [], first_sequence_number: ['1'] } },
  { jsonrpc: '2.0', id: 3, result: {} },
];

function stream() {
  const seen = { orders: 0, fills: 0, missed: 0, warnings: 0 };
  const s = new GrvtPrivateStream({
    venue: 'grvt',
    url: 'ws://127.0.0.1:9/ws/full',
    subAccountId: '42',
    session: {} as GrvtSession,
    cancelOnDisconnectMs: 0,
    onOrder: () => void seen.orders++,
    onFill: () => void seen.fills++,
    onMaybeMissed: () => void seen.missed++,
    onWarn: () => void seen.warnings++,
  });
  const onMessage = (text: string) => (s as unknown as { onMessage(text: string): void }).onMessage(text);
  return { seen, onMessage };
}

const isFeed = (text: string, name: string): boolean => {
  try {
    const v = JSON.parse(text) as { stream?: unknown; feed?: unknown };
    return typeof v === 'object' && v !== null && v.stream === name && 'feed' in v;
  } catch {
    return false;
  }
};

describe('GRVT private stream frames: defects the fuzzing found', () => {
  it('an order or fill feed it cannot read is reported as maybe missed (it was only warned about, and the update lost)', () => {
    const { seen, onMessage } = stream();
    onMessage(JSON.stringify({ ...SAMPLES[1], feed: { ...FILL, size: 'NaN' } }));
    onMessage(JSON.stringify({ ...SAMPLES[0], sequence_number: '2', feed: { ...ORDER, legs: [] } }));
    expect(seen).toMatchObject({ fills: 0, orders: 0, missed: 2 });
  });
});

describe('GRVT private stream frames (fuzz)', () => {
  it(
    'never throws; an order or fill feed it refuses is always reported as maybe missed',
    () => {
      const { seen, onMessage } = stream();
      fc.assert(
        fc.property(frameOf(SAMPLES), (frame) => {
          const before = { ...seen };
          onMessage(frame);
          const orderOrFill = isFeed(frame, 'v1.order') || isFeed(frame, 'v1.fill');
          if (orderOrFill && seen.orders === before.orders && seen.fills === before.fills && seen.warnings > before.warnings) expect(seen.missed).toBeGreaterThan(before.missed);
        }),
        fuzzParameters(),
      );
    },
    fuzzTimeoutMs(),
  );
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frameOf, fuzzParameters, fuzzTimeoutMs } from '@perpetua/testkit';
import { StandxOrderStream } from '../../src/standx/standx-order-stream.js';
import { StandxPrivateStream } from '../../src/standx/standx-private-stream.js';

/** Valid frames of the private channels on /ws-stream/v1 and of the order-response stream /ws-api/v1. */
const PRIVATE = [
  { seq: 1, channel: 'auth', data: { code: 200, msg: 'ok' } },
  { seq: 2, channel: 'order', data: { id: 12, cl_ord_id: 'mm-1', symbol: 'BTC-USD', side: 'buy', order_type: 'limit', price: '100', qty: '1', status: 'open' } },
  { seq: 3, channel: 'trade', data: { order_id: 12, symbol: 'BTC-USD', price: '100', qty: '0.5', id: 9, created_at: '2026-01-01T00:00:00Z' } },
  { seq: 4, channel: 'error', data: { code: 401, msg: 'token expired' } },
  { seq: 5, channel: 'balance', data: { balance: '10', cross_available: '5', equity: '10', upnl: '0' } },
];
const RESPONSES = [
  { code: 0, message: 'ok', request_id: 'req-1' },
  { code: 400, message: 'alo order rejected', request_id: 'req-2' },
];

type FrameHandler = { onMessage(text: string): void };

describe('StandX private streams (fuzz)', () => {
  it(
    'private channels: never throw; only known channels reach onRecord',
    () => {
      const channels = new Set<string>();
      const s = new StandxPrivateStream({ url: 'ws://127.0.0.1:9', token: 't', silenceTimeoutMs: 1, authTimeoutMs: 1, onAuthed: () => undefined, onRecord: (c) => void channels.add(c), onInvalid: () => undefined });
      fc.assert(fc.property(frameOf(PRIVATE), (frame) => (s as unknown as FrameHandler).onMessage(frame)), fuzzParameters());
      expect([...channels].every((c) => ['order', 'trade', 'position', 'balance'].includes(c))).toBe(true);
    },
    fuzzTimeoutMs(),
  );

  it(
    'order responses: never throw; every outcome told has a request id and an integer code',
    () => {
      const s = new StandxOrderStream({
        url: 'ws://127.0.0.1:9',
        token: 't',
        sessionId: 's',
        silenceTimeoutMs: 1,
        onResponse: (requestId, code, message) => {
          expect(typeof requestId === 'string' && Number.isInteger(code) && typeof message === 'string').toBe(true);
        },
        onInvalid: () => undefined,
      });
      fc.assert(fc.property(frameOf(RESPONSES), (frame) => (s as unknown as FrameHandler).onMessage(frame)), fuzzParameters());
    },
    fuzzTimeoutMs(),
  );
});

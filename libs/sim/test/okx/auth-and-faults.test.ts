import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { okxBookChecksum, okxSign, startOkxFacade, type OkxFacade } from '../../src/facades/okx/index.js';
import { FaultInjector } from '../../src/faults/index.js';
import { createSimWorld, type SimWorldImpl } from '../../src/world.js';
import { stepUntil, waitFor } from '../support/wait.js';

/** A signed GET as OKX wants it, with each part overridable to break it one way at a time. */
async function signedGet(f: OkxFacade, path: string, o: { ts?: string; passphrase?: string; secret?: string } = {}): Promise<{ status: number; body: { code: string; msg: string } }> {
  const ts = o.ts ?? new Date().toISOString();
  const sign = okxSign(o.secret ?? f.credentials.secret, `${ts}GET${path}`);
  const res = await fetch(`${f.restUrl}${path}`, {
    headers: { 'OK-ACCESS-KEY': f.credentials.apiKey, 'OK-ACCESS-SIGN': sign, 'OK-ACCESS-TIMESTAMP': ts, 'OK-ACCESS-PASSPHRASE': o.passphrase ?? f.credentials.password },
  });
  return { status: res.status, body: (await res.json()) as { code: string; msg: string } };
}

describe('OKX façade: request signing and faults', () => {
  let world: SimWorldImpl;
  let facade: OkxFacade;
  let faults: FaultInjector;

  beforeAll(async () => {
    world = createSimWorld({ seed: 5, venues: ['okx'] });
    for (let i = 0; i < 10; i++) world.step();
    facade = await startOkxFacade({ world });
    faults = new FaultInjector({ world });
    faults.attachOkx(facade);
  });

  afterAll(async () => {
    faults?.close();
    await facade?.close();
  });

  it('accepts a correctly signed request', async () => {
    const r = await signedGet(facade, '/api/v5/account/balance');
    expect(r.status).toBe(200);
    expect(r.body.code).toBe('0');
  });

  it("refuses a bad signature (50113), a stale timestamp (50102) and a wrong passphrase (50105) with OKX's codes", async () => {
    expect(await signedGet(facade, '/api/v5/account/balance', { secret: 'not-the-secret' })).toMatchObject({ status: 401, body: { code: '50113' } });
    expect(await signedGet(facade, '/api/v5/account/balance', { ts: new Date(Date.now() - 60_000).toISOString() })).toMatchObject({ status: 401, body: { code: '50102' } });
    expect(await signedGet(facade, '/api/v5/account/balance', { ts: '1700000000' })).toMatchObject({ status: 401, body: { code: '50112' } });
    expect(await signedGet(facade, '/api/v5/account/balance', { passphrase: 'wrong' })).toMatchObject({ status: 401, body: { code: '50105' } });
  });

  it('refuses a bad WS login with the stream codes (60007 sign, 60024 passphrase, 60006 expired) and accepts a good one', async () => {
    const ws = new WebSocket(facade.privateWsUrl);
    const replies: Array<{ event?: string; code?: string }> = [];
    const texts: string[] = [];
    ws.on('message', (d) => {
      const text = d.toString();
      if (text === 'pong') texts.push(text);
      else replies.push(JSON.parse(text) as { event?: string; code?: string });
    });
    await new Promise((r) => ws.once('open', r));
    const login = (o: { ts?: string; passphrase?: string; secret?: string }) => {
      const ts = o.ts ?? String(Math.floor(Date.now() / 1000));
      ws.send(JSON.stringify({ op: 'login', args: [{ apiKey: facade.credentials.apiKey, passphrase: o.passphrase ?? facade.credentials.password, timestamp: ts, sign: okxSign(o.secret ?? facade.credentials.secret, `${ts}GET/users/self/verify`) }] }));
    };
    login({ secret: 'x' });
    login({ passphrase: 'x' });
    login({ ts: String(Math.floor(Date.now() / 1000) - 120) });
    login({});
    await waitFor(() => replies.length >= 4, 3_000, 'four login replies');
    expect(replies.map((r) => r.code)).toEqual(['60007', '60024', '60006', '0']);
    expect(replies[3]?.event).toBe('login');
    ws.send('ping');
    await waitFor(() => texts.includes('pong'), 3_000, 'the text pong');
    ws.close();
  });

  it("answers 429 with OKX's 50011 and 5xx with 50026 through the fault seam", async () => {
    faults.inject({ kind: 'http_error', venue: 'okx', status: 429, count: 1 });
    const limited = await fetch(`${facade.restUrl}/api/v5/public/time`);
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { code: string }).code).toBe('50011');
    faults.inject({ kind: 'http_error', venue: 'okx', status: 503, count: 1 });
    const down = await fetch(`${facade.restUrl}/api/v5/public/time`);
    expect(down.status).toBe(503);
    expect(((await down.json()) as { code: string }).code).toBe('50026');
  });

  it('seq_skip drops one books update, so prevSeqId no longer chains; bad_checksum corrupts the checksum of exactly one message', async () => {
    type Msg = { action: string; data: Array<{ bids: string[][]; asks: string[][]; checksum: number; seqId: number; prevSeqId: number }> };
    const ws = new WebSocket(`${facade.wsUrl}/ws/v5/public`);
    const books: Msg[] = [];
    ws.on('message', (d) => {
      const text = d.toString();
      if (text === 'pong') return;
      const m = JSON.parse(text) as Partial<Msg> & { arg?: { channel?: string } };
      if (m.arg?.channel === 'books' && m.action && m.data) books.push({ action: m.action, data: m.data });
    });
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ op: 'subscribe', args: [{ channel: 'books', instId: 'BTC-USDT-SWAP' }] }));
    await waitFor(() => books.length >= 1, 3_000, 'the snapshot');
    faults.inject({ kind: 'seq_skip', venue: 'okx' });
    await stepUntil(world, () => books.length >= 4, 5_000);
    const chained = books.slice(1).every((b, i) => b.data[0]!.prevSeqId === books[i]!.data[0]!.seqId);
    expect(chained).toBe(false);

    // A fresh subscription (a new snapshot), then one corrupted checksum among the updates.
    books.length = 0;
    ws.send(JSON.stringify({ op: 'unsubscribe', args: [{ channel: 'books', instId: 'BTC-USDT-SWAP' }] }));
    ws.send(JSON.stringify({ op: 'subscribe', args: [{ channel: 'books', instId: 'BTC-USDT-SWAP' }] }));
    await waitFor(() => books.some((b) => b.action === 'snapshot'), 3_000, 'a new snapshot');
    faults.inject({ kind: 'bad_checksum', venue: 'okx' });
    await stepUntil(world, () => books.length >= 6, 5_000);
    const bids = new Map<string, string>();
    const asks = new Map<string, string>();
    let wrong = 0;
    for (const m of books.slice(books.findIndex((b) => b.action === 'snapshot'))) {
      const d = m.data[0]!;
      for (const [p, q] of d.bids) q === '0' ? bids.delete(p!) : bids.set(p!, q!);
      for (const [p, q] of d.asks) q === '0' ? asks.delete(p!) : asks.set(p!, q!);
      const top = (side: Map<string, string>, desc: boolean) =>
        [...side.entries()].sort((x, y) => (desc ? Number(y[0]) - Number(x[0]) : Number(x[0]) - Number(y[0]))).map(([p, q]) => [p, q] as const);
      if (okxBookChecksum(top(bids, true), top(asks, false)) !== d.checksum) wrong++;
    }
    expect(wrong).toBe(1);
    ws.close();
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { OrderedWsGate, type OrderedWsClient, type WsSendVerdict } from '../../src/facades/ordered-ws-gate.js';
import { WsRecorder } from './ws-recorder.js';
import { sleep, waitFor } from '../support/wait.js';

/** The shared StandX/GRVT seam on a real socket: send, rewrite, drop, close, in per-connection order. */

interface Msg {
  text: string;
}

describe('OrderedWsGate', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  /** A server with one accepted client; returns the server-side connection and the recording client. */
  async function connected(): Promise<{ conn: OrderedWsClient; rec: WsRecorder }> {
    const server: Server = createServer();
    const wss = new WebSocketServer({ server });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup.push(async () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const accepted = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
    const rec = await WsRecorder.open(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    cleanup.push(() => rec.close());
    return { conn: { id: 1, socket: await accepted, tail: undefined }, rec };
  }

  const texts = (rec: WsRecorder): unknown[] => rec.messages.map((m) => m.json['n']);
  const msg = (n: number): Msg => ({ text: JSON.stringify({ n }) });

  it('keeps the string (send or rewrite) and null (drop) verdicts', async () => {
    const { conn, rec } = await connected();
    const gate = new OrderedWsGate<never, never, Msg>();
    gate.outbound(conn, msg(1));
    gate.setHooks({ onWsSend: (m) => (m.text.includes('2') ? null : m.text.includes('3') ? '{"n":30}' : m.text) });
    gate.outbound(conn, msg(2));
    gate.outbound(conn, msg(3));
    gate.outbound(conn, msg(4));
    await waitFor(() => rec.messages.length >= 3, 2_000, 'three messages');
    expect(texts(rec)).toEqual([1, 30, 4]);
  });

  it('closes with the verdict code, after the delayed messages ahead of it; nothing after it goes out', async () => {
    const { conn, rec } = await connected();
    const gate = new OrderedWsGate<never, never, Msg>();
    gate.setHooks({
      onWsSend: (m): WsSendVerdict | Promise<WsSendVerdict> => {
        if (m.text.includes('1')) return sleep(80).then(() => m.text);
        if (m.text.includes('2')) return { close: 4010, reason: 'test' };
        return m.text;
      },
    });
    gate.outbound(conn, msg(1));
    gate.outbound(conn, msg(2));
    gate.outbound(conn, msg(3));
    await waitFor(() => rec.closed, 2_000, 'the close');
    expect(rec.closeCode).toBe(4010);
    expect(texts(rec)).toEqual([1]);
    expect(conn.tail).toBeUndefined();
  });

  it('a code ws may not send still ends the connection', async () => {
    const { conn, rec } = await connected();
    const gate = new OrderedWsGate<never, never, Msg>();
    gate.setHooks({ onWsSend: () => ({ close: 1006 }) });
    gate.outbound(conn, msg(1));
    await waitFor(() => rec.closed, 2_000, 'the connection to end');
    expect(rec.closeCode).toBe(1006);
  });
});

import type { SimBalanceEvent, SimFill, SimPositionEvent } from '../../engine/types.js';
import type { OrderRecord } from './order-store.js';
import { type PrivateTopic, parsePrivateTopic } from './topics.js';
import type { WsSession } from '../tapped-ws-session.js';

/** Builds the wire objects of private events (kept out of the hub so it only routes). */
export interface PrivateWire {
  order(rec: OrderRecord): unknown;
  execution(fill: SimFill): unknown;
  position(e: SimPositionEvent): unknown;
  wallet(e: SimBalanceEvent): unknown;
}

type Pending =
  | { kind: 'order'; accountId: string; rec: OrderRecord; ts: number }
  | { kind: 'execution'; accountId: string; fill: SimFill; ts: number }
  | { kind: 'position'; accountId: string; event: SimPositionEvent; ts: number }
  | { kind: 'wallet'; accountId: string; event: SimBalanceEvent; ts: number };

/**
 * Bybit's private topics (`order`, `execution`, `position`, `wallet`) for authenticated connections, each frame
 * `{id, topic, creationTime, data: [...]}`. Events are queued and sent after the engine call that caused them has
 * settled (one event-loop turn later), in the order they happened.
 */
export class PrivateStreamHub {
  private readonly sessions = new Set<WsSession>();
  private queue: Pending[] = [];
  private flushScheduled: NodeJS.Immediate | undefined;
  private nextId = 1;

  constructor(private readonly wire: PrivateWire) {}

  subscribe(session: WsSession, name: string): void {
    session.topics.add(name);
    this.sessions.add(session);
  }

  unsubscribe(session: WsSession, name: string): void {
    session.topics.delete(name);
    if (session.topics.size === 0) this.sessions.delete(session);
  }

  removeSession(session: WsSession): void {
    this.sessions.delete(session);
  }

  order(accountId: string, rec: OrderRecord, ts: number): void {
    this.push({ kind: 'order', accountId, rec, ts });
  }

  execution(fill: SimFill): void {
    this.push({ kind: 'execution', accountId: fill.accountId, fill, ts: fill.ts });
  }

  position(e: SimPositionEvent): void {
    this.push({ kind: 'position', accountId: e.accountId, event: e, ts: e.ts });
  }

  wallet(e: SimBalanceEvent): void {
    this.push({ kind: 'wallet', accountId: e.accountId, event: e, ts: e.ts });
  }

  close(): void {
    if (this.flushScheduled) clearImmediate(this.flushScheduled);
    this.flushScheduled = undefined;
    this.queue = [];
    this.sessions.clear();
  }

  private push(p: Pending): void {
    if (this.sessions.size === 0) return;
    this.queue.push(p);
    if (this.flushScheduled) return;
    this.flushScheduled = setImmediate(() => {
      this.flushScheduled = undefined;
      this.flush();
    });
  }

  private flush(): void {
    const queue = this.queue;
    this.queue = [];
    for (const p of queue) {
      let data: unknown;
      for (const s of this.sessions) {
        if (s.accountId !== p.accountId) continue;
        for (const name of s.topics) {
          if (parsePrivateTopic(name) !== (p.kind satisfies PrivateTopic)) continue;
          data ??= this.build(p);
          s.send(name, { id: `${s.connId}-${this.nextId++}`, topic: name, creationTime: p.ts, data: [data] });
        }
      }
    }
  }

  private build(p: Pending): unknown {
    switch (p.kind) {
      case 'order':
        return this.wire.order(p.rec);
      case 'execution':
        return this.wire.execution(p.fill);
      case 'position':
        return this.wire.position(p.event);
      case 'wallet':
        return this.wire.wallet(p.event);
    }
  }
}

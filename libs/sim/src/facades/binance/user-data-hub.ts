import { D } from '@perpetua/core';
import type { SimBalance, SimPosition, SimPrivateEvent, VenueEngine } from '../../engine/types.js';
import { accountUpdateBalance, accountUpdatePosition } from './account-wire.js';
import type { ListenKeys } from './listen-keys.js';
import { orderUpdate } from './order-wire.js';
import type { BinanceSymbols } from './symbols.js';
import type { WsSession } from './ws-session.js';

interface PendingAccount {
  /** Serialized in event order at event time (engine objects are snapshots of that moment). */
  frames: unknown[];
  balance?: { b: SimBalance; reason: string; balanceChange: D.Decimal; ts: number };
  positions: Map<string, SimPosition>;
  lastTs: number;
}

const BALANCE_REASON = { deposit: 'DEPOSIT', fill: 'ORDER', funding: 'FUNDING_FEE' } as const;

/**
 * The user-data stream behind each listen key: ORDER_TRADE_UPDATE per order event, then one
 * ACCOUNT_UPDATE per account and event-loop turn carrying the final balance and the changed
 * positions (Binance sends one per cause, not per fill), and ACCOUNT_CONFIG_UPDATE on leverage.
 */
export class UserDataHub {
  private readonly sessionsByKey = new Map<string, Set<WsSession>>();
  private readonly pending = new Map<string, PendingAccount>();
  private flushScheduled: NodeJS.Immediate | undefined;

  constructor(
    private readonly engine: VenueEngine,
    private readonly symbols: BinanceSymbols,
    private readonly listenKeys: ListenKeys,
  ) {}

  attach(session: WsSession, listenKey: string): void {
    let set = this.sessionsByKey.get(listenKey);
    if (!set) {
      set = new Set();
      this.sessionsByKey.set(listenKey, set);
    }
    set.add(session);
    session.listenKeys.add(listenKey);
  }

  detach(session: WsSession, listenKey: string): void {
    session.listenKeys.delete(listenKey);
    const set = this.sessionsByKey.get(listenKey);
    set?.delete(session);
    if (set && set.size === 0) this.sessionsByKey.delete(listenKey);
  }

  removeSession(session: WsSession): void {
    for (const k of [...session.listenKeys]) this.detach(session, k);
  }

  /** The key is gone (DELETE or expiry): tell its listeners, then drop them. Returns them. */
  expire(listenKey: string, ts: number): WsSession[] {
    const set = this.sessionsByKey.get(listenKey);
    if (!set) return [];
    const sessions = [...set];
    for (const s of sessions) {
      s.send(listenKey, { e: 'listenKeyExpired', E: ts, listenKey });
      this.detach(s, listenKey);
    }
    return sessions;
  }

  onEvent(event: SimPrivateEvent): void {
    if (this.listenKeys.keyOf(event.accountId) === undefined) return;
    const acc = this.account(event.accountId);
    acc.lastTs = event.ts;
    const stp = this.engine.config.stpMode;
    switch (event.type) {
      case 'order': {
        const vs = this.symbols.toVenue(event.order.symbol);
        acc.frames.push({ e: 'ORDER_TRADE_UPDATE', E: event.ts, T: event.ts, o: orderUpdate(event.execType, event.order, event.fill, vs, stp) });
        break;
      }
      case 'balance': {
        const prev = acc.balance;
        const change = event.reason === 'deposit' ? D.dec(event.walletDelta) : D.ZERO;
        acc.balance = {
          b: event.balance,
          reason: prev?.reason ?? BALANCE_REASON[event.reason],
          balanceChange: D.add(prev?.balanceChange ?? D.ZERO, change),
          ts: event.ts,
        };
        break;
      }
      case 'position':
        if (event.reason === 'leverage') {
          const vs = this.symbols.toVenue(event.position.symbol);
          acc.frames.push({ e: 'ACCOUNT_CONFIG_UPDATE', E: event.ts, T: event.ts, ac: { s: vs, l: event.position.leverage } });
        } else {
          acc.positions.set(event.position.symbol, event.position);
        }
        break;
      case 'fill':
      case 'funding':
        // Carried by the order event and the balance event respectively.
        return;
    }
    this.scheduleFlush();
  }

  close(): void {
    if (this.flushScheduled) clearImmediate(this.flushScheduled);
    this.flushScheduled = undefined;
    this.pending.clear();
  }

  private account(accountId: string): PendingAccount {
    let acc = this.pending.get(accountId);
    if (!acc) {
      acc = { frames: [], positions: new Map(), lastTs: 0 };
      this.pending.set(accountId, acc);
    }
    return acc;
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = setImmediate(() => {
      this.flushScheduled = undefined;
      this.flush();
    });
  }

  private flush(): void {
    const pending = [...this.pending.entries()];
    this.pending.clear();
    for (const [accountId, acc] of pending) {
      const listenKey = this.listenKeys.keyOf(accountId);
      const sessions = listenKey === undefined ? undefined : this.sessionsByKey.get(listenKey);
      if (!sessions || sessions.size === 0) continue;
      const frames = [...acc.frames];
      if (acc.balance || acc.positions.size > 0) {
        const balance = acc.balance;
        frames.push({
          e: 'ACCOUNT_UPDATE',
          E: acc.lastTs,
          T: acc.lastTs,
          a: {
            m: balance?.reason ?? 'ORDER',
            B: balance ? [accountUpdateBalance(balance.b, D.toText(balance.balanceChange))] : [],
            P: [...acc.positions.values()].map((p) => accountUpdatePosition(p, this.symbols.toVenue(p.symbol))),
          },
        });
      }
      for (const frame of frames) {
        const serialized = JSON.stringify(frame);
        for (const s of sessions) s.sendSerialized(listenKey, serialized);
      }
    }
  }
}

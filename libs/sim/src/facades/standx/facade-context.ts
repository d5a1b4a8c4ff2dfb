/**
 * What the REST API and the market stream of the StandX façade share: the venue's
 * engine, the façade's accounts, order journal and trade stats, and the lookups that
 * turn engine objects into StandX records.
 */
import type { SimInstrument, SimOrder, VenueEngine } from '../../engine/types.js';
import type { AccountRecord, AccountRegistry } from './accounts.js';
import type { StandxDialectHolder } from './standx-dialect.js';
import type { TokenAuthority } from './jwt.js';
import type { MarketStats } from './market-stats.js';
import type { JournalEntry, OrderJournal } from './order-journal.js';
import { toCanonicalSymbol } from './symbols.js';
import { orderToWire, type AccountView, type WireOrder } from './wire-format.js';

export interface FacadeContextDeps {
  engine: VenueEngine;
  accounts: AccountRegistry;
  journal: OrderJournal;
  stats: MarketStats;
  tokens: TokenAuthority;
  /** Wall clock for tokens and signature windows (the world's clock may be logical). */
  wallNow: () => number;
  /** The world's clock, for records the engine did not stamp. */
  worldNow: () => number;
  /** Default depth_book levels per side. */
  depthLevels: number;
  /** Which reading of the docs the façade plays (standx-dialect.ts). */
  dialect: StandxDialectHolder;
}

export class FacadeContext {
  readonly engine: VenueEngine;
  readonly accounts: AccountRegistry;
  readonly journal: OrderJournal;
  readonly stats: MarketStats;
  readonly tokens: TokenAuthority;
  readonly wallNow: () => number;
  readonly worldNow: () => number;
  readonly depthLevels: number;
  readonly dialect: StandxDialectHolder;
  /**
   * Set by the order-response stream: the matching outcome of a new_order / cancel_order sent with a session id
   * (`x-session-id` on REST, the connection's `session_id` on /ws-api/v1), under that request's id.
   */
  onOrderOutcome: (accountId: string, sessionId: string, requestId: string, outcome: { code: number; message: string }) => void = () => undefined;
  /** Set by the market stream: pushes an order update the engine did not emit (a rejection after the ack). */
  onFacadeOrder: (order: SimOrder, remark: string) => void = () => undefined;

  constructor(deps: FacadeContextDeps) {
    this.engine = deps.engine;
    this.accounts = deps.accounts;
    this.journal = deps.journal;
    this.stats = deps.stats;
    this.tokens = deps.tokens;
    this.wallNow = deps.wallNow;
    this.worldNow = deps.worldNow;
    this.depthLevels = deps.depthLevels;
    this.dialect = deps.dialect;
  }

  /** The listed instrument behind a StandX symbol ("BTC-USD"), or undefined. */
  instrumentOf(standxSymbol: string): SimInstrument | undefined {
    const canonical = toCanonicalSymbol(standxSymbol);
    return canonical === undefined ? undefined : this.engine.instrument(canonical);
  }

  instrument(canonical: string): SimInstrument {
    const inst = this.engine.instrument(canonical);
    if (!inst) throw new Error(`StandX façade: engine has no instrument ${canonical}`);
    return inst;
  }

  view(rec: AccountRecord, symbol: string): AccountView {
    return {
      user: rec.user,
      leverage: this.engine.position(rec.accountId, symbol).leverage,
      marginMode: this.accounts.marginMode(rec, symbol),
      positionId: this.accounts.positionId(rec, symbol),
    };
  }

  wireOrder(rec: AccountRecord, order: SimOrder, remark = ''): WireOrder {
    return orderToWire(order, this.instrument(order.symbol), this.view(rec, order.symbol), remark, this.dialect.current.orderStatuses);
  }

  /** An order of the account by StandX id or client id: the engine's live state first, then the journal. */
  findOrder(rec: AccountRecord, ref: { orderId?: number; clOrdId?: string }): JournalEntry | undefined {
    const engineRef = ref.orderId !== undefined ? { orderId: String(ref.orderId) } : { clientOrderId: ref.clOrdId };
    for (const inst of this.engine.instruments()) {
      const order = this.engine.getOrder(rec.accountId, inst.symbol, engineRef);
      if (order) return { order, remark: '' };
    }
    return ref.orderId !== undefined
      ? this.journal.get(rec.accountId, String(ref.orderId))
      : ref.clOrdId !== undefined
        ? this.journal.byClientId(rec.accountId, ref.clOrdId)
        : undefined;
  }

  top(symbol: string): { bid: string | undefined; ask: string | undefined; last: string | undefined } {
    const book = this.engine.book(symbol, 1);
    const last = this.stats.lastPrice(symbol) ?? this.engine.recentTrades(symbol, 1)[0]?.price;
    return { bid: book.bids[0]?.[0], ask: book.asks[0]?.[0], last };
  }
}

import type {
  SimAmendRequest,
  SimAmendResult,
  SimBalance,
  SimBookSnapshot,
  SimCancelResult,
  SimCloseReason,
  SimFill,
  SimFillsQuery,
  SimFundingEvent,
  SimInstrument,
  SimLeverageResult,
  SimListener,
  SimMark,
  SimOrder,
  SimOrderRef,
  SimOrderRequest,
  SimOrderType,
  SimPlaceResult,
  SimPosition,
  SimRejection,
  SimTimeInForce,
  SimTrade,
  SimVenueConfig,
  Unsubscribe,
  VenueEngine,
} from './types.js';
import type { EngineAccount } from './engine-account.js';
import type { EngineOrder } from './engine-order.js';
import type { InstrumentRuntime } from './instrument-runtime.js';
import type { OrderBook } from './order-book.js';
import type { SideCode } from './side-code.js';
import { Accounts } from './accounts.js';
import { EventFanOut } from './event-fan-out.js';
import { FillBooking } from './fill-booking.js';
import { settleFundingIfDue } from './funding.js';
import { MarketData } from './market-data.js';
import { Matching } from './matching.js';
import { OrderEntry, type SubmitResult } from './order-entry.js';
import { VenueState } from './venue-state.js';

/**
 * One simulated venue: a price-time-priority matching engine per symbol, accounts with exact balances, positions
 * and fees, and one synchronous event stream. Implements the public `VenueEngine` contract; the extra public
 * methods below it (submit, batch, setMarket, ...) are for the world and the background actors.
 *
 * A composition: the state every concern shares (venue-state.ts), and one part per concern acting on it: order
 * entry, matching, fill booking (positions), margin and positions (plain functions over the state), funding, market
 * data, accounts, and the event fan-out that all of them emit through.
 */
export class SimVenueEngine implements VenueEngine {
  readonly name: string;
  private readonly state: VenueState;
  private readonly events: EventFanOut;
  private readonly matching: Matching;
  private readonly entry: OrderEntry;
  private readonly market: MarketData;
  private readonly accounts: Accounts;

  constructor(
    readonly config: Readonly<SimVenueConfig>,
    assets: readonly string[],
    clock: () => number,
  ) {
    this.name = config.name;
    this.state = new VenueState(config, assets, clock);
    this.events = new EventFanOut(this.state);
    this.matching = new Matching(this.state, this.events, new FillBooking(this.state, this.events));
    this.entry = new OrderEntry(this.state, this.events, this.matching);
    this.market = new MarketData(this.state, this.events);
    this.accounts = new Accounts(this.state, this.events);
  }

  // ------------------------------------------------------------------------------------------------ reference data

  instruments(): SimInstrument[] {
    return [...this.state.symbols.values()].map((s) => ({ ...s.rt.info }));
  }

  instrument(symbol: string): SimInstrument | undefined {
    const s = this.state.symbols.get(symbol);
    return s ? { ...s.rt.info } : undefined;
  }

  isHalted(symbol: string): boolean {
    return this.state.symbols.get(symbol)?.halted ?? false;
  }

  // ------------------------------------------------------------------------------------------------ market data

  book(symbol: string, depth = 1000): SimBookSnapshot {
    return this.market.book(symbol, depth);
  }

  recentTrades(symbol: string, n = 100): SimTrade[] {
    return this.market.recentTrades(symbol, n);
  }

  mark(symbol: string): SimMark {
    return this.market.mark(symbol);
  }

  // ------------------------------------------------------------------------------------------------ orders

  placeOrder(req: SimOrderRequest): SimPlaceResult {
    return this.entry.placeOrder(req);
  }

  cancelOrder(accountId: string, symbol: string, ref: SimOrderRef): SimCancelResult {
    return this.entry.cancelOrder(accountId, symbol, ref);
  }

  amendOrder(accountId: string, symbol: string, ref: SimOrderRef, change: SimAmendRequest): SimAmendResult {
    return this.entry.amendOrder(accountId, symbol, ref, change);
  }

  cancelAll(accountId: string, symbol?: string): SimOrder[] {
    return this.entry.cancelAll(accountId, symbol);
  }

  openOrders(accountId: string, symbol?: string): SimOrder[] {
    return this.accounts.openOrders(accountId, symbol);
  }

  getOrder(accountId: string, symbol: string, ref: SimOrderRef): SimOrder | undefined {
    return this.accounts.getOrder(accountId, symbol, ref);
  }

  fills(accountId: string, query: SimFillsQuery = {}): SimFill[] {
    return this.accounts.fills(accountId, query);
  }

  fundingPayments(accountId: string, query: SimFillsQuery = {}): SimFundingEvent[] {
    return this.accounts.fundingPayments(accountId, query);
  }

  positions(accountId: string): SimPosition[] {
    return this.accounts.positions(accountId);
  }

  position(accountId: string, symbol: string): SimPosition {
    return this.accounts.position(accountId, symbol);
  }

  balance(accountId: string): SimBalance {
    return this.accounts.balance(accountId);
  }

  setLeverage(accountId: string, symbol: string, leverage: number): SimLeverageResult {
    return this.accounts.setLeverage(accountId, symbol, leverage);
  }

  // ------------------------------------------------------------------------------------------------ accounts

  createAccount(accountId: string, initialBalance: string): { ok: true; balance: SimBalance } | SimRejection {
    return this.accounts.createAccount(accountId, initialBalance);
  }

  hasAccount(accountId: string): boolean {
    return this.accounts.hasAccount(accountId);
  }

  deposit(accountId: string, amount: string): SimBalance {
    return this.accounts.deposit(accountId, amount);
  }

  subscribe(listener: SimListener): Unsubscribe {
    return this.events.subscribe(listener);
  }

  // ------------------------------------------------------------------------------------------------ simulator-side API

  /** An account that skips margin, bookkeeping and private events (background liquidity and flow). */
  createHouseAccount(accountId: string): EngineAccount<EngineOrder> {
    return this.accounts.createHouseAccount(accountId);
  }

  /** The internal state of a symbol, for background actors (read-only use). */
  runtime(symbol: string): { rt: InstrumentRuntime; book: OrderBook<EngineOrder>; halted: boolean; markNumber: number } {
    const s = this.state.sym(symbol);
    return { rt: s.rt, book: s.book, halted: s.halted, markNumber: s.mark.markNumber };
  }

  symbolNames(): string[] {
    return [...this.state.symbols.keys()];
  }

  /** Runs fn with book diffs held back, then sends one diff per changed symbol. */
  batch<T>(fn: () => T): T {
    return this.events.batch(fn);
  }

  /**
   * Validated order entry in engine units: the one matching path every order takes (façade orders come through
   * placeOrder, background orders straight here). `tick` is null for market orders.
   */
  submit(
    account: EngineAccount<EngineOrder>,
    symbol: string,
    side: SideCode,
    type: SimOrderType,
    tif: SimTimeInForce,
    tick: number | null,
    lots: number,
    reduceOnly: boolean,
    clientOrderId?: string,
  ): SubmitResult {
    return this.entry.submit(account, symbol, side, type, tif, tick, lots, reduceOnly, clientOrderId);
  }

  /** Cancels (or expires) an open order of any account. */
  cancelEngineOrder(order: EngineOrder, status: 'canceled' | 'expired', reason: SimCloseReason): void {
    this.matching.cancel(order, status, reason);
  }

  /** Sets a symbol's mark, index and funding rate (floats from the price process) and emits a 'mark' event. */
  setMarket(symbol: string, markPrice: number, indexPrice: number, fundingRate: number): void {
    this.market.setMarket(symbol, markPrice, indexPrice, fundingRate);
  }

  /** Settles funding on every open position of the symbol if its funding time has come. */
  settleFundingIfDue(symbol: string): void {
    settleFundingIfDue(this.state, this.events, symbol);
  }

  /** Halts or resumes a symbol; a halt cancels every open order on it. */
  setHalted(symbol: string, halted: boolean): void {
    const s = this.state.sym(symbol);
    if (s.halted === halted) return;
    if (halted) {
      this.batch(() => {
        for (const account of this.state.accounts.values())
          for (const o of [...account.open.values()]) if (o.symbol === symbol) this.matching.cancel(o, 'canceled', 'halt');
      });
    }
    s.halted = halted;
    this.events.emit({ type: 'status', venue: this.name, symbol, halted, ts: this.state.clock() });
  }

  /** Sends pending book diffs now (no-op when nothing changed). */
  flush(): void {
    this.events.flush();
  }
}

import { canonicalDecimal, dec, derivedFundingPaymentId, Fill, FundingPayment, isDecimalText, OrderEvent, type Instrument, type OrderStatus, type SymbolMap } from '@perpetua/core';
import type { Exchange } from 'ccxt';
import { ReconnectBackoff } from '../connection/reconnect-backoff.js';
import type { AmendChange, AmendResult, PlaceResult, TradingAdapter, TradingHandlers, VenueBalance, VenueOrder, VenueOrderRequest, VenuePosition } from '../venue-adapter.js';
import { CcxtClockOffset } from './ccxt-clock-offset.js';
import { createCcxtExchange, type CcxtConnection } from './ccxt-exchange.js';
import { ccxtInstruments, type ContractSpec } from './ccxt-instruments.js';
import { readHistoryPages } from './history-pages.js';
import { ContractSize } from './contract-size.js';
import { CcxtStreamStatus } from './ccxt-stream-status.js';
import { ccxtTradingDialect, type CcxtTradingDialect } from './ccxt-trading-dialect.js';
import { classifyCcxtError, describeError } from './ccxt-trading-errors.js';
import { CcxtBalanceEntry, CcxtFundingShape, CcxtOrderShape, CcxtPositionShape, CcxtTradeShape, clientIdOf, numText, orderStatusOf, toFill, toVenueOrder, toVenuePosition } from './ccxt-trading-wire.js';

export interface CcxtTradingConfig {
  venue: string;
  account: string;
  connection: CcxtConnection;
  /** Settlement currency of the perps traded (USDT by default). */
  settle?: string;
  /** ccxt's per-request timeout in ms (its default is 10 s); a place that times out is 'unknown'. */
  requestTimeoutMs?: number;
  /** A venue message that failed its checks, a stream failure or a throwing handler: counted and logged by the caller. */
  onInvalid?(kind: string, detail: string): void;
  /** The clock (unix ms) for fill receive times and event times the venue left out; default the wall clock. */
  now?: () => number;
}

interface Ready {
  /** Reads (open orders, queries, fills, funding, positions, balance) and the private streams. */
  ex: Exchange;
  /**
   * Order actions only (place, amend, cancel, cancel-all): a ccxt instance of its own, so its throttle queue. ccxt's
   * throttle is a leaky bucket per instance that lets a heavy call go and makes the next one pay for it (Binance's
   * income history weighs 30 at 50 ms a unit: the next request waited 1.5 s), so a cancel behind a read was late.
   * Both throttles stay on; together they may send up to twice one instance's rate, within the named venues' limits.
   */
  orders: Exchange;
  instruments: Instrument[];
  symbols: SymbolMap;
  byCanonical: Map<string, Instrument>;
  /** By venue symbol: ccxt's amounts there are contracts, ours base units. */
  contracts: Map<string, ContractSpec>;
}

type Prepared =
  | { ok: true; venueSymbol: string; amount: number; price: number | undefined; params: Record<string, unknown> }
  | { ok: false; reason: string };

/** How many recent ids the de-duplication and id maps remember (bounded: the adapter runs for days). */
const MEMORY = 10_000;
/** fetchMyTrades paging for fillsSince: at most 50 pages per symbol (each of the dialect's page size). */
const HISTORY_PAGES = 50;
/** Orders looked up per page to name adopted fills by our client id. */
const MAX_ORDER_LOOKUPS = 100;

/**
 * Trading half of any ccxt exchange (binanceusdm and bybit tested against the simulator): orders named
 * by our client ids, placed with ccxt's unified params, cancelled and queried by client id through a
 * per-venue dialect, and the private order and trade streams (watchOrders / watchMyTrades) turned into
 * OrderEvents and Fills. A place that gets no answer is 'unknown', never retried here: the router
 * resolves it with queryOrder. Prices and sizes arrive as snapped decimal text; an order ccxt would
 * round differently is refused rather than sent different.
 */
export class CcxtTrading implements TradingAdapter {
  readonly venue: string;
  readonly account: string;
  private readonly now: () => number;
  private readonly settle: string;
  private readonly dialect: CcxtTradingDialect;
  /** Symbols this adapter has placed orders in: what a cancel-all must cover, without an all-symbol query. */
  private readonly activeSymbols = new Set<string>();
  private ready: Promise<Ready> | undefined;
  private handlers: TradingHandlers | undefined;
  private running = false;
  private closed = false;
  private readonly loops: Promise<void>[] = [];
  private readonly streamStatus = new CcxtStreamStatus((state, reason) => this.deliver('stream_status', () => this.handlers?.onStreamStatus?.(state, reason)));
  private readonly wakeups = new Set<() => void>();
  /** Venue order id -> our client id, for trades whose raw message does not carry it. */
  private readonly clientIds = new Map<string, string>();
  /** Order states and fill ids already reported (streams may repeat them). */
  private readonly reportedOrders = new Set<string>();
  private readonly reportedFills = new Set<string>();
  /** Present only for exchanges with a native amend (the dialect's): the router cancels and places elsewhere. */
  readonly amendOrder?: (symbol: string, clientOrderId: string, change: AmendChange) => Promise<AmendResult>;

  constructor(private readonly config: CcxtTradingConfig) {
    this.venue = config.venue;
    this.account = config.account;
    this.now = config.now ?? Date.now;
    this.settle = config.settle ?? 'USDT';
    this.dialect = ccxtTradingDialect(config.connection.exchangeId);
    if (this.dialect.amend) this.amendOrder = (symbol, clientOrderId, change) => this.amend(symbol, clientOrderId, change);
  }

  async instruments(): Promise<Instrument[]> {
    return (await this.exchange()).instruments;
  }

  async start(handlers: TradingHandlers): Promise<void> {
    if (this.handlers) throw new Error(`${this.venue}: trading adapter already started`);
    const { ex } = await this.exchange();
    this.handlers = handlers;
    this.running = true;
    this.loops.push(this.loop('orders', ex, () => this.watchOrders(ex)));
    this.loops.push(this.loop('fills', ex, () => this.watchFills(ex)));
  }

  async placeOrder(req: VenueOrderRequest): Promise<PlaceResult> {
    this.activeSymbols.add(req.symbol);
    let r: Ready;
    try {
      r = await this.exchange();
    } catch (err) {
      return { status: 'rejected', reason: `not sent, venue unavailable: ${describeError(err)}` };
    }
    const p = this.prepare(r, req);
    if (!p.ok) return { status: 'rejected', reason: p.reason };
    let created: unknown;
    try {
      created = await r.orders.createOrder(p.venueSymbol, req.type, req.side, p.amount, p.price, p.params);
    } catch (err) {
      const f = classifyCcxtError(err);
      return f.kind === 'unknown' ? { status: 'unknown', reason: f.reason } : { status: 'rejected', reason: f.reason };
    }
    const parsed = CcxtOrderShape.safeParse(created);
    const order = parsed.success ? parsed.data : undefined;
    const venueOrderId = order?.id ?? undefined;
    if (venueOrderId) this.remember(this.clientIds, venueOrderId, req.clientOrderId);
    let state = order ? orderStatusOf(order, this.dialect) : undefined;
    if (!state && (req.type === 'market' || req.tif !== 'gtc')) {
      // Acknowledged with an id only (Bybit): an order the venue closes at once (a crossing post-only,
      // an IOC with nothing to take) is only visible by asking. A failed question leaves it 'pending'.
      const found = await this.dialect.find(r.orders, p.venueSymbol, req.clientOrderId).catch(() => undefined);
      const f = CcxtOrderShape.safeParse(found);
      state = f.success ? orderStatusOf(f.data, this.dialect) : { status: 'pending' };
    }
    const status: OrderStatus = state?.status ?? 'new';
    if (status === 'rejected') return { status: 'rejected', reason: state?.reason ?? 'rejected by the venue' };
    return { status: 'accepted', ...(venueOrderId ? { venueOrderId } : {}), orderStatus: status };
  }

  /**
   * Amends by our client id (ccxt's editOrder with the dialect's id parameter). Like a place: checked and snapped
   * here, 'unknown' when no answer came (the caller queries), 'rejected' when the venue refused, whatever the order's
   * state after (Binance cancels an order whose amend fails; Bybit keeps it).
   */
  private async amend(symbol: string, clientOrderId: string, change: AmendChange): Promise<AmendResult> {
    const amend = this.dialect.amend;
    if (!amend) return { status: 'rejected', reason: `${this.venue}: no native amend` };
    let r: Ready;
    try {
      r = await this.exchange();
    } catch (err) {
      return { status: 'rejected', reason: `not sent, venue unavailable: ${describeError(err)}` };
    }
    const p = this.prepare(r, { clientOrderId, symbol, side: change.side, type: 'limit', price: change.price, qty: change.qty, tif: 'gtc', reduceOnly: false });
    if (!p.ok) return { status: 'rejected', reason: p.reason };
    let amended: unknown;
    try {
      amended = await amend(r.orders, p.venueSymbol, clientOrderId, change.side, p.amount, p.price ?? Number(change.price));
    } catch (err) {
      const f = classifyCcxtError(err);
      return f.kind === 'unknown' ? { status: 'unknown', reason: f.reason } : { status: 'rejected', reason: f.reason };
    }
    // Bybit acknowledges with ids only: the order was open when amended, so 'new' until the stream says more.
    const parsed = CcxtOrderShape.safeParse(amended);
    const state = parsed.success ? orderStatusOf(parsed.data, this.dialect) : undefined;
    return { status: 'accepted', orderStatus: state?.status ?? 'new' };
  }

  async cancelOrder(symbol: string, clientOrderId: string): Promise<boolean> {
    const r = await this.exchange();
    try {
      await this.dialect.cancel(r.orders, r.symbols.toVenue(symbol), clientOrderId);
      return true;
    } catch (err) {
      if (classifyCcxtError(err).kind === 'not_found') return false;
      throw err;
    }
  }

  /**
   * Cancels every open order (of one symbol, or all). The kill switch waits on
   * this, so it avoids the all-symbol open-orders query (Binance weight 40: ccxt's
   * limiter would hold it for seconds): it covers the symbols this adapter placed
   * in, per symbol and in parallel, and falls back to the full query only when it
   * has placed nothing yet (a restart's reconciliation).
   */
  async cancelAll(symbol?: string): Promise<number> {
    const r = await this.exchange();
    let targets: string[];
    if (symbol !== undefined) targets = [symbol];
    else if (this.activeSymbols.size > 0) targets = [...this.activeSymbols];
    else targets = [...new Set((await this.openOrdersOn(r, r.orders)).map((o) => o.symbol))];
    const counts = await Promise.all(
      targets.map(async (s) => {
        const own = this.dialect.cancelAll;
        if (own) return await own(r.orders, r.symbols.toVenue(s));
        // Binance answers "done" without the orders: count what was open just before (weight 1 with a symbol).
        const before = this.dialect.cancelAllListsOrders ? 0 : (await this.openOrdersOn(r, r.orders, s)).length;
        // Named, a symbol is cancelled even if the list looked empty (a place may be in flight).
        const answer: unknown = await r.orders.cancelAllOrders(r.symbols.toVenue(s));
        const listed = Array.isArray(answer) ? answer.filter((o) => CcxtOrderShape.safeParse(o).data?.id).length : 0;
        return this.dialect.cancelAllListsOrders ? listed : before;
      }),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  async openOrders(symbol?: string): Promise<VenueOrder[]> {
    const r = await this.exchange();
    return this.openOrdersOn(r, r.ex, symbol);
  }

  /** Open orders through one of the two instances: the cancel-all's own look goes through the order actions' queue. */
  private async openOrdersOn(r: Ready, ex: Exchange, symbol?: string): Promise<VenueOrder[]> {
    const raw: unknown[] = await ex.fetchOpenOrders(symbol !== undefined ? r.symbols.toVenue(symbol) : undefined, undefined, undefined, {
      ...this.dialect.openOrdersParams,
    });
    const out: VenueOrder[] = [];
    for (const item of raw) {
      const o = this.ourOrder(r, item, 'open_order');
      if (o && (o.status === 'new' || o.status === 'partially_filled')) out.push(o);
    }
    return out;
  }

  async queryOrder(symbol: string, clientOrderId: string): Promise<VenueOrder | undefined> {
    const r = await this.exchange();
    const found = await this.dialect.find(r.ex, r.symbols.toVenue(symbol), clientOrderId);
    return found === undefined ? undefined : this.ourOrder(r, found, 'queried_order');
  }

  async positions(): Promise<VenuePosition[]> {
    const r = await this.exchange();
    // All of the account's (Bybit takes at most one symbol; its settle coin comes from ccxt's defaultSettle); others' are skipped below.
    const raw: unknown[] = await r.ex.fetchPositions();
    const out: VenuePosition[] = [];
    for (const item of raw) {
      const p = CcxtPositionShape.safeParse(item);
      if (!p.success) {
        this.invalid('position', p.error.message);
        continue;
      }
      const canonical = r.symbols.tryCanonical(p.data.symbol);
      const pos = canonical ? toVenuePosition(p.data, canonical, sizeOf(r, p.data.symbol)) : undefined;
      if (pos) out.push(pos);
    }
    return out;
  }

  /** The settlement currency's balance: wallet, equity where the venue states it, and what is free for new orders. */
  async balance(): Promise<VenueBalance[]> {
    const r = await this.exchange();
    const all: unknown = await r.ex.fetchBalance();
    const record = typeof all === 'object' && all !== null ? (all as Record<string, unknown>) : {};
    const unified = CcxtBalanceEntry.safeParse(record[this.settle]);
    if (!unified.success) return [];
    const wallet = this.dialect.walletOf(record['info'], this.settle);
    const total = wallet?.total ?? (unified.data.total != null ? numText(unified.data.total) : undefined);
    if (total === undefined || unified.data.free == null) return [];
    return [{ asset: this.settle, total: canonicalDecimal(total), available: numText(unified.data.free), ...(wallet?.equity !== undefined ? { equity: canonicalDecimal(wallet.equity) } : {}) }];
  }

  async close(): Promise<void> {
    this.closed = true;
    this.running = false;
    this.streamStatus.close();
    for (const wake of [...this.wakeups]) wake();
    const ready = this.ready;
    this.ready = undefined;
    // Closing the exchange rejects pending watches, which ends the loops.
    if (ready) await ready.then((r) => Promise.allSettled([r.ex.close(), r.orders.close()])).catch(() => undefined);
    await Promise.allSettled(this.loops);
  }

  private exchange(): Promise<Ready> {
    if (this.closed) return Promise.reject(new Error(`${this.venue}: trading adapter closed`));
    this.ready ??= this.connect().catch((err: unknown) => {
      this.ready = undefined; // the next call starts from a fresh exchange
      throw err;
    });
    return this.ready;
  }

  private async connect(): Promise<Ready> {
    const ex = await createCcxtExchange(this.config.connection);
    if (this.config.requestTimeoutMs !== undefined) ex.timeout = this.config.requestTimeoutMs;
    // Open orders of every symbol at once are what cancelAll() and reconciliation want (Binance warns by default).
    ex.options['warnOnFetchOpenOrdersWithoutSymbol'] = false;
    ex.options['defaultSettle'] = this.settle;
    // Both instances sign with the venue's clock, not ours (ccxt-clock-offset.ts). Measured before the markets load:
    // Bybit's load makes a signed request.
    const clock = CcxtClockOffset.supported(ex) ? new CcxtClockOffset(this.now, (detail) => this.invalid('clock_offset_failed', detail)) : undefined;
    clock?.install(ex, ex);
    await clock?.measure(ex);
    try {
      await ex.loadMarkets();
    } catch (err) {
      await ex.close().catch(() => undefined);
      throw err;
    }
    let set: ReturnType<typeof ccxtInstruments>;
    try {
      set = ccxtInstruments(ex, { venue: this.venue, settle: this.settle });
    } catch (err) {
      await ex.close().catch(() => undefined);
      throw err;
    }
    const { instruments, symbols, contracts } = set;
    // The order actions' instance shares the markets just loaded (no second load).
    const orders = await createCcxtExchange(this.config.connection).catch(async (err: unknown) => {
      await ex.close().catch(() => undefined);
      throw err;
    });
    if (this.config.requestTimeoutMs !== undefined) orders.timeout = this.config.requestTimeoutMs;
    orders.options['warnOnFetchOpenOrdersWithoutSymbol'] = false;
    orders.options['defaultSettle'] = this.settle;
    orders.setMarkets(ex.markets);
    clock?.install(orders, ex);
    return { ex, orders, instruments, symbols, byCanonical: new Map(instruments.map((i) => [i.symbol, i])), contracts };
  }

  /** Checks a request and builds ccxt's arguments; nothing is sent for a request refused here. */
  private prepare(r: Ready, req: VenueOrderRequest): Prepared {
    const inst = r.byCanonical.get(req.symbol);
    if (!inst) return { ok: false, reason: `unknown symbol ${req.symbol}` };
    if (req.clientOrderId.length === 0 || req.clientOrderId.length > 36) return { ok: false, reason: 'client order id must be 1..36 characters' };
    const idRule = this.dialect.clientIdPattern;
    if (idRule && !idRule.test(req.clientOrderId)) return { ok: false, reason: `client order id ${req.clientOrderId} does not match ${this.venue}'s rule ${idRule.source}` };
    if (req.type === 'market' && (req.tif === 'post_only' || req.tif === 'fok'))
      return { ok: false, reason: `a market order cannot be ${req.tif}` };
    if (req.type === 'limit' && req.price === undefined) return { ok: false, reason: 'a limit order needs a price' };
    if (!isDecimalText(req.qty) || dec(req.qty) <= 0n) return { ok: false, reason: `bad qty ${req.qty}` };
    const venueSymbol = inst.venueSymbol;
    // ccxt's amount is contracts on a contract market: converted here, exactly, or refused (never rounded up).
    const spec = r.contracts.get(venueSymbol);
    const contracts = spec?.size.converts ? spec.size.toContracts(req.qty, spec.step) : ({ ok: true, contracts: req.qty } as const);
    if (!contracts.ok) return { ok: false, reason: contracts.reason };
    const amount = Number(contracts.contracts);
    const qtyError = this.sameAfterPrecision(r.ex, () => r.ex.amountToPrecision(venueSymbol, amount), contracts.contracts, 'qty', spec?.step ?? inst.lotSize);
    if (qtyError) return { ok: false, reason: spec?.size.converts ? `${qtyError} (${req.qty} base = ${contracts.contracts} contracts)` : qtyError };
    let price: number | undefined;
    if (req.type === 'limit' && req.price !== undefined) {
      if (!isDecimalText(req.price) || dec(req.price) <= 0n) return { ok: false, reason: `bad price ${req.price}` };
      price = Number(req.price);
      const p = price;
      const priceError = this.sameAfterPrecision(r.ex, () => r.ex.priceToPrecision(venueSymbol, p), req.price, 'price', inst.tickSize);
      if (priceError) return { ok: false, reason: priceError };
    }
    const params: Record<string, unknown> = { clientOrderId: req.clientOrderId };
    if (req.reduceOnly) params['reduceOnly'] = true;
    if (req.tif === 'post_only') params['postOnly'] = true;
    // A market order is immediate by nature: Binance refuses a timeInForce on one.
    if (req.type === 'limit' && req.tif === 'ioc') params['timeInForce'] = 'IOC';
    if (req.type === 'limit' && req.tif === 'fok') params['timeInForce'] = 'FOK';
    return { ok: true, venueSymbol, amount, price, params };
  }

  /** A reason when ccxt would send `text` as another value (off the venue's step), else undefined. */
  private sameAfterPrecision(ex: Exchange, format: () => string | undefined, text: string, what: string, step: string): string | undefined {
    let sent: string | undefined;
    try {
      sent = format();
    } catch (err) {
      return `${what} ${text} refused by ${ex.id} precision: ${describeError(err)}`;
    }
    if (sent === undefined || !isDecimalText(sent) || dec(sent) !== dec(text)) return `${what} ${text} is not on the venue's step ${step} (ccxt would send ${sent})`;
    return undefined;
  }

  /** Validates a ccxt order of one of our symbols into a VenueOrder; anything else is reported and skipped. */
  private ourOrder(r: Ready, raw: unknown, kind: string): VenueOrder | undefined {
    const parsed = CcxtOrderShape.safeParse(raw);
    if (!parsed.success) {
      this.invalid(kind, parsed.error.message);
      return undefined;
    }
    const canonical = r.symbols.tryCanonical(parsed.data.symbol);
    if (!canonical) return undefined; // another settlement currency's market: not ours to trade
    const o = toVenueOrder(parsed.data, canonical, this.dialect, sizeOf(r, parsed.data.symbol));
    if (!o) this.invalid(kind, `incomplete order ${parsed.data.id ?? '?'} (${parsed.data.status ?? 'no status'})`);
    return o;
  }

  private async watchOrders(ex: Exchange): Promise<void> {
    const batch: unknown[] = await ex.watchOrders();
    const r = await this.exchange();
    for (const raw of batch) {
      if (!this.running) return;
      const parsed = CcxtOrderShape.safeParse(raw);
      if (!parsed.success) {
        this.invalid('order_event', parsed.error.message);
        continue;
      }
      const o = parsed.data;
      const canonical = r.symbols.tryCanonical(o.symbol);
      const view = canonical ? toVenueOrder(o, canonical, this.dialect, sizeOf(r, o.symbol)) : undefined;
      if (!view) continue;
      if (o.id && o.clientOrderId) this.remember(this.clientIds, o.id, o.clientOrderId);
      // Price and qty too: an amend changes them with nothing else.
      const key = `${view.clientOrderId}|${view.venueOrderId ?? ''}|${view.status}|${view.filledQty}|${view.price ?? ''}|${view.qty}`;
      if (this.reportedOrders.has(key)) continue;
      const reason = orderStatusOf(o, this.dialect)?.reason;
      const event = OrderEvent.safeParse({
        venue: this.venue,
        account: this.account,
        ...view,
        ...(reason !== undefined ? { reason } : {}),
        ts: o.lastUpdateTimestamp ?? o.timestamp ?? this.now(),
      });
      if (!event.success) {
        this.invalid('order_event', event.error.message);
        continue;
      }
      this.remember(this.reportedOrders, key);
      this.deliver('order_event', () => this.handlers?.onOrderEvent(event.data));
    }
  }

  private async watchFills(ex: Exchange): Promise<void> {
    const batch: unknown[] = await ex.watchMyTrades();
    const r = await this.exchange();
    const now = this.now();
    for (const raw of batch) {
      if (!this.running) return;
      const fill = this.ourFill(r, raw, now);
      if (!fill || this.reportedFills.has(fill.fillId)) continue;
      this.remember(this.reportedFills, fill.fillId);
      this.deliver('fill', () => this.handlers?.onFill(fill));
    }
  }

  /**
   * The account's trades since sinceMs from fetchMyTrades, one symbol at a time, paged as the venue pages
   * (dialect.history) and mapped exactly as the stream's (same fill ids). Trades of orders this adapter has
   * not seen name their order by client id after one fetchOrder per order (best effort; the fill id is what
   * de-duplicates).
   */
  async fillsSince(sinceMs: number, symbols?: string[]): Promise<Fill[]> {
    const r = await this.exchange();
    const { pageSize } = this.dialect.history;
    const paging = { ...this.dialect.history, maxPages: HISTORY_PAGES };
    const out = new Map<string, Fill>();
    for (const symbol of symbols ?? [...r.byCanonical.keys()]) {
      const inst = r.byCanonical.get(symbol);
      if (!inst) continue;
      await readHistoryPages(
        sinceMs,
        paging,
        (since, until) => r.ex.fetchMyTrades(inst.venueSymbol, since, pageSize, until !== undefined ? { until } : {}),
        async (raw) => {
          await this.learnClientIds(r, inst.venueSymbol, raw);
          const now = this.now();
          return raw.map((item) => {
            const fill = this.ourFill(r, item, now);
            if (!fill) return undefined;
            out.set(fill.fillId, fill);
            return fill.tsExchange;
          });
        },
      );
    }
    return [...out.values()].sort((a, b) => a.tsExchange - b.tsExchange);
  }

  async fundingPayments(sinceMs: number, symbols?: string[]): Promise<FundingPayment[]> {
    const r = await this.exchange();
    // No funding history in ccxt, or a sign not established for this venue (the dialect's): nothing is booked
    // from it, rather than a guess.
    const sign = this.dialect.fundingAmount;
    if (!r.ex.has['fetchFundingHistory'] || sign === undefined) return [];
    const { pageSize } = this.dialect.history;
    const paging = { ...this.dialect.history, maxPages: HISTORY_PAGES };
    const out = new Map<string, FundingPayment>();
    for (const symbol of symbols ?? [...r.byCanonical.keys()]) {
      const inst = r.byCanonical.get(symbol);
      if (!inst) continue;
      await readHistoryPages(
        sinceMs,
        paging,
        (since, until) => r.ex.fetchFundingHistory(inst.venueSymbol, since, pageSize, until !== undefined ? { until } : {}),
        (raw) =>
          raw.map((item) => {
            const p = this.ourFunding(r, item, sign);
            if (!p || p.tsExchange < sinceMs) return undefined;
            out.set(p.paymentId, p);
            return p.tsExchange;
          }),
      );
    }
    return [...out.values()].sort((a, b) => a.tsExchange - b.tsExchange);
  }

  /** A ccxt funding entry of one of our symbols as a checked FundingPayment in the store's sign. */
  private ourFunding(r: Ready, raw: unknown, sign: 'received_positive' | 'paid_positive'): FundingPayment | undefined {
    const parsed = CcxtFundingShape.safeParse(raw);
    if (!parsed.success) {
      this.invalid('funding', parsed.error.message);
      return undefined;
    }
    const f = parsed.data;
    const canonical = r.symbols.tryCanonical(f.symbol);
    if (!canonical || !r.byCanonical.has(canonical)) return undefined;
    const payment = FundingPayment.safeParse({
      paymentId: f.id || derivedFundingPaymentId(this.venue, this.account, canonical, f.timestamp),
      venue: this.venue,
      account: this.account,
      symbol: canonical,
      // The store books what we paid (positive), the venue may state what we received.
      amount: numText(sign === 'received_positive' ? -f.amount : f.amount),
      ...(f.code ? { asset: f.code } : {}),
      tsExchange: f.timestamp,
    });
    if (!payment.success) {
      this.invalid('funding', payment.error.message);
      return undefined;
    }
    return payment.data;
  }

  /** Looks up the client ids of orders named in REST trades (which carry the venue's order id only). */
  private async learnClientIds(r: Ready, venueSymbol: string, raw: unknown[]): Promise<void> {
    const unknown = new Set<string>();
    for (const item of raw) {
      const t = CcxtTradeShape.safeParse(item);
      const order = t.success ? t.data.order : undefined;
      if (order && !this.clientIds.has(order) && !(t.data?.info && this.dialect.tradeClientOrderId(t.data.info))) unknown.add(order);
    }
    for (const id of [...unknown].slice(0, MAX_ORDER_LOOKUPS)) {
      const found: unknown = await r.ex.fetchOrder(id, venueSymbol).catch(() => undefined);
      const o = CcxtOrderShape.safeParse(found);
      if (o.success && o.data.clientOrderId) this.remember(this.clientIds, id, o.data.clientOrderId);
    }
  }

  /** A ccxt trade of one of our symbols as a checked Fill; anything else is reported and skipped. */
  private ourFill(r: Ready, raw: unknown, now: number): Fill | undefined {
    const parsed = CcxtTradeShape.safeParse(raw);
    if (!parsed.success) {
      this.invalid('fill', parsed.error.message);
      return undefined;
    }
    const t = parsed.data;
    const canonical = r.symbols.tryCanonical(t.symbol);
    const inst = canonical ? r.byCanonical.get(canonical) : undefined;
    if (!inst) return undefined;
    const clientOrderId =
      (t.info ? this.dialect.tradeClientOrderId(t.info) : undefined) ??
      (t.order ? this.clientIds.get(t.order) : undefined) ??
      clientIdOf({ symbol: t.symbol, id: t.order });
    const fill = Fill.safeParse(toFill(t, { venue: this.venue, account: this.account, inst, settle: this.settle, clientOrderId, tsReceived: now, size: sizeOf(r, t.symbol), feeCost: t.info ? this.dialect.feeCost?.(t.info) : undefined }));
    if (!fill.success) {
      this.invalid('fill', fill.error.message);
      return undefined;
    }
    return fill.data;
  }

  /** Runs a watch until close(); a failure (lost connection, expired listen key) backs off with jitter and watches again. */
  private async loop(what: string, ex: Exchange, body: () => Promise<void>): Promise<void> {
    const backoff = new ReconnectBackoff(200, 10_000);
    while (this.running) {
      try {
        await body();
        backoff.reset();
      } catch (err) {
        if (!this.running) return;
        // Events missed while down are found by the router's reconciliation (openOrders / queryOrder).
        this.invalid(`${what}_stream_failed`, describeError(err));
        this.streamStatus.failed(ex, `${what} stream: ${describeError(err)}`);
        await this.sleep(backoff.nextDelayMs());
      }
    }
  }

  /** A throwing handler must not end the stream nor drop the rest of the batch. */
  private deliver(kind: string, call: () => void): void {
    try {
      call();
    } catch (err) {
      this.invalid(`${kind}_handler_failed`, describeError(err));
    }
  }

  private invalid(kind: string, detail: string): void {
    this.config.onInvalid?.(kind, detail.slice(0, 300));
  }

  /** Adds to a bounded Set or Map, forgetting the oldest entry past MEMORY. */
  private remember(store: Set<string>, key: string): void;
  private remember(store: Map<string, string>, key: string, value: string): void;
  private remember(store: Set<string> | Map<string, string>, key: string, value?: string): void {
    if (store instanceof Map) store.set(key, value ?? '');
    else store.add(key);
    if (store.size > MEMORY) {
      const oldest = store.keys().next().value;
      if (oldest !== undefined) store.delete(oldest);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeups.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeups.add(done);
    });
  }
}

/** The contract conversion of a venue symbol (the identity where ccxt's amounts are base units). */
function sizeOf(r: Ready, venueSymbol: string): ContractSize {
  return r.contracts.get(venueSymbol)?.size ?? ContractSize.UNIT;
}

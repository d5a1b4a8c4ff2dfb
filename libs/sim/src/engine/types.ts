/**
 * The simulator's engine API: the one contract the venue façades (Binance, Bybit, StandX, GRVT) code against.
 *
 * Conventions (hold everywhere below):
 * - Prices, sizes, fees, balances and PnL are canonical decimal strings ("100000.5", "0.001", "-3.2"): no exponent,
 *   no trailing zeros, "0" for zero. They are exact (the engine books with `Decimal` from @perpetua/core); a façade
 *   may reformat them (e.g. pad to the venue's precision) but never needs to round them.
 * - Symbols are canonical (`BTC-PERP`); each façade maps them to its venue's names (`BTCUSDT`, `BTC_USDT_Perp`).
 * - Timestamps (`ts`, `createdAt`, ...) are integer milliseconds since the Unix epoch on the world's clock
 *   (`SimWorld.now()`), which is either wall time or a logical clock advanced by `step()`.
 * - Ids (`orderId`, `fillId`, `tradeId`) are strings holding a positive decimal integer below 2^53, increasing in
 *   creation order, so a façade can put them on the wire as a number or as a string.
 * - Everything is synchronous and single-threaded: a call returns after the book, the accounts and every event it
 *   caused are settled, and listeners have been called (in order) before the call returns.
 * - This file is additive-only once published: fields and union members may be added, never renamed or removed.
 */

export type SimSide = 'buy' | 'sell';
export type SimOrderType = 'limit' | 'market';
/**
 * Time in force. `post_only` is a limit order that must rest on the book (Binance GTX, StandX alo, GRVT post-only);
 * what happens when it would cross is the venue's `postOnlyMode`.
 */
export type SimTimeInForce = 'gtc' | 'ioc' | 'fok' | 'post_only';
export type SimOrderStatus = 'new' | 'partially_filled' | 'filled' | 'canceled' | 'rejected' | 'expired';
export type SimLiquidity = 'maker' | 'taker';

/**
 * A post-only order that would cross the book:
 * - 'reject': the order is refused with reason 'post_only_would_cross' (Binance GTX, StandX alo);
 * - 'reprice': its price is moved to one tick behind the best opposite price and it rests there.
 */
export type SimPostOnlyMode = 'reject' | 'reprice';

/**
 * Self-trade prevention, applied when an incoming order would match a resting order of the same account:
 * - 'expire_taker' (Binance's default EXPIRE_TAKER): the incoming order's remaining qty expires, the resting one stays;
 * - 'expire_maker': the resting order is expired and matching continues deeper;
 * - 'expire_both': both are expired;
 * - 'none': the account trades with itself (fills on both sides, fees charged twice).
 */
export type SimStpMode = 'expire_taker' | 'expire_maker' | 'expire_both' | 'none';

/** A perpetual listed on one simulated venue. */
export interface SimInstrument {
  venue: string;
  /** Canonical symbol, e.g. 'BTC-PERP'. */
  symbol: string;
  /** Base asset, e.g. 'BTC'. */
  asset: string;
  /** Settlement / margin asset of the venue, e.g. 'USDT' (Binance, Bybit, GRVT) or 'DUSD' (StandX). */
  quote: string;
  tickSize: string;
  lotSize: string;
  /** Smallest order qty (a multiple of lotSize). */
  minQty: string;
  /** Smallest order notional (price x qty), '0' when the venue has none. */
  minNotional: string;
  /** Fee rates as fractions of notional ('0.0002' = 2 bps); a negative maker rate is a rebate. */
  makerFee: string;
  takerFee: string;
  /** Highest leverage an account may set; new accounts start at `defaultLeverage`. */
  maxLeverage: number;
  defaultLeverage: number;
  /** Decimal places of price and qty implied by tickSize / lotSize (handy for exchangeInfo-style answers). */
  pricePrecision: number;
  qtyPrecision: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Orders

export interface SimOrderRequest {
  accountId: string;
  symbol: string;
  side: SimSide;
  type: SimOrderType;
  /** Required for 'limit' (a multiple of tickSize); ignored for 'market'. */
  price?: string;
  /** A multiple of lotSize, at least minQty. */
  qty: string;
  /** 'market' orders are always treated as 'ioc' whatever is passed, except 'fok' which is honoured. */
  tif: SimTimeInForce;
  /** Only ever reduces the position: refused if it would increase it; clipped at fill time so it never flips it. */
  reduceOnly?: boolean;
  /** Unique among the account's open orders on this venue; generated ('sim-<orderId>') when absent. */
  clientOrderId?: string;
}

/** Machine-readable reason a request was refused. Façades map each to their venue's error code/message. */
export type SimRejectReason =
  | 'unknown_symbol'
  | 'unknown_account'
  | 'symbol_halted'
  | 'invalid_price'
  | 'invalid_price_tick'
  | 'invalid_qty'
  | 'invalid_qty_lot'
  | 'below_min_qty'
  | 'below_min_notional'
  | 'invalid_order'
  | 'post_only_would_cross'
  | 'insufficient_margin'
  | 'reduce_only_violation'
  | 'duplicate_client_order_id'
  | 'fok_not_fillable'
  | 'no_liquidity'
  | 'order_not_found'
  | 'invalid_leverage'
  | 'account_exists'
  /** An amend would leave the order at or below its filled qty. */
  | 'amend_qty_below_filled'
  /** An amend that changes neither price nor qty. */
  | 'amend_no_change';

export interface SimRejection {
  ok: false;
  reason: SimRejectReason;
  /** Human-readable detail; safe to show (never contains secrets). */
  message: string;
}

export interface SimOrder {
  orderId: string;
  clientOrderId: string;
  accountId: string;
  symbol: string;
  side: SimSide;
  type: SimOrderType;
  tif: SimTimeInForce;
  /** Limit price (after a post-only reprice, the new price); for market orders the average fill price or '0'. */
  price: string;
  /** Price the client asked for (differs from `price` only after a post-only reprice). */
  origPrice: string;
  qty: string;
  filledQty: string;
  /** '0' until the first fill. */
  avgFillPrice: string;
  /** Sum of fill notionals (price x qty), exact. */
  filledNotional: string;
  status: SimOrderStatus;
  reduceOnly: boolean;
  /** Why the order reached 'canceled' / 'expired' (e.g. 'user', 'ioc_remainder', 'stp', 'reduce_only', 'halt'). */
  closeReason?: SimCloseReason;
  createdAt: number;
  updatedAt: number;
}

export type SimCloseReason =
  | 'user'
  | 'cancel_all'
  | 'ioc_remainder'
  | 'market_remainder'
  | 'stp'
  | 'reduce_only'
  | 'halt'
  /** Canceled by a failed amend, on venues whose amend cancels the order when it fails (`amendFailureCancels`). */
  | 'amend_failed';

export interface SimFill {
  /** Unique per venue (a maker fill and a taker fill of the same trade have different fillIds). */
  fillId: string;
  /** The public trade this fill belongs to (shared by its maker and taker fill); per symbol, increasing. */
  tradeId: string;
  orderId: string;
  clientOrderId: string;
  accountId: string;
  symbol: string;
  side: SimSide;
  price: string;
  qty: string;
  /** price x qty, exact. */
  notional: string;
  /** rate x notional, exact; positive = paid, negative = rebate received. */
  fee: string;
  feeAsset: string;
  liquidity: SimLiquidity;
  /** PnL realized by this fill (before fees), exact up to 18 places. */
  realizedPnl: string;
  ts: number;
}

export interface SimPlaceAccepted {
  ok: true;
  /** The order as it stands after matching (may already be filled / expired). */
  order: SimOrder;
  /** This order's own fills from the immediate matching, in order (the counterparties' fills arrive as events). */
  fills: SimFill[];
}
export type SimPlaceResult = SimPlaceAccepted | SimRejection;

/** Identifies one order of an account: by engine id or by client id (orderId wins when both are given). */
export interface SimOrderRef {
  orderId?: string;
  clientOrderId?: string;
}

export type SimCancelResult = { ok: true; order: SimOrder } | SimRejection;

/** New price and/or qty (total, filled part included) for an open limit order; what is absent stays. */
export interface SimAmendRequest {
  price?: string;
  qty?: string;
}

/** The amended order (it keeps its ids); `fills` when a non-post-only order amended into the book traded at once. */
export type SimAmendResult = { ok: true; order: SimOrder; fills: SimFill[] } | SimRejection;

export interface SimFillsQuery {
  symbol?: string;
  /** Only fills with ts >= since. */
  since?: number;
  /** Only fills with ts <= until. */
  until?: number;
  /** Most recent `limit` fills (default 500); the answer is in ascending ts order. */
  limit?: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Accounts

export interface SimBalance {
  accountId: string;
  asset: string;
  /** Deposits + realized PnL - fees + funding. */
  wallet: string;
  /** Sum of the positions' unrealized PnL at mark. */
  unrealizedPnl: string;
  /** wallet + unrealizedPnl. */
  equity: string;
  /** Initial margin held by open positions (|qty| x mark / leverage). */
  positionMargin: string;
  /** Initial margin reserved by open orders that would increase exposure. */
  orderMargin: string;
  /** equity - positionMargin - orderMargin, floored at 0: what a new order may use. */
  available: string;
  ts: number;
}

export interface SimPosition {
  accountId: string;
  symbol: string;
  /** Signed: > 0 long, < 0 short, '0' flat. One-way (net) position mode only. */
  qty: string;
  /** Average entry price ('0' when flat). */
  entryPrice: string;
  markPrice: string;
  /** qty x (mark - entry). */
  unrealizedPnl: string;
  /** Cumulative realized PnL of this symbol (before fees and funding). */
  realizedPnl: string;
  leverage: number;
  /** |qty| x mark / leverage. */
  initialMargin: string;
  /** Rough isolated-style liquidation price, '0' when flat (informational; the sim does not liquidate). */
  liquidationPrice: string;
  ts: number;
}

export type SimLeverageResult = { ok: true; symbol: string; leverage: number; maxNotional: string } | SimRejection;

// ---------------------------------------------------------------------------------------------------------------
// Market data

/** [price, size] as decimal strings. */
export type SimLevel = readonly [price: string, size: string];

export interface SimBookSnapshot {
  symbol: string;
  /** The update id of the last change included; the next diff event has firstUpdateId = lastUpdateId + 1. */
  lastUpdateId: number;
  /** Best first. */
  bids: SimLevel[];
  asks: SimLevel[];
  ts: number;
}

export interface SimTrade {
  tradeId: string;
  symbol: string;
  price: string;
  qty: string;
  /** The aggressor's (taker's) side: 'buy' = buyer was taker (Binance m=false). */
  side: SimSide;
  ts: number;
}

export interface SimMark {
  symbol: string;
  markPrice: string;
  indexPrice: string;
  /** Rate for the current funding interval as a fraction ('0.0001' = 1 bp); longs pay shorts when positive. */
  fundingRate: string;
  nextFundingTime: number;
  fundingIntervalMs: number;
  ts: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Events (one stream per venue; a façade filters what it needs)

/**
 * Level diffs since the previous book event of this symbol. Sizes are absolute (the level's new total size);
 * '0' means the level was removed. Update ids count every level change of the symbol:
 * `firstUpdateId = prevUpdateId + 1`, `lastUpdateId >= firstUpdateId`, strictly increasing per symbol, no gaps
 * (Binance U/u/pu and GRVT sequence numbers map straight onto them). Bids best-first, asks best-first.
 */
export interface SimBookEvent {
  type: 'book';
  venue: string;
  symbol: string;
  firstUpdateId: number;
  lastUpdateId: number;
  prevUpdateId: number;
  bids: SimLevel[];
  asks: SimLevel[];
  ts: number;
}

export interface SimTradeEvent extends SimTrade {
  type: 'trade';
  venue: string;
}

export interface SimMarkEvent extends SimMark {
  type: 'mark';
  venue: string;
}

/** Execution type of an order update (Binance's x): what just happened to the order. */
export type SimExecType = 'new' | 'trade' | 'canceled' | 'expired' | 'repriced' | 'amended';

/** Private: an order of `accountId` was created, filled, canceled or expired. */
export interface SimOrderEvent {
  type: 'order';
  venue: string;
  accountId: string;
  execType: SimExecType;
  order: SimOrder;
  /** Present when execType === 'trade': the fill that caused this update. */
  fill?: SimFill;
  ts: number;
}

/** Private: a fill of `accountId` (also carried by the matching 'order' event). */
export interface SimFillEvent {
  type: 'fill';
  venue: string;
  accountId: string;
  fill: SimFill;
  ts: number;
}

export interface SimPositionEvent {
  type: 'position';
  venue: string;
  accountId: string;
  position: SimPosition;
  /** What changed it: a fill, a leverage change, or a funding settlement (mark moves alone do not emit). */
  reason: 'fill' | 'leverage' | 'funding';
  ts: number;
}

export type SimBalanceReason = 'deposit' | 'fill' | 'funding';

export interface SimBalanceEvent {
  type: 'balance';
  venue: string;
  accountId: string;
  balance: SimBalance;
  reason: SimBalanceReason;
  /** The wallet change this event reports (fee and realized PnL for a fill; payment for funding). */
  walletDelta: string;
  ts: number;
}

/** Private: a funding settlement on one position (amount < 0 = paid). Followed by a 'balance' event. */
export interface SimFundingEvent {
  type: 'funding';
  /** The venue's id of this payment, unique per venue (a sequence). */
  paymentId: string;
  venue: string;
  accountId: string;
  symbol: string;
  rate: string;
  markPrice: string;
  positionQty: string;
  amount: string;
  ts: number;
}

/** A symbol was halted or resumed (on halt, every open order of the symbol is canceled with reason 'halt'). */
export interface SimStatusEvent {
  type: 'status';
  venue: string;
  symbol: string;
  halted: boolean;
  ts: number;
}

export type SimMarketEvent = SimBookEvent | SimTradeEvent | SimMarkEvent | SimStatusEvent;
export type SimPrivateEvent = SimOrderEvent | SimFillEvent | SimPositionEvent | SimBalanceEvent | SimFundingEvent;
export type SimEvent = SimMarketEvent | SimPrivateEvent;
export type SimEventType = SimEvent['type'];

export type SimListener = (event: SimEvent) => void;
export type Unsubscribe = () => void;

// ---------------------------------------------------------------------------------------------------------------
// Engines and the world

/** One simulated venue: its instruments, order books, accounts and event stream. */
export interface VenueEngine {
  readonly name: string;
  readonly config: Readonly<SimVenueConfig>;

  instruments(): SimInstrument[];
  instrument(symbol: string): SimInstrument | undefined;
  isHalted(symbol: string): boolean;

  /** Top `depth` levels per side (default 1000 = all), consistent with `lastUpdateId`. */
  book(symbol: string, depth?: number): SimBookSnapshot;
  /** Most recent `n` public trades (default 100), oldest first. */
  recentTrades(symbol: string, n?: number): SimTrade[];
  mark(symbol: string): SimMark;

  placeOrder(req: SimOrderRequest): SimPlaceResult;
  cancelOrder(accountId: string, symbol: string, ref: SimOrderRef): SimCancelResult;
  /**
   * Changes an open limit order's price and/or qty in place (same ids; an 'amended' order event goes out). Refused
   * when the order is not open, the new qty is not above the filled qty, or a post-only order would cross; time
   * priority per the venue's `amendKeepsPriorityOnQtyDecrease`.
   */
  amendOrder(accountId: string, symbol: string, ref: SimOrderRef, change: SimAmendRequest): SimAmendResult;
  /** Cancels the account's open orders (of one symbol, or all); returns the canceled orders. */
  cancelAll(accountId: string, symbol?: string): SimOrder[];
  openOrders(accountId: string, symbol?: string): SimOrder[];
  /** An open or recently closed order (the engine keeps the last few thousand closed orders per account). */
  getOrder(accountId: string, symbol: string, ref: SimOrderRef): SimOrder | undefined;
  fills(accountId: string, query?: SimFillsQuery): SimFill[];
  /** The account's recent funding settlements (the same query as fills; bounded history), oldest first. */
  fundingPayments(accountId: string, query?: SimFillsQuery): SimFundingEvent[];
  /** Every symbol the account has a position record for (flat ones included once traded). */
  positions(accountId: string): SimPosition[];
  position(accountId: string, symbol: string): SimPosition;
  balance(accountId: string): SimBalance;
  setLeverage(accountId: string, symbol: string, leverage: number): SimLeverageResult;

  /** Creates an account funded with `initialBalance` of the venue's quote asset; rejects 'account_exists'. */
  createAccount(accountId: string, initialBalance: string): { ok: true; balance: SimBalance } | SimRejection;
  hasAccount(accountId: string): boolean;
  /** Adds (or, when negative, removes) wallet balance; emits a 'balance' event with reason 'deposit'. */
  deposit(accountId: string, amount: string): SimBalance;

  /** Receives every event of this venue, synchronously, in order. */
  subscribe(listener: SimListener): Unsubscribe;
}

/** Per-venue knobs; defaults exist for the four standard venues (see world config). */
export interface SimVenueConfig {
  name: string;
  /** Margin / settlement asset. */
  quote: string;
  postOnlyMode: SimPostOnlyMode;
  stpMode: SimStpMode;
  /** Default fee rates for its instruments (fractions as decimal strings). */
  makerFee: string;
  takerFee: string;
  /** Per-asset instrument conventions (tick/lot/min qty/leverage); missing assets get a generic default. */
  instruments: Record<string, SimInstrumentSpec>;
  /** Latent-price mapping: static basis (bps), lag behind the latent price (ms) and idiosyncratic noise (bps). */
  basisBps: number;
  lagMs: number;
  noiseBps: number;
  fundingIntervalMs: number;
  /**
   * Whether a qty decrease at an unchanged price keeps the order's place in its queue (Bybit) or every amend sends
   * it to the back (Binance: "modified orders will be reordered in the match queue"). Default false (the
   * conservative rule). A price change or qty increase always loses priority.
   */
  amendKeepsPriorityOnQtyDecrease?: boolean;
  /**
   * Whether an amend that fails on the order's own state (new qty not above filled, post-only would cross) also
   * cancels the order, as Binance documents for PUT /fapi/v1/order; otherwise the order stays as it was. Default false.
   */
  amendFailureCancels?: boolean;
}

export interface SimInstrumentSpec {
  tickSize: string;
  lotSize: string;
  minQty: string;
  minNotional?: string;
  maxLeverage?: number;
  defaultLeverage?: number;
  makerFee?: string;
  takerFee?: string;
}

/** Shape of one asset's latent fair-price process. */
export interface SimAssetConfig {
  asset: string;
  initialPrice: number;
  /** Annualized volatility in the calm regime (0.5 = 50%). */
  volatility: number;
  /** Multiplier applied to volatility in the stressed regime. */
  stressMultiplier: number;
  /** Mean jumps per day and the standard deviation of a jump's log size. */
  jumpsPerDay: number;
  jumpStdev: number;
}

export interface SimLiquidityConfig {
  /** Resting levels per side kept around each venue's mid. */
  levels: number;
  /** Distance of the first background level from mid, and spacing between levels, in bps. */
  firstLevelBps: number;
  levelSpacingBps: number;
  /** Notional (quote) of a level near the top; deeper levels grow by `depthGrowth` per level. */
  levelNotional: number;
  depthGrowth: number;
  /** How many levels per side are re-quoted per step (besides recentring after mid moves). */
  refreshPerStep: number;
  /** Expected background market orders per venue and symbol per second. */
  takerRatePerSec: number;
  /** Probability a background taker order sweeps k+1 levels given it sweeps k (geometric: 1 level most often). */
  sweepContinue: number;
}

export interface SimWorldOptions {
  /** PRNG seed (any 32-bit integer); everything random derives from it. Default 1. */
  seed?: number;
  /**
   * 'logical' (default): time starts at `startTime` and advances by `stepMs` per `step()`; identical seeds give
   * byte-identical event streams. 'wall': `now()` is Date.now() and `start()` steps on a timer.
   */
  clock?: 'logical' | 'wall';
  /** Logical clock origin (default 1_700_000_000_000). */
  startTime?: number;
  /** Simulated ms per step (default 100). In wall mode, `start(intervalMs)` sets it. */
  stepMs?: number;
  /** Venue names from the built-in defaults, or full configs (default: binanceusdm, bybit, standx, grvt). */
  venues?: Array<string | Partial<SimVenueConfig> & { name: string }>;
  /** Assets (default BTC and ETH). */
  assets?: Array<string | Partial<SimAssetConfig> & { asset: string }>;
  liquidity?: Partial<SimLiquidityConfig>;
  /** Turn background liquidity / flow off (e.g. for matching tests on an empty book). Default true. */
  background?: boolean;
}

/** Everything simulated: venues x assets, one clock, one seed. */
export interface SimWorld {
  readonly seed: number;
  readonly clock: 'logical' | 'wall';
  venue(name: string): VenueEngine;
  venues(): string[];
  assets(): string[];
  now(): number;
  /** Advances one tick: latent prices, per-venue marks, background liquidity and flow, funding. */
  step(): void;
  /** Calls step() every intervalMs of wall time (wall clock) or as fast as the timer allows (logical). */
  start(intervalMs?: number): void;
  stop(): void;
  readonly running: boolean;

  /** Latent fair price of an asset (what every venue's mid tracks). */
  fairPrice(asset: string): number;
  /** A venue's current target mid for an asset (fair x (1 + basis) with lag and noise). */
  venueMid(venue: string, asset: string): number;
  /** Moves the latent price by `fraction` (-0.05 = down 5%) at once, on every venue. */
  jumpPrice(asset: string, fraction: number): void;
  /** Sets the static basis of one venue for one asset (opens a known cross-venue gap); 0 closes it. */
  setBasis(venue: string, asset: string, bps: number): void;
  /** Halts or resumes one symbol on one venue: orders rejected 'symbol_halted', open orders canceled. */
  haltSymbol(venue: string, symbol: string, halted: boolean): void;
  /** Switches the volatility regime of an asset. */
  setRegime(asset: string, regime: 'calm' | 'stressed'): void;
}

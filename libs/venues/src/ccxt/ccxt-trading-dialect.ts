import { DecimalText, isDecimalText, type OrderStatus } from '@perpetua/core';
import type { Exchange, Order } from 'ccxt';
import { ccxtErrors } from './ccxt-modules.js';
import { z } from 'zod';

/**
 * What differs between ccxt exchanges once orders are named by our client id: ccxt unifies
 * `clientOrderId` on createOrder, but cancel and query by client id take each venue's own parameter,
 * and the private trade stream carries the client id only in the venue's raw message.
 */
export interface CcxtTradingDialect {
  /** Cancels one open order by our client id; throws ccxt's OrderNotFound when the venue has it no longer open. */
  cancel(ex: Exchange, venueSymbol: string, clientOrderId: string): Promise<void>;
  /** The order (open or closed) with our client id, or undefined when the venue has none. */
  find(ex: Exchange, venueSymbol: string, clientOrderId: string): Promise<Order | undefined>;
  /** Extra params for fetchOpenOrders, so every open order comes back (paging). */
  openOrdersParams: Record<string, unknown>;
  /** Whether cancelAllOrders answers with the orders it cancelled (else we count them beforehand). */
  cancelAllListsOrders: boolean;
  /** Cancels every open order of a symbol and counts them, where ccxt has no cancelAllOrders for the venue (OKX). */
  cancelAll?(ex: Exchange, venueSymbol: string): Promise<number>;
  /** The venue's rule for client order ids, where it is tighter than ours (1-36 characters). */
  clientIdPattern?: RegExp;
  /**
   * The fee of a trade (positive = paid) from the venue's raw message, where ccxt's unified fee cannot be read the
   * same way on every path (OKX: the REST fill's fee is negated by ccxt, the order stream's fillFee is not).
   */
  feeCost?(info: Record<string, unknown>): string | undefined;
  /**
   * Amends an open order by our client id through ccxt's unified editOrder (price and qty), or undefined when the
   * venue has no native amend (then the adapter has no amendOrder and the router cancels and places).
   */
  amend?(ex: Exchange, venueSymbol: string, clientOrderId: string, side: 'buy' | 'sell', amount: number, price: number): Promise<Order>;
  /** Our client id in the venue's raw trade message (ccxt's Trade has no field for it). */
  tradeClientOrderId(info: Record<string, unknown>): string | undefined;
  /** The venue's reason for closing an order, when it states one. */
  closeReason(info: Record<string, unknown>): string | undefined;
  /** The status a stated close reason means, where ccxt's unified status hides it (Bybit's "Cancelled"). */
  statusForReason(reason: string): OrderStatus | undefined;
  /**
   * Wallet balance and equity of `asset` from fetchBalance's raw answer: ccxt's unified `total` is the
   * equity on Binance but the wallet on Bybit, so it cannot be read the same way everywhere.
   */
  walletOf(info: unknown, asset: string): { total: string; equity?: string } | undefined;
  /**
   * How the venue's trade history (fetchMyTrades) pages: its largest page, and which end of the time window
   * a page starts from. Binance answers the oldest trades at or after startTime; Bybit's /v5/execution/list
   * the newest in [startTime, endTime] (at most 100), so it is paged backwards by endTime.
   */
  history: { pageSize: number; from: 'oldest' | 'newest' };
  /**
   * What the sign of fetchFundingHistory's `amount` means on this venue: ccxt passes the venue's own figure
   * (Binance's income: received positive). Undefined where it is not established here: the adapter then
   * books no funding from that venue rather than risk booking it with the wrong sign.
   */
  fundingAmount?: 'received_positive' | 'paid_positive';
}

const BinanceAccount = z.object({
  assets: z.array(z.object({ asset: z.string(), walletBalance: DecimalText, marginBalance: DecimalText.optional() })),
});

const BybitWallet = z.object({
  result: z.object({
    list: z.array(z.object({ coin: z.array(z.object({ coin: z.string(), walletBalance: DecimalText, equity: DecimalText.optional().catch(undefined) })) })),
  }),
});

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** ccxt types the id of cancelOrder as string; Bybit's needs it absent when the order is named by orderLinkId. */
type CancelByParams = (id: string | undefined, symbol: string, params: Record<string, unknown>) => Promise<unknown>;

/** ccxt types editOrder's id as string; both venues below need it absent when the order is named by client id. */
type EditByParams = (id: string | undefined, symbol: string, type: string, side: string, amount: number, price: number, params: Record<string, unknown>) => Promise<Order>;

/** Binance USD-M: origClientOrderId names an order on cancel and query; GET /fapi/v1/order also finds closed ones. */
const binance: CcxtTradingDialect = {
  async cancel(ex, venueSymbol, clientOrderId) {
    await ex.cancelOrder('', venueSymbol, { origClientOrderId: clientOrderId });
  },
  async find(ex, venueSymbol, clientOrderId) {
    try {
      // ccxt ignores the id when origClientOrderId is given.
      return await ex.fetchOrder('', venueSymbol, { origClientOrderId: clientOrderId });
    } catch (err) {
      if (err instanceof ccxtErrors.OrderNotFound) return undefined;
      throw err;
    }
  },
  // PUT /fapi/v1/order (Modify Order): ccxt sends origClientOrderId, side, quantity and price (USD-M needs both).
  async amend(ex, venueSymbol, clientOrderId, side, amount, price) {
    const edit = ex.editOrder.bind(ex) as EditByParams;
    return await edit(undefined, venueSymbol, 'limit', side, amount, price, { origClientOrderId: clientOrderId });
  },
  openOrdersParams: {},
  cancelAllListsOrders: false,
  tradeClientOrderId: (info) => str(info['c']),
  closeReason: () => undefined,
  statusForReason: () => undefined,
  walletOf(info, asset) {
    const a = BinanceAccount.safeParse(info).data?.assets.find((x) => x.asset === asset);
    return a && { total: a.walletBalance, ...(a.marginBalance !== undefined ? { equity: a.marginBalance } : {}) };
  },
  history: { pageSize: 1000, from: 'oldest' },
  // GET /fapi/v1/income: "income" positive flows in (Binance's docs), and ccxt's amount is that figure.
  fundingAmount: 'received_positive',
};

/**
 * Bybit v5: orderLinkId names an order. A post-only order that would cross is accepted and cancelled at
 * once with rejectReason EC_PostOnlyWillTakeLiquidity, which ccxt reports as a plain 'canceled'.
 */
const bybit: CcxtTradingDialect = {
  async cancel(ex, venueSymbol, clientOrderId) {
    const cancel = ex.cancelOrder.bind(ex) as CancelByParams;
    await cancel(undefined, venueSymbol, { orderLinkId: clientOrderId });
  },
  async find(ex, venueSymbol, clientOrderId) {
    const mine = (os: Order[]) => os.find((o) => o.clientOrderId === clientOrderId);
    // /v5/order/realtime by orderLinkId also returns recently closed orders; the history covers older ones.
    const recent = mine(await ex.fetchOpenOrders(venueSymbol, undefined, undefined, { orderLinkId: clientOrderId }));
    if (recent) return recent;
    return mine(await ex.fetchCanceledAndClosedOrders(venueSymbol, undefined, undefined, { orderLinkId: clientOrderId }));
  },
  // POST /v5/order/amend: ccxt names the order by orderLinkId when clientOrderId is given.
  async amend(ex, venueSymbol, clientOrderId, side, amount, price) {
    const edit = ex.editOrder.bind(ex) as EditByParams;
    return await edit(undefined, venueSymbol, 'limit', side, amount, price, { clientOrderId });
  },
  openOrdersParams: { paginate: true },
  cancelAllListsOrders: true,
  tradeClientOrderId: (info) => str(info['orderLinkId']),
  closeReason: (info) => {
    const r = str(info['rejectReason']);
    return r === 'EC_NoError' ? undefined : r;
  },
  statusForReason: (reason) =>
    reason === 'EC_PostOnlyWillTakeLiquidity' ? 'rejected' : reason === 'EC_NoImmediateQtyToFill' || reason === 'EC_FOKOrderCancelled' ? 'expired' : undefined,
  walletOf(info, asset) {
    const coins = BybitWallet.safeParse(info).data?.result.list.flatMap((l) => l.coin) ?? [];
    const c = coins.find((x) => x.coin === asset);
    return c && { total: c.walletBalance, ...(c.equity !== undefined ? { equity: c.equity } : {}) };
  },
  history: { pageSize: 100, from: 'newest' },
};

const OkxBalance = z.object({
  data: z.array(z.object({ details: z.array(z.object({ ccy: z.string(), cashBal: DecimalText, eq: DecimalText.optional().catch(undefined) })) })),
});

/** OKX's cancelSource codes that mean the order never rested, and what we call them. */
const OKX_CANCEL_SOURCES: Readonly<Record<string, string>> = { '31': 'post_only_would_take_liquidity', '14': 'ioc_unfilled', '15': 'fok_unfilled' };

/** ccxt types cancelOrders' symbol as optional; OKX's needs it. */
type CancelMany = (ids: string[], symbol: string) => Promise<unknown[]>;

/**
 * OKX v5: clOrdId (1-32 letters and digits) names an order on cancel, amend (amend-order) and query (GET
 * /trade/order, open or recently closed). Sizes are contracts there (converted by the adapter). ccxt has no
 * cancelAllOrders for OKX: the open orders are cancelled 20 at a time (cancel-batch-orders). A crossing post-only
 * is accepted and cancelled at once with cancelSource 31, a refusal for us.
 */
const okx: CcxtTradingDialect = {
  async cancel(ex, venueSymbol, clientOrderId) {
    const cancel = ex.cancelOrder.bind(ex) as CancelByParams;
    await cancel(undefined, venueSymbol, { clOrdId: clientOrderId });
  },
  async find(ex, venueSymbol, clientOrderId) {
    try {
      return await ex.fetchOrder('', venueSymbol, { clOrdId: clientOrderId });
    } catch (err) {
      if (err instanceof ccxtErrors.OrderNotFound) return undefined;
      throw err;
    }
  },
  async amend(ex, venueSymbol, clientOrderId, side, amount, price) {
    const edit = ex.editOrder.bind(ex) as EditByParams;
    return await edit(undefined, venueSymbol, 'limit', side, amount, price, { clOrdId: clientOrderId });
  },
  async cancelAll(ex, venueSymbol) {
    const ids = (await ex.fetchOpenOrders(venueSymbol)).map((o) => o.id).filter((id): id is string => typeof id === 'string' && id !== '');
    const cancelMany = ex.cancelOrders.bind(ex) as CancelMany;
    for (let i = 0; i < ids.length; i += 20) await cancelMany(ids.slice(i, i + 20), venueSymbol);
    return ids.length;
  },
  clientIdPattern: /^[A-Za-z0-9]{1,32}$/,
  feeCost(info) {
    const fee = str(info['fillFee']) ?? str(info['fee']);
    // A text our decimals cannot hold (over 18 places) is not read: ccxt's parsed fee, else the rate, is used instead.
    if (fee === undefined || !/^-?\d+(\.\d+)?$/.test(fee) || !isDecimalText(fee)) return undefined;
    return fee.startsWith('-') ? fee.slice(1) : fee === '0' ? '0' : `-${fee}`;
  },
  openOrdersParams: {},
  cancelAllListsOrders: true,
  tradeClientOrderId: (info) => str(info['clOrdId']),
  closeReason: (info) => OKX_CANCEL_SOURCES[str(info['cancelSource']) ?? ''],
  statusForReason: (reason) => (reason === 'post_only_would_take_liquidity' ? 'rejected' : reason === 'ioc_unfilled' || reason === 'fok_unfilled' ? 'expired' : undefined),
  walletOf(info, asset) {
    const d = OkxBalance.safeParse(info).data?.data.flatMap((x) => x.details).find((x) => x.ccy === asset);
    return d && { total: d.cashBal, ...(d.eq !== undefined ? { equity: d.eq } : {}) };
  },
  // GET /api/v5/trade/fills-history: newest first, at most 100, paged back by `end` (ccxt's `until`).
  history: { pageSize: 100, from: 'newest' },
};

/**
 * Any other ccxt exchange: find our order in the open (then closed) list and act on its venue id. No amend: ccxt's
 * editOrder falls back to cancel-and-create on many exchanges, which would give the order a new id behind our back.
 */
const generic: CcxtTradingDialect = {
  async cancel(ex, venueSymbol, clientOrderId) {
    const open = (await ex.fetchOpenOrders(venueSymbol)).find((o) => o.clientOrderId === clientOrderId);
    if (!open?.id) throw new ccxtErrors.OrderNotFound(`${ex.id}: no open order with client id ${clientOrderId}`);
    await ex.cancelOrder(open.id, venueSymbol);
  },
  async find(ex, venueSymbol, clientOrderId) {
    const mine = (os: Order[]) => os.find((o) => o.clientOrderId === clientOrderId);
    const open = mine(await ex.fetchOpenOrders(venueSymbol));
    if (open) return open;
    if (ex.has['fetchCanceledAndClosedOrders']) return mine(await ex.fetchCanceledAndClosedOrders(venueSymbol));
    if (ex.has['fetchClosedOrders']) return mine(await ex.fetchClosedOrders(venueSymbol));
    return undefined;
  },
  openOrdersParams: {},
  cancelAllListsOrders: false,
  tradeClientOrderId: (info) => str(info['clientOrderId']),
  closeReason: () => undefined,
  statusForReason: () => undefined,
  walletOf: () => undefined, // the caller falls back to ccxt's unified total
  history: { pageSize: 100, from: 'oldest' },
};

export function ccxtTradingDialect(exchangeId: string): CcxtTradingDialect {
  if (exchangeId === 'binanceusdm' || exchangeId === 'binance') return binance;
  if (exchangeId === 'bybit') return bybit;
  if (exchangeId === 'okx') return okx;
  return generic;
}

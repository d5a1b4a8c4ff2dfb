/**
 * StandX's REST endpoints, translated to engine calls. Transport concerns (body
 * reading, JWT, body signature, the traffic gate) live in rest-server.ts; here a
 * route gets an authenticated account, the parsed query and the parsed JSON body.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { ZERO, abs, add, dec, toText } from '@perpetua/core';
import type { SimOrder, SimOrderRequest, SimRejectReason, SimTimeInForce } from '../../engine/types.js';
import type { AccountRecord } from './accounts.js';
import { StandxHttpError, badRequest, notFound } from './errors.js';
import { toStandxSymbol } from './symbols.js';
import type { FacadeContext } from './facade-context.js';
import {
  CancelOrderBody,
  CancelOrdersBody,
  ChangeLeverageBody,
  ChangeMarginModeBody,
  DepthQuery,
  NewOrderBody,
  OpenOrdersQuery,
  OptionalSymbolQuery,
  QueryOrderQuery,
  QueryOrdersQuery,
  RecentTradesQuery,
  SymbolQuery,
  TradesQuery,
  describeZodError,
} from './wire-schemas.js';
import {
  balanceToWire,
  depthToWire,
  fillToWire,
  marketToWire,
  positionToWire,
  priceToWire,
  publicTradeToWire,
  statusOf,
  symbolInfoToWire,
} from './wire-format.js';

export interface RouteInput {
  account: AccountRecord | undefined;
  query: URLSearchParams;
  body: unknown;
  /** x-request-id of the request (or one made up), echoed in acks as StandX does. */
  requestId: string;
  /** `x-session-id` (REST) or the order-response connection's session: where the matching outcome is told. */
  sessionId?: string | undefined;
}

export interface RouteResult {
  status?: number;
  body: unknown;
  /** Work done after the reply is sent: StandX acknowledges orders before it matches them. */
  after?: () => void;
}

export interface Route {
  method: 'GET' | 'POST';
  /** Needs `Authorization: Bearer`; every POST also needs the body signature. */
  auth: boolean;
  handle(input: RouteInput): RouteResult;
}

const ack = (requestId: string): RouteResult => ({ body: { code: 0, message: 'success', request_id: requestId } });

function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw badRequest(describeZodError(r.error));
  return r.data;
}

const queryObject = (q: URLSearchParams): Record<string, string> => Object.fromEntries(q.entries());

function mustAccount(input: RouteInput): AccountRecord {
  if (!input.account) throw new StandxHttpError(401, 'authentication required');
  return input.account;
}

/** StandX-style wording for engine refusals (the ALO text is the one StandX's docs show). */
export function rejectMessage(reason: SimRejectReason, detail: string): string {
  switch (reason) {
    case 'post_only_would_cross':
      return 'alo order rejected';
    case 'reduce_only_violation':
      return 'reduce only order rejected';
    case 'insufficient_margin':
      return 'insufficient balance';
    case 'symbol_halted':
      return 'symbol is not trading';
    case 'duplicate_client_order_id':
      return 'duplicate cl_ord_id';
    default:
      return detail || reason;
  }
}

const limitOf = (limit: number | undefined, def: number, max: number): number =>
  Math.min(Math.max(limit ?? def, 1), max);

export function createRestRoutes(ctx: FacadeContext): Map<string, Route> {
  const routes = new Map<string, Route>();
  const route = (path: string, r: Route) => routes.set(path, r);
  const symbolOf = (standx: string) => {
    const inst = ctx.instrumentOf(standx);
    if (!inst) throw badRequest(`unknown symbol: ${standx}`);
    return inst;
  };

  // ---------------------------------------------------------------- public

  route('/api/health', { method: 'GET', auth: false, handle: () => ({ body: 'OK' }) });

  route('/api/query_symbol_info', {
    method: 'GET',
    auth: false,
    handle: ({ query }) => {
      const q = parse(OptionalSymbolQuery, queryObject(query));
      const list = q.symbol === undefined ? ctx.engine.instruments() : [symbolOf(q.symbol)];
      return { body: list.map((i) => symbolInfoToWire(i, 0)) };
    },
  });

  route('/api/query_symbol_price', {
    method: 'GET',
    auth: false,
    handle: ({ query }) => {
      const inst = symbolOf(parse(SymbolQuery, queryObject(query)).symbol);
      return { body: priceToWire(ctx.engine.mark(inst.symbol), inst, ctx.top(inst.symbol)) };
    },
  });

  route('/api/query_symbol_market', {
    method: 'GET',
    auth: false,
    handle: ({ query }) => {
      const inst = symbolOf(parse(SymbolQuery, queryObject(query)).symbol);
      const mark = ctx.engine.mark(inst.symbol);
      const stats = ctx.stats.stats(inst.symbol, ctx.worldNow());
      return { body: marketToWire(mark, inst, ctx.top(inst.symbol), stats, openInterest(ctx, inst.symbol)) };
    },
  });

  route('/api/query_depth_book', {
    method: 'GET',
    auth: false,
    handle: ({ query }) => {
      const q = parse(DepthQuery, queryObject(query));
      const inst = symbolOf(q.symbol);
      const book = ctx.engine.book(inst.symbol, limitOf(q.limit, ctx.depthLevels, 1000));
      return { body: depthToWire(book, inst, (levels) => levels) };
    },
  });

  route('/api/query_recent_trades', {
    method: 'GET',
    auth: false,
    handle: ({ query }) => {
      const q = parse(RecentTradesQuery, queryObject(query));
      const inst = symbolOf(q.symbol);
      const trades = ctx.engine.recentTrades(inst.symbol, limitOf(q.limit, 100, 500));
      return { body: trades.reverse().map((t) => publicTradeToWire(t, inst)) };
    },
  });

  // ---------------------------------------------------------------- trading (signed POST)

  route('/api/new_order', {
    method: 'POST',
    auth: true,
    handle: (input) => {
      const rec = mustAccount(input);
      const o = parse(NewOrderBody, input.body);
      const inst = symbolOf(o.symbol);
      if (o.tp_price !== undefined || o.sl_price !== undefined) {
        throw badRequest('tp_price / sl_price are not supported by the simulator');
      }
      const tif: SimTimeInForce = o.time_in_force === 'alo' ? 'post_only' : o.time_in_force;
      const req: SimOrderRequest = {
        accountId: rec.accountId,
        symbol: inst.symbol,
        side: o.side,
        type: o.order_type,
        qty: o.qty,
        tif,
        reduceOnly: o.reduce_only,
        clientOrderId: o.cl_ord_id ?? `sx${randomUUID().replaceAll('-', '')}`,
        ...(o.order_type === 'limit' && o.price !== undefined ? { price: o.price } : {}),
      };
      const place = () => {
        const mismatch =
          o.leverage !== undefined && o.leverage !== ctx.engine.position(rec.accountId, inst.symbol).leverage
            ? 'leverage does not match position'
            : o.margin_mode !== undefined && o.margin_mode !== ctx.accounts.marginMode(rec, inst.symbol)
              ? 'margin_mode does not match position'
              : undefined;
        const result = mismatch === undefined ? ctx.engine.placeOrder(req) : undefined;
        const tell = (code: number, message: string) => {
          if (input.sessionId !== undefined) ctx.onOrderOutcome(rec.accountId, input.sessionId, input.requestId, { code, message });
        };
        if (result?.ok) return tell(0, 'success'); // its fate reaches the streams through the engine's events
        const remark = result ? rejectMessage(result.reason, result.message) : (mismatch ?? 'rejected');
        if (ctx.dialect.current.rejections === 'order_stream') {
          const rejected = ctx.journal.recordRejection(rejectedOrder(req, ctx.worldNow()), remark);
          ctx.onFacadeOrder(rejected, remark);
        }
        // In the order_ws_only dialect this is the only trace of the order: query_order does not know it.
        tell(400, remark);
      };
      return { ...ack(input.requestId), after: place };
    },
  });

  route('/api/cancel_order', {
    method: 'POST',
    auth: true,
    handle: (input) => {
      const rec = mustAccount(input);
      const b = parse(CancelOrderBody, input.body);
      const ref = b.order_id !== undefined ? { orderId: b.order_id } : { clOrdId: b.cl_ord_id! };
      const found = ctx.findOrder(rec, ref);
      if (!found) throw notFound('order not found');
      const { orderId, symbol } = found.order;
      const after = () => {
        const r = ctx.engine.cancelOrder(rec.accountId, symbol, { orderId });
        if (input.sessionId !== undefined) {
          const outcome = r.ok ? { code: 0, message: 'success' } : { code: 400, message: r.message || 'cancel rejected' };
          ctx.onOrderOutcome(rec.accountId, input.sessionId, input.requestId, outcome);
        }
      };
      return { ...ack(input.requestId), after };
    },
  });

  route('/api/cancel_orders', {
    method: 'POST',
    auth: true,
    handle: (input) => {
      const rec = mustAccount(input);
      const b = parse(CancelOrdersBody, input.body);
      const refs = [
        ...(b.order_id_list ?? []).map((orderId) => ({ orderId })),
        ...(b.cl_ord_id_list ?? []).map((clOrdId) => ({ clOrdId })),
      ];
      const targets = refs.flatMap((r) => {
        const f = ctx.findOrder(rec, r);
        return f ? [f.order] : [];
      });
      const after = () => {
        for (const o of targets) ctx.engine.cancelOrder(rec.accountId, o.symbol, { orderId: o.orderId });
      };
      // The docs show `[]` as the reply in most copies and `{code:0}` in one: the dialect plays either.
      const body = ctx.dialect.current.cancelOrdersReply === 'empty_array' ? [] : ack(input.requestId).body;
      return { body, after };
    },
  });

  route('/api/change_leverage', {
    method: 'POST',
    auth: true,
    handle: (input) => {
      const rec = mustAccount(input);
      const b = parse(ChangeLeverageBody, input.body);
      const inst = symbolOf(b.symbol);
      const r = ctx.engine.setLeverage(rec.accountId, inst.symbol, b.leverage);
      if (!r.ok) throw badRequest(rejectMessage(r.reason, r.message));
      return ack(input.requestId);
    },
  });

  route('/api/change_margin_mode', {
    method: 'POST',
    auth: true,
    handle: (input) => {
      const rec = mustAccount(input);
      const b = parse(ChangeMarginModeBody, input.body);
      const inst = symbolOf(b.symbol);
      const current = ctx.accounts.marginMode(rec, inst.symbol);
      if (current !== b.margin_mode) {
        // Assumed venue rule: the mode of a symbol with an open position or open orders cannot change.
        const busy =
          ctx.engine.position(rec.accountId, inst.symbol).qty !== '0' ||
          ctx.engine.openOrders(rec.accountId, inst.symbol).length > 0;
        if (busy) throw badRequest('cannot change margin mode with an open position or open orders');
        rec.marginMode.set(inst.symbol, b.margin_mode);
      }
      return ack(input.requestId);
    },
  });

  // ---------------------------------------------------------------- account queries (GET, JWT)

  route('/api/query_order', {
    method: 'GET',
    auth: true,
    handle: (input) => {
      const rec = mustAccount(input);
      const q = parse(QueryOrderQuery, queryObject(input.query));
      const found = ctx.findOrder(rec, q.order_id !== undefined ? { orderId: q.order_id } : { clOrdId: q.cl_ord_id! });
      if (!found) throw notFound('order not found');
      return { body: ctx.wireOrder(rec, found.order, found.remark) };
    },
  });

  route('/api/query_orders', {
    method: 'GET',
    auth: true,
    handle: (input) => {
      const rec = mustAccount(input);
      const q = parse(QueryOrdersQuery, queryObject(input.query));
      const canonical = q.symbol === undefined ? undefined : symbolOf(q.symbol).symbol;
      // Refresh from the engine: an order's latest state is the engine's, the journal may lag a listener.
      const all = ctx.journal.list(rec.accountId).map((e) => {
        const live = e.order.status === 'rejected' ? undefined : ctx.engine.getOrder(rec.accountId, e.order.symbol, { orderId: e.order.orderId });
        return { order: live ?? e.order, remark: e.remark };
      });
      const matching = all
        .filter(({ order }) =>
          (canonical === undefined || order.symbol === canonical) &&
          (q.status === undefined || statusOf(order) === q.status) &&
          (q.order_type === undefined || order.type === q.order_type) &&
          (q.cl_ord_id === undefined || order.clientOrderId === q.cl_ord_id) &&
          (q.start === undefined || order.createdAt >= q.start) &&
          (q.end === undefined || order.createdAt <= q.end) &&
          (q.last_id === undefined || Number(order.orderId) < q.last_id),
        )
        .sort((a, b) => Number(b.order.orderId) - Number(a.order.orderId));
      const page = matching.slice(0, limitOf(q.limit, 100, 500)).map((e) => ctx.wireOrder(rec, e.order, e.remark));
      return { body: { page_size: page.length, result: page, total: matching.length } };
    },
  });

  route('/api/query_open_orders', {
    method: 'GET',
    auth: true,
    handle: (input) => {
      const rec = mustAccount(input);
      const q = parse(OpenOrdersQuery, queryObject(input.query));
      const canonical = q.symbol === undefined ? undefined : symbolOf(q.symbol).symbol;
      const open = ctx.engine
        .openOrders(rec.accountId, canonical)
        .sort((a, b) => Number(b.orderId) - Number(a.orderId));
      const page = open.slice(0, limitOf(q.limit, 500, 1200)).map((o) => ctx.wireOrder(rec, o));
      return { body: { page_size: page.length, result: page, total: open.length } };
    },
  });

  route('/api/query_trades', {
    method: 'GET',
    auth: true,
    handle: (input) => {
      const rec = mustAccount(input);
      const q = parse(TradesQuery, queryObject(input.query));
      const canonical = q.symbol === undefined ? undefined : symbolOf(q.symbol).symbol;
      const fills = ctx.engine
        .fills(rec.accountId, {
          ...(canonical !== undefined ? { symbol: canonical } : {}),
          ...(q.start !== undefined ? { since: q.start } : {}),
          ...(q.end !== undefined ? { until: q.end } : {}),
          limit: 100_000,
        })
        .filter((f) => (q.side === undefined || f.side === q.side) && (q.last_id === undefined || Number(f.fillId) < q.last_id))
        .sort((a, b) => Number(b.fillId) - Number(a.fillId));
      const page = fills.slice(0, limitOf(q.limit, 100, 500)).map((f) => fillToWire(f, ctx.instrument(f.symbol), rec.user));
      return { body: { page_size: page.length, result: page, total: fills.length } };
    },
  });

  route('/api/query_positions', {
    method: 'GET',
    auth: true,
    handle: (input) => {
      const rec = mustAccount(input);
      const q = parse(OptionalSymbolQuery, queryObject(input.query));
      const canonical = q.symbol === undefined ? undefined : symbolOf(q.symbol).symbol;
      const positions = ctx.engine
        .positions(rec.accountId)
        .filter((p) => canonical === undefined || p.symbol === canonical)
        .map((p) => positionToWire(p, ctx.instrument(p.symbol), ctx.view(rec, p.symbol), rec.createdAt));
      return { body: positions };
    },
  });

  route('/api/query_position_config', {
    method: 'GET',
    auth: true,
    handle: (input) => {
      const rec = mustAccount(input);
      const inst = symbolOf(parse(SymbolQuery, queryObject(input.query)).symbol);
      const view = ctx.view(rec, inst.symbol);
      return { body: { symbol: toStandxSymbol(inst.symbol), leverage: view.leverage, margin_mode: view.marginMode } };
    },
  });

  route('/api/query_balance', {
    method: 'GET',
    auth: true,
    handle: (input) => ({ body: balanceToWire(ctx.engine.balance(mustAccount(input).accountId)) }),
  });

  return routes;
}

/** Open interest approximated by the façade's accounts' absolute positions (background flow holds none). */
function openInterest(ctx: FacadeContext, symbol: string): string {
  let total = ZERO;
  for (const rec of ctx.accounts.all()) total = add(total, abs(dec(ctx.engine.position(rec.accountId, symbol).qty)));
  return toText(total);
}

function rejectedOrder(req: SimOrderRequest, now: number): Omit<SimOrder, 'orderId' | 'status'> {
  return {
    clientOrderId: req.clientOrderId ?? '',
    accountId: req.accountId,
    symbol: req.symbol,
    side: req.side,
    type: req.type,
    tif: req.tif,
    price: req.price ?? '0',
    origPrice: req.price ?? '0',
    qty: req.qty,
    filledQty: '0',
    avgFillPrice: '0',
    filledNotional: '0',
    reduceOnly: req.reduceOnly ?? false,
    createdAt: now,
    updatedAt: now,
  };
}

import type { SimOrder } from '../../engine/types.js';
import { OkxError, OkxErrors } from './errors.js';
import type { OkxFacadeContext } from './facade-context.js';
import { toContracts, type OkxInstrument } from './okx-instruments.js';
import type { OkxCredential } from './request-auth.js';
import { amendOrder, cancelOrder, findOrder, placeOrder, type OrderAck } from './trading.js';
import { balanceWire, fillWire, levelsWire, orderWire, positionWire } from './wire.js';

export interface OkxRestRequest {
  method: string;
  path: string;
  rawQuery: string;
  body: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

export interface OkxRestAnswer {
  status: number;
  body: unknown;
}

type Params = Record<string, unknown>;
type Handler = (ctx: OkxFacadeContext, p: Params, cred: OkxCredential | undefined, raw: unknown) => OkxRestAnswer;

const ok = (data: unknown[]): OkxRestAnswer => ({ status: 200, body: { code: '0', msg: '', data } });
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);
const MAX_BATCH = 20;

/** Instrument types a default ccxt client lists on loadMarkets: we serve swaps only, the rest are empty lists. */
const INST_TYPES = new Set(['SPOT', 'MARGIN', 'SWAP', 'FUTURES', 'OPTION', 'ANY']);

function instrumentOf(ctx: OkxFacadeContext, p: Params): OkxInstrument {
  const instId = str(p['instId']);
  if (instId === undefined) throw OkxErrors.empty('instId');
  const inst = ctx.instruments.get(instId);
  if (!inst) throw OkxErrors.unknownInstrument();
  return inst;
}

/** The swaps a request's instType / instId select: none for another instrument type. */
function selected(ctx: OkxFacadeContext, p: Params, needsType: boolean): OkxInstrument[] {
  const instType = str(p['instType']);
  if (instType === undefined && needsType) throw OkxErrors.empty('instType');
  if (instType !== undefined && !INST_TYPES.has(instType)) throw OkxErrors.param('instType');
  if (instType !== undefined && instType !== 'SWAP' && instType !== 'ANY') return [];
  const instId = str(p['instId']);
  if (instId === undefined) return ctx.instruments.all();
  const ids = instId.split(',');
  return ctx.instruments.all().filter((i) => ids.includes(i.instId));
}

function limitOf(p: Params, fallback: number, max: number): number {
  const l = str(p['limit']);
  if (l === undefined) return fallback;
  const n = Number(l);
  if (!Number.isInteger(n) || n < 1) throw OkxErrors.param('limit');
  return Math.min(n, max);
}

function instrumentWire(ctx: OkxFacadeContext, o: OkxInstrument): Record<string, string> {
  const family = `${o.inst.asset}-${ctx.quote}`;
  return {
    instType: 'SWAP',
    instId: o.instId,
    uly: family,
    instFamily: family,
    category: '1',
    baseCcy: '',
    quoteCcy: '',
    settleCcy: ctx.quote,
    ctVal: o.ctVal,
    ctMult: '1',
    ctValCcy: o.inst.asset,
    ctType: 'linear',
    optType: '',
    stk: '',
    listTime: '1600000000000',
    expTime: '',
    lever: String(o.inst.maxLeverage),
    tickSz: o.inst.tickSize,
    lotSz: o.lotSz,
    minSz: o.minSz,
    maxLmtSz: '100000000',
    maxMktSz: '100000000',
    maxLmtAmt: '20000000',
    maxMktAmt: '',
    alias: '',
    state: ctx.engine.isHalted(o.inst.symbol) ? 'suspend' : 'live',
    ruleType: 'normal',
  };
}

function tickerWire(ctx: OkxFacadeContext, o: OkxInstrument): Record<string, string> {
  const book = ctx.engine.book(o.inst.symbol, 1);
  const mark = ctx.engine.mark(o.inst.symbol);
  const s = ctx.stats.get(o.inst.symbol)?.stats(ctx.marketTime(), mark.markPrice);
  const bid = book.bids[0];
  const ask = book.asks[0];
  const last = s?.lastPrice ?? mark.markPrice;
  return {
    instType: 'SWAP',
    instId: o.instId,
    last,
    lastSz: '0',
    askPx: ask ? ask[0] : '',
    askSz: ask ? toContracts(o, ask[1]) : '0',
    bidPx: bid ? bid[0] : '',
    bidSz: bid ? toContracts(o, bid[1]) : '0',
    open24h: s?.prevPrice24h ?? last,
    high24h: s?.highPrice24h ?? last,
    low24h: s?.lowPrice24h ?? last,
    // OKX: vol24h in contracts, volCcy24h in base units for swaps.
    volCcy24h: s?.volume24h ?? '0',
    vol24h: toContracts(o, s?.volume24h ?? '0'),
    sodUtc0: s?.prevPrice24h ?? last,
    sodUtc8: s?.prevPrice24h ?? last,
    ts: String(book.ts),
  };
}

function fundingWire(ctx: OkxFacadeContext, o: OkxInstrument): Record<string, string> {
  const m = ctx.engine.mark(o.inst.symbol);
  return {
    instType: 'SWAP',
    instId: o.instId,
    method: 'current_period',
    formulaType: 'withRate',
    fundingRate: m.fundingRate,
    nextFundingRate: '',
    fundingTime: String(m.nextFundingTime),
    nextFundingTime: String(m.nextFundingTime + m.fundingIntervalMs),
    minFundingRate: '-0.0375',
    maxFundingRate: '0.0375',
    interestRate: '0.0001',
    impactValue: '20000',
    premium: '0',
    sett: '',
    settState: 'settled',
    settFundingRate: m.fundingRate,
    ts: String(m.ts),
  };
}

function orderOut(ctx: OkxFacadeContext, accountId: string, o: SimOrder): Record<string, string> {
  const inst = ctx.instruments.ofSymbol(o.symbol);
  const w = orderWire(o, inst, ctx.quote, { cumFee: ctx.keeper.cumFee(accountId, o.orderId) });
  const source = ctx.keeper.cancelSource(accountId, o.orderId);
  return source !== undefined ? { ...w, cancelSource: source } : w;
}

/** OKX's answer to a place / amend / cancel batch: code 0 when all succeeded, 1 when all failed, 2 when some did. */
function acks(list: OrderAck[]): OkxRestAnswer {
  const failed = list.filter((a) => a.sCode !== '0').length;
  if (failed === 0) return ok(list);
  if (failed === list.length) return { status: 200, body: { code: '1', msg: 'All operations failed', data: list } };
  return { status: 200, body: { code: '2', msg: 'Batch operation partially succeeded', data: list } };
}

function batch(raw: unknown, one: (p: Params) => OrderAck): OkxRestAnswer {
  if (!Array.isArray(raw) || raw.length === 0) throw OkxErrors.param('body');
  if (raw.length > MAX_BATCH) throw new OkxError('51000', `Parameter the number of orders error: at most ${MAX_BATCH}`);
  return acks(raw.map((p) => one(typeof p === 'object' && p !== null ? (p as Params) : {})));
}

const account = (cred: OkxCredential | undefined): string => {
  if (!cred) throw OkxErrors.keyMissing();
  return cred.accountId;
};

const PUBLIC: Record<string, Handler> = {
  'GET /api/v5/public/time': (ctx) => ok([{ ts: String(ctx.serverTime()) }]),
  'GET /api/v5/system/status': () => ok([]),
  'GET /api/v5/public/instruments': (ctx, p) => ok(selected(ctx, p, true).map((o) => instrumentWire(ctx, o))),
  'GET /api/v5/market/ticker': (ctx, p) => ok([tickerWire(ctx, instrumentOf(ctx, p))]),
  'GET /api/v5/market/tickers': (ctx, p) => ok(selected(ctx, p, true).map((o) => tickerWire(ctx, o))),
  'GET /api/v5/market/books': (ctx, p) => {
    const o = instrumentOf(ctx, p);
    const sz = str(p['sz']) === undefined ? 1 : Number(p['sz']);
    if (!Number.isInteger(sz) || sz < 1) throw OkxErrors.param('sz');
    const b = ctx.engine.book(o.inst.symbol, Math.min(sz, 400));
    return ok([{ asks: levelsWire(b.asks, o), bids: levelsWire(b.bids, o), ts: String(b.ts) }]);
  },
  'GET /api/v5/market/trades': (ctx, p) => {
    const o = instrumentOf(ctx, p);
    const trades = ctx.engine.recentTrades(o.inst.symbol, limitOf(p, 100, 500));
    return ok(trades.reverse().map((t) => ({ instId: o.instId, tradeId: t.tradeId, px: t.price, sz: toContracts(o, t.qty), side: t.side, source: '0', ts: String(t.ts) })));
  },
  // instType is required by OKX's docs, yet ccxt's fetchMarkPrice names the instrument alone: both are answered.
  'GET /api/v5/public/mark-price': (ctx, p) =>
    ok(
      selected(ctx, p, str(p['instId']) === undefined).map((o) => {
        const m = ctx.engine.mark(o.inst.symbol);
        return { instType: 'SWAP', instId: o.instId, markPx: m.markPrice, ts: String(m.ts) };
      }),
    ),
  'GET /api/v5/public/funding-rate': (ctx, p) => ok([fundingWire(ctx, instrumentOf(ctx, p))]),
  'GET /api/v5/market/index-tickers': (ctx, p) =>
    ok(
      ctx.instruments
        .all()
        .filter((o) => str(p['instId']) === undefined || `${o.inst.asset}-${ctx.quote}` === str(p['instId']))
        .map((o) => {
          const m = ctx.engine.mark(o.inst.symbol);
          return { instId: `${o.inst.asset}-${ctx.quote}`, idxPx: m.indexPrice, high24h: m.indexPrice, low24h: m.indexPrice, open24h: m.indexPrice, sodUtc0: m.indexPrice, sodUtc8: m.indexPrice, ts: String(m.ts) };
        }),
    ),
};

const PRIVATE: Record<string, Handler> = {
  // A default ccxt client asks for currencies on loadMarkets when it has keys: no funding account here.
  'GET /api/v5/asset/currencies': () => ok([]),
  'GET /api/v5/asset/balances': () => ok([]),
  'GET /api/v5/account/config': (ctx, _p, cred) =>
    ok([{ uid: account(cred), mainUid: account(cred), acctLv: '2', posMode: 'net_mode', autoLoan: false, greeksType: 'PA', level: 'Lv1', levelTmp: '', ctIsoMode: 'automatic', mgnIsoMode: 'automatic', label: 'perpetua-sim', roleType: '0', perm: 'read_only,trade', ip: '', spotOffsetType: '', opAuth: '0', kycLv: '0' }]),
  'GET /api/v5/account/balance': (ctx, _p, cred) => ok([balanceWire(ctx.engine.balance(account(cred)))]),
  'GET /api/v5/account/positions': (ctx, p, cred) => {
    const ids = new Set(selected(ctx, p, false).map((o) => o.inst.symbol));
    const list = ctx.engine.positions(account(cred)).filter((pos) => pos.qty !== '0' && ids.has(pos.symbol));
    return ok(list.map((pos) => positionWire(pos, ctx.instruments.ofSymbol(pos.symbol), ctx.quote)));
  },
  'POST /api/v5/account/set-leverage': (ctx, p, cred) => {
    const o = instrumentOf(ctx, p);
    const lever = Number(str(p['lever']));
    const r = ctx.engine.setLeverage(account(cred), o.inst.symbol, lever);
    if (!r.ok) throw OkxErrors.param('lever');
    return ok([{ instId: o.instId, lever: String(r.leverage), mgnMode: str(p['mgnMode']) ?? 'cross', posSide: 'net' }]);
  },
  'POST /api/v5/trade/order': (ctx, p, cred) => acks([placeOrder(ctx, account(cred), p)]),
  'POST /api/v5/trade/batch-orders': (ctx, _p, cred, raw) => batch(raw, (p) => placeOrder(ctx, account(cred), p)),
  'POST /api/v5/trade/cancel-order': (ctx, p, cred) => acks([cancelOrder(ctx, account(cred), p)]),
  'POST /api/v5/trade/cancel-batch-orders': (ctx, _p, cred, raw) => batch(raw, (p) => cancelOrder(ctx, account(cred), p)),
  'POST /api/v5/trade/amend-order': (ctx, p, cred) => acks([amendOrder(ctx, account(cred), p)]),
  'POST /api/v5/trade/amend-batch-orders': (ctx, _p, cred, raw) => batch(raw, (p) => amendOrder(ctx, account(cred), p)),
  'GET /api/v5/trade/order': (ctx, p, cred) => {
    const o = findOrder(ctx, account(cred), instrumentOf(ctx, p), p);
    if (!o) return { status: 200, body: { code: '51603', msg: 'Order does not exist', data: [] } };
    return ok([orderOut(ctx, account(cred), o)]);
  },
  'GET /api/v5/trade/orders-pending': (ctx, p, cred) => {
    const ids = new Set(selected(ctx, p, false).map((o) => o.inst.symbol));
    const open = ctx.engine.openOrders(account(cred)).filter((o) => ids.has(o.symbol));
    open.sort((a, b) => b.createdAt - a.createdAt || Number(b.orderId) - Number(a.orderId));
    return ok(open.slice(0, limitOf(p, 100, 100)).map((o) => orderOut(ctx, account(cred), o)));
  },
  'GET /api/v5/trade/orders-history': (ctx, p, cred) => {
    const ids = new Set(selected(ctx, p, true).map((o) => o.inst.symbol));
    const closed = ctx.keeper.closed(account(cred)).filter((o) => ids.has(o.symbol));
    return ok(closed.slice(0, limitOf(p, 100, 100)).map((o) => orderOut(ctx, account(cred), o)));
  },
  'GET /api/v5/trade/fills': (ctx, p, cred) => fills(ctx, p, cred, false),
  'GET /api/v5/trade/fills-history': (ctx, p, cred) => fills(ctx, p, cred, true),
};
PRIVATE['GET /api/v5/trade/orders-history-archive'] = PRIVATE['GET /api/v5/trade/orders-history']!;

/** The account's fills, newest first, at most `limit` (100), within begin..end (ms, inclusive). */
function fills(ctx: OkxFacadeContext, p: Params, cred: OkxCredential | undefined, needsType: boolean): OkxRestAnswer {
  const insts = selected(ctx, p, needsType);
  const begin = str(p['begin']);
  const end = str(p['end']);
  const limit = limitOf(p, 100, 100);
  const out = insts.flatMap((o) =>
    ctx.engine
      .fills(account(cred), { symbol: o.inst.symbol, ...(begin !== undefined ? { since: Number(begin) } : {}), ...(end !== undefined ? { until: Number(end) } : {}), limit })
      .map((f) => ({ f, o })),
  );
  out.sort((a, b) => b.f.ts - a.f.ts || Number(b.f.fillId) - Number(a.f.fillId));
  return ok(out.slice(0, limit).map(({ f, o }) => fillWire(f, o)));
}

/** Query parameters (GET) or the JSON body (POST: an object, or an array for batch endpoints). */
function parse(req: OkxRestRequest): { params: Params; raw: unknown } {
  if (req.method === 'GET') return { params: Object.fromEntries(new URLSearchParams(req.rawQuery)), raw: undefined };
  if (req.body.trim() === '') return { params: {}, raw: {} };
  let raw: unknown;
  try {
    raw = JSON.parse(req.body);
  } catch {
    throw new OkxError('50002', 'Json data format error.', 400);
  }
  return { params: typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Params) : {}, raw };
}

export function routeRest(ctx: OkxFacadeContext, req: OkxRestRequest, onInternalError?: (err: unknown) => void): OkxRestAnswer {
  const key = `${req.method} ${req.path}`;
  try {
    const pub = PUBLIC[key];
    const priv = PRIVATE[key];
    if (!pub && !priv) throw OkxErrors.notFound();
    const { params, raw } = parse(req);
    if (pub) return pub(ctx, params, undefined, raw);
    const requestPath = req.rawQuery === '' ? req.path : `${req.path}?${req.rawQuery}`;
    const cred = ctx.keys.verifyRest(req.headers, req.method, requestPath, req.method === 'GET' ? '' : req.body, ctx.serverTime());
    return priv!(ctx, params, cred, raw);
  } catch (err) {
    if (err instanceof OkxError) return { status: err.status, body: { code: err.code, msg: err.message, data: [] } };
    onInternalError?.(err);
    const e = OkxErrors.system();
    return { status: e.status, body: { code: e.code, msg: e.message, data: [] } };
  }
}


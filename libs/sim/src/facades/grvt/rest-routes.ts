/**
 * The `full/v1/<method>` table of each GRVT host: request schema, whether a session is required, and the handler
 * producing the response body. Shared by the HTTP routes and the JSON-RPC `v1/<method>` calls on `/ws/full`.
 */
import type { z } from 'zod';
import { GrvtApiError } from './errors.js';
import type { GrvtDialectCell } from './grvt-dialect.js';
import type { GrvtMarketDataService } from './market-data-service.js';
import type { GrvtSession } from './sessions.js';
import type { GrvtTradingService } from './trading-service.js';
import {
  AllInstrumentsRequest,
  BookRequest,
  CancelOnDisconnectRequest,
  CreateOrderRequest,
  describeIssue,
  FillHistoryRequest,
  FilteredSubAccountRequest,
  FundingPaymentHistoryRequest,
  FundingRequest,
  InstrumentRequest,
  OrderRefRequest,
  SubAccountRequest,
  TradeRequest,
} from './wire-schemas.js';

export interface GrvtRoute {
  auth: boolean;
  run(body: unknown, session: GrvtSession | undefined): unknown | Promise<unknown>;
}

export type GrvtRouteTable = ReadonlyMap<string, GrvtRoute>;

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new GrvtApiError('MALFORMED', describeIssue(parsed.error));
  return parsed.data;
}

const publicRoute = <T extends z.ZodType>(schema: T, run: (req: z.infer<T>) => unknown): GrvtRoute => ({
  auth: false,
  run: (body) => run(parse(schema, body)),
});

const privateRoute = <T extends z.ZodType>(
  schema: T,
  run: (session: GrvtSession, req: z.infer<T>) => unknown | Promise<unknown>,
): GrvtRoute => ({
  auth: true,
  run: (body, session) => {
    if (!session) throw new GrvtApiError('UNAUTHENTICATED');
    return run(session, parse(schema, body));
  },
});

export function marketDataRoutes(md: GrvtMarketDataService, now: () => number): GrvtRouteTable {
  const mini = publicRoute(InstrumentRequest, (r) => ({ result: md.miniTicker(md.resolve(r.instrument), now()) }));
  return new Map<string, GrvtRoute>([
    ['instrument', publicRoute(InstrumentRequest, (r) => ({ result: md.instrument(r) }))],
    ['all_instruments', publicRoute(AllInstrumentsRequest, () => ({ result: md.allInstruments() }))],
    ['instruments', publicRoute(AllInstrumentsRequest, () => ({ result: md.allInstruments() }))],
    ['book', publicRoute(BookRequest, (r) => ({ result: md.book(r) }))],
    ['ticker', publicRoute(InstrumentRequest, (r) => ({ result: md.ticker(md.resolve(r.instrument), now()) }))],
    // The docs' endpoint is `mini`; `mini_ticker` (the SDK's method name) is served as an alias.
    ['mini', mini],
    ['mini_ticker', mini],
    ['trade', publicRoute(TradeRequest, (r) => ({ result: md.trades(r) }))],
    ['funding', publicRoute(FundingRequest, (r) => md.funding(r))],
  ]);
}

export function tradingRoutes(
  trading: GrvtTradingService,
  cancelOnDisconnect: (session: GrvtSession, req: z.infer<typeof CancelOnDisconnectRequest>) => void,
  dialect: GrvtDialectCell,
): GrvtRouteTable {
  // Dialect `ack`: the schema's boolean, or the string its example shows.
  const ack = (a: { ack: boolean }): { ack: boolean | string } => (dialect.value.ack === 'string' ? { ack: String(a.ack) } : a);
  return new Map<string, GrvtRoute>([
    ['create_order', privateRoute(CreateOrderRequest, async (s, r) => ({ result: await trading.createOrder(s, r) }))],
    ['cancel_order', privateRoute(OrderRefRequest, (s, r) => ({ result: ack(trading.cancelOrder(s, r)) }))],
    ['cancel_all_orders', privateRoute(FilteredSubAccountRequest, (s, r) => ({ result: ack(trading.cancelAllOrders(s, r)) }))],
    ['open_orders', privateRoute(FilteredSubAccountRequest, (s, r) => ({ result: trading.openOrders(s, r) }))],
    ['order', privateRoute(OrderRefRequest, (s, r) => ({ result: trading.getOrder(s, r) }))],
    ['positions', privateRoute(FilteredSubAccountRequest, (s, r) => ({ result: trading.positions(s, r) }))],
    ['account_summary', privateRoute(SubAccountRequest, (s, r) => ({ result: trading.accountSummary(s, r) }))],
    ['fill_history', privateRoute(FillHistoryRequest, (s, r) => trading.fillHistory(s, r))],
    ['funding_payment_history', privateRoute(FundingPaymentHistoryRequest, (s, r) => trading.fundingPaymentHistory(s, r))],
    [
      'cancel_on_disconnect',
      privateRoute(CancelOnDisconnectRequest, (s, r) => {
        cancelOnDisconnect(s, r);
        return { result: ack({ ack: true }) };
      }),
    ],
  ]);
}

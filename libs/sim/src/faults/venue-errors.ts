/**
 * Each venue's own error bodies, so a client sees exactly what the real venue would send for a rate limit, a server
 * error or a refused order (and a venue client library maps it to the same exception).
 */
export type VenueProtocol = 'binance' | 'bybit' | 'okx' | 'standx' | 'grvt';

export interface VenueErrorReply {
  status: number;
  body: unknown;
}

export function errorReply(protocol: VenueProtocol, status: number): VenueErrorReply {
  const limited = status === 429;
  switch (protocol) {
    case 'binance':
      return {
        status,
        body: limited
          ? { code: -1003, msg: 'Too many requests; please use the websocket for live updates.' }
          : { code: -1001, msg: 'Internal error; unable to process your request. Please try again.' },
      };
    case 'bybit':
      return {
        status,
        body: limited
          ? { retCode: 10006, retMsg: 'Too many visits!', result: {}, retExtInfo: {}, time: Date.now() }
          : { retCode: 10016, retMsg: 'Internal server error.', result: {}, retExtInfo: {}, time: Date.now() },
      };
    case 'okx':
      // OKX: 50011 "Too Many Requests" (HTTP 429); 50026 "System error" (HTTP 500).
      return { status, body: limited ? { code: '50011', msg: 'Too Many Requests', data: [] } : { code: '50026', msg: 'System error. Try again later.', data: [] } };
    case 'standx':
      return { status, body: { code: status, message: limited ? 'too many requests' : 'internal server error' } };
    case 'grvt':
      return {
        status,
        body: limited
          ? { code: 1006, message: 'You have exceeded the rate limit, please reduce your request frequency', status }
          : { code: 1002, message: 'Internal Server Error', status },
      };
  }
}

export function rejectReply(protocol: VenueProtocol, message: string | undefined): VenueErrorReply {
  switch (protocol) {
    case 'binance':
      // -2010 NEW_ORDER_REJECTED, Binance's generic refusal of a new order.
      return { status: 400, body: { code: -2010, msg: message ?? 'Order was rejected.' } };
    case 'bybit':
      // Bybit answers business errors with HTTP 200 and a non-zero retCode.
      return { status: 200, body: { retCode: 110007, retMsg: message ?? 'Order rejected.', result: {}, retExtInfo: {}, time: Date.now() } };
    case 'okx':
      // HTTP 200, code "1", and the order's own sCode (51008: insufficient margin, OKX's common refusal).
      return { status: 200, body: { code: '1', msg: 'All operations failed', data: [{ ordId: '', clOrdId: '', tag: '', sCode: '51008', sMsg: message ?? 'Order failed. Insufficient USDT margin in account' }] } };
    case 'standx':
      return { status: 400, body: { code: 400, message: message ?? 'order rejected' } };
    case 'grvt':
      return { status: 400, body: { code: 2080, message: message ?? 'Insufficient margin to create order', status: 400 } };
  }
}

/** Whether a request places an order on this venue (what reject_orders refuses). */
export function isOrderPlacement(protocol: VenueProtocol, method: string, path: string): boolean {
  if (method !== 'POST') return false;
  switch (protocol) {
    case 'binance':
      return path === '/fapi/v1/order' || path === '/fapi/v1/batchOrders';
    case 'bybit':
      return path === '/v5/order/create' || path === '/v5/order/create-batch';
    case 'okx':
      return path === '/api/v5/trade/order' || path === '/api/v5/trade/batch-orders';
    case 'standx':
      return path === '/api/new_order';
    case 'grvt':
      return path.endsWith('/create_order');
  }
}

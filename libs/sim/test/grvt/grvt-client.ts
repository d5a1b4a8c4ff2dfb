/** A minimal GRVT client for the façade tests: login, `full/v1` POSTs, JSON-RPC WebSockets, order signing. */
import { randomInt } from 'node:crypto';
import { WebSocket } from 'ws';
import { signOrder, type GrvtOrderToSign } from '@perpetua/venues';
import type { GrvtFacade } from '../../src/facades/grvt/index.js';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function waitFor(cond: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

export interface Session {
  cookie: string;
  accountId: string;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

/** A JSON object answer, typed loosely for assertions. */
export type Json = Record<string, unknown>;

export async function post(url: string, body: unknown, session?: Session, raw?: string): Promise<HttpAnswer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (session) {
    headers.cookie = session.cookie;
    headers['x-grvt-account-id'] = session.accountId;
  }
  const res = await fetch(url, { method: 'POST', headers, body: raw ?? JSON.stringify(body) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Left as text.
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

export async function login(facade: GrvtFacade, apiKey = facade.credentials.apiKey): Promise<Session> {
  const res = await post(`${facade.edgeUrl}/auth/api_key/login`, { api_key: apiKey });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  const cookie = /gravity=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0];
  const accountId = res.headers.get('x-grvt-account-id');
  if (!cookie || !accountId) throw new Error('login answered without cookie or account header');
  return { cookie, accountId };
}

/** A JSON-RPC WebSocket client that records every message. */
export class RpcClient {
  readonly messages: Json[] = [];
  private nextId = 1;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      try {
        this.messages.push(JSON.parse(String(data)) as Json);
      } catch {
        this.messages.push({ unparsable: String(data) });
      }
    });
  }

  static async connect(url: string, session?: Session): Promise<RpcClient> {
    const headers: Record<string, string> = {};
    if (session) {
      headers.cookie = session.cookie;
      headers['x-grvt-account-id'] = session.accountId;
    }
    const ws = new WebSocket(url, { headers });
    const client = new RpcClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
    return client;
  }

  /** Sends a request and waits for the answer carrying its id. */
  async call(method: string, params: unknown): Promise<Json> {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ jsonrpc: '2.0', method, params, id }));
    let answer: Json | undefined;
    await waitFor(() => (answer = this.messages.find((m) => m.id === id)) !== undefined, 5_000, `answer to ${method}`);
    return answer!;
  }

  feeds(stream: string, selector?: string): Json[] {
    return this.messages.filter((m) => m.stream === stream && (selector === undefined || m.selector === selector));
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.terminate();
    });
  }
}

export const instrumentLookup = new Map([
  ['BTC_USDT_Perp', { instrument: 'BTC_USDT_Perp', instrumentHash: '0x030501', baseDecimals: 9 }],
  ['ETH_USDT_Perp', { instrument: 'ETH_USDT_Perp', instrumentHash: '0x030401', baseDecimals: 9 }],
]);

export interface OrderSpec {
  size: string;
  price: string | null;
  buy: boolean;
  instrument?: string;
  postOnly?: boolean;
  timeInForce?: GrvtOrderToSign['timeInForce'];
  isMarket?: boolean;
  clientOrderId?: string;
}

/** A `create_order` body signed with the project's GRVT signer (libs/venues). */
export async function signedOrder(facade: GrvtFacade, spec: OrderSpec, key = facade.credentials): Promise<Json> {
  const toSign: GrvtOrderToSign = {
    subAccountId: key.subAccountId,
    isMarket: spec.isMarket ?? false,
    timeInForce: spec.timeInForce ?? 'GOOD_TILL_TIME',
    postOnly: spec.postOnly ?? false,
    reduceOnly: false,
    legs: [{ instrument: spec.instrument ?? 'BTC_USDT_Perp', size: spec.size, limitPrice: spec.price, isBuyingAsset: spec.buy }],
    nonce: randomInt(0, 2 ** 32 - 1),
    expiration: ((BigInt(Date.now()) + 3_600_000n) * 1_000_000n).toString(),
  };
  const signature = await signOrder(toSign, key.signerPrivateKey, instrumentLookup, facade.chainId);
  return {
    order: {
      sub_account_id: toSign.subAccountId,
      is_market: toSign.isMarket,
      time_in_force: toSign.timeInForce,
      post_only: toSign.postOnly,
      reduce_only: false,
      legs: [
        {
          instrument: spec.instrument ?? 'BTC_USDT_Perp',
          size: spec.size,
          limit_price: spec.price ?? '',
          is_buying_asset: spec.buy,
        },
      ],
      signature,
      metadata: { client_order_id: spec.clientOrderId ?? apiClientOrderId(randomInt(1, 2 ** 47)) },
    },
  };
}

export const asJson = (v: unknown): Json => (typeof v === 'object' && v !== null ? (v as Json) : {});

/** A client order id in the API clients' range [2^63, 2^64) (GRVT's UI draws from below it): 2^63 + n. */
export const apiClientOrderId = (n: number | bigint): string => String((1n << 63n) + BigInt(n));

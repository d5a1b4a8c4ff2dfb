/**
 * A SimWorld with only the StandX venue, the real façade on loopback, and a REST
 * client that signs POSTs with the project's own StandX signer (libs/venues) exactly
 * as the live adapter will. The world is never started: tests step it by hand, so the
 * book only changes when a test says so.
 */
import { randomUUID } from 'node:crypto';
import { parseStandxPrivateKey, signStandxRequest, type StandxSignatureHeaders } from '@perpetua/venues';
import { createSimWorld, type SimWorldImpl } from '../../src/world.js';
import type { VenueEngine } from '../../src/engine/types.js';
import { startStandxFacade, type StandxCredentials, type StandxFacade, type StartStandxFacadeOptions } from '../../src/facades/standx/index.js';

export const DEMO = 'standx-demo';
export const SECOND = 'standx-second';

export interface HarnessOptions {
  seed?: number;
  /** Background liquidity and flow (default true). */
  background?: boolean;
  facade?: Omit<StartStandxFacadeOptions, 'world' | 'accounts'>;
}

export interface HttpReply {
  status: number;
  /** Parsed JSON, or the raw text when the body is not JSON. */
  body: unknown;
}

export interface SignedReply extends HttpReply {
  /** The headers the request was signed with (to replay them). */
  signed: StandxSignatureHeaders;
}

export interface SignOptions {
  /** Account whose token and key are used (default the demo account). */
  as?: StandxCredentials;
  /** Token override (e.g. an expired one). */
  token?: string;
  /** Sign with this key instead of the account's own (a wrong signature). */
  privateKey?: string;
  requestId?: string;
  timestamp?: number;
}

export interface Harness {
  world: SimWorldImpl;
  engine: VenueEngine;
  facade: StandxFacade;
  demo: StandxCredentials;
  second: StandxCredentials;
  get(path: string, token?: string): Promise<HttpReply>;
  /** POST a body (object → JSON, string → sent verbatim), signed with the real StandX signer. */
  signedPost(path: string, body: unknown, opts?: SignOptions): Promise<SignedReply>;
  /** POST with exactly these headers (for replays and header-level faults). */
  rawPost(path: string, rawBody: string, headers: Record<string, string>): Promise<HttpReply>;
  close(): Promise<void>;
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const world = createSimWorld({ seed: opts.seed ?? 1, venues: ['standx'], background: opts.background ?? true });
  const facade = await startStandxFacade({
    world,
    accounts: [{ accountId: DEMO }, { accountId: SECOND }],
    ...opts.facade,
  });
  const demo = facade.credentials;
  const second = facade.accountCredentials(SECOND);

  const rawPost = async (path: string, rawBody: string, headers: Record<string, string>): Promise<HttpReply> =>
    reply(await fetch(facade.restUrl + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: rawBody }));

  return {
    world,
    engine: world.venue('standx'),
    facade,
    demo,
    second,
    get: async (path, token) =>
      reply(await fetch(facade.restUrl + path, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } })),
    signedPost: async (path, body, o = {}) => {
      const account = o.as ?? demo;
      const raw = typeof body === 'string' ? body : JSON.stringify(body);
      const signed = signStandxRequest({
        key: parseStandxPrivateKey(o.privateKey ?? account.privateKey),
        requestId: o.requestId ?? randomUUID(),
        timestamp: o.timestamp ?? Date.now(),
        body: raw,
      });
      const r = await rawPost(path, raw, { authorization: `Bearer ${o.token ?? account.token}`, ...signed });
      return { ...r, signed };
    },
    rawPost,
    close: () => facade.close(),
  };
}

async function reply(res: Response): Promise<HttpReply> {
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as unknown };
  } catch {
    return { status: res.status, body: text };
  }
}

/** A limit order body in StandX's shape with short defaults. */
export function limitOrder(side: 'buy' | 'sell', price: string, qty: string, extra: Record<string, unknown> = {}) {
  return { symbol: 'BTC-USD', side, order_type: 'limit', qty, price, time_in_force: 'gtc', reduce_only: false, ...extra };
}

export function marketOrder(side: 'buy' | 'sell', qty: string, extra: Record<string, unknown> = {}) {
  return { symbol: 'BTC-USD', side, order_type: 'market', qty, time_in_force: 'ioc', reduce_only: false, ...extra };
}

/**
 * The StandX façade: one HTTP server on loopback serving StandX's REST API under /api
 * and its market stream on /ws-stream/v1, backed by one venue of a SimWorld.
 * See PROTOCOL.md beside this file for what is implemented and what is assumed.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SimEvent, SimWorld } from '../../engine/types.js';
import { AccountRegistry, type AccountRecord, type StandxFacadeAccount } from './accounts.js';
import { ReplayGuard } from './body-signature.js';
import { FacadeContext } from './facade-context.js';
import { DEFAULT_TOKEN_TTL_SEC, TokenAuthority } from './jwt.js';
import { MarketStats } from './market-stats.js';
import { MARKET_STREAM_PATH, MarketStream } from './market-stream.js';
import { OrderJournal } from './order-journal.js';
import { createRestRoutes } from './rest-api.js';
import { createRestListener } from './rest-server.js';
import { ORDER_STREAM_PATH, OrderResponseStream } from './order-response-stream.js';
import { StandxDialectHolder, type StandxDialect, type StandxDialectInput } from './standx-dialect.js';
import { StreamUpgrades } from './stream-upgrades.js';
import { TrafficGate, type StandxTrafficHooks } from './traffic-gate.js';
import { STANDX_LIMITS, StandxVenueLimits, type IpConnectionStats, type StandxLimitSettings } from './venue-limits.js';
import { balanceToStreamWire, fillToStreamWire, positionToWire } from './wire-format.js';

export type { StandxFacadeAccount } from './accounts.js';

export interface StartStandxFacadeOptions {
  world: SimWorld;
  /** Engine venue name. Default 'standx'. */
  venue?: string;
  host?: string;
  /** 0 = any free port. */
  port?: number;
  /** Accounts served; the first is the one `credentials` describes. Default: one account 'standx-demo'. */
  accounts?: StandxFacadeAccount[];
  /** Server ping period (StandX: 10 s). */
  pingIntervalMs?: number;
  /** Drop a client whose last pong is older than this (StandX: 5 min). */
  pongTimeoutMs?: number;
  /** Allowed |now - x-request-timestamp| for signed requests. Default 30 s. */
  signatureWindowMs?: number;
  /** Lifetime of issued tokens. Default 7 days (StandX's default). */
  tokenTtlSec?: number;
  /** depth_book / query_depth_book levels per side. Default 50. */
  depthLevels?: number;
  /** Wall clock for tokens and signature windows; injectable for tests. Default Date.now. */
  now?: () => number;
  /** Which reading of StandX's docs to play (standx-dialect.ts); default: the documented one. */
  dialect?: StandxDialectInput;
  /** StandX's published rate and connection limits (venue-limits.ts); override for tests. */
  limits?: Partial<StandxLimitSettings>;
}

export interface StandxCredentials {
  accountId: string;
  /** JWT for `Authorization: Bearer` and the WS `auth` message. */
  token: string;
  /** ed25519 secret (32-byte seed), base58: what StandX hands out with an API token. */
  privateKey: string;
  /** ed25519 public key, base58. */
  publicKey: string;
  /** StandX `user` of the account. */
  address: string;
}

export interface StandxFacade {
  /** e.g. http://127.0.0.1:PORT (paths under /api). */
  restUrl: string;
  /** e.g. ws://127.0.0.1:PORT/ws-stream/v1 */
  wsUrl: string;
  /** e.g. ws://127.0.0.1:PORT/ws-api/v1 (order-response stream) */
  orderWsUrl: string;
  credentials: StandxCredentials;
  /** Credentials of every configured account, by account id. */
  accountCredentials(accountId: string): StandxCredentials;
  /** A token for an account with a chosen lifetime (negative = already expired), for tests. */
  issueToken(accountId: string, ttlSec?: number): string;
  /** Fault-injection seam: every REST request and WS message passes these hooks. */
  setTrafficHooks(hooks: StandxTrafficHooks): void;
  /** Open market-stream connections. */
  readonly wsClientCount: number;
  /** Open order-response-stream connections. */
  readonly orderWsClientCount: number;
  /** The dialect played now. */
  readonly dialect: StandxDialect;
  /** Switches the dialect (fields not given take their defaults); throws a ZodError on a bad value. */
  setDialect(input: unknown): StandxDialect;
  /** WebSocket connections per client IP: open now, peaks, opened since start, refused. */
  connectionStats(): Record<string, IpConnectionStats>;
  close(): Promise<void>;
}

const DEFAULT_ACCOUNT: StandxFacadeAccount = { accountId: 'standx-demo' };

export async function startStandxFacade(opts: StartStandxFacadeOptions): Promise<StandxFacade> {
  const {
    world,
    venue = 'standx',
    host = '127.0.0.1',
    port = 0,
    accounts: accountSpecs = [DEFAULT_ACCOUNT],
    pingIntervalMs = 10_000,
    pongTimeoutMs = 5 * 60_000,
    signatureWindowMs = 30_000,
    tokenTtlSec = DEFAULT_TOKEN_TTL_SEC,
    depthLevels = 50,
    now = Date.now,
  } = opts;
  if (accountSpecs.length === 0) throw new Error('StandX façade: at least one account is required');

  const engine = world.venue(venue);
  const registry = new AccountRegistry();
  for (const spec of accountSpecs) {
    if (!engine.hasAccount(spec.accountId)) {
      const created = engine.createAccount(spec.accountId, spec.initialBalance ?? '100000');
      if (!created.ok) throw new Error(`StandX façade: cannot create account ${spec.accountId}: ${created.message}`);
    }
    registry.add(spec, world.now());
  }

  const tokens = new TokenAuthority();
  const dialect = new StandxDialectHolder(opts.dialect);
  const limits = new StandxVenueLimits({ ...STANDX_LIMITS, ...opts.limits }, now);
  const ctx = new FacadeContext({
    engine,
    accounts: registry,
    journal: new OrderJournal(),
    stats: new MarketStats(),
    tokens,
    wallNow: now,
    worldNow: () => world.now(),
    depthLevels,
    dialect,
  });
  const gate = new TrafficGate();
  const stream = new MarketStream(ctx, gate, { pingIntervalMs, pongTimeoutMs });
  const replay = new ReplayGuard(signatureWindowMs);
  const routes = createRestRoutes(ctx);
  const orderStream = new OrderResponseStream({ ctx, gate, routes, signatureWindowMs, replay });
  ctx.onOrderOutcome = (accountId, sessionId, requestId, outcome) => orderStream.deliver(accountId, sessionId, requestId, outcome);

  ctx.onFacadeOrder = (order, remark) => {
    const rec = registry.get(order.accountId);
    if (rec) stream.publishPrivate(rec.accountId, 'order', ctx.wireOrder(rec, order, remark));
  };

  const onEvent = (ev: SimEvent): void => {
    switch (ev.type) {
      case 'book':
        stream.bookChanged(ev.symbol);
        return;
      case 'trade':
        ctx.stats.onTrade(ev);
        stream.publishPublicTrade(ev);
        return;
      case 'mark':
        stream.publishPrice(ev);
        return;
      case 'order': {
        ctx.journal.record(ev.order);
        const rec = registry.get(ev.accountId);
        if (rec) stream.publishPrivate(rec.accountId, 'order', ctx.wireOrder(rec, ev.order));
        return;
      }
      case 'fill': {
        const rec = registry.get(ev.accountId);
        if (rec) {
          const withIds = dialect.current.tradeIds === 'present';
          stream.publishPrivate(rec.accountId, 'trade', fillToStreamWire(ev.fill, ctx.instrument(ev.fill.symbol), rec.user, withIds));
        }
        return;
      }
      case 'position': {
        const rec = registry.get(ev.accountId);
        if (rec) {
          const p = ev.position;
          stream.publishPrivate(rec.accountId, 'position', positionToWire(p, ctx.instrument(p.symbol), ctx.view(rec, p.symbol), rec.createdAt));
        }
        return;
      }
      case 'balance': {
        const rec = registry.get(ev.accountId);
        if (rec) stream.publishPrivate(rec.accountId, 'balance', balanceToStreamWire(ev.balance, rec.user, rec.createdAt));
        return;
      }
      default:
        return;
    }
  };
  const unsubscribe = engine.subscribe((ev) => {
    try {
      onEvent(ev);
    } catch {
      // A formatting bug must not break the engine's synchronous call chain.
    }
  });

  const server: Server = createServer(
    createRestListener({ ctx, routes, gate, signatureWindowMs, replay, limits }),
  );
  server.keepAliveTimeout = 1000;
  const upgrades = new StreamUpgrades(
    limits,
    new Map([
      [MARKET_STREAM_PATH, (ws, release) => stream.accept(ws, release)],
      [ORDER_STREAM_PATH, (ws, release) => orderStream.accept(ws, release)],
    ]),
  );
  upgrades.attach(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  const credentialsOf = (rec: AccountRecord, ttl = tokenTtlSec): StandxCredentials => ({
    accountId: rec.accountId,
    token: tokens.issue(rec.accountId, rec.user, now(), ttl),
    privateKey: rec.privateKeyBase58,
    publicKey: rec.publicKeyBase58,
    address: rec.user,
  });
  const recordOf = (accountId: string): AccountRecord => {
    const rec = registry.get(accountId);
    if (!rec) throw new Error(`StandX façade: no account ${accountId}`);
    return rec;
  };

  let closed = false;
  return {
    restUrl: `http://${hostPart}:${address.port}`,
    wsUrl: `ws://${hostPart}:${address.port}${MARKET_STREAM_PATH}`,
    orderWsUrl: `ws://${hostPart}:${address.port}${ORDER_STREAM_PATH}`,
    credentials: credentialsOf(registry.all()[0]!),
    accountCredentials: (accountId) => credentialsOf(recordOf(accountId)),
    issueToken: (accountId, ttlSec = tokenTtlSec) => tokens.issue(accountId, recordOf(accountId).user, now(), ttlSec),
    setTrafficHooks: (hooks) => gate.setHooks(hooks),
    get wsClientCount() {
      return stream.clientCount;
    },
    get orderWsClientCount() {
      return orderStream.clientCount;
    },
    get dialect() {
      return dialect.current;
    },
    setDialect: (input) => dialect.set(input),
    connectionStats: () => limits.connectionStats(),
    close: async () => {
      if (closed) return;
      closed = true;
      unsubscribe();
      stream.close();
      orderStream.close();
      upgrades.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

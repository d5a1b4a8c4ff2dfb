/**
 * The GRVT façade: three loopback HTTP servers standing in for GRVT's hosts — edge (API-key login), market-data
 * (public REST + public feeds) and trades (private REST + private feeds) — each with `POST /full/v1/<method>` and a
 * JSON-RPC WebSocket at `/ws/full`, backed by one venue of a SimWorld. See PROTOCOL.md beside this file.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SimEvent, SimWorld } from '../../engine/types.js';
import { CancelOnDisconnect } from './cancel-on-disconnect.js';
import { FeedHub } from './feed-hub.js';
import { GrvtDialectCell, type GrvtDialect, type GrvtDialectInput } from './grvt-dialect.js';
import { GrvtInstruments } from './instruments.js';
import { loginRoute, LOGIN_PATH } from './login.js';
import { GrvtMarketDataService } from './market-data-service.js';
import { GrvtMarketFeeds } from './market-feeds.js';
import { OrderMetaStore } from './order-meta-store.js';
import { GrvtPrivateFeeds } from './private-feeds.js';
import { marketDataRoutes, tradingRoutes, type GrvtRouteTable } from './rest-routes.js';
import { createGrvtRestListener, type ExtraRoute } from './rest-server.js';
import { PUBLIC_STREAMS, type PublicStream } from './selectors.js';
import { GrvtSessions, resolveAccounts, type GrvtAccount, type GrvtAccountSpec } from './sessions.js';
import { GrvtTradingService } from './trading-service.js';
import { GrvtWireTap, type GrvtHost, type GrvtTrafficHooks } from './wire-tap.js';
import { GRVT_WS_PATH, GrvtWsGateway } from './ws-gateway.js';

export interface StartGrvtFacadeOptions {
  world: SimWorld;
  /** Engine venue name. Default 'grvt'. */
  venue?: string;
  /** Loopback address to listen on. Default 127.0.0.1. */
  host?: string;
  /** EIP-712 chain id orders must be signed for. Default 326 (GRVT testnet; production is 325). */
  chainId?: number;
  /** Accounts served; the first is the one `credentials` describes. Default: one generated account. */
  accounts?: GrvtAccountSpec[];
  /** Wall clock (unix ms) for sessions, signature expiry and cancel-on-disconnect. Default Date.now. */
  now?: () => number;
  /** Session cookie lifetime. Default 1 day (GRVT's API-key sessions). */
  sessionTtlMs?: number;
  /** Delay before a non-post-only order reaches the book. Default 25 ms (GRVT's speed bump). */
  speedBumpMs?: number;
  /** How often resting orders are checked for an expired signature. Default 1000 ms. */
  expiryCheckMs?: number;
  /** The readings of GRVT's wire where its docs are silent (grvt-dialect.ts); default the documented one. */
  dialect?: GrvtDialectInput;
}

export interface GrvtCredentials {
  apiKey: string;
  signerPrivateKey: `0x${string}`;
  signerAddress: string;
  subAccountId: string;
  /** What `X-Grvt-Account-Id` carries. */
  accountId: string;
}

export interface GrvtFacade {
  /** e.g. http://127.0.0.1:PORT — `POST /auth/api_key/login`. */
  edgeUrl: string;
  marketDataUrl: string;
  tradesUrl: string;
  /** ws://.../ws/full on the market-data host. */
  marketDataWsUrl: string;
  /** ws://.../ws/full on the trades host (needs the session cookie and account header). */
  tradesWsUrl: string;
  chainId: number;
  credentials: GrvtCredentials;
  /** Credentials of every configured account, in configuration order. */
  allCredentials: GrvtCredentials[];
  /** Fault-injection seam: every REST request and every outgoing WS message passes these hooks. */
  setTrafficHooks(hooks: GrvtTrafficHooks): void;
  /** The dialect in force now. */
  dialect(): GrvtDialect;
  /** Switches the dialect (already validated); the next message speaks it. */
  setDialect(dialect: GrvtDialect): void;
  /** Open WS connections per host. */
  wsConnectionCount(host: 'market-data' | 'trades'): number;
  close(): Promise<void>;
}

const credentialsOf = (a: GrvtAccount): GrvtCredentials => ({
  apiKey: a.apiKey,
  signerPrivateKey: a.signerPrivateKey,
  signerAddress: a.signer,
  subAccountId: a.subAccountId,
  accountId: a.mainAccountId,
});

export async function startGrvtFacade(opts: StartGrvtFacadeOptions): Promise<GrvtFacade> {
  const {
    world,
    venue = 'grvt',
    host = '127.0.0.1',
    chainId = 326,
    now = Date.now,
    sessionTtlMs = 24 * 3600_000,
    speedBumpMs = 25,
    expiryCheckMs = 1000,
  } = opts;
  const engine = world.venue(venue);
  const accounts = resolveAccounts(opts.accounts);
  for (const a of accounts) {
    if (engine.hasAccount(a.engineAccountId)) continue;
    const created = engine.createAccount(a.engineAccountId, a.initialBalance);
    if (!created.ok) throw new Error(`grvt façade: cannot create account ${a.engineAccountId}: ${created.message}`);
  }
  const byEngineId = new Map(accounts.map((a) => [a.engineAccountId, a]));
  const accountOf = (id: string): GrvtAccount | undefined => byEngineId.get(id);

  const dialect = new GrvtDialectCell(opts.dialect);
  const instruments = new GrvtInstruments(engine);
  const sessions = new GrvtSessions(accounts, sessionTtlMs, now);
  const metas = new OrderMetaStore();
  const tap = new GrvtWireTap();
  const md = new GrvtMarketDataService(engine, instruments);
  const privateFeeds = new GrvtPrivateFeeds(instruments, metas, accountOf);
  const trading = new GrvtTradingService({
    engine,
    instruments,
    metas,
    chainId,
    speedBumpMs,
    now,
    accountOfEngineId: accountOf,
    dialect,
    publishSyntheticOrder: (account, wire, inst) => privateFeeds.publishOrder(account, wire, inst),
  });
  const cod = new CancelOnDisconnect((subAccountId) => {
    const account = sessions.subAccount(subAccountId);
    if (account) trading.cancelAllWithReason(account, 'CLIENT_CANCEL_ON_DISCONNECT_TRIGGERED');
  });
  const marketFeeds = new GrvtMarketFeeds(engine, instruments, md, now, dialect);

  const mdRoutes = marketDataRoutes(md, now);
  const tradeRoutes = tradingRoutes(trading, (session, req) => {
    const { account, ms } = trading.cancelOnDisconnectCountdown(session, req);
    cod.heartbeat(account.subAccountId, ms);
  }, dialect);
  const knownInstrument = (name: string): boolean => instruments.byGrvtName(name) !== undefined;

  const mdHub = new FeedHub('market-data', tap, (stream) =>
    (PUBLIC_STREAMS as string[]).includes(stream) ? marketFeeds.lifecycle(stream as PublicStream) : undefined,
    dialect,
  );
  const tradesHub = new FeedHub('trades', tap, () => undefined, dialect);
  marketFeeds.attach(mdHub);
  privateFeeds.attach(tradesHub);
  let connectionIds = 0;
  const nextConnectionId = (): number => ++connectionIds;
  const mdWs = new GrvtWsGateway({ hub: mdHub, routes: mdRoutes, sessions: undefined, knownInstrument, now, nextConnectionId, dialect });
  const tradesWs = new GrvtWsGateway({ hub: tradesHub, routes: tradeRoutes, sessions, knownInstrument, now, nextConnectionId, dialect });

  const onEvent = (ev: SimEvent): void => {
    switch (ev.type) {
      case 'book':
        return marketFeeds.onBook(ev);
      case 'trade':
        return marketFeeds.onTrade(ev);
      case 'order':
        return privateFeeds.onOrder(ev);
      case 'fill':
        return privateFeeds.onFill(ev);
      case 'position':
        return privateFeeds.onPosition(ev);
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
  const expiryTimer = setInterval(() => {
    try {
      trading.expireOrders(accounts);
    } catch {
      // Checked again on the next tick.
    }
  }, expiryCheckMs);
  expiryTimer.unref();

  const servers: Server[] = [];
  const listen = async (name: GrvtHost, routes: GrvtRouteTable, extra?: ReadonlyMap<string, ExtraRoute>, ws?: GrvtWsGateway) => {
    const server = createServer(createGrvtRestListener({ host: name, tap, routes, sessions, ...(extra ? { extra } : {}) }));
    server.keepAliveTimeout = 1000;
    ws?.attach(server);
    servers.push(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address() as AddressInfo;
    const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `${hostPart}:${address.port}`;
  };

  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    unsubscribe();
    clearInterval(expiryTimer);
    cod.close();
    trading.close();
    marketFeeds.close();
    mdWs.close();
    tradesWs.close();
    await Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.closeAllConnections();
            s.close(() => resolve());
          }),
      ),
    );
  };

  try {
    const edge = await listen('edge', new Map(), new Map([[LOGIN_PATH, loginRoute(sessions)]]));
    const mdAddr = await listen('market-data', mdRoutes, undefined, mdWs);
    const tradesAddr = await listen('trades', tradeRoutes, undefined, tradesWs);
    const first = accounts[0];
    if (!first) throw new Error('grvt façade: no account');
    return {
      edgeUrl: `http://${edge}`,
      marketDataUrl: `http://${mdAddr}`,
      tradesUrl: `http://${tradesAddr}`,
      marketDataWsUrl: `ws://${mdAddr}${GRVT_WS_PATH}`,
      tradesWsUrl: `ws://${tradesAddr}${GRVT_WS_PATH}`,
      chainId,
      credentials: credentialsOf(first),
      allCredentials: accounts.map(credentialsOf),
      setTrafficHooks: (hooks) => tap.setHooks(hooks),
      dialect: () => dialect.value,
      setDialect: (d) => void (dialect.value = d),
      wsConnectionCount: (h) => (h === 'trades' ? tradesWs.connectionCount : mdWs.connectionCount),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

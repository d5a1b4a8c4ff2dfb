import { z } from 'zod';
import { subjects, type QuoteIntent } from '@perpetua/core';
import type { Bus } from '@perpetua/bus';
import { waitUntil } from '@perpetua/testkit';
import type { SimReady, SimWorld } from '@perpetua/sim';
import { runCli, type CliResult } from './run-cli.js';
import { spawnUntilReady, type ReadyChild } from './spawn-ready.js';

/**
 * Shared pieces of the trading acceptance tests (cli/test/trading-*.test.ts):
 * services as child processes on real NATS and Redis against a simulator that
 * lives in the test process, so the test can read the venues' engines directly.
 */
export const TRADING_VENUES = ['binanceusdm', 'bybit', 'standx', 'grvt'] as const;
export type TradingVenue = (typeof TRADING_VENUES)[number];
export const SYMBOL = 'BTC-PERP';
/** Our name for the demo account on every venue (positions in Redis are keyed by it). */
export const ACCOUNT = 'demo';

export const ServiceReady = z.object({ event: z.literal('ready'), service: z.string(), venue: z.string(), http: z.string().url(), pid: z.number() });
export type ServiceReady = z.infer<typeof ServiceReady>;
export type ServiceChild = ReadyChild<ServiceReady> & { name: string };

export const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** `waitUntil` (@perpetua/testkit) polling every 100 ms by default: these waits read child processes, Redis and NATS. */
export const waitFor = (check: () => boolean | Promise<boolean>, timeoutMs: number, what: string | (() => string), everyMs = 100): Promise<number> =>
  waitUntil(check, timeoutMs, what, everyMs);

/**
 * The engine account behind each façade's demo credentials. GRVT trades on
 * `grvt-<subAccountId>` (libs/sim/src/facades/grvt/sessions.ts) while its
 * credentials carry the main account id for the X-Grvt-Account-Id header.
 */
export function engineAccount(ready: SimReady, venue: string): string {
  const d = ready.venues[venue];
  if (!d) throw new Error(`the simulator serves no ${venue}`);
  return d.protocol === 'grvt' ? `grvt-${d.credentials.subAccountId}` : d.credentials.accountId;
}

export interface StackOptions {
  natsUrl: string;
  redisUrl: string;
  simAdmin: string;
  keyPrefix: string;
  /** Extra args for every service (e.g. --config FILE). */
  args?: string[];
  /** Environment common to every service (on top of the connection settings). */
  env?: NodeJS.ProcessEnv;
}

/**
 * The services of a trading run, each its own `perpetua service` process,
 * live trading on the simulator's demo accounts.
 */
export class TradingStack {
  readonly children: ServiceChild[] = [];

  constructor(private readonly opts: StackOptions) {}

  private baseEnv(): NodeJS.ProcessEnv {
    return {
      NATS_URL: this.opts.natsUrl,
      REDIS_URL: this.opts.redisUrl,
      PERPETUA_SIM__ADMIN: this.opts.simAdmin,
      PERPETUA_REDIS__KEY_PREFIX: this.opts.keyPrefix,
      PERPETUA_TELEMETRY__LOG_LEVEL: 'warn',
      PERPETUA_TRADING__MODE: 'live',
      PERPETUA_STRATEGY__ACCOUNT: ACCOUNT,
      ...this.opts.env,
    };
  }

  /** Starts `perpetua service <service>`; tsx start-up on a busy machine is slow, hence the long ready timeout. */
  async spawn(service: 'gateway' | 'risk' | 'quoter' | 'order-router', venue: string | undefined, env: NodeJS.ProcessEnv = {}): Promise<ServiceChild> {
    const args = ['service', service, ...(venue ? ['--venue', venue] : []), ...(this.opts.args ?? [])];
    const child = await spawnUntilReady(args, ServiceReady, { ...this.baseEnv(), ...(venue ? { PERPETUA_STRATEGY__VENUE: venue } : {}), ...env }, 150_000);
    const named = Object.assign(child, { name: venue ? `${service}:${venue}` : service });
    this.children.push(named);
    return named;
  }

  /** Quoter for one venue: its own strategy id, small spread so the simulator's taker flow fills it. */
  quoter(venue: string, params: { spreadBps: number; size: string }, env: NodeJS.ProcessEnv = {}): Promise<ServiceChild> {
    return this.spawn('quoter', venue, {
      PERPETUA_STRATEGY__ID: `mm-${venue}`,
      PERPETUA_STRATEGY__PARAMS__KIND: 'fixed-spread',
      PERPETUA_STRATEGY__PARAMS__SPREAD_BPS: String(params.spreadBps),
      PERPETUA_STRATEGY__PARAMS__SIZE: params.size,
      PERPETUA_STRATEGY__PARAMS__REQUOTE_BPS: '0',
      ...env,
    });
  }

  /** Stops one child (SIGTERM, SIGKILL after the grace) and forgets it. */
  async stop(child: ServiceChild, signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<number | null> {
    const code = await child.stop(signal, graceMs);
    const i = this.children.indexOf(child);
    if (i >= 0) this.children.splice(i, 1);
    return code;
  }

  /** Everything still running, killed at once: for afterAll. */
  async killAll(): Promise<void> {
    await Promise.all(this.children.splice(0).map((c) => c.stop('SIGKILL')));
  }
}

/** Prometheus text → the value of one sample (summed over series matching every given label). */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const lbl = m[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => lbl.includes(`${k}="${v}"`))) total += Number(m[3]);
  }
  return total;
}

export async function scrape(child: ServiceChild): Promise<string> {
  const res = await fetch(`${child.ready.http}/metrics`, { signal: AbortSignal.timeout(5_000) });
  return res.text();
}

export interface RouterCounters {
  placed: number;
  cancelled: number;
  fills: number;
  rejected: number;
  haltCancels: number;
}

export async function routerCounters(router: ServiceChild): Promise<RouterCounters> {
  const t = await scrape(router);
  return {
    placed: metricValue(t, 'perpetua_router_orders_placed_total'),
    cancelled: metricValue(t, 'perpetua_router_orders_cancelled_total'),
    fills: metricValue(t, 'perpetua_router_fills_total'),
    rejected: metricValue(t, 'perpetua_router_orders_rejected_total'),
    haltCancels: metricValue(t, 'perpetua_router_halt_cancels_total'),
  };
}

/** `perpetua kill …` against the given NATS (only NATS_URL: kill needs nothing else). */
export function kill(natsUrl: string, args: string[]): Promise<CliResult> {
  return runCli(['kill', ...args], { NATS_URL: natsUrl }, 60_000);
}

export const HaltJson = z.object({ halted: z.boolean(), reason: z.string().optional(), since: z.number().optional() });

/** The one JSON line `perpetua kill` prints. */
export function haltOf(r: CliResult): z.infer<typeof HaltJson> {
  if (r.code !== 0) throw new Error(`perpetua kill exited ${r.code}: ${r.stderr}`);
  return HaltJson.parse(JSON.parse(r.stdout.trim()));
}

/**
 * A stand-in quoter in the test process: every `everyMs` it publishes, per
 * venue, one bid and one ask at the engine's second book level (on tick and
 * passive, so post-only rests), only when that set changed — the same intents
 * a quoter sends, without a gateway and quoter process per venue.
 */
export class EngineBookQuoter {
  private timer: NodeJS.Timeout | undefined;
  private readonly last = new Map<string, string>();
  private seq = 0;

  constructor(
    private readonly bus: Bus,
    private readonly world: SimWorld,
    private readonly venues: readonly string[],
    private readonly qty = '0.01',
  ) {}

  start(everyMs = 100): void {
    this.timer = setInterval(() => this.tick(), everyMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private tick(): void {
    for (const venue of this.venues) {
      const book = this.world.venue(venue).book(SYMBOL, 2);
      const bid = book.bids[1]?.[0];
      const ask = book.asks[1]?.[0];
      if (bid === undefined || ask === undefined) continue;
      const key = `${bid}/${ask}`;
      if (this.last.get(venue) === key) continue;
      this.last.set(venue, key);
      const strategy = `mm-${venue}`;
      const intent: QuoteIntent = {
        intentId: `${strategy}-${++this.seq}`,
        strategy,
        venue,
        account: ACCOUNT,
        symbol: SYMBOL,
        quotes: [
          { slot: 'bid-0', side: 'buy', price: bid, qty: this.qty, postOnly: true },
          { slot: 'ask-0', side: 'sell', price: ask, qty: this.qty, postOnly: true },
        ],
        bookSeq: book.lastUpdateId,
        mid: (Number(bid) + Number(ask)) / 2,
        ts: Date.now(),
      };
      this.bus.publish(subjects.quoteIntent(strategy), intent);
    }
  }
}

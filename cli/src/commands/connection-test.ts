import { createMarketData, createTrading, MissingCredentialsError, type BookEvent, type VenueConfig } from '@perpetua/venues';
import { startSimulator, type RunningSimulator } from '@perpetua/sim';
import type { PerpetuaConfig } from '../perpetua-config.js';
import { needsSimulator, resolveVenues } from '../compose/resolve-venues.js';

export interface VenueTestResult {
  venue: string;
  ok: boolean;
  /** Why it failed, naming the step. */
  error?: string;
  /** Round trip of the instruments call, ms. */
  latencyMs?: number;
  auth: 'ok' | 'skipped (no keys)' | 'failed';
  books: Record<string, { bid: number; ask: number; spreadPct: number } | undefined>;
  takerFee?: number;
}

const hasKeys = (c: VenueConfig): boolean =>
  (c.kind === 'ccxt' && c.apiKey !== undefined && c.secret !== undefined) ||
  (c.kind === 'standx' && c.token !== undefined && c.privateKey !== undefined) ||
  (c.kind === 'grvt' && c.apiKey !== undefined && c.signerPrivateKey !== undefined && c.subAccountId !== undefined);

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Connects to one venue: instruments (latency), the first good book per symbol, and, with keys, a balance read. */
async function testVenue(venue: string, c: VenueConfig, account: string, timeoutMs: number): Promise<VenueTestResult> {
  const result: VenueTestResult = { venue, ok: false, auth: 'skipped (no keys)', books: {} };
  const md = createMarketData(venue, c);
  try {
    const t0 = Date.now();
    const instruments = await withTimeout(md.instruments(), timeoutMs, 'instruments');
    result.latencyMs = Date.now() - t0;
    result.takerFee = instruments.find((i) => i.symbol === c.symbols[0])?.takerFee;
    const missing = c.symbols.filter((s) => !instruments.some((i) => i.symbol === s));
    if (missing.length > 0) throw new Error(`the venue does not list ${missing.join(', ')}`);
    const firstBooks = new Map<string, BookEvent>();
    const booksIn = new Promise<void>((resolve, reject) => {
      md.start(c.symbols, {
        onBook: (e) => {
          if (e.kind === 'snapshot' && e.bids.length > 0 && e.asks.length > 0) firstBooks.set(e.symbol, e);
          if (firstBooks.size === c.symbols.length) resolve();
        },
      }).catch((err: unknown) => {
        // Before the books: the venue's failure. After (e.g. closed while the auth check failed): nothing to report,
        // but it must be handled — an unhandled rejection ended the whole command with no output (seen in CI).
        reject(err instanceof Error ? err : new Error(String(err)));
      });
    });
    await withTimeout(booksIn, timeoutMs, 'order books');
    for (const [symbol, e] of firstBooks) {
      const bid = e.bids[0]![0];
      const ask = e.asks[0]![0];
      result.books[symbol] = { bid, ask, spreadPct: ((ask - bid) / ((ask + bid) / 2)) * 100 };
    }
    if (hasKeys(c)) {
      const trading = createTrading(venue, account, c);
      try {
        if (trading.balance) await withTimeout(trading.balance(), timeoutMs, 'balance');
        result.auth = 'ok';
      } catch (err) {
        result.auth = 'failed';
        throw new Error(`authentication: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        await trading.close().catch(() => undefined);
      }
    }
    result.ok = true;
  } catch (err) {
    result.error = err instanceof MissingCredentialsError ? err.message : err instanceof Error ? err.message : String(err);
  } finally {
    await md.close().catch(() => undefined);
  }
  return result;
}

/**
 * `perpetua test`: every configured venue in parallel (connectivity, latency,
 * auth when keys are set, best bid/ask), then the price comparison and the
 * pairwise arbitrage summary. Fails, naming the venue and why, if any venue does.
 */
export async function runConnectionTest(config: PerpetuaConfig, opts: { sim: boolean; timeoutMs: number }): Promise<{ results: VenueTestResult[]; text: string }> {
  if (opts.sim) config = { ...config, sim: { ...config.sim, enabled: true, admin: undefined } };
  let sim: RunningSimulator | undefined;
  try {
    if (needsSimulator(config) && !config.sim.admin) sim = await startSimulator({ seed: config.sim.seed, stepMs: config.sim.stepMs, admin: false });
    const venues = await resolveVenues(config, sim?.ready);
    const results = await Promise.all(Object.entries(venues).map(([v, c]) => testVenue(v, c, config.strategy.account, opts.timeoutMs)));
    return { results, text: report(results, config.arb.takerFees) };
  } finally {
    await sim?.close();
  }
}

function report(results: VenueTestResult[], feeOverrides: Record<string, number>): string {
  const lines: string[] = ['venue         status  latency  auth               detail'];
  for (const r of results)
    lines.push(`${r.venue.padEnd(13)} ${(r.ok ? 'ok' : 'FAIL').padEnd(7)} ${(r.latencyMs === undefined ? '-' : `${r.latencyMs} ms`).padStart(7)}  ${r.auth.padEnd(18)} ${r.error ?? ''}`.trimEnd());
  const symbols = [...new Set(results.flatMap((r) => Object.keys(r.books)))].sort();
  for (const symbol of symbols) {
    lines.push('', `== ${symbol} ==`, 'venue                 bid           ask     spread %');
    const quoted = results.filter((r) => r.books[symbol]);
    for (const r of quoted) {
      const b = r.books[symbol]!;
      lines.push(`${r.venue.padEnd(13)} ${b.bid.toFixed(2).padStart(12)} ${b.ask.toFixed(2).padStart(13)} ${b.spreadPct.toFixed(4).padStart(12)}`);
    }
    lines.push('pairwise (buy at ask on A, sell at bid on B; net of both taker fees):');
    for (const a of quoted)
      for (const b of quoted) {
        if (a === b) continue;
        const ask = a.books[symbol]!.ask;
        const bid = b.books[symbol]!.bid;
        const fa = feeOverrides[a.venue] ?? a.takerFee ?? 0.001;
        const fb = feeOverrides[b.venue] ?? b.takerFee ?? 0.001;
        const gross = ((bid - ask) / ask) * 100;
        const net = ((bid * (1 - fb) - ask * (1 + fa)) / (ask * (1 + fa))) * 100;
        lines.push(`  ${a.venue} -> ${b.venue}: gross ${gross.toFixed(4)}%, net ${net.toFixed(4)}%${net > 0 ? '  <- opportunity' : ''}`);
      }
  }
  return `${lines.join('\n')}\n`;
}

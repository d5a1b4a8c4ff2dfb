import { join } from 'node:path';
import { loadConfig } from '@perpetua/config';
import { D, dec, toNumber } from '@perpetua/core';
import { OwnOrderFilter, PositionLedger, runBacktest, simulatedInstrument, type BacktestReport } from '@perpetua/backtest';
import { MarketDataRecorder, readRecording, RecordingWriter } from '@perpetua/recorder';
import { startSimulator, type SimFill } from '@perpetua/sim';
import { PerpetuaConfig } from '../src/perpetua-config.js';
import { createInProcessRuntime } from '../src/compose/in-process-runtime.js';
import { startGateway, startOrderRouter, startQuoter, startRisk } from '../src/compose/build-services.js';
import { resolveVenues } from '../src/compose/resolve-venues.js';
import { engineAccount } from './trading-harness.js';

/**
 * Backtest equals live (issue #21, acceptance 2): the strategy of a config
 * quotes the simulator live through the router for `seconds` while the
 * recorder records the venue's market data; then the same strategy, risk
 * limits and simulator instrument are backtested on that recording, with our
 * own orders taken back out of it (OwnOrderFilter, fed from the simulator's
 * engine stream: live, our resting orders were in the recorded book and the
 * trades that filled us in the recorded tape).
 */
export interface LiveParityOptions {
  seconds: number;
  seed: number;
  /** A directory for the two recordings (raw and without our orders). */
  dir: string;
  config?: string;
  /** The backtest's queue model and its order latency (ms). */
  queue?: string;
  latencyMs?: number;
  /** Also backtest the window as recorded, our orders still in it (to show what taking them out changes). */
  alsoWithOurOrders?: boolean;
}

/** What both sides are compared on. PnL is realized + unrealized at the last mid − fees + rebates (funding left out: live pays it on the wall clock). */
export interface ParityFigures {
  fills: number;
  volumeBase: number;
  /** Traded notional (quote currency). */
  volumeQuote: number;
  pnl: number;
  ordersPlaced: number;
}

export interface LiveParityResult {
  live: ParityFigures;
  backtest: ParityFigures;
  /** The backtest of the recording with our orders left in, when asked. */
  withOurs: ParityFigures | undefined;
  report: BacktestReport;
  /** Lines in the recording's quoting window; trades dropped as ours. */
  recorded: number;
  ownTradesDropped: number;
}

export async function runLiveParity(opts: LiveParityOptions): Promise<LiveParityResult> {
  const config = loadConfig(PerpetuaConfig, {
    file: opts.config ?? 'config/live-parity.yaml',
    env: { PERPETUA_SIM__SEED: String(opts.seed), PERPETUA_TELEMETRY__LOG_LEVEL: 'warn' },
    dotenv: false,
  });
  const strategy = config.strategies[0]!;
  const { venue, symbol } = strategy;
  const instrument = simulatedInstrument(venue, symbol);
  if (!instrument) throw new Error(`the simulator has no ${venue} ${symbol}`);
  const raw = join(opts.dir, 'live.ndjson.gz');
  const windowed = join(opts.dir, 'live-window.ndjson.gz');
  const clean = join(opts.dir, 'live-without-ours.ndjson.gz');

  const { logger, registry, bus, store } = createInProcessRuntime(config, 'live-parity');
  const deps = { bus, logger, registry };
  const sim = await startSimulator({ seed: opts.seed, stepMs: config.sim.stepMs, host: '127.0.0.1' });
  const account = engineAccount(sim.ready, venue);
  const filter = new OwnOrderFilter(symbol, Number(instrument.lotSize));
  const liveFills: SimFill[] = [];
  let livePlaced = 0;
  // The engine's own stream, in its order: our orders as they rest, the book sequence each change reached, our fills.
  const unsubscribe = sim.world.venue(venue).subscribe((e) => {
    if (e.type === 'book' && e.symbol === symbol) filter.onBookSeq(e.lastUpdateId);
    else if (e.type === 'order' && e.accountId === account && e.order.symbol === symbol) {
      const o = e.order;
      const open = o.status === 'new' || o.status === 'partially_filled';
      if (e.execType === 'new') livePlaced++;
      filter.onOrder({ orderId: o.orderId, side: o.side, price: Number(o.price), resting: open ? Number(o.qty) - Number(o.filledQty) : 0 });
    } else if (e.type === 'fill' && e.accountId === account && e.fill.symbol === symbol) {
      filter.onOwnTrade(e.fill.tradeId);
      liveFills.push(e.fill);
    }
  });

  const writer = new RecordingWriter(raw);
  await writer.opened();
  const recorder = new MarketDataRecorder(bus, writer, { venues: [venue] });
  recorder.start();
  const venues = await resolveVenues(config, sim.ready);
  const gateway = await startGateway({ ...config, gateway: { ...config.gateway, publishDepth: true } }, venues, venue, deps);
  const risk = await startRisk(config, { ...deps, store });
  const router = startOrderRouter(config, venues, venue, { ...deps, store, cancelOnStop: true, amend: false });
  await router.started;
  const quoter = startQuoter(config, { ...deps, store });
  await quoter.started;
  // The window both sides quote: from the quoter's start to its stop (the recording around it is cut to it).
  const from = Date.now();
  await new Promise((r) => setTimeout(r, opts.seconds * 1000));
  await quoter.stop();
  const to = Date.now();
  await router.stop();
  await gateway.stop();
  await bus.flush();
  recorder.stop();
  await writer.close();
  await risk.stop();
  unsubscribe();
  await sim.close();
  await bus.close();
  await store.close();

  // The recording of the window without our orders (and, for comparison, the window as recorded).
  const out = new RecordingWriter(clean);
  await out.opened();
  const asRecorded = new RecordingWriter(windowed);
  await asRecorded.opened();
  let recorded = 0;
  let dropped = 0;
  let lastMid: number | undefined;
  for await (const line of readRecording(raw)) {
    if (line.t < from || line.t > to) continue;
    recorded++;
    if (line.kind === 'status' || line.msg.venue !== venue || line.msg.symbol !== symbol) continue;
    asRecorded.write(line);
    if (line.kind === 'trade' && !filter.keepTrade(line.msg)) {
      dropped++;
      continue;
    }
    if (line.kind === 'depth') {
      const msg = filter.depth(line.msg);
      const bid = msg.bids[0]?.[0];
      const ask = msg.asks[0]?.[0];
      if (msg.symbol === symbol && bid !== undefined && ask !== undefined) lastMid = (bid + ask) / 2;
      out.write({ ...line, msg });
    } else out.write(line);
  }
  await out.close();
  await asRecorded.close();

  const backtestOf = (path: string) =>
    runBacktest({
      source: { kind: 'recording', path },
      strategy: { id: strategy.id, venue, account: strategy.account, symbol, params: strategy.params },
      risk: config.risk,
      queue: opts.queue,
      latencyMs: opts.latencyMs,
      instrument,
    });
  const r = (await backtestOf(clean)).report;
  const withOurs = opts.alsoWithOurOrders ? figuresOf((await backtestOf(windowed)).report) : undefined;

  const ledger = new PositionLedger();
  for (const f of liveFills) ledger.fill(f.side, dec(f.price), dec(f.qty), dec(f.fee));
  const mark = dec(String(lastMid ?? 0));
  const live: ParityFigures = {
    fills: liveFills.length,
    volumeBase: liveFills.reduce((s, f) => s + Number(f.qty), 0),
    volumeQuote: liveFills.reduce((s, f) => s + Number(f.notional), 0),
    pnl: toNumber(D.sub(ledger.total(mark), ledger.funding)),
    ordersPlaced: livePlaced,
  };
  return { live, backtest: figuresOf(r), withOurs, report: r, recorded, ownTradesDropped: dropped };
}

function figuresOf(r: BacktestReport): ParityFigures {
  return { fills: r.fills, volumeBase: Number(r.volumeBase), volumeQuote: Number(r.volume), pnl: Number(r.pnl.total) - Number(r.pnl.funding), ordersPlaced: r.ordersPlaced };
}

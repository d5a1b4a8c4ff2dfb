import type { Instrument } from '@perpetua/core';
import { constantLatency, feeTierOf, queueModelFromSpec, type FeeTier } from '@perpetua/fills';
import type { RiskLimits } from '@perpetua/risk';
import type { StrategyParams } from '@perpetua/strategies';
import type { BacktestResult } from './backtest-report.js';
import { BacktestRunner } from './backtest-runner.js';
import { recordingReplay } from './recording-replay.js';
import type { ReplayEvent } from './replay-event.js';
import { runtimeStrategy } from './runtime-strategy.js';
import { simulatedInstrument, simWorldReplay } from './sim-world-replay.js';

export type BacktestSource = { kind: 'sim'; seed: number; hours: number } | { kind: 'recording'; path: string };

export interface BacktestSetup {
  source: BacktestSource;
  strategy: { id: string; venue: string; account: string; symbol: string; params: StrategyParams };
  risk: RiskLimits;
  /** Queue model by name (queueModelFromSpec): default power:2. */
  queue?: string;
  /** Order entry and cancel latency (the venue's answers come back as late), ms. */
  latencyMs?: number;
  /** For --sim: our receive time = the venue's time + this, ms. */
  feedLatencyMs?: number;
  /** The venue's instrument (default: the simulator's for that venue and symbol). */
  instrument?: Instrument;
  fees?: FeeTier;
}

export interface BacktestProgress {
  events: number;
  /** Simulated time reached (ms since the epoch). */
  simTime: number;
  /** 0..1 when known (a simulated world of known length), else undefined. */
  fraction: number | undefined;
}

/** Runs one backtest to its report; `onProgress` is called about every 50,000 events. */
export async function runBacktest(setup: BacktestSetup, onProgress?: (p: BacktestProgress) => void): Promise<BacktestResult> {
  const s = setup.strategy;
  const queue = queueModelFromSpec(setup.queue ?? 'power:2');
  const latency = constantLatency({ entryMs: setup.latencyMs ?? 10 });
  let instrument = setup.instrument;
  let events: Iterable<ReplayEvent> | AsyncIterable<ReplayEvent>;
  let span: { from: number; to: number } | undefined;
  if (setup.source.kind === 'sim') {
    const world = simWorldReplay({ seed: setup.source.seed, venue: s.venue, symbol: s.symbol, hours: setup.source.hours, feedLatencyMs: setup.feedLatencyMs ?? 5 });
    instrument ??= world.instrument;
    events = world.events();
    span = undefined;
  } else {
    instrument ??= simulatedInstrument(s.venue, s.symbol);
    if (!instrument) throw new Error(`no instrument known for ${s.venue} ${s.symbol}: give one in the backtest setup`);
    events = recordingReplay(setup.source.path, s.venue, s.symbol);
  }
  const inst = instrument;
  const runner = new BacktestRunner(
    { venue: s.venue, symbol: s.symbol, account: s.account, strategyId: s.id, instrument: inst, risk: setup.risk, queue, latency, fees: setup.fees ?? feeTierOf(inst) },
    (clock) => runtimeStrategy({ ...s, maxPosition: setup.risk.maxPosition }, inst, clock),
  );
  const hours = setup.source.kind === 'sim' ? setup.source.hours : undefined;
  let n = 0;
  let first: number | undefined;
  const progress = (e: ReplayEvent) => {
    first ??= e.msg.tsReceived;
    if (onProgress && ++n % 50_000 === 0) {
      span ??= hours !== undefined ? { from: first, to: first + hours * 3_600_000 } : undefined;
      onProgress({ events: n, simTime: e.msg.tsReceived, fraction: span ? Math.min(1, (e.msg.tsReceived - span.from) / (span.to - span.from)) : undefined });
    }
  };
  if (Symbol.asyncIterator in events) {
    for await (const e of events) {
      runner.onEvent(e);
      progress(e);
    }
  } else {
    for (const e of events) {
      runner.onEvent(e);
      progress(e);
    }
  }
  return runner.finish();
}

import { CHAOS_VENUES } from './chaos-stack.js';
import { SeededRandom } from './seeded-random.js';

/** A process the run kills with -9 and starts again: resolved to a process id when the fault runs. */
export type KillTarget =
  | 'nats'
  | 'redis'
  | 'gateway (shared)'
  | 'gateway (sole)'
  | 'quoter'
  | 'risk leader'
  | 'risk standby'
  | 'router leader'
  | 'router standby'
  | 'router (sole)'
  | 'arb-detector'
  | 'dashboard';

export const KILL_TARGETS: readonly KillTarget[] = ['nats', 'redis', 'gateway (shared)', 'gateway (sole)', 'quoter', 'risk leader', 'risk standby', 'router leader', 'router standby', 'router (sole)', 'arb-detector', 'dashboard'];

/** One fault of the chaos run; `label` names its kind in the table. */
export type ChaosFault =
  | { kind: 'kill'; target: KillTarget }
  | { kind: 'ws_drop'; venue: string }
  /** Every stream of the venue silent for ms: its book goes stale, quoting must stop within 1 s and resume after. */
  | { kind: 'ws_freeze'; venue: string; ms: number }
  | { kind: 'seq_skip'; venue: string }
  | { kind: 'http_error'; venue: string; status: 429 | 503; ms: number }
  /** Requests hang unanswered (the client times out) for ms; with acted, the venue handled each (an order placed, a cancel done). */
  | { kind: 'http_timeout'; venue: string; ms: number; acted: boolean }
  | { kind: 'price_jump'; fraction: number }
  | { kind: 'basis'; venue: string; bps: number; ms: number }
  /** The venue's clock off ours by skewMs (positive: ahead) for ms, within its signed requests' receive window. */
  | { kind: 'clock_skew'; venue: string; skewMs: number; ms: number };

export function faultLabel(f: ChaosFault): string {
  switch (f.kind) {
    case 'kill':
      return `kill -9 ${f.target}`;
    case 'http_error':
      return `http ${f.status}`;
    case 'http_timeout':
      return f.acted ? 'http_timeout (venue acted)' : 'http_timeout';
    default:
      return f.kind;
  }
}

/** Every single fault kind, each once, with seeded venues and sizes. */
function singles(rnd: SeededRandom): ChaosFault[] {
  const venue = () => rnd.pick(CHAOS_VENUES);
  return [
    ...KILL_TARGETS.map((target): ChaosFault => ({ kind: 'kill', target })),
    { kind: 'ws_drop', venue: venue() },
    { kind: 'ws_freeze', venue: venue(), ms: 3_000 },
    { kind: 'seq_skip', venue: venue() },
    { kind: 'http_error', venue: venue(), status: 429, ms: 2_000 },
    { kind: 'http_error', venue: venue(), status: 503, ms: 2_000 },
    { kind: 'http_timeout', venue: venue(), ms: 2_000, acted: false },
    { kind: 'http_timeout', venue: venue(), ms: 2_000, acted: true },
    { kind: 'price_jump', fraction: rnd.pick([-1, 1]) * (0.005 + rnd.next() * 0.01) },
    { kind: 'basis', venue: venue(), bps: rnd.pick([-1, 1]) * 40, ms: 4_000 },
    // Ahead by 2-4 s (our requests look that old: Bybit's window is 5 s, ccxt asks Binance for 10 s, OKX allows 30 s),
    // or behind by 0.2-0.8 s (our requests from its future: Binance and Bybit refuse past 1 s).
    { kind: 'clock_skew', venue: venue(), skewMs: rnd.pick([true, false]) ? rnd.int(2_000, 4_000) : -rnd.int(200, 800), ms: 5_000 },
  ];
}

/**
 * The schedule: every fault alone in a seeded order, then rounds of two or three at once (drawn again each
 * round), for as long as the run has time. Endless: the runner stops taking steps when its time is up.
 */
export function* faultSchedule(seed: number): Generator<ChaosFault[]> {
  const rnd = new SeededRandom(seed);
  // Process kills first among the singles is no better than last: the order is the seed's.
  for (const f of rnd.shuffle(singles(rnd))) yield [f];
  for (;;) {
    const pool = rnd.shuffle(singles(rnd));
    const n = rnd.int(2, 3);
    const step: ChaosFault[] = [];
    for (const f of pool) {
      if (step.length === n) break;
      // One fault per process group and per venue in a step: two kills of nats at once are one kill.
      if (step.some((g) => faultLabel(g) === faultLabel(f))) continue;
      step.push(f);
    }
    yield step;
  }
}

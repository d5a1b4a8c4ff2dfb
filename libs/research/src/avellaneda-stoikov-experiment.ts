import { avellanedaStoikovQuote, optimalSpread } from '@perpetua/strategies';
// The simulator's seeded PRNG by its own entry point: the research needs no sockets, signers or HTTP.
import { Prng } from '@perpetua/sim/prng';

/**
 * The numerical experiment of Avellaneda & Stoikov (2008), section 4: a mid
 * that moves ±σ√dt with equal odds each step, and a quote at distance δ from
 * the mid filled within the step with probability A·e^(−k·δ)·dt. The
 * inventory strategy quotes the project's own avellaneda-stoikov formulas
 * (r = s − qγσ²(T−t), spread γσ²(T−t) + (2/γ)ln(1+γ/k)); the symmetric
 * strategy quotes the same average spread centred on the mid. Both run on the
 * same price paths (common random numbers), so their difference is the
 * strategy's, not the sample's. Pure: the seed decides everything.
 */
export interface AsExperimentParams {
  gamma: number;
  paths: number;
  seed: number;
  s0: number;
  sigma: number;
  horizon: number;
  dt: number;
  q0: number;
  a: number;
  k: number;
}

/** The paper's parameters (section 4). */
export const PAPER_PARAMS: Omit<AsExperimentParams, 'gamma'> = {
  paths: 1000,
  seed: 1,
  s0: 100,
  sigma: 2,
  horizon: 1,
  dt: 0.005,
  q0: 0,
  a: 140,
  k: 1.5,
};

export interface StrategyOutcome {
  /** Mean quoted spread (ask − bid) over steps and paths. */
  spread: number;
  profitMean: number;
  profitStd: number;
  qMean: number;
  qStd: number;
}

export interface AsExperimentResult {
  params: AsExperimentParams;
  inventory: StrategyOutcome;
  symmetric: StrategyOutcome;
}

interface Agent {
  cash: number;
  q: number;
}

/** Fill probability within one step for a quote δ from the mid (clamped to [0, 1]). */
const fillProbability = (p: AsExperimentParams, delta: number): number => Math.min(1, Math.max(0, p.a * Math.exp(-p.k * delta) * p.dt));

function fill(agent: Agent, p: AsExperimentParams, rng: Prng, s: number, bid: number, ask: number): void {
  // Independent draws per side, as the paper's two Poisson processes.
  const hitBid = rng.next() < fillProbability(p, s - bid);
  const liftAsk = rng.next() < fillProbability(p, ask - s);
  if (hitBid) {
    agent.q += 1;
    agent.cash -= bid;
  }
  if (liftAsk) {
    agent.q -= 1;
    agent.cash += ask;
  }
}

function summarize(spread: number, profits: Float64Array, qs: Float64Array): StrategyOutcome {
  const mean = (xs: Float64Array) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = (xs: Float64Array, m: number) => Math.sqrt(xs.reduce((a, b) => a + (b - m) * (b - m), 0) / Math.max(1, xs.length - 1));
  const pm = mean(profits);
  const qm = mean(qs);
  return { spread, profitMean: pm, profitStd: std(profits, pm), qMean: qm, qStd: std(qs, qm) };
}

export function validateExperimentParams(p: AsExperimentParams): void {
  const bad = (key: string, why: string) => {
    throw new RangeError(`${key} ${why}`);
  };
  if (!(p.gamma > 0) || !Number.isFinite(p.gamma)) bad('gamma', 'must be a number > 0');
  if (!Number.isInteger(p.paths) || p.paths < 2) bad('paths', 'must be an integer ≥ 2');
  if (!Number.isInteger(p.seed)) bad('seed', 'must be an integer');
  if (!(p.dt > 0) || !(p.horizon >= p.dt)) bad('dt', 'must be > 0 and at most the horizon');
}

/** Runs both strategies over `paths` price paths; `onProgress` sees the paths done so far. */
export function runAvellanedaStoikovExperiment(p: AsExperimentParams, onProgress?: (done: number) => void): AsExperimentResult {
  validateExperimentParams(p);
  const steps = Math.round(p.horizon / p.dt);
  const move = p.sigma * Math.sqrt(p.dt);
  // The inventory strategy's spread depends on t only, so its average is known before any path runs.
  let spreadSum = 0;
  for (let i = 0; i < steps; i++) spreadSum += optimalSpread(p.gamma, p.sigma, p.horizon - i * p.dt, p.k);
  const avgSpread = spreadSum / steps;

  const profits = { inventory: new Float64Array(p.paths), symmetric: new Float64Array(p.paths) };
  const finalQ = { inventory: new Float64Array(p.paths), symmetric: new Float64Array(p.paths) };
  for (let path = 0; path < p.paths; path++) {
    const prices = Prng.derive(p.seed, 'price', path);
    const invFills = Prng.derive(p.seed, 'fills', 'inventory', path);
    const symFills = Prng.derive(p.seed, 'fills', 'symmetric', path);
    const inv: Agent = { cash: 0, q: p.q0 };
    const sym: Agent = { cash: 0, q: p.q0 };
    let s = p.s0;
    for (let i = 0; i < steps; i++) {
      const quote = avellanedaStoikovQuote(s, inv.q, p.gamma, p.sigma, p.horizon - i * p.dt, p.k);
      const s0 = s;
      s += prices.next() < 0.5 ? move : -move;
      fill(inv, p, invFills, s, quote.bid, quote.ask);
      fill(sym, p, symFills, s, s0 - avgSpread / 2, s0 + avgSpread / 2);
    }
    profits.inventory[path] = inv.cash + inv.q * s;
    profits.symmetric[path] = sym.cash + sym.q * s;
    finalQ.inventory[path] = inv.q;
    finalQ.symmetric[path] = sym.q;
    if (onProgress && (path + 1) % 100 === 0) onProgress(path + 1);
  }
  return {
    params: p,
    inventory: summarize(avgSpread, profits.inventory, finalQ.inventory),
    symmetric: summarize(avgSpread, profits.symmetric, finalQ.symmetric),
  };
}

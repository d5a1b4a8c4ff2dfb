/** One reported figure: ours against a baseline measured in the same run. */
export interface Figure {
  /** Stable id, e.g. "sim.push.binanceusdm". */
  name: string;
  /** What it measures, for the table. */
  label: string;
  unit: string;
  /** Median of the repetitions. */
  ours: number;
  baseline: number;
  /** ours / baseline (for "lower is better" units the table says so in `better`). */
  ratio: number;
  better: 'higher' | 'lower';
  /** Spread of the repetitions: (max - min) / median of ours, as a fraction. */
  spread: number;
  /** The target in words, e.g. ">= 20000 /s total" or "ratio >= 3". */
  target: string;
  met: boolean | null;
  /** What limits this figure, or context the reader needs. */
  note?: string;
}

/** Median of a non-empty list. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median of nothing');
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** (max - min) / median: how far apart the repetitions were. */
export function spreadOf(xs: readonly number[]): number {
  const m = median(xs);
  return m === 0 ? 0 : (Math.max(...xs) - Math.min(...xs)) / m;
}

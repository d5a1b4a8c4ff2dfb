/**
 * The one uncertain question of a queue model: when a level shrinks and no
 * trade explains it, what share of the cancelled size was behind us? These
 * functions of (front, back) answer with the probability that a cancel came
 * from behind, as hftbacktest's ProbQueueModel family documents. A larger
 * exponent means cancels come mostly from the longer side.
 */
export type QueueProbability = (front: number, back: number) => number;

/** f(x) = x^n; P(behind) = f(back) / (f(back) + f(front)). */
export function powerProbability(n: number): QueueProbability {
  if (!(n > 0)) throw new RangeError(`power must be positive, got ${n}`);
  return (front, back) => {
    const b = back ** n;
    const sum = b + front ** n;
    return sum > 0 ? b / sum : 1;
  };
}

/** P(behind) = f(back) / f(back + front) with f(x) = x^n. */
export function powerProbability2(n: number): QueueProbability {
  if (!(n > 0)) throw new RangeError(`power must be positive, got ${n}`);
  return (front, back) => {
    const total = (back + front) ** n;
    return total > 0 ? back ** n / total : 1;
  };
}

/** P(behind) = 1 − (front / (front + back))^n. */
export function powerProbability3(n: number): QueueProbability {
  if (!(n > 0)) throw new RangeError(`power must be positive, got ${n}`);
  return (front, back) => {
    const total = front + back;
    return total > 0 ? 1 - (front / total) ** n : 1;
  };
}

/** f(x) = ln(1 + x); P(behind) = f(back) / (f(back) + f(front)). */
export const logProbability: QueueProbability = (front, back) => {
  const b = Math.log1p(back);
  const sum = b + Math.log1p(front);
  return sum > 0 ? b / sum : 1;
};

/** P(behind) = f(back) / f(back + front) with f(x) = ln(1 + x). */
export const logProbability2: QueueProbability = (front, back) => {
  const total = Math.log1p(back + front);
  return total > 0 ? Math.log1p(back) / total : 1;
};

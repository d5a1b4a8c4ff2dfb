import type { QueuePosition } from './queue-position.js';
import type { QueueProbability } from './queue-probability.js';

/**
 * How our place in the queue moves when the level's size changes for reasons
 * other than a trade (orders added or cancelled). Trades always advance the
 * queue from the front (advanceByTrade); models differ only here.
 */
export interface QueueModel {
  readonly name: string;
  /** The level at our price went from `prev` to `next` (our own order not included). */
  onDepth(q: QueuePosition, prev: number, next: number): void;
}

/**
 * Risk-averse: every cancel comes off the back, so we move up only by trades,
 * or when the level shrinks below what we thought was ahead of us.
 */
export const riskAverseQueue: QueueModel = {
  name: 'risk-averse',
  onDepth(q, _prev, next) {
    q.tradedSinceDepth = 0;
    q.ahead = Math.min(q.ahead, Math.max(0, next));
  },
};

/**
 * Probabilistic: a drop not explained by trades is split between ahead and
 * behind by `prob(front, back)`, the probability that it came from behind.
 * Never moves us back (a growing level adds behind us).
 */
export function probabilisticQueue(prob: QueueProbability, name = 'probabilistic'): QueueModel {
  return {
    name,
    onDepth(q, prev, next) {
      const traded = q.tradedSinceDepth;
      q.tradedSinceDepth = 0;
      const floor = Math.max(0, next);
      const drop = prev - next - traded;
      if (drop <= 0) {
        q.ahead = Math.min(q.ahead, floor);
        return;
      }
      const front = q.ahead;
      const back = Math.max(0, prev - traded - front);
      let p = prob(front, back);
      if (!Number.isFinite(p)) p = 1;
      p = Math.min(1, Math.max(0, p));
      // The share from behind that exceeds what is behind us must have come from ahead.
      const estimate = front - (1 - p) * drop + Math.min(0, back - p * drop);
      q.ahead = Math.max(0, Math.min(estimate, floor));
    },
  };
}

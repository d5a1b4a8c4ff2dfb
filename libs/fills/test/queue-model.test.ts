import { describe, expect, it } from 'vitest';
import { advanceByTrade, joinQueue, logProbability, logProbability2, powerProbability, powerProbability2, powerProbability3, probabilisticQueue, riskAverseQueue } from '../src/index.js';

describe('queue position', () => {
  it('joins behind the size already at the price', () => {
    expect(joinQueue(7).ahead).toBe(7);
    expect(joinQueue(0).ahead).toBe(0);
  });

  it('a trade smaller than the size ahead reaches nothing and moves us up by its size', () => {
    const q = joinQueue(10);
    expect(advanceByTrade(q, 3)).toBe(0);
    expect(q.ahead).toBe(7);
  });

  it('a trade larger than the size ahead reaches us with the excess', () => {
    const q = joinQueue(10);
    expect(advanceByTrade(q, 12)).toBe(2);
    expect(q.ahead).toBe(0);
  });
});

describe('risk-averse queue', () => {
  it('a cancel does not move us up while the level stays larger than the queue ahead', () => {
    const q = joinQueue(10); // level 10 + us behind; someone behind cancels 4 or someone ahead does: we assume behind
    riskAverseQueue.onDepth(q, 20, 16);
    expect(q.ahead).toBe(10);
  });

  it('the level shrinking below our estimate moves us up to its size', () => {
    const q = joinQueue(10);
    riskAverseQueue.onDepth(q, 10, 4);
    expect(q.ahead).toBe(4);
  });

  it('a growing level leaves us where we are (new orders join behind)', () => {
    const q = joinQueue(10);
    riskAverseQueue.onDepth(q, 10, 50);
    expect(q.ahead).toBe(10);
  });
});

describe('probabilistic queue', () => {
  it('a cancel with nobody behind us comes entirely from ahead', () => {
    const model = probabilisticQueue(powerProbability(2));
    const q = joinQueue(10); // level is 10, all ahead
    model.onDepth(q, 10, 6);
    expect(q.ahead).toBe(6);
  });

  it('a cancel splits by the probability: power 1 with front = back moves us up by half the drop', () => {
    const model = probabilisticQueue(powerProbability(1));
    const q = { ahead: 10, tradedSinceDepth: 0 }; // level 20: 10 ahead, 10 behind
    model.onDepth(q, 20, 16);
    expect(q.ahead).toBeCloseTo(8, 12);
  });

  it('with power 3 cancels come mostly from the longer side', () => {
    const model = probabilisticQueue(powerProbability(3));
    const q = { ahead: 2, tradedSinceDepth: 0 }; // level 10: 2 ahead, 8 behind
    model.onDepth(q, 10, 9);
    // P(behind) = 512 / (512 + 8) ≈ 0.985: we move up by only 1.5% of the cancel
    expect(q.ahead).toBeCloseTo(2 - 8 / 520, 12);
  });

  it('a drop already explained by trades is not counted again', () => {
    const model = probabilisticQueue(powerProbability(1));
    const q = { ahead: 10, tradedSinceDepth: 0 };
    advanceByTrade(q, 4); // 6 ahead
    model.onDepth(q, 20, 16); // the 4 traded: no cancel
    expect(q.ahead).toBe(6);
    expect(q.tradedSinceDepth).toBe(0);
  });

  it('never moves us back and never beyond the level', () => {
    const model = probabilisticQueue(logProbability);
    const q = { ahead: 5, tradedSinceDepth: 0 };
    model.onDepth(q, 10, 30);
    expect(q.ahead).toBe(5);
    model.onDepth(q, 30, 2);
    expect(q.ahead).toBeLessThanOrEqual(2);
    expect(q.ahead).toBeGreaterThanOrEqual(0);
  });

  it('every probability function stays within [0, 1] and is 1 when nobody is ahead', () => {
    for (const f of [powerProbability(2), powerProbability2(2), powerProbability3(2), logProbability, logProbability2]) {
      expect(f(0, 5)).toBe(1);
      for (const [front, back] of [[1, 1], [10, 0.5], [0.1, 100], [0, 0]] as const) {
        const p = f(front, back);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
      }
    }
    expect(() => powerProbability(0)).toThrow(RangeError);
  });
});

describe('queue model by name', () => {
  it('parses every named model and refuses an unknown one or a missing power', async () => {
    const { queueModelFromSpec } = await import('../src/index.js');
    expect(queueModelFromSpec('risk-averse').name).toBe('risk-averse');
    for (const s of ['power:2', 'power2:3', 'power3:1.5', 'log', 'log2']) expect(queueModelFromSpec(s).name).toBe(s);
    expect(() => queueModelFromSpec('power')).toThrow(/positive power/);
    expect(() => queueModelFromSpec('fifo')).toThrow(/not one of/);
  });
});

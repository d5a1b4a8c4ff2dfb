import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { planShare } from '@perpetua/bus';

/**
 * planShare run by every live member in turn against a model store whose
 * create-if-absent is the only way to own an item (as in NATS KV), through
 * joins and deaths (a dead member's items lapse, its presence with them).
 */
function simulate(items: string[], events: { join?: string; kill?: number }[], rounds: number) {
  const holders = new Map<string, string>();
  let live: string[] = [];
  const check = () => {
    // never two owners: the model's map has one holder per item by construction; every holder is live
    for (const h of holders.values()) expect(live).toContain(h);
  };
  const round = () => {
    for (const me of live) {
      const plan = planShare({ items, members: live, holders, me });
      for (const i of plan.release) {
        expect(holders.get(i)).toBe(me);
        holders.delete(i);
      }
      for (const i of plan.acquire) {
        expect(holders.has(i), `${me} plans to take ${i}, held by ${holders.get(i)}`).toBe(false);
        holders.set(i, me);
      }
      check();
    }
  };
  for (const e of events) {
    if (e.join !== undefined && !live.includes(e.join)) live.push(e.join);
    if (e.kill !== undefined && live.length > 0) {
      const dead = live[e.kill % live.length]!;
      live = live.filter((m) => m !== dead);
      for (const [i, h] of holders) if (h === dead) holders.delete(i);
    }
    for (let r = 0; r < rounds; r++) round();
  }
  return { holders, live };
}

const itemsArb = fc.uniqueArray(fc.stringMatching(/^[A-Z]{1,4}-PERP$/), { minLength: 0, maxLength: 12 });
const eventsArb = fc.array(fc.oneof(fc.record({ join: fc.constantFrom('g1', 'g2', 'g3', 'g4', 'g5') }), fc.record({ kill: fc.nat() })), { minLength: 1, maxLength: 12 });

describe('planShare', () => {
  it('after three rounds every item is owned by exactly one live member and nobody holds more than ceil(items / members)', () => {
    fc.assert(
      fc.property(itemsArb, eventsArb, (items, events) => {
        // Three rounds, not two: a member over the target waits while an item is unowned, so a wave of
        // releases can take one round more (e.g. 9 items, the fifth member joining 3+3+3+0).
        const { holders, live } = simulate(items, events, 3);
        if (live.length === 0) return;
        for (const i of items) expect(live).toContain(holders.get(i));
        const target = Math.ceil(items.length / live.length);
        for (const m of live) expect([...holders.values()].filter((h) => h === m).length).toBeLessThanOrEqual(target);
      }),
      { numRuns: 500 },
    );
  });

  it('is stable: once shared, another round changes nothing', () => {
    fc.assert(
      fc.property(itemsArb, eventsArb, (items, events) => {
        const { holders, live } = simulate(items, events, 2);
        for (const me of live) expect(planShare({ items, members: live, holders, me })).toMatchObject({ acquire: [], release: [] });
      }),
      { numRuns: 300 },
    );
  });

  it('a member counted live but dead (presence not yet lapsed) delays an orphan only while it counts; the others never take a held item', () => {
    const items = ['A', 'B', 'C', 'D'];
    const holders = new Map([['A', 'g1'], ['B', 'g1']]);
    // g2 died holding C and D; its presence still shows: g1 is at target 2 and g2 has room, so g1 waits.
    expect(planShare({ items, members: ['g1', 'g2'], holders, me: 'g1' }).acquire).toEqual([]);
    // g2's presence lapsed: g1 takes both.
    expect(planShare({ items, members: ['g1'], holders, me: 'g1' }).acquire.sort()).toEqual(['C', 'D']);
  });

  it('a newcomer: the holder of everything releases the extra only once the newcomer is live, never more than it can take', () => {
    const items = ['A', 'B', 'C', 'D', 'E'];
    const all = new Map(items.map((i) => [i, 'g1']));
    expect(planShare({ items, members: ['g1'], holders: all, me: 'g1' }).release).toEqual([]);
    const plan = planShare({ items, members: ['g1', 'g2'], holders: all, me: 'g1' });
    expect(plan.target).toBe(3);
    expect(plan.release).toHaveLength(2);
  });
});

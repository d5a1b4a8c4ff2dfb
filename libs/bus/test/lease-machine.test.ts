import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LeaseMachine } from '@perpetua/bus';

const timing = { ttlMs: 3000, renewEveryMs: 1000, marginMs: 500 };

describe('LeaseMachine', () => {
  it('acquires, renews every renewEvery, and is leader until sent + ttl - margin', () => {
    const m = new LeaseMachine(timing);
    expect(m.tick(0)).toEqual({ kind: 'acquire' });
    expect(m.tick(10)).toEqual({ kind: 'none' }); // one call in flight
    m.acquired(7, 0);
    expect([m.isLeader(50), m.token(50)]).toEqual([true, 7]);
    expect(m.tick(999)).toEqual({ kind: 'none' });
    expect(m.tick(1000)).toEqual({ kind: 'renew', token: 7 });
    m.renewed(9, 1000);
    expect(m.token(3499)).toBe(9);
    expect(m.isLeader(3500)).toBe(false); // 1000 + 3000 - 500
  });

  it('a refused acquire waits renewEvery before trying again', () => {
    const m = new LeaseMachine(timing);
    m.tick(0);
    m.acquireFailed(5);
    expect(m.tick(1000)).toEqual({ kind: 'none' });
    expect(m.tick(1005)).toEqual({ kind: 'acquire' });
  });

  it('a refused renewal (the revision moved) steps down at once', () => {
    const m = new LeaseMachine(timing);
    m.tick(0);
    m.acquired(1, 0);
    m.tick(1000);
    m.renewFailed(1010, true);
    expect(m.isLeader(1010)).toBe(false);
    expect(m.token(1010)).toBeUndefined();
  });

  it('an unanswered renewal keeps the lease only until it would lapse, retrying meanwhile', () => {
    const m = new LeaseMachine(timing);
    m.tick(0);
    m.acquired(1, 0);
    m.tick(1000);
    m.renewFailed(1100, false);
    expect(m.isLeader(1100)).toBe(true);
    expect(m.tick(1350)).toEqual({ kind: 'renew', token: 1 });
    m.renewFailed(1400, false);
    expect(m.isLeader(2499)).toBe(true);
    expect(m.isLeader(2500)).toBe(false);
    expect(m.tick(2500)).toEqual({ kind: 'acquire' }); // lapsed: back to follower, try to take it again
  });

  it('a paused process (no ticks past the ttl) is no longer leader when it wakes, and a late renewal does not revive it', () => {
    const m = new LeaseMachine(timing);
    m.tick(0);
    m.acquired(1, 0);
    expect(m.tick(1000)).toEqual({ kind: 'renew', token: 1 });
    // The process stops for 10 s; the renewal's answer arrives after it resumes.
    expect(m.isLeader(11_000)).toBe(false);
    expect(m.tick(11_000)).toEqual({ kind: 'none' }); // still waiting on the renewal
    m.renewFailed(11_001, true);
    expect(m.token(11_001)).toBeUndefined();
  });

  it('resign gives up the lease for good', () => {
    const m = new LeaseMachine(timing);
    m.tick(0);
    m.acquired(4, 0);
    expect(m.resign(10)).toBe(4);
    expect(m.isLeader(10)).toBe(false);
    expect(m.tick(100_000)).toEqual({ kind: 'none' });
  });

  it('refuses timings where a renewal could not land before the lease lapses', () => {
    expect(() => new LeaseMachine({ ttlMs: 1000, renewEveryMs: 800, marginMs: 300 })).toThrow(/must exceed/);
  });

  it('never claims leadership beyond the last successful write sent + ttl - margin (any event sequence)', () => {
    const event = fc.oneof(
      fc.record({ kind: fc.constant('tick' as const), dt: fc.integer({ min: 0, max: 4000 }) }),
      fc.record({ kind: fc.constant('ok' as const), dt: fc.integer({ min: 0, max: 4000 }) }),
      fc.record({ kind: fc.constant('fail' as const), dt: fc.integer({ min: 0, max: 4000 }), lost: fc.boolean() }),
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 60 }), (events) => {
        const m = new LeaseMachine(timing);
        let now = 0;
        let rev = 0;
        let pending: { kind: 'acquire' | 'renew'; sentAt: number } | undefined;
        let lastGrantSent = Number.NEGATIVE_INFINITY;
        for (const e of events) {
          now += e.dt;
          if (e.kind === 'tick') {
            const a = m.tick(now);
            if (a.kind !== 'none') pending = { kind: a.kind, sentAt: now };
          } else if (pending) {
            if (e.kind === 'ok') {
              rev++;
              if (pending.kind === 'acquire') m.acquired(rev, pending.sentAt);
              else m.renewed(rev, pending.sentAt);
              if (m.isLeader(now) || pending.kind === 'acquire') lastGrantSent = Math.max(lastGrantSent, pending.sentAt);
            } else if (pending.kind === 'acquire') m.acquireFailed(now);
            else m.renewFailed(now, e.lost);
            pending = undefined;
          }
          if (m.isLeader(now)) expect(now).toBeLessThan(lastGrantSent + timing.ttlMs - timing.marginMs);
        }
      }),
    );
  });
});

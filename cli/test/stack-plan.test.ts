import { describe, expect, it } from 'vitest';
import { parseScale, planStack, tradingVenuesOf } from '../src/stack/stack-plan.js';
import { DEPLOYED_SERVICES, SERVICE_NAMES } from '../src/compose/service-names.js';

const venues = ['binanceusdm', 'bybit'];

describe('the stack plan', () => {
  it('runs a gateway per venue, a router per trading venue and one of the rest (the dashboard included), skipping what this build cannot run', () => {
    const plan = planStack({ venues, tradingVenues: ['binanceusdm'], scale: new Map() });
    expect(plan.services.map((s) => [s.id, s.service, s.venue])).toEqual([
      ['gateway.binanceusdm', 'gateway', 'binanceusdm'],
      ['gateway.bybit', 'gateway', 'bybit'],
      ['risk', 'risk', undefined],
      ['order-router.binanceusdm', 'order-router', 'binanceusdm'],
      ['quoter', 'quoter', undefined],
      ['arb-detector', 'arb-detector', undefined],
      ['dashboard', 'dashboard', undefined],
    ]);
    const missing = DEPLOYED_SERVICES.filter((s) => !(SERVICE_NAMES as readonly string[]).includes(s));
    expect(plan.skipped.map((s) => s.service)).toEqual(missing);
  });

  it('skips a deployed service this build cannot run, and says so', () => {
    const plan = planStack({ venues, tradingVenues: ['binanceusdm'], scale: new Map(), isRunnable: (s) => s !== 'dashboard' });
    expect(plan.services.some((s) => s.service === 'dashboard')).toBe(false);
    expect(plan.skipped.map((s) => s.service)).toEqual(['dashboard']);
  });

  it('scales a group, and refuses a group it does not run', () => {
    const plan = planStack({ venues, tradingVenues: ['binanceusdm'], scale: parseScale(['gateway.binanceusdm=3', 'quoter=0']) });
    expect(plan.services.filter((s) => s.group === 'gateway.binanceusdm').map((s) => s.id)).toEqual(['gateway.binanceusdm', 'gateway.binanceusdm#2', 'gateway.binanceusdm#3']);
    expect(plan.services.some((s) => s.service === 'quoter')).toBe(false);
    expect(() => planStack({ venues, tradingVenues: [], scale: parseScale(['gateway.okx=2']) })).toThrow(/no such service group/);
  });

  it('parses --scale and says what it expects', () => {
    expect([...parseScale(['gateway.binanceusdm=2', 'risk=1'])]).toEqual([
      ['gateway.binanceusdm', 2],
      ['risk', 1],
    ]);
    for (const bad of ['gateway', 'gateway.binanceusdm=x', 'gateway=-1', 'a.b.c=1']) expect(() => parseScale([bad])).toThrow(/--scale expects/);
    expect(() => parseScale(['risk=17'])).toThrow(/at most 16/);
  });

  it('runs a router on every strategy venue, not only the first strategy\'s (found by the chaos run)', () => {
    const three = ['binanceusdm', 'bybit', 'okx'];
    expect(tradingVenuesOf({ venues: three, arbExecutes: false, strategyVenues: ['binanceusdm', 'bybit', 'okx', 'bybit'] })).toEqual(three);
    expect(tradingVenuesOf({ venues: three, arbExecutes: false, strategyVenues: ['okx'] })).toEqual(['okx']);
    expect(tradingVenuesOf({ venues: three, arbExecutes: true, strategyVenues: ['okx'] })).toEqual(three);
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deploymentNames, streams, buckets, patterns } from '@perpetua/core';

describe('deployment names', () => {
  it('leaves every name as it is without a deployment', () => {
    const n = deploymentNames(undefined);
    expect([n.subject('fill.>'), n.stream(streams.fills.name), n.consumer('risk-positions'), n.bucket(buckets.lastBook), n.unscope('fill.a.B')]).toEqual([
      'fill.>',
      'FILLS',
      'risk-positions',
      'md-last-book',
      'fill.a.B',
    ]);
    expect(deploymentNames('').deployment).toBeUndefined();
  });

  it('scopes subjects, streams, consumers and buckets by the deployment', () => {
    const n = deploymentNames('prod-a');
    expect([n.subject(patterns.allFills), n.stream('FILLS'), n.stream('ORDER_EVENTS'), n.consumer('risk-positions'), n.bucket('md-instruments')]).toEqual([
      'prod-a.fill.>',
      'prod-a_FILLS',
      'prod-a_ORDER_EVENTS',
      'prod-a_risk-positions',
      'prod-a_md-instruments',
    ]);
  });

  it('unscope inverts subject for every subject', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{1,32}$/), fc.stringMatching(/^[a-z]+(\.[A-Za-z0-9-]+){0,4}$/), (d, s) => {
        const n = deploymentNames(d);
        expect(n.unscope(n.subject(s))).toBe(s);
      }),
    );
  });

  it('refuses a name that would break a subject token or a stream name', () => {
    for (const bad of ['a.b', 'a b', 'a*', 'a>', 'x'.repeat(33)]) expect(() => deploymentNames(bad)).toThrow(/invalid deployment name/);
  });
});

import { describe, expect, it } from 'vitest';
import { PerpetuaConfig } from '../src/perpetua-config.js';
import { natsBusOptions } from '../src/compose/nats-bus-options.js';

describe('natsBusOptions: every process connects with the same names and stream limits', () => {
  it('carries the deployment, replicas and both streams\' limits from the config', () => {
    const config = PerpetuaConfig.parse({ nats: { url: 'nats://127.0.0.1:4222', deployment: 'prod', replicas: 3, fillsMaxMessages: 5000, orderEventsMaxAgeHours: 48 } });
    expect(natsBusOptions(config, 'perpetua-dashboard')).toEqual({
      url: 'nats://127.0.0.1:4222',
      name: 'perpetua-dashboard',
      deployment: 'prod',
      replicas: 3,
      fillsMaxMessages: 5000,
      orderEventsMaxAgeMs: 48 * 60 * 60 * 1000,
    });
  });

  it('leaves unset limits unset (the bus applies its defaults) and adds what the caller gives', () => {
    const config = PerpetuaConfig.parse({ nats: { url: 'nats://127.0.0.1:4222' } });
    expect(natsBusOptions(config, 'perpetua-risk', { waitForServer: true })).toEqual({ url: 'nats://127.0.0.1:4222', name: 'perpetua-risk', waitForServer: true });
  });

  it('refuses an age limit under the de-duplication window, naming the key', () => {
    const r = PerpetuaConfig.safeParse({ nats: { orderEventsMaxAgeHours: 1 } });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain('orderEventsMaxAgeHours');
  });
});

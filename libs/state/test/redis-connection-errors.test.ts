import { afterEach, describe, expect, it, vi } from 'vitest';
import { RedisStateStore } from '@perpetua/state';
import { freePort, waitUntil } from '@perpetua/testkit';

/**
 * A store whose Redis is down (restarting) reports connection errors to its owner and prints nothing itself (found
 * by the chaos run: every service printed "[ioredis] Unhandled error event: ECONNREFUSED" with a stack on each retry
 * while redis-server restarted).
 */
let store: RedisStateStore | undefined;

afterEach(async () => {
  vi.restoreAllMocks();
  await store?.close().catch(() => undefined);
});

describe('RedisStateStore with its Redis down', () => {
  it('hands connection errors to onConnectionError; ioredis prints no unhandled error event', async () => {
    const printed = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const errors: Error[] = [];
    store = new RedisStateStore(`redis://127.0.0.1:${await freePort()}`, { prefix: 't:', onConnectionError: (err) => errors.push(err) });
    await waitUntil(() => errors.length >= 2, 10_000, 'two connection errors reported');
    expect(errors[0]!.message).toMatch(/ECONNREFUSED/);
    expect(printed.mock.calls.filter((c) => String(c[0]).includes('Unhandled error event'))).toEqual([]);
  });
});

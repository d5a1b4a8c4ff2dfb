import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { RedisKeys } from './redis-keys.js';

const ScanReply = z.tuple([z.string(), z.array(z.string())]);
const SCAN_COUNT = 500;

/**
 * The keys under one prefix that a state rebuild writes (RedisKeys.rebuildablePatterns), found by SCAN,
 * so a wipe before a rebuild removes Perpetua's position state of this prefix and nothing else: never
 * FLUSHDB, never another prefix's or another application's keys.
 */
export async function rebuildableKeys(redis: Redis, keys: RedisKeys): Promise<string[]> {
  const found = new Set<string>();
  for (const pattern of keys.rebuildablePatterns) {
    let cursor = '0';
    do {
      const [next, batch] = ScanReply.parse(await redis.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT));
      for (const k of batch) found.add(k);
      cursor = next;
    } while (cursor !== '0');
  }
  return [...found].sort();
}

/** Deletes the rebuildable keys of the prefix; resolves with how many were deleted. */
export async function wipeRebuildableKeys(redis: Redis, keys: RedisKeys): Promise<number> {
  const found = await rebuildableKeys(redis, keys);
  let deleted = 0;
  for (let i = 0; i < found.length; i += SCAN_COUNT) deleted += z.number().parse(await redis.del(...found.slice(i, i + SCAN_COUNT)));
  return deleted;
}

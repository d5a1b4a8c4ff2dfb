import { Redis } from 'ioredis';
import { ArbOpportunityMessage } from '@perpetua/core';
import type { OpportunityHistory } from './opportunity-history.js';

/** The stream key under a deployment's Redis prefix. */
export const arbStreamKey = (prefix: string): string => `${prefix}arb:opportunities`;

/**
 * Opportunity events also appended to a Redis stream capped near `maxLen`
 * (XADD MAXLEN ~), so a dashboard started later reads the last N. The append is
 * fire-and-forget, off the decision path; `recent()` is the inner history's.
 */
export class RedisStreamHistory implements OpportunityHistory {
  constructor(
    private readonly inner: OpportunityHistory,
    private readonly redis: Redis,
    private readonly key: string,
    private readonly maxLen: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  record(event: ArbOpportunityMessage): void {
    this.inner.record(event);
    this.redis.xadd(this.key, 'MAXLEN', '~', String(this.maxLen), '*', 'event', JSON.stringify(event)).catch(this.onError);
  }

  recent(): readonly ArbOpportunityMessage[] {
    return this.inner.recent();
  }
}

/** The last `count` events of the stream, oldest first; entries that fail the schema are skipped and counted. */
export async function readOpportunityStream(redis: Redis, key: string, count: number): Promise<{ events: ArbOpportunityMessage[]; invalid: number }> {
  const entries = await redis.xrevrange(key, '+', '-', 'COUNT', count);
  const events: ArbOpportunityMessage[] = [];
  let invalid = 0;
  for (const [, fields] of entries.reverse()) {
    const i = fields.indexOf('event');
    let parsed: ReturnType<typeof ArbOpportunityMessage.safeParse> | undefined;
    try {
      parsed = i >= 0 && fields[i + 1] !== undefined ? ArbOpportunityMessage.safeParse(JSON.parse(fields[i + 1]!)) : undefined;
    } catch {
      parsed = undefined;
    }
    if (parsed?.success) events.push(parsed.data);
    else invalid++;
  }
  return { events, invalid };
}

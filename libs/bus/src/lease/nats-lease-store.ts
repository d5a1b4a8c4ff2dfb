import type { KV } from '@nats-io/kv';
import { encodeKvKey } from '../kv-names.js';
import type { LeaseStore } from './lease-store.js';

/**
 * Leases in a JetStream KV bucket whose ttl is the lease's: `create` succeeds
 * only on an absent (expired, deleted) key, `update` only at the revision we
 * hold; the revision (the stream sequence) is the fencing token and only grows.
 */
export class NatsLeaseStore implements LeaseStore {
  constructor(private readonly kv: KV) {}

  async create(key: string, holder: string): Promise<number | undefined> {
    try {
      return await this.kv.create(encodeKvKey(key), holder);
    } catch (err) {
      if (isWrongSequence(err)) return undefined;
      throw err;
    }
  }

  async update(key: string, holder: string, revision: number): Promise<number | undefined> {
    try {
      return await this.kv.update(encodeKvKey(key), holder, revision);
    } catch (err) {
      if (isWrongSequence(err)) return undefined;
      throw err;
    }
  }

  async release(key: string, revision: number): Promise<void> {
    try {
      await this.kv.delete(encodeKvKey(key), { previousSeq: revision });
    } catch (err) {
      if (!isWrongSequence(err)) throw err;
    }
  }

  async holder(key: string): Promise<{ holder: string; revision: number } | undefined> {
    const e = await this.kv.get(encodeKvKey(key));
    if (!e || e.operation !== 'PUT') return undefined;
    return { holder: e.string(), revision: e.revision };
  }

  async list(under: string): Promise<{ holder: string; revision: number }[]> {
    const keys: string[] = [];
    for await (const k of await this.kv.keys(`${encodeKvKey(under)}.>`)) keys.push(k);
    const out: { holder: string; revision: number }[] = [];
    for (const k of keys) {
      const e = await this.kv.get(k);
      if (e && e.operation === 'PUT') out.push({ holder: e.string(), revision: e.revision });
    }
    return out;
  }
}

/** JetStream's "wrong last sequence" (10071): the key exists, or moved since our revision. */
function isWrongSequence(err: unknown): boolean {
  const e = err as { code?: unknown; api_error?: { err_code?: number }; message?: string };
  return e?.api_error?.err_code === 10071 || /wrong last sequence|key exists/i.test(String(e?.message ?? ''));
}

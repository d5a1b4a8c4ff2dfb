import { randomBytes } from 'node:crypto';

const VALIDITY_MS = 60 * 60 * 1000;
const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

interface ListenKeyEntry {
  listenKey: string;
  accountId: string;
  expiresAt: number;
}

/**
 * Binance's user-data listen keys: one active key per account, valid 60 minutes from the
 * last POST/PUT (wall clock), gone on DELETE or expiry.
 */
export class ListenKeys {
  private readonly byKey = new Map<string, ListenKeyEntry>();
  private readonly byAccount = new Map<string, ListenKeyEntry>();

  constructor(private readonly now: () => number) {}

  /** POST: the account's active key (extended) or a new one. */
  open(accountId: string): string {
    const existing = this.byAccount.get(accountId);
    if (existing && existing.expiresAt > this.now()) {
      existing.expiresAt = this.now() + VALIDITY_MS;
      return existing.listenKey;
    }
    if (existing) this.remove(existing.listenKey);
    const entry = { listenKey: newListenKey(), accountId, expiresAt: this.now() + VALIDITY_MS };
    this.byKey.set(entry.listenKey, entry);
    this.byAccount.set(accountId, entry);
    return entry.listenKey;
  }

  /** PUT: extends the account's active key; undefined when it has none (Binance -1125). */
  keepAlive(accountId: string): string | undefined {
    const entry = this.byAccount.get(accountId);
    if (!entry || entry.expiresAt <= this.now()) return undefined;
    entry.expiresAt = this.now() + VALIDITY_MS;
    return entry.listenKey;
  }

  /** DELETE: closes the account's key; returns it so its streams can be closed. */
  close(accountId: string): string | undefined {
    const entry = this.byAccount.get(accountId);
    if (!entry) return undefined;
    this.remove(entry.listenKey);
    return entry.listenKey;
  }

  /** The account behind a live key. */
  accountOf(listenKey: string): string | undefined {
    const entry = this.byKey.get(listenKey);
    return entry && entry.expiresAt > this.now() ? entry.accountId : undefined;
  }

  /** The account's live key, if any. */
  keyOf(accountId: string): string | undefined {
    const entry = this.byAccount.get(accountId);
    return entry && entry.expiresAt > this.now() ? entry.listenKey : undefined;
  }

  /** Removes and returns the keys that have expired. */
  sweepExpired(): string[] {
    const gone: string[] = [];
    for (const entry of this.byKey.values()) {
      if (entry.expiresAt <= this.now()) gone.push(entry.listenKey);
    }
    for (const k of gone) this.remove(k);
    return gone;
  }

  private remove(listenKey: string): void {
    const entry = this.byKey.get(listenKey);
    if (!entry) return;
    this.byKey.delete(listenKey);
    if (this.byAccount.get(entry.accountId) === entry) this.byAccount.delete(entry.accountId);
  }
}

function newListenKey(): string {
  const bytes = randomBytes(64);
  let out = '';
  for (const b of bytes) out += KEY_ALPHABET[b % KEY_ALPHABET.length];
  return out;
}

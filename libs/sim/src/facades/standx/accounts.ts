/**
 * The façade's view of its accounts: the ed25519 key each signs with, the StandX
 * `user` name, and the per-symbol bits StandX shows that the engine does not keep
 * (margin mode, position id).
 */
import { createHash } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { base58 } from '@scure/base';
import type { MarginMode } from './wire-format.js';

export interface StandxFacadeAccount {
  /** Engine account id. */
  accountId: string;
  /** ed25519 secret, base58 (32-byte seed); generated when absent. */
  privateKey?: string;
  /** Created with this balance (venue quote asset) when the engine does not have the account yet. Default 100000. */
  initialBalance?: string;
}

export interface AccountRecord {
  accountId: string;
  /** StandX `user` / wallet id, e.g. "bsc_0x…". */
  user: string;
  privateKeyBase58: string;
  publicKey: Uint8Array;
  publicKeyBase58: string;
  createdAt: number;
  marginMode: Map<string, MarginMode>;
  positionIds: Map<string, number>;
}

export class AccountRegistry {
  private readonly byId = new Map<string, AccountRecord>();
  private nextPositionId = 1;

  add(spec: StandxFacadeAccount, createdAt: number): AccountRecord {
    const seed = spec.privateKey === undefined ? ed25519.utils.randomSecretKey() : decodeSeed(spec.privateKey);
    const publicKey = ed25519.getPublicKey(seed);
    const digest = createHash('sha256').update(publicKey).digest('hex').slice(0, 40);
    const rec: AccountRecord = {
      accountId: spec.accountId,
      user: `bsc_0x${digest}`,
      privateKeyBase58: base58.encode(seed),
      publicKey,
      publicKeyBase58: base58.encode(publicKey),
      createdAt,
      marginMode: new Map(),
      positionIds: new Map(),
    };
    this.byId.set(spec.accountId, rec);
    return rec;
  }

  get(accountId: string): AccountRecord | undefined {
    return this.byId.get(accountId);
  }

  all(): AccountRecord[] {
    return [...this.byId.values()];
  }

  marginMode(rec: AccountRecord, symbol: string): MarginMode {
    return rec.marginMode.get(symbol) ?? 'cross';
  }

  positionId(rec: AccountRecord, symbol: string): number {
    let id = rec.positionIds.get(symbol);
    if (id === undefined) {
      id = this.nextPositionId++;
      rec.positionIds.set(symbol, id);
    }
    return id;
  }
}

function decodeSeed(b58: string): Uint8Array {
  let raw: Uint8Array;
  try {
    raw = base58.decode(b58);
  } catch {
    throw new Error('StandX façade: account privateKey is not valid base58');
  }
  if (raw.length === 64) return raw.slice(0, 32);
  if (raw.length !== 32) throw new Error(`StandX façade: account privateKey must be 32 bytes, got ${raw.length}`);
  return raw;
}

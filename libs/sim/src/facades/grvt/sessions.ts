/**
 * GRVT API keys and session cookies. `POST /auth/api_key/login {"api_key"}` opens a session: cookie
 * `gravity=<token>` (with an expiry) plus header `X-Grvt-Account-Id`; private calls must carry both.
 * An API key belongs to one sub-account and is tagged to one signer address (GRVT provisions keys per sub-account).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Address, Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { GrvtApiError } from './errors.js';

export interface GrvtAccountSpec {
  /** Default: random. */
  apiKey?: string;
  /** The key the API key is tagged to; orders must be signed by it. Default: random. */
  signerPrivateKey?: Hex;
  /** uint64 as a decimal string. Default: derived from the account's index. */
  subAccountId?: string;
  /** What `X-Grvt-Account-Id` carries (GRVT's main account id). Default: a hex id derived from the sub-account. */
  mainAccountId?: string;
  /** Engine account to trade on. Default: `grvt-<subAccountId>`. */
  engineAccountId?: string;
  /** Funding of the engine account when the façade creates it (quote asset). Default '1000000'. */
  initialBalance?: string;
}

export interface GrvtAccount {
  apiKey: string;
  signerPrivateKey: Hex;
  signer: Address;
  subAccountId: string;
  mainAccountId: string;
  engineAccountId: string;
  initialBalance: string;
}

export interface GrvtSession {
  token: string;
  account: GrvtAccount;
  expiresAt: number;
}

export function resolveAccounts(specs: GrvtAccountSpec[] | undefined): GrvtAccount[] {
  const list = specs && specs.length > 0 ? specs : [{}];
  return list.map((spec, i) => {
    const signerPrivateKey = spec.signerPrivateKey ?? generatePrivateKey();
    const subAccountId = spec.subAccountId ?? String(8_000_000_000_000_000n + BigInt(i + 1));
    if (!/^\d{1,20}$/.test(subAccountId) || BigInt(subAccountId) >= 1n << 64n) {
      throw new Error(`grvt façade: subAccountId must be a uint64 decimal string, got ${subAccountId}`);
    }
    return {
      apiKey: spec.apiKey ?? randomBytes(20).toString('base64url'),
      signerPrivateKey,
      signer: privateKeyToAccount(signerPrivateKey).address,
      subAccountId,
      mainAccountId: spec.mainAccountId ?? `0x${BigInt(subAccountId).toString(16).padStart(40, '0')}`,
      engineAccountId: spec.engineAccountId ?? `grvt-${subAccountId}`,
      initialBalance: spec.initialBalance ?? '1000000',
    };
  });
}

/** The value of cookie `name` in a Cookie header, if present. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export class GrvtSessions {
  private readonly byKey = new Map<string, GrvtAccount>();
  private readonly bySubAccount = new Map<string, GrvtAccount>();
  private readonly sessions = new Map<string, GrvtSession>();

  constructor(
    accounts: GrvtAccount[],
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {
    for (const a of accounts) {
      if (this.byKey.has(a.apiKey)) throw new Error('grvt façade: duplicate api key');
      if (this.bySubAccount.has(a.subAccountId)) throw new Error(`grvt façade: duplicate sub-account ${a.subAccountId}`);
      this.byKey.set(a.apiKey, a);
      this.bySubAccount.set(a.subAccountId, a);
    }
  }

  accounts(): GrvtAccount[] {
    return [...this.byKey.values()];
  }

  subAccount(id: string): GrvtAccount | undefined {
    return this.bySubAccount.get(id);
  }

  login(apiKey: string): GrvtSession {
    const account = this.byKey.get(apiKey);
    if (!account) throw new GrvtApiError('UNAUTHENTICATED', 'invalid api key');
    this.prune();
    const session = { token: randomBytes(24).toString('base64url'), account, expiresAt: this.now() + this.ttlMs };
    this.sessions.set(session.token, session);
    return session;
  }

  /** The session proven by the request's cookie and account header; 1000 when either is missing or stale. */
  authenticate(headers: IncomingHttpHeaders): GrvtSession {
    const token = readCookie(headers.cookie, 'gravity');
    const session = token === undefined ? undefined : this.sessions.get(token);
    if (!session || session.expiresAt <= this.now()) {
      throw new GrvtApiError('UNAUTHENTICATED', session ? 'session expired' : 'missing or unknown gravity cookie');
    }
    const accountHeader = headers['x-grvt-account-id'];
    if (accountHeader !== session.account.mainAccountId) {
      throw new GrvtApiError('UNAUTHENTICATED', 'missing or wrong X-Grvt-Account-Id header');
    }
    return session;
  }

  private prune(): void {
    const t = this.now();
    for (const [token, s] of this.sessions) if (s.expiresAt <= t) this.sessions.delete(token);
  }
}

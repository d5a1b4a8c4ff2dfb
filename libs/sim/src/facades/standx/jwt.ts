/**
 * The façade's access tokens. StandX issues a JWT (7 days by default) that goes in
 * `Authorization: Bearer` and in the WS `auth` message; the simulator signs its own
 * with HS256 and a per-start random secret, so a token from another run never works.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const DEFAULT_TOKEN_TTL_SEC = 7 * 24 * 3600;

const Header = z.object({ alg: z.literal('HS256'), typ: z.literal('JWT') });
const Claims = z.object({
  sub: z.string().min(1),
  address: z.string().min(1),
  iat: z.number().int(),
  exp: z.number().int(),
});
export type TokenClaims = z.infer<typeof Claims>;

export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; reason: string };

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

export class TokenAuthority {
  private readonly secret: Buffer;

  constructor(secret: Buffer = randomBytes(32)) {
    this.secret = secret;
  }

  issue(accountId: string, address: string, nowMs: number, ttlSec = DEFAULT_TOKEN_TTL_SEC): string {
    const iat = Math.floor(nowMs / 1000);
    const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const body = b64url(JSON.stringify({ sub: accountId, address, iat, exp: iat + ttlSec }));
    return `${head}.${body}.${this.mac(`${head}.${body}`)}`;
  }

  verify(token: string, nowMs: number): TokenCheck {
    const parts = token.split('.');
    if (parts.length !== 3) return { ok: false, reason: 'malformed token' };
    const [head, body, sig] = parts as [string, string, string];
    const expected = Buffer.from(this.mac(`${head}.${body}`));
    const given = Buffer.from(sig);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { ok: false, reason: 'invalid token signature' };
    }
    const header = Header.safeParse(decodeJson(head));
    const claims = Claims.safeParse(decodeJson(body));
    if (!header.success || !claims.success) return { ok: false, reason: 'malformed token' };
    if (claims.data.exp * 1000 <= nowMs) return { ok: false, reason: 'token expired' };
    return { ok: true, claims: claims.data };
  }

  private mac(data: string): string {
    return createHmac('sha256', this.secret).update(data).digest('base64url');
  }
}

function decodeJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

import { createHmac, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'perpetua_session';

/** Loopback addresses the dashboard may listen on without a token. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/**
 * Who may use the API and the WebSocket. With a token: the request carries it
 * as `Authorization: Bearer <token>`, or the session cookie the login page set.
 * The cookie holds an HMAC of the token, not the token, and is the same on
 * every replica (no session table: the service stays stateless).
 */
export class AccessGuard {
  private readonly session: string | undefined;

  constructor(private readonly token: string | undefined) {
    this.session = token === undefined ? undefined : createHmac('sha256', token).update('perpetua-dashboard-session-v1').digest('base64url');
  }

  get required(): boolean {
    return this.token !== undefined;
  }

  /** True when the request may proceed. */
  allows(headers: { authorization?: string | undefined; cookie?: string | undefined }): boolean {
    if (this.token === undefined) return true;
    const auth = headers.authorization;
    if (auth?.startsWith('Bearer ') && same(auth.slice(7), this.token)) return true;
    const cookie = readCookie(headers.cookie, SESSION_COOKIE);
    return cookie !== undefined && this.session !== undefined && same(cookie, this.session);
  }

  checkToken(candidate: string): boolean {
    return this.token !== undefined && same(candidate, this.token);
  }

  /** The Set-Cookie value after a good login: HttpOnly, SameSite=Strict, the whole site. */
  sessionCookie(secure: boolean): string {
    return `${SESSION_COOKIE}=${this.session ?? ''}; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200${secure ? '; Secure' : ''}`;
  }
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/**
 * A state-changing request must come from the dashboard's own pages: a browser
 * says where a request comes from (Sec-Fetch-Site, Origin), and anything
 * cross-site is refused, so another site open in the same browser cannot drive
 * the controls (with or without a token: a loopback dashboard has none).
 * Non-browser clients (curl, scripts) send neither header and pass.
 */
export function crossSiteReason(headers: { origin?: string | undefined; host?: string | undefined; 'sec-fetch-site'?: string | undefined }): string | undefined {
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `cross-site request refused (Sec-Fetch-Site: ${site})`;
  const origin = headers.origin;
  if (origin !== undefined) {
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      return 'cross-site request refused (malformed Origin)';
    }
    if (host !== headers.host) return `cross-site request refused (Origin ${origin} is not this dashboard)`;
  }
  return undefined;
}

/**
 * StandX's published limits, enforced the way the venue states them
 * (docs.standx.com/standx-api/rate-limits):
 * - REST, per account: a credit bucket, 45 credits a request, 1,000 credits a second
 *   refill, 900 credits burst (20 requests at once, ~22/s sustained); over it → 429.
 * - REST, per IP: 50 requests a second; over it → 429.
 * - WebSocket, per IP: at most 10 connections open and 30 new connections a minute.
 *   The docs do not say how a refused connection looks: assumed an HTTP 429 at the
 *   upgrade (the connection is never opened).
 * Every socket opened is counted per IP (and per path), so a test can read how many
 * connections a client made.
 */
export interface StandxLimitSettings {
  creditsPerRequest: number;
  creditRefillPerSec: number;
  creditBurst: number;
  ipRequestsPerSec: number;
  maxConnectionsPerIp: number;
  maxNewConnectionsPerMinute: number;
  /** Off: nothing is refused (counting goes on). */
  enforce: boolean;
}

export const STANDX_LIMITS: StandxLimitSettings = {
  creditsPerRequest: 45,
  creditRefillPerSec: 1_000,
  creditBurst: 900,
  ipRequestsPerSec: 50,
  maxConnectionsPerIp: 10,
  maxNewConnectionsPerMinute: 30,
  enforce: true,
};

export interface IpConnectionStats {
  /** Connections open now. */
  open: number;
  /** Most connections open at once. */
  peakOpen: number;
  /** Connections accepted since start. */
  opened: number;
  /** Most connections accepted within any 60 s. */
  peakPerMinute: number;
  /** Upgrades refused for a limit. */
  refused: number;
  /** Connections accepted since start, by path. */
  openedByPath: Record<string, number>;
}

/** Buckets and windows kept per key; more than this many keys and the idle ones go. */
const MAX_KEYS = 10_000;
const MINUTE_MS = 60_000;

export type Admission = { ok: true; release: () => void } | { ok: false; reason: string };

export class StandxVenueLimits {
  private readonly credits = new Map<string, { credits: number; at: number }>();
  private readonly ipSecond = new Map<string, { second: number; count: number }>();
  private readonly ips = new Map<string, IpConnectionStats & { recent: number[] }>();

  constructor(
    private readonly settings: StandxLimitSettings,
    private readonly now: () => number,
  ) {}

  /** One REST request from an IP (and an account when authenticated): undefined to serve it, or why it is refused. */
  restRequest(ip: string, accountId: string | undefined): string | undefined {
    const t = this.now();
    const second = Math.floor(t / 1000);
    let w = this.ipSecond.get(ip);
    if (!w || w.second !== second) {
      if (!w) this.trim(this.ipSecond);
      w = { second, count: 0 };
      this.ipSecond.set(ip, w);
    }
    w.count++;
    if (this.settings.enforce && w.count > this.settings.ipRequestsPerSec) return `rate limit: more than ${this.settings.ipRequestsPerSec} requests a second from this IP`;
    if (accountId === undefined) return undefined;
    let b = this.credits.get(accountId);
    if (!b) {
      this.trim(this.credits);
      b = { credits: this.settings.creditBurst, at: t };
      this.credits.set(accountId, b);
    }
    b.credits = Math.min(this.settings.creditBurst, b.credits + ((t - b.at) / 1000) * this.settings.creditRefillPerSec);
    b.at = t;
    if (b.credits < this.settings.creditsPerRequest) {
      if (this.settings.enforce) return 'rate limit: account credit budget exhausted';
      return undefined;
    }
    b.credits -= this.settings.creditsPerRequest;
    return undefined;
  }

  /** A WebSocket upgrade from an IP: admitted (release when it closes) or refused with the reason. */
  connect(ip: string, path: string): Admission {
    const t = this.now();
    let s = this.ips.get(ip);
    if (!s) {
      s = { open: 0, peakOpen: 0, opened: 0, peakPerMinute: 0, refused: 0, openedByPath: {}, recent: [] };
      this.ips.set(ip, s);
    }
    while (s.recent.length > 0 && s.recent[0]! <= t - MINUTE_MS) s.recent.shift();
    if (this.settings.enforce) {
      if (s.open >= this.settings.maxConnectionsPerIp) {
        s.refused++;
        return { ok: false, reason: `too many connections: at most ${this.settings.maxConnectionsPerIp} per IP` };
      }
      if (s.recent.length >= this.settings.maxNewConnectionsPerMinute) {
        s.refused++;
        return { ok: false, reason: `too many new connections: at most ${this.settings.maxNewConnectionsPerMinute} a minute per IP` };
      }
    }
    const stats = s;
    stats.recent.push(t);
    stats.open++;
    stats.opened++;
    stats.openedByPath[path] = (stats.openedByPath[path] ?? 0) + 1;
    stats.peakOpen = Math.max(stats.peakOpen, stats.open);
    stats.peakPerMinute = Math.max(stats.peakPerMinute, stats.recent.length);
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        stats.open--;
      },
    };
  }

  /** Connection counts per IP (a copy). */
  connectionStats(): Record<string, IpConnectionStats> {
    const out: Record<string, IpConnectionStats> = {};
    for (const [ip, s] of this.ips) {
      const { recent: _recent, ...rest } = s;
      out[ip] = { ...rest, openedByPath: { ...rest.openedByPath } };
    }
    return out;
  }

  private trim(map: Map<string, unknown>): void {
    if (map.size < MAX_KEYS) return;
    const first = map.keys().next().value;
    if (first !== undefined) map.delete(first);
  }
}

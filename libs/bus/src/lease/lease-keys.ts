/**
 * The lease bucket and its keys, in one place: a key names the thing led or
 * held. Keys are encoded into KV key characters by the store (encodeKvKey).
 */
export const LEASE_BUCKET = 'leases';

export const leaseKeys = {
  /** The one gateway publishing `symbol` of `venue`. */
  gatewaySymbol: (venue: string, symbol: string): string => `gateway.${venue}.symbol.${symbol}`,
  /** The gateways of `venue` that are up: one key each, held while alive. */
  gatewayMembers: (venue: string): string => `gateway.${venue}.member`,
  gatewayMember: (venue: string, member: string): string => `gateway.${venue}.member.${member}`,
  /** The active risk service. */
  risk: (): string => 'leader.risk',
  /** The active router of a venue account. */
  router: (venue: string, account: string): string => `leader.router.${venue}.${account}`,
} as const;

/**
 * One timing for every lease of a deployment (the bucket's ttl is the lease's):
 * a holder killed outright is replaced within ttl + renewEvery (2.8 s), so a
 * takeover, reconciling included, fits in 5 s; a holder stops acting 0.7 s
 * before its lease can lapse, and rides out event-loop stalls up to 1.5 s.
 */
export const LEASE_TIMING = { ttlMs: 2_500, renewEveryMs: 300, marginMs: 700 } as const;

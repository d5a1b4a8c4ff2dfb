/**
 * How N live members share a set of items (a venue's symbols among its
 * gateways), each item held by at most one member through a lease. Pure: each
 * member runs it on what it read from the lease store and carries out the
 * answer; the store's create-if-absent makes "never two owners" hold whatever
 * members decide, and this rule makes every item owned and the load even:
 *
 * - target = ceil(items / live members);
 * - unowned items are taken by members under the target, and by anyone when no
 *   other live member has room (so a member counted live but dead cannot leave
 *   an item unowned for longer than its presence lasts);
 * - a member over the target releases its extra once every item is owned and
 *   another live member has room (the newcomer is up: its presence is written),
 *   at most as many as those members can take.
 *
 * Preference is rendezvous hashing of (member, item): deterministic, and each
 * member takes and keeps its most preferred items, so the share is stable.
 */
export interface ShareView {
  items: readonly string[];
  /** Members whose presence is live (the caller included or not: it always counts itself). */
  members: readonly string[];
  /** The current holder of each item; absent when unowned. */
  holders: ReadonlyMap<string, string>;
  me: string;
}

export interface SharePlan {
  acquire: string[];
  release: string[];
  target: number;
}

export function planShare(view: ShareView): SharePlan {
  const members = [...new Set([...view.members, view.me])];
  const items = [...new Set(view.items)];
  const target = items.length === 0 ? 0 : Math.ceil(items.length / members.length);
  const counts = new Map<string, number>(members.map((m) => [m, 0]));
  for (const item of items) {
    const h = view.holders.get(item);
    if (h !== undefined && counts.has(h)) counts.set(h, counts.get(h)! + 1);
  }
  const byPreference = (a: string, b: string) => preference(view.me, b) - preference(view.me, a) || (a < b ? -1 : a > b ? 1 : 0);
  const mine = items.filter((i) => view.holders.get(i) === view.me).sort(byPreference);
  const orphans = items.filter((i) => view.holders.get(i) === undefined).sort(byPreference);
  const othersWithRoom = members.filter((m) => m !== view.me && counts.get(m)! < target);
  if (orphans.length > 0) {
    const take = othersWithRoom.length === 0 ? orphans.length : Math.max(0, target - mine.length);
    return { acquire: orphans.slice(0, take), release: [], target };
  }
  const excess = mine.length - target;
  if (excess <= 0) return { acquire: [], release: [], target };
  const room = othersWithRoom.reduce((n, m) => n + (target - counts.get(m)!), 0);
  return { acquire: [], release: mine.slice(mine.length - Math.min(excess, room)), target };
}

/** A 32-bit FNV-1a of member and item: the rendezvous weight. */
export function preference(member: string, item: string): number {
  let h = 0x811c9dc5;
  const s = `${member}\u0000${item}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

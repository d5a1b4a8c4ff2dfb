/**
 * Redis key layout under one prefix, so test runs and deployments sharing a
 * server never see each other's data. Names are URI-encoded so a ':' inside a
 * venue or account name cannot make two keys collide.
 */
export class RedisKeys {
  /** The prefix without a trailing ':', so "perpetua:" and "perpetua" give the same keys. */
  private readonly root: string;

  constructor(readonly prefix: string) {
    if (!/^[\w.:{}-]{1,100}$/.test(prefix) || /^:+$/.test(prefix)) {
      throw new Error(`Redis key prefix must be 1-100 characters of letters, digits, _ . : { } -, got ${JSON.stringify(prefix)}`);
    }
    this.root = prefix.replace(/:+$/, '');
  }

  /** Hash: the position's fields plus a version for compare-and-set. */
  position(venue: string, account: string, symbol: string): string {
    return `${this.root}:pos:${enc(venue)}:${enc(account)}:${enc(symbol)}`;
  }

  /** Set of every position hash key, for listPositions without SCAN. */
  get positionIndex(): string {
    return `${this.root}:positions`;
  }

  /** Set of fill ids applied for one venue (fill ids are unique per venue). */
  fillIds(venue: string): string {
    return `${this.root}:fills:${enc(venue)}`;
  }

  /** Hash: content key -> mark, for fills known by content as well as by id (fill-content-dedupe.ts). */
  fillContents(venue: string): string {
    return `${this.root}:fillcontent:${enc(venue)}`;
  }

  /** Sorted set: content key scored by exchange time, bounding fillContents. */
  fillContentTimes(venue: string): string {
    return `${this.root}:fillcontentts:${enc(venue)}`;
  }

  /** Sorted set: fill id scored by exchange time, bounding fillIds (fills booked before it existed stay in the set). */
  fillIdTimes(venue: string): string {
    return `${this.root}:fillidts:${enc(venue)}`;
  }

  /** List of fill ids in the order they were applied to one position (the newest maxFillLog). */
  fillLog(venue: string, account: string, symbol: string): string {
    return `${this.root}:filllog:${enc(venue)}:${enc(account)}:${enc(symbol)}`;
  }

  /** Set of funding payment ids booked to one position. */
  fundingIds(venue: string, account: string, symbol: string): string {
    return `${this.root}:funding:${enc(venue)}:${enc(account)}:${enc(symbol)}`;
  }

  get halt(): string {
    return `${this.root}:halt`;
  }

  /** String: JSON array of the open orders of one venue account. */
  openOrders(venue: string, account: string): string {
    return `${this.root}:orders:${enc(venue)}:${enc(account)}`;
  }

  /** String: exchange time (ms) of the newest fill the router of one venue account has published. */
  fillWatermark(venue: string, account: string): string {
    return `${this.root}:fillmark:${enc(venue)}:${enc(account)}`;
  }

  /** String: venue time (ms) of the newest funding payment booked for one venue account. */
  fundingWatermark(venue: string, account: string): string {
    return `${this.root}:fundmark:${enc(venue)}:${enc(account)}`;
  }

  /**
   * SCAN patterns of every key a rebuild from the fill stream (and venue funding) writes: positions,
   * their index, fill and funding ids, fill content marks, fill logs and both watermarks. Not the halt, the open orders or
   * the fences, which a rebuild cannot restore and must not lose. The prefix admits no glob character.
   */
  get rebuildablePatterns(): string[] {
    return ['pos', 'fills', 'fillidts', 'fillcontent', 'fillcontentts', 'filllog', 'funding', 'fillmark', 'fundmark'].map((family) => `${this.root}:${family}:*`).concat(this.positionIndex);
  }

  /** String: the highest fencing token written under one scope (a leader's). */
  fence(scope: string): string {
    return `${this.root}:fence:${enc(scope)}`;
  }
}

const enc = encodeURIComponent;

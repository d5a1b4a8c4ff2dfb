/** Keys remembered; the oldest go once there are this many (a trade has at most two). */
const MAX_REMEMBERED = 40_000;

/**
 * Which of our StandX trades were reported, so each fill goes out once although it can
 * reach us twice (private stream and the catch-up query after a reconnect). A trade is
 * known by every key it has (standx-trading-map.ts tradeKeysOf): its id, and its content
 * (order, time, price, size), because the stream's undocumented payload may carry no
 * id while query_trades' does. The highest numeric id seen marks how far the stream got.
 */
export class StandxFillLedger {
  private readonly seen = new Set<string>();
  private high: bigint | undefined;

  /** Marks a trade reported; false when it already was (under any of its keys). */
  claim(keys: readonly string[], id?: string | number | null): boolean {
    if (this.has(keys)) return false;
    for (const k of keys) this.seen.add(k);
    if (id != null && /^\d+$/.test(String(id))) {
      const n = BigInt(id);
      if (this.high === undefined || n > this.high) this.high = n;
    }
    while (this.seen.size > MAX_REMEMBERED) {
      const oldest = this.seen.values().next().value;
      if (oldest === undefined) break;
      this.seen.delete(oldest);
    }
    return true;
  }

  has(keys: readonly string[]): boolean {
    return keys.some((k) => this.seen.has(k));
  }

  /** The highest trade id reported so far (undefined while the stream gives no ids). */
  get highWater(): bigint | undefined {
    return this.high;
  }
}

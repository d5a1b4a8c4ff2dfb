/** Trade ids remembered; StandX ids only grow, so the oldest can go once there are this many. */
const MAX_REMEMBERED = 20_000;

/**
 * Which of our StandX trades were reported, so each fill goes out once although it
 * can reach us twice (private stream and the catch-up query after a reconnect).
 * StandX trade ids are integers that grow per venue: the highest one seen marks how
 * far the stream got, and a catch-up only needs what lies above it.
 */
export class StandxFillLedger {
  private readonly seen = new Set<string>();
  private high: bigint | undefined;

  /** Marks a trade reported; false when it already was. */
  claim(tradeId: string): boolean {
    if (this.seen.has(tradeId)) return false;
    this.seen.add(tradeId);
    const id = BigInt(tradeId);
    if (this.high === undefined || id > this.high) this.high = id;
    if (this.seen.size > MAX_REMEMBERED) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    return true;
  }

  has(tradeId: string): boolean {
    return this.seen.has(tradeId);
  }

  /** The highest trade id reported so far. */
  get highWater(): bigint | undefined {
    return this.high;
  }
}

/**
 * A time series for the report that never grows past `max` points: when full,
 * every other point is dropped and the sampling interval doubles, so a week's
 * run and an hour's both fit in the same memory.
 */
export class BoundedSeries<T extends readonly number[]> {
  private points: T[] = [];
  private stride = 1;
  private seen = 0;

  constructor(private readonly max = 20_000) {}

  push(point: T): void {
    if (this.seen++ % this.stride !== 0) return;
    this.points.push(point);
    if (this.points.length >= this.max) {
      this.points = this.points.filter((_, i) => i % 2 === 0);
      this.stride *= 2;
    }
  }

  get values(): readonly T[] {
    return this.points;
  }
}

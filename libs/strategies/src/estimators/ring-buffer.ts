/** A fixed-capacity FIFO: pushing past capacity drops the oldest. Bounded memory for estimators that run for weeks. */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`ring capacity must be a positive integer, got ${capacity}`);
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    if (this.count < this.capacity) {
      this.items[(this.start + this.count) % this.capacity] = item;
      this.count++;
    } else {
      this.items[this.start] = item;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** Oldest first. */
  at(i: number): T {
    if (i < 0 || i >= this.count) throw new RangeError(`ring index ${i} outside 0..${this.count - 1}`);
    return this.items[(this.start + i) % this.capacity] as T;
  }

  /** Drops the oldest items while `pred` holds for them. */
  dropWhile(pred: (item: T) => boolean): void {
    while (this.count > 0 && pred(this.items[this.start] as T)) {
      this.items[this.start] = undefined;
      this.start = (this.start + 1) % this.capacity;
      this.count--;
    }
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.count; i++) yield this.items[(this.start + i) % this.capacity] as T;
  }
}

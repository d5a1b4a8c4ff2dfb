import type { LeaseTiming } from './lease-machine.js';
import type { LeaseStore } from './lease-store.js';
import { planShare } from './share-plan.js';

export interface SharedLeasesOptions extends LeaseTiming {
  store: LeaseStore;
  /** The items shared (a venue's symbols). */
  items: readonly string[];
  /** The lease key of an item. */
  itemKey: (item: string) => string;
  /** Where members announce themselves (`under.<member>`): the live ones share the items. */
  membersUnder: string;
  /** This member (unique among the live ones; e.g. host-pid). */
  member: string;
  now: () => number;
  /** Called when the set held changes (gained or lost items). */
  onChange?: (held: ReadonlySet<string>) => void;
  onError?: (err: unknown) => void;
}

/**
 * The shell around planShare: every renewEveryMs it renews this member's
 * presence and the leases it holds, reads who holds what, and acquires or
 * releases as the plan says. An item counts as held only until its last
 * renewal was sent plus ttl minus margin, so a paused member stops before
 * another can take the item.
 */
export class SharedLeases {
  private readonly held = new Map<string, { revision: number; validUntil: number }>();
  private presence: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private lastReported = '';

  constructor(private readonly o: SharedLeasesOptions) {
    if (o.ttlMs <= o.marginMs + o.renewEveryMs) throw new Error(`lease timing: ttl ${o.ttlMs} ms must exceed renewEvery ${o.renewEveryMs} ms + margin ${o.marginMs} ms`);
  }

  start(): void {
    this.kick();
    this.timer = setInterval(() => this.kick(), this.o.renewEveryMs);
    this.timer.unref();
  }

  /** Whether this member publishes `item` now. */
  holds(item: string): boolean {
    const h = this.held.get(item);
    return h !== undefined && this.o.now() < h.validUntil;
  }

  heldItems(): string[] {
    return this.o.items.filter((i) => this.holds(i));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
    const leases = [...this.held].map(([item, h]) => [this.o.itemKey(item), h.revision] as const);
    this.held.clear();
    this.report();
    // Released at once, so the others take over now rather than after the ttl.
    for (const [key, revision] of leases) await this.o.store.release(key, revision).catch((err: unknown) => this.o.onError?.(err));
    if (this.presence !== undefined) await this.o.store.release(this.memberKey(), this.presence).catch((err: unknown) => this.o.onError?.(err));
  }

  private memberKey(): string {
    return `${this.o.membersUnder}.${this.o.member}`;
  }

  private kick(): void {
    if (this.running || this.stopped) return;
    this.running = this.round()
      .catch((err: unknown) => this.o.onError?.(err))
      .finally(() => {
        this.running = undefined;
        this.report();
      });
  }

  private validFrom(sentAt: number): number {
    return sentAt + this.o.ttlMs - this.o.marginMs;
  }

  private async round(): Promise<void> {
    const { store, now } = this.o;
    // Our own leases first: they lapse before our presence does, so the others never wait on a member that holds nothing.
    for (const [item, h] of [...this.held]) {
      const sentAt = now();
      const rev = await store.update(this.o.itemKey(item), this.o.member, h.revision).catch((err: unknown) => {
        this.o.onError?.(err);
        return null; // no answer: keep it until its validity runs out
      });
      if (rev === undefined) this.held.delete(item);
      else if (rev !== null && !this.stopped) this.held.set(item, { revision: rev, validUntil: this.validFrom(sentAt) });
    }
    for (const [item, h] of [...this.held]) if (now() >= h.validUntil) this.held.delete(item);
    this.presence = this.presence === undefined ? await store.create(this.memberKey(), this.o.member) : ((await store.update(this.memberKey(), this.o.member, this.presence)) ?? (await store.create(this.memberKey(), this.o.member)));
    this.report();
    if (this.stopped) return;

    const holders = new Map<string, string>();
    for (const item of this.o.items) {
      const h = await store.holder(this.o.itemKey(item));
      if (h) holders.set(item, h.holder);
    }
    const members = (await store.list(this.o.membersUnder)).map((m) => m.holder);
    const plan = planShare({ items: this.o.items, members, holders, me: this.o.member });
    for (const item of plan.release) {
      const h = this.held.get(item);
      if (!h) continue;
      this.held.delete(item);
      this.report(); // stop publishing before the lease is free
      await store.release(this.o.itemKey(item), h.revision);
    }
    for (const item of plan.acquire) {
      if (this.stopped) return;
      const sentAt = now();
      const rev = await store.create(this.o.itemKey(item), this.o.member);
      if (rev !== undefined) this.held.set(item, { revision: rev, validUntil: this.validFrom(sentAt) });
    }
  }

  private report(): void {
    const held = this.heldItems();
    const sig = held.join('\u0000');
    if (sig === this.lastReported) return;
    this.lastReported = sig;
    this.o.onChange?.(new Set(held));
  }
}

import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { D, dec, subjects, toNumber, type Clock, type FundingPayment } from '@perpetua/core';
import type { Bus } from '@perpetua/bus';
import type { StateStore } from '@perpetua/state';
import type { TradingAdapter } from '@perpetua/venues';
import { FundingMetrics } from './funding-metrics.js';
import { fundingQueryStart, nextFundingWatermark } from './funding-window.js';

export interface FundingBookerOptions {
  /** How often the venue's funding history is read (default 60 s; funding settles every 1-8 h). */
  intervalMs?: number;
  /** With no watermark stored yet, payments from this far back are booked (default 24 h, as for fills). */
  lookbackMs?: number;
  /** Payments are read again from this long before the watermark: a venue may list one late (default 1 h). */
  marginMs?: number;
  /** Only these symbols (default: every symbol the venue reports). */
  symbols?: string[];
}

export interface FundingBookerDeps {
  adapter: Pick<TradingAdapter, 'venue' | 'account' | 'fundingPayments'>;
  store: Pick<StateStore, 'applyFunding' | 'getFundingWatermark' | 'advanceFundingWatermark'>;
  bus: Pick<Bus, 'publish'>;
  clock: Clock;
  logger: Logger;
  registry: Registry;
  options?: FundingBookerOptions;
}

/**
 * Books one venue account's funding payments into its positions exactly once: reads the venue's
 * funding history from the stored watermark (less a margin) on a timer of the injected clock and
 * whenever asked (a reconnect), books each payment idempotently by its id, then moves the watermark.
 * A restart reads the margin again and books nothing twice; a failed poll leaves the watermark, so
 * nothing is skipped. Each booked payment goes out on funding.<venue>.<account>.<symbol>, so risk
 * re-reads the position (its daily loss counts funding).
 */
export class FundingBooker {
  private readonly m: FundingMetrics;
  private readonly timerName: string;
  private running: Promise<number> | undefined;
  private again = false;
  private stopped = false;

  constructor(private readonly deps: FundingBookerDeps) {
    this.m = FundingMetrics.of(deps.registry);
    this.timerName = `funding-booker:${deps.adapter.venue}:${deps.adapter.account}`;
  }

  /** Books what is owed since the watermark, then keeps polling. A failing first poll is logged, not thrown. */
  async start(): Promise<void> {
    await this.poll();
    if (this.stopped) return;
    this.deps.clock.setTimer(this.timerName, this.deps.options?.intervalMs ?? 60_000, () => void this.poll());
  }

  /**
   * No more polls; resolves once a poll in flight has finished (it books nothing more once stopped), or
   * after 5 s of a venue call that hangs: a shutdown bound, as the router's own.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.deps.clock.cancelTimer(this.timerName);
    await Promise.race([this.running, new Promise((r) => setTimeout(r, 5_000).unref())]);
  }

  /**
   * Polls now (a reconnect, a test). A call during a poll makes that poll run once more, after it, so
   * nothing settled meanwhile waits a whole interval. Resolves with the payments newly booked.
   */
  poll(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = async (): Promise<number> => {
      let booked = 0;
      do {
        this.again = false;
        booked += await this.pollOnce();
      } while (this.again && !this.stopped);
      return booked;
    };
    this.running = run().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pollOnce(): Promise<number> {
    const { adapter, store, clock, options } = this.deps;
    const { venue, account } = adapter;
    try {
      const watermark = await store.getFundingWatermark(venue, account);
      const since = fundingQueryStart(watermark, clock.now(), { lookbackMs: options?.lookbackMs ?? 86_400_000, marginMs: options?.marginMs ?? 3_600_000 });
      const payments = (await adapter.fundingPayments(since, options?.symbols)).filter((p) => p.venue === venue && p.account === account);
      let booked = 0;
      for (const p of payments) {
        if (this.stopped) return booked; // the watermark stays: the next run books the rest
        if (await this.book(p)) booked++;
      }
      const next = nextFundingWatermark(watermark, payments);
      if (next !== undefined && next !== watermark) await store.advanceFundingWatermark(venue, account, next);
      return booked;
    } catch (err) {
      // The watermark stays: the next poll reads the same payments again and books only the missing ones.
      this.m.errors.inc({ venue });
      this.deps.logger.warn({ err, venue, account }, 'funding poll failed; retried at the next poll');
      return 0;
    }
  }

  private async book(p: FundingPayment): Promise<boolean> {
    if (!(await this.deps.store.applyFunding(p.venue, p.account, p.symbol, p.amount, p.paymentId, p.tsExchange))) return false;
    const labels = { venue: p.venue, account: p.account, symbol: p.symbol };
    this.m.booked.inc(labels);
    const amount = dec(p.amount);
    if (amount > 0n) this.m.paid.inc(labels, toNumber(amount));
    else if (amount < 0n) this.m.received.inc(labels, toNumber(D.neg(amount)));
    this.deps.bus.publish(subjects.funding(p.venue, p.account, p.symbol), p);
    this.deps.logger.info({ venue: p.venue, account: p.account, symbol: p.symbol, amount: p.amount, paymentId: p.paymentId, ts: p.tsExchange }, 'funding booked');
    return true;
  }
}

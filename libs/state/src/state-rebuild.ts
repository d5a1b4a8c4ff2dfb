import { FundingPayment, type Fill } from '@perpetua/core';
import type { StateStore } from './state-store.js';

/**
 * Rebuilding positions, PnL, fees and funding after the store was lost (Redis wiped): every fill of
 * the durable fill stream is booked again, in stream order, through the store's own applyFill (the
 * same exactly-once booking risk does), and funding from the venues' funding history through
 * applyFunding, as the routers' funding bookers do. The stream and the venues are read through the
 * small interfaces below, so this file knows neither NATS nor a venue.
 */

/** The fill stream as the rebuild reads it (NatsBus.readDurable on FILLS). */
export interface FillHistory {
  /**
   * Hands every fill stored when the read began, oldest first, to onFill one at a time (with its stream
   * sequence and the read's last), and resolves with what the stream held.
   */
  readFills(onFill: (fill: Fill, at: { streamSeq: number; lastSeq: number }) => Promise<void>): Promise<FillHistorySpan>;
}

export interface FillHistorySpan {
  /** Sequence of the oldest message kept; above 1, older fills were discarded by the stream's limit. */
  firstSeq: number;
  /** Sequence of the newest message when the read began (0: never written). */
  lastSeq: number;
  /** Messages stored when the read began. */
  messages: number;
  /** Messages that failed the Fill schema (skipped). */
  invalid: number;
}

/** One venue account's funding history (a trading adapter's fundingPayments). */
export interface FundingHistory {
  venue: string;
  account: string;
  fundingPayments(sinceMs: number): Promise<FundingPayment[]>;
}

export type RebuildTarget = Pick<StateStore, 'applyFill' | 'applyFunding' | 'advanceFillWatermark' | 'advanceFundingWatermark'>;

export interface RebuildProgress {
  fillsReplayed: number;
  duplicatesSkipped: number;
  /** Stream sequence of the fill just booked, and the last one the read goes to. */
  streamSeq: number;
  lastSeq: number;
}

export interface RebuildOptions {
  fills: FillHistory;
  store: RebuildTarget;
  /** Venue funding histories, read from sinceMs (venue time, ms); without them funding is not rebuilt. */
  funding?: { sources: FundingHistory[]; sinceMs: number };
  /** Called every progressEvery fills (default 1000) and once at the end of the stream. */
  onProgress?: (p: RebuildProgress) => void;
  progressEvery?: number;
}

export interface RebuildReport {
  fillsReplayed: number;
  /** Fills already booked (a fill stored twice under two message ids): exactly-once, not an error. */
  duplicatesSkipped: number;
  /** Stream messages that were not fills by the schema. */
  invalidMessages: number;
  /** `venue/account` pairs with a fill or a funding payment, sorted. */
  accounts: string[];
  /** `venue/symbol` pairs with a fill or a funding payment, sorted. */
  symbols: string[];
  /** Positions written: one per venue, account and symbol. */
  positions: number;
  fundingBooked: number;
  fundingDuplicates: number;
  /** Funding was read from these venue accounts (empty: funding not rebuilt). */
  fundingSources: string[];
  stream: { firstSeq: number; lastSeq: number; messages: number };
  /** The stream no longer holds its first fills (its byte limit discarded them): positions miss them. */
  truncated: boolean;
}

export async function rebuildState(o: RebuildOptions): Promise<RebuildReport> {
  const every = o.progressEvery ?? 1000;
  if (!Number.isInteger(every) || every < 1) throw new Error('progressEvery must be a positive integer');
  const accounts = new Set<string>();
  const symbols = new Set<string>();
  const positions = new Set<string>();
  const touch = (venue: string, account: string, symbol: string): void => {
    accounts.add(`${venue}/${account}`);
    symbols.add(`${venue}/${symbol}`);
    positions.add(JSON.stringify([venue, account, symbol]));
  };
  /** The fill watermark each router had: the newest exchange time of its published fills (FillPublisher's). */
  const fillMarks = new Map<string, { venue: string; account: string; ts: number }>();
  let fillsReplayed = 0;
  let duplicatesSkipped = 0;
  let lastSeen = 0;

  const span = await o.fills.readFills(async (fill, { streamSeq, lastSeq }) => {
    const r = await o.store.applyFill(fill);
    if (r.applied) fillsReplayed++;
    else duplicatesSkipped++;
    touch(fill.venue, fill.account, fill.symbol);
    const key = JSON.stringify([fill.venue, fill.account]);
    const ts = Math.max(0, Math.floor(fill.tsExchange));
    if (ts > (fillMarks.get(key)?.ts ?? -1)) fillMarks.set(key, { venue: fill.venue, account: fill.account, ts });
    lastSeen = streamSeq;
    if ((fillsReplayed + duplicatesSkipped) % every === 0) o.onProgress?.({ fillsReplayed, duplicatesSkipped, streamSeq, lastSeq });
  });
  o.onProgress?.({ fillsReplayed, duplicatesSkipped, streamSeq: lastSeen, lastSeq: span.lastSeq });
  for (const m of fillMarks.values()) await o.store.advanceFillWatermark(m.venue, m.account, m.ts);

  let fundingBooked = 0;
  let fundingDuplicates = 0;
  for (const source of o.funding?.sources ?? []) {
    let mark: number | undefined;
    for (const raw of await source.fundingPayments(o.funding!.sinceMs)) {
      const p = FundingPayment.parse(raw);
      if (p.venue !== source.venue || p.account !== source.account) continue; // as the funding booker: its own account only
      if (await o.store.applyFunding(p.venue, p.account, p.symbol, p.amount, p.paymentId, p.tsExchange)) fundingBooked++;
      else fundingDuplicates++;
      touch(p.venue, p.account, p.symbol);
      if (mark === undefined || p.tsExchange > mark) mark = p.tsExchange;
    }
    if (mark !== undefined) await o.store.advanceFundingWatermark(source.venue, source.account, mark);
  }

  return {
    fillsReplayed,
    duplicatesSkipped,
    invalidMessages: span.invalid,
    accounts: [...accounts].sort(),
    symbols: [...symbols].sort(),
    positions: positions.size,
    fundingBooked,
    fundingDuplicates,
    fundingSources: (o.funding?.sources ?? []).map((s) => `${s.venue}/${s.account}`),
    stream: { firstSeq: span.firstSeq, lastSeq: span.lastSeq, messages: span.messages },
    truncated: isTruncated(span),
  };
}

/** Sequences start at 1: a first kept above it (or an emptied stream that was written) lost fills. */
export function isTruncated(span: Pick<FillHistorySpan, 'firstSeq' | 'lastSeq' | 'messages'>): boolean {
  return span.messages === 0 ? span.lastSeq > 0 : span.firstSeq > 1;
}

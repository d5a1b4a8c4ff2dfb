import { describe, expect, it } from 'vitest';
import { BboMessage, BookMessage, Fill, patterns, QuoteIntent, subjects, type BboMessage as Bbo, type MessageOf } from '@perpetua/core';
import { InProcessBus } from '@perpetua/bus';
import { waitUntil } from '@perpetua/testkit';

/**
 * Subjects carry their schema's type, so the bus refuses a mismatched producer
 * or consumer at compile time. The `@ts-expect-error` lines are the test: this
 * file is part of `npm run typecheck`, which fails if any of them compiles.
 * The calls sit in a function never run, so nothing invalid reaches a bus.
 */
function compileTimeOnly(bus: InProcessBus): void {
  const bbo: Bbo = { venue: 'a', symbol: 'BTC-PERP', seq: 1, bid: [100, 1], ask: [101, 1], tsExchange: 1, tsReceived: 1, tsPublished: 1, stale: false };

  bus.publish(subjects.bbo('a', 'BTC-PERP'), bbo);
  // @ts-expect-error a BBO is not a book: the subject's schema decides what may be published on it
  bus.publish(subjects.book('a', 'BTC-PERP'), bbo);
  // @ts-expect-error a message missing a required field
  bus.publish(subjects.bbo('a', 'BTC-PERP'), { venue: 'a', symbol: 'BTC-PERP' });
  // @ts-expect-error a plain string is not a subject: subjects are built in libs/core
  bus.publish('md.bbo.a.BTC-PERP', bbo);
  // @ts-expect-error a wildcard pattern cannot be published to
  bus.publish(patterns.allBbo, bbo);
  // @ts-expect-error a request subject takes requests through request(), never a plain publish
  bus.publish(subjects.control('risk', 'kill'), { reason: 'r', by: 'me' });
  // @ts-expect-error durable publishes are checked too
  void bus.publishDurable('fills', subjects.fill('a', 'BTC-PERP'), bbo, 'id');

  // A field with a schema default (postOnly) may be left out by the producer: the subject accepts the schema's input.
  bus.publish(subjects.quoteIntent('mm'), { intentId: 'i', strategy: 'mm', venue: 'a', account: 'x', symbol: 'BTC-PERP', quotes: [{ slot: 'bid-0', side: 'buy', price: '1', qty: '1' }], bookSeq: 1, ts: 1 });
  // and the subscriber receives the schema's output, the default filled in.
  bus.subscribe(patterns.allQuoteIntents, QuoteIntent, (q) => {
    const postOnly: boolean | undefined = q.quotes[0]?.postOnly;
    void postOnly;
  });

  bus.subscribe(patterns.allBbo, BboMessage, (m) => {
    const venue: string = m.venue;
    void venue;
    // @ts-expect-error the handler receives the pattern's message type, and a BBO has no bids
    void m.bids;
  });
  // @ts-expect-error parsing a pattern's messages with another message's schema
  bus.subscribe(patterns.allBbo, BookMessage, () => {});
  // @ts-expect-error a plain string is not a pattern
  bus.subscribe('md.bbo.>', BboMessage, () => {});

  const fillType: MessageOf<ReturnType<typeof subjects.fill>> = {} as Fill;
  void fillType;
}

describe('typed subjects', () => {
  it('reach their schema from the builder', () => {
    expect(subjects.bbo.schema).toBe(BboMessage);
    expect(subjects.fill.schema).toBe(Fill);
    expect(patterns.booksOf.schema).toBe(BookMessage);
    void compileTimeOnly;
  });

  it('are plain strings on the wire: a typed publish reaches a typed subscriber, parsed', async () => {
    const bus = new InProcessBus();
    const got: Bbo[] = [];
    bus.subscribe(patterns.bboOf('a'), BboMessage, (m) => void got.push(m));
    const subject = subjects.bbo('a', 'BTC-PERP');
    expect(subject).toBe('md.bbo.a.BTC-PERP');
    bus.publish(subject, { venue: 'a', symbol: 'BTC-PERP', seq: 7, bid: [100, 1], ask: null, tsExchange: 1, tsReceived: 2, tsPublished: 3, stale: false });
    await waitUntil(() => got.length === 1, 1_000, 'the BBO');
    expect(got[0]!.seq).toBe(7);
    await bus.close();
  });
});

import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessBus } from '@perpetua/bus';
import { subjects, type BookMessage, type DepthMessage, type TradeMessage } from '@perpetua/core';
import { MarketDataRecorder, readRecording, RecordingWriter, type ReadIssue, type RecordedMessage } from '../src/index.js';

const dir = () => mkdtempSync(join(tmpdir(), 'perpetua-rec-'));

function book(venue: string, seq: number): BookMessage {
  return { venue, symbol: 'BTC-PERP', seq, bids: [[100 + seq, 1]], asks: [[101 + seq, 2]], tsExchange: 1, tsReceived: 2, tsPublished: 3, stale: false };
}
const trade = (venue: string, id: string): TradeMessage => ({ venue, symbol: 'BTC-PERP', tradeId: id, price: 100, size: 0.5, side: 'buy', tsExchange: 1, tsReceived: 2, tsPublished: 3 });

async function readAll(path: string, issues: ReadIssue[] = []): Promise<RecordedMessage[]> {
  const out: RecordedMessage[] = [];
  for await (const m of readRecording(path, (i) => issues.push(i))) out.push(m);
  return out;
}

describe('market-data recording', () => {
  for (const name of ['md.ndjson.gz', 'md.ndjson']) {
    it(`records what crosses the bus and reads it back identically (${name})`, async () => {
      const path = join(dir(), name);
      const bus = new InProcessBus();
      const writer = new RecordingWriter(path);
      await writer.opened();
      const rec = new MarketDataRecorder(bus, writer, { venues: ['a'] });
      rec.start();
      for (let i = 1; i <= 500; i++) bus.publish(subjects.book('a', 'BTC-PERP'), book('a', i));
      bus.publish(subjects.trade('a', 'BTC-PERP'), trade('a', 't1'));
      bus.publish(subjects.book('b', 'BTC-PERP'), book('b', 1)); // another venue: not recorded
      await bus.flush();
      rec.stop();
      await writer.close();
      await bus.close();
      const back = await readAll(path);
      expect(back).toHaveLength(501);
      expect(back.filter((m) => m.kind === 'book').map((m) => m.msg)).toEqual(Array.from({ length: 500 }, (_, i) => book('a', i + 1)));
      expect(back.at(-1)).toMatchObject({ kind: 'trade', subject: subjects.trade('a', 'BTC-PERP'), msg: trade('a', 't1') });
      expect(rec.counts).toMatchObject({ book: 500, trade: 1 });
    });
  }

  it('keeps the venues\' raw book changes (md.depth) with their sequence numbers and both timestamps, stamped with the injected clock', async () => {
    const path = join(dir(), 'depth.ndjson');
    const bus = new InProcessBus();
    const writer = new RecordingWriter(path);
    await writer.opened();
    const rec = new MarketDataRecorder(bus, writer, { now: () => 42 });
    rec.start();
    const delta: DepthMessage = { venue: 'a', symbol: 'BTC-PERP', type: 'delta', bids: [[100, 0]], asks: [[101, 3]], venueSeq: 8, prevVenueSeq: 7, tsExchange: 5, tsReceived: 6 };
    bus.publish(subjects.depth('a', 'BTC-PERP'), delta);
    await bus.flush();
    rec.stop();
    await writer.close();
    await bus.close();
    expect(await readAll(path)).toEqual([{ kind: 'depth', t: 42, subject: subjects.depth('a', 'BTC-PERP'), msg: delta }]);
    expect(rec.counts.depth).toBe(1);
  });

  it('a recording from before depth was kept (top-20 book snapshots only) still loads', async () => {
    const path = join(dir(), 'old.ndjson');
    const levels = (from: number, step: number) => Array.from({ length: 20 }, (_, i) => [from + i * step, 1 + i]);
    const old = { kind: 'book', t: 1_700_000_000_000, subject: subjects.book('bybit', 'BTC-PERP'), msg: { venue: 'bybit', symbol: 'BTC-PERP', seq: 1, venueSeq: 77, bids: levels(100, -0.1), asks: levels(100.1, 0.1), tsExchange: 1, tsReceived: 2, tsPublished: 3, stale: false, trace: { venue: 1, 'gw.recv': 2 } } };
    writeFileSync(path, `${JSON.stringify(old)}\n`);
    const issues: ReadIssue[] = [];
    const back = await readAll(path, issues);
    expect(issues).toEqual([]);
    expect(back).toEqual([old]);
  });

  it('a bad line is reported with its number and skipped; the rest is read', async () => {
    const path = join(dir(), 'bad.ndjson');
    const good = JSON.stringify({ kind: 'book', t: 1, subject: subjects.book('a', 'BTC-PERP'), msg: book('a', 1) });
    const wrong = JSON.stringify({ kind: 'book', t: 1, subject: 'x', msg: { ...book('a', 2), bids: [[-1, 1]] } });
    writeFileSync(path, `${good}\nnot json\n${wrong}\n${good}\n`);
    const issues: ReadIssue[] = [];
    expect(await readAll(path, issues)).toHaveLength(2);
    expect(issues.map((i) => i.line)).toEqual([2, 3]);
    expect(issues[1]!.error).toContain('msg.bids');
  });

  it('never overwrites an existing recording', async () => {
    const path = join(dir(), 'exists.ndjson.gz');
    writeFileSync(path, 'keep me');
    const w = new RecordingWriter(path);
    await expect(w.opened()).rejects.toThrow(/EEXIST/);
  });
});

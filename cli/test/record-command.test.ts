import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRecording, type RecordedMessage } from '@perpetua/recorder';
import { runCli } from './run-cli.js';

describe('perpetua record', () => {
  it('records the normalized stream of every simulated venue to a gzip NDJSON file that reads back', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'perpetua-rec-')), 'md.ndjson.gz');
    const r = await runCli(['record', '--out', out, '--duration', '4'], { PERPETUA_TELEMETRY__LOG_LEVEL: 'warn' });
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { messages: number; file: string };
    const lines: RecordedMessage[] = [];
    for await (const m of readRecording(out)) lines.push(m);
    expect(lines).toHaveLength(summary.messages);
    const bookVenues = new Set(lines.filter((l) => l.kind === 'book').map((l) => l.msg.venue));
    expect([...bookVenues].sort()).toEqual(['binanceusdm', 'bybit', 'grvt', 'okx', 'standx']);
    expect(lines.some((l) => l.kind === 'trade')).toBe(true);
    expect(lines.some((l) => l.kind === 'mark')).toBe(true);
    // The venues' raw book changes, each with its venue time and our receive time, and sequence numbers where the venue has them.
    const depth = lines.filter((l) => l.kind === 'depth').map((l) => l.msg);
    expect(new Set(depth.map((d) => d.venue)).size).toBe(5);
    expect(depth.some((d) => d.type === 'delta')).toBe(true);
    expect(depth.every((d) => d.tsExchange > 0 && d.tsReceived > 0)).toBe(true);
    expect(depth.some((d) => d.venueSeq !== undefined)).toBe(true);
  }, 60_000);

  it('refuses to overwrite, and names an unknown venue', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'perpetua-rec-')), 'x.ndjson');
    const bad = await runCli(['record', '--out', out, '--venues', 'kraken', '--duration', '1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('kraken');
    const noOut = await runCli(['record', '--duration', '1']);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('--out');
  }, 60_000);
});

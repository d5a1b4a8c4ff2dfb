import { readRecording, type ReadIssue } from '@perpetua/recorder';
import type { ReplayEvent } from './replay-event.js';

/**
 * A recording's market data for one venue and symbol, in the order it was
 * received. The venue's own book changes (md.depth) are used once their first
 * snapshot is seen; until then, and in recordings made before depth was kept,
 * the gateway's top-N books stand in.
 */
export async function* recordingReplay(path: string, venue: string, symbol: string, onIssue?: (issue: ReadIssue) => void): AsyncGenerator<ReplayEvent> {
  let depth = false;
  for await (const line of readRecording(path, onIssue)) {
    if (line.kind === 'status' || line.kind === 'bbo') continue;
    if (line.msg.venue !== venue || line.msg.symbol !== symbol) continue;
    switch (line.kind) {
      case 'depth':
        if (!depth && line.msg.type !== 'snapshot') continue;
        depth = true;
        yield { kind: 'depth', msg: line.msg };
        break;
      case 'book':
        if (!depth) yield { kind: 'book', msg: line.msg };
        break;
      case 'trade':
        yield { kind: 'trade', msg: line.msg };
        break;
      case 'mark':
        yield { kind: 'mark', msg: line.msg };
        break;
    }
  }
}

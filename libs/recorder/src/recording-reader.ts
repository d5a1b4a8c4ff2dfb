import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { RecordedMessage } from './recorded-message.js';
import { parseRecordingLine } from './recording-line.js';

export interface ReadIssue {
  line: number;
  error: string;
}

/**
 * Reads a recording back, line by line, each checked with the bus schemas. A
 * line that fails is reported to `onIssue` and skipped, so one bad line does not
 * lose the rest of a long recording.
 */
export async function* readRecording(path: string, onIssue: (issue: ReadIssue) => void = () => undefined): AsyncGenerator<RecordedMessage> {
  const raw = createReadStream(path);
  const input = path.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  let n = 0;
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    n++;
    const line = parseRecordingLine(text);
    if (line === undefined) continue;
    if ('error' in line) onIssue({ line: n, error: line.error });
    else yield line.message;
  }
}

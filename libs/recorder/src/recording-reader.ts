import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { RecordedMessage } from './recorded-message.js';

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
    if (text.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      onIssue({ line: n, error: 'not JSON' });
      continue;
    }
    const parsed = RecordedMessage.safeParse(json);
    if (!parsed.success) {
      onIssue({ line: n, error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
      continue;
    }
    yield parsed.data;
  }
}

import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { createGzip, type Gzip } from 'node:zlib';
import type { RecordedMessage } from './recorded-message.js';

/**
 * Writes a recording: gzip-compressed NDJSON, one RecordedMessage a line. A
 * `.ndjson` path (no `.gz`) is written uncompressed. Writes respect
 * back-pressure by buffering in the stream; close() flushes and ends the file
 * so a stopped recording is always a complete gzip member.
 */
export class RecordingWriter {
  private readonly file: WriteStream;
  private readonly gzip: Gzip | undefined;
  private count = 0;

  constructor(readonly path: string) {
    this.file = createWriteStream(path, { flags: 'wx' }); // never overwrite a recording
    if (path.endsWith('.gz')) {
      this.gzip = createGzip();
      this.gzip.pipe(this.file);
    }
  }

  /** Resolves once the file is open (fails if it exists or cannot be created). */
  async opened(): Promise<void> {
    await once(this.file, 'open');
  }

  write(line: RecordedMessage): void {
    (this.gzip ?? this.file).write(`${JSON.stringify(line)}\n`);
    this.count++;
  }

  get written(): number {
    return this.count;
  }

  async close(): Promise<void> {
    const head = this.gzip ?? this.file;
    head.end();
    if (!this.file.closed) await once(this.file, 'close');
  }
}

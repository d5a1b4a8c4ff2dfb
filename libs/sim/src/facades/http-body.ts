import type { IncomingMessage } from 'node:http';

/** Request bodies the façades accept (1 MiB: far above any venue's batch request). */
export const MAX_BODY_BYTES = 1 << 20;

/** The body as text, or undefined when it exceeds `max` bytes (the rest is read and discarded). */
export function readBody(req: IncomingMessage, max = MAX_BODY_BYTES): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

import { RecordedMessage } from './recorded-message.js';

/** What one line of a recording holds: a message, a reason it holds none, or nothing (a blank line). */
export type RecordingLine = { message: RecordedMessage } | { error: string } | undefined;

/** Reads one line of a recording, checked with the bus schemas; never throws. */
export function parseRecordingLine(text: string): RecordingLine {
  if (text.trim() === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { error: 'not JSON' };
  }
  const parsed = RecordedMessage.safeParse(json);
  if (!parsed.success) return { error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  return { message: parsed.data };
}

import { streams } from '@perpetua/core';
import type { DurableStream } from './bus.js';
import { subjectMatches } from './subject-match.js';

/** The stream a durable name stands for: its base name and the subjects it captures. */
export function durableStreamSpec(stream: DurableStream): { name: string; subjects: readonly string[] } {
  return streams[stream];
}

/**
 * A durable publish must land in the stream it names; otherwise it would be
 * stored elsewhere (or nowhere) while the caller believes it is durable.
 */
export function assertDurableSubject(stream: DurableStream, subject: string): void {
  const spec = durableStreamSpec(stream);
  if (!spec.subjects.some((p) => subjectMatches(p, subject))) {
    throw new Error(`subject ${subject} is not part of durable stream '${stream}' (${spec.subjects.join(', ')})`);
  }
}

/** Durable consumer names become JetStream consumer names: one token, no wildcards. */
export function assertConsumerName(name: string): void {
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`invalid durable consumer name ${JSON.stringify(name)}: use letters, digits, '-' and '_'`);
}

/** An empty Nats-Msg-Id disables de-duplication on JetStream; refuse it everywhere. */
export function assertMsgId(msgId: string): void {
  if (msgId === '') throw new Error('durable publish needs a non-empty msgId (it is the de-duplication key)');
}

/** One timed window of the gateway ingest benchmark (ours or the baseline), as observed. */
export interface IngestWindow {
  /** Epoch ms the pump started and stopped stepping the world. */
  startMs: number;
  endMs: number;
  /** Messages the consumer turned out (books published, or frames parsed by the bare client). */
  out: number;
  /** Epoch ms of the consumer's last message (published, or parsed), after its backlog drained (0 if none). */
  lastOutMs: number;
  /** Market frames the façade wrote to the consumer in the window, and how many were book frames. */
  framesIn: number;
  bookFramesIn: number;
  /** CPU the consumer's process used from the start until its backlog drained (read at cpuReadMs), ns. */
  cpuNs: number;
  cpuReadMs: number;
}

/**
 * Venue messages per second the consumer got through: those sent in the window,
 * over the time until its last output. A consumer that keeps up finishes with the
 * window; one that falls behind drains its backlog afterwards and that time counts,
 * so this is what it sustained, not what it was sent.
 */
export function ingestRate(w: IngestWindow): number {
  const seconds = (Math.max(w.endMs, w.lastOutMs) - w.startMs) / 1000;
  return seconds > 0 ? w.framesIn / seconds : 0;
}

/** Messages out (books published, book frames parsed) per second, over the same time as ingestRate. */
export function outRate(w: IngestWindow): number {
  const seconds = (Math.max(w.endMs, w.lastOutMs) - w.startMs) / 1000;
  return seconds > 0 ? w.out / seconds : 0;
}

/** CPU per venue message, µs: every market frame sent in the window was handled by the time the CPU was read. */
export function cpuMicrosPerMessage(w: IngestWindow): number {
  return w.framesIn > 0 ? w.cpuNs / 1000 / w.framesIn : Number.NaN;
}

/** Venue market frames per second the consumer was sent during the window. */
export function framesInRate(w: IngestWindow): number {
  const seconds = (w.endMs - w.startMs) / 1000;
  return seconds > 0 ? w.framesIn / seconds : 0;
}

/** The consumer's CPU use from the window's start to the CPU read, in cores (1 = one core busy all along). */
export function coresBusy(w: IngestWindow): number {
  const ms = w.cpuReadMs - w.startMs;
  return ms > 0 ? w.cpuNs / 1e6 / ms : 0;
}

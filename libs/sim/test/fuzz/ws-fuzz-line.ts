import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { frameOf, fuzzParameters, fuzzTimeoutMs } from '@perpetua/testkit';

/**
 * One kind of WebSocket connection a façade serves (a venue's public stream, its private stream after login, ...),
 * described for the WS fuzz suites: how to open one, what valid frames look like, a probe frame whose answer proves
 * every frame sent before it was handled, and what the venue may send back.
 */
export interface WsLine {
  name: string;
  /** Opens a connection and sends `setup` (a login) on it; resolves once the socket is open. */
  url(): string;
  headers?(): Record<string, string>;
  /** Frames sent on every new connection before anything else (a login), each answered without a refusal. */
  setup?(): unknown[];
  /** Valid frames: the fuzzed ones are mutations of these (and of the setup frames). */
  samples: unknown[];
  /** A frame the venue answers with a message only it can match (a unique id), and that changes nothing. */
  probe(n: number): { frame: string; answers(text: string): boolean };
  /** The venue's refusal in a message, when it is one; a refusal must be in the venue's own error shape. */
  refusalOf(text: string): { ok: boolean; what: string } | undefined;
  /** Codes the venue may close a connection with on bad input, each a deliberate refusal (1009 too big, ...). */
  closeCodes: readonly number[];
  /** Frames a connection may carry before the venue's rate limit closes it; a new connection is opened before. */
  framesPerConnection?: number;
}

/** What one exchange saw: the messages the venue sent until the probe's answer (not counting it), and a close if the venue closed. */
export interface Exchange {
  messages: string[];
  closed?: { code: number; reason: string };
  answered: boolean;
}

/** How long a probe's answer may take before the venue counts as hung (the answer is a reply to a local socket). */
const ANSWER_TIMEOUT_MS = 10_000;

/** One live connection of a line, reopened when the venue closes it (or before its rate limit would). */
export class LineConnection {
  private ws: WebSocket | undefined;
  private inbox: string[] = [];
  private closed: { code: number; reason: string } | undefined;
  private framesSent = 0;
  private wake: (() => void) | undefined;
  private probes = 0;

  constructor(private readonly line: WsLine) {}

  /** Sends one frame then the probe, and collects what the venue says until the probe's answer or a close. */
  async exchange(frame: string): Promise<Exchange> {
    const budget = this.line.framesPerConnection;
    if (!this.ws || this.closed || (budget !== undefined && this.framesSent + 2 > budget)) await this.reopen();
    const ws = this.ws!;
    this.inbox = [];
    const probe = this.line.probe(++this.probes);
    this.framesSent += 2;
    ws.send(frame);
    ws.send(probe.frame);
    const deadline = Date.now() + ANSWER_TIMEOUT_MS;
    while (!this.inbox.some((t) => probe.answers(t)) && !this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) return { messages: this.inbox, answered: false };
      await this.nextEvent(left);
    }
    // The probe's own answer is the harness's, not the frame's: left out (it may be a refusal, e.g. GRVT's NOT_FOUND).
    return { messages: this.inbox.filter((t) => !probe.answers(t)), answered: this.inbox.some((t) => probe.answers(t)), ...(this.closed ? { closed: this.closed } : {}) };
  }

  /** Resolves at the next message or close, or at the deadline (the caller's loop re-checks its condition). */
  private nextEvent(withinMs: number): Promise<'event' | 'deadline'> {
    return new Promise((resolve) => {
      const deadline = setTimeout(() => {
        this.wake = undefined;
        resolve('deadline');
      }, withinMs);
      this.wake = () => {
        clearTimeout(deadline);
        this.wake = undefined;
        resolve('event');
      };
    });
  }

  async close(): Promise<void> {
    const ws = this.ws;
    this.ws = undefined;
    if (!ws || ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      ws.once('close', () => resolve());
      ws.terminate();
    });
  }

  private async reopen(): Promise<void> {
    await this.close();
    this.closed = undefined;
    this.framesSent = 0;
    const ws = new WebSocket(this.line.url(), { headers: this.line.headers?.() ?? {} });
    ws.on('message', (data) => {
      this.inbox.push(data.toString());
      this.wake?.();
    });
    ws.on('close', (code, reason) => {
      if (this.ws === ws) this.closed = { code, reason: reason.toString() };
      this.wake?.();
    });
    ws.on('error', () => undefined); // the close that follows says what happened
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    this.ws = ws;
    for (const f of this.line.setup?.() ?? []) {
      const x = await this.exchange(JSON.stringify(f));
      const refused = x.messages.map((t) => this.line.refusalOf(t)).find((r) => r !== undefined && r.ok);
      if (refused || !x.answered) throw new Error(`${this.line.name}: setup ${JSON.stringify(f).slice(0, 200)} refused: ${x.messages.join(' | ').slice(0, 500)}`);
    }
  }
}

/** Checks one exchange: every message in the venue's shapes, an answer (no hang) unless the venue closed, and a close only with a refusal code. */
export function expectSane(line: WsLine, frame: string, x: Exchange): void {
  const what = `${line.name}: ${frame.slice(0, 300)} -> ${x.messages.join(' | ').slice(0, 600)}${x.closed ? ` closed ${x.closed.code} ${x.closed.reason}` : ''}`;
  for (const t of x.messages) {
    const r = line.refusalOf(t);
    if (r && !r.ok) expect.fail(`${what}: a refusal not in the venue's shape (${r.what})`);
  }
  if (x.closed) expect(line.closeCodes, what).toContain(x.closed.code);
  else expect(x.answered, `${what}: no answer to the probe within ${ANSWER_TIMEOUT_MS} ms`).toBe(true);
}

/** Sends every valid sample on a fresh connection of its line: none may be refused. */
export async function expectSamplesTaken(line: WsLine): Promise<void> {
  const conn = new LineConnection(line);
  try {
    for (const s of line.samples) {
      const frame = JSON.stringify(s);
      const x = await conn.exchange(frame);
      expectSane(line, frame, x);
      const refusal = x.messages.map((t) => line.refusalOf(t)).find((r) => r !== undefined);
      expect(refusal, `${line.name}: ${frame.slice(0, 300)} -> ${x.messages.join(' | ').slice(0, 600)}`).toBeUndefined();
    }
  } finally {
    await conn.close();
  }
}

/** A case of a venue's WS fuzz: which line, and a frame (a mutated valid one, random JSON, or not JSON). */
export function wsCase(lines: readonly WsLine[]): fc.Arbitrary<{ line: number; frame: string }> {
  return fc.nat({ max: lines.length - 1 }).chain((line) => fc.record({ line: fc.constant(line), frame: frameOf([...(lines[line]!.setup?.() ?? []), ...lines[line]!.samples]) }));
}

/** The text as JSON, or undefined when it is not. */
export function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The two properties every façade stream suite holds its lines to, registered in the calling describe after the
 * beforeAll that starts the façade (`lines` is read once it is up): every valid sample taken, and any frame answered
 * in its line's own shape or the connection closed with a refusal code, never a hang. `check` runs after each case
 * (a suite's own invariant, e.g. no internal error logged).
 */
export function fuzzLines(lines: () => readonly WsLine[], promise: string, check: () => void = () => undefined): void {
  let conns: LineConnection[] = [];
  beforeAll(() => {
    conns = lines().map((l) => new LineConnection(l));
  });
  afterAll(async () => {
    await Promise.all(conns.map((c) => c.close()));
  });

  it('takes every valid frame', async () => {
    for (const l of lines()) await expectSamplesTaken(l);
    check();
  });

  it(
    `answers every frame in its own shape or closes with a refusal code; ${promise}`,
    async () => {
      const all = lines();
      await fc.assert(
        fc.asyncProperty(wsCase(all), async ({ line, frame }) => {
          expectSane(all[line]!, frame, await conns[line]!.exchange(frame));
          check();
        }),
        fuzzParameters(),
      );
    },
    fuzzTimeoutMs(2),
  );
}


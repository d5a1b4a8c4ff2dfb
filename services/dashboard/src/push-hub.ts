import type { Counter, Gauge } from 'prom-client';
import { TOPICS, type Topic } from './live-views.js';

/** The part of a WebSocket the hub uses (the `ws` library's socket has it). */
export interface PushSocket {
  readonly bufferedAmount: number;
  readonly readyState: number;
  send(data: string): void;
}

const OPEN = 1;

export interface PushHubOptions {
  /** Serialized value of a topic and its version; the version moves when the data changes. */
  read: (topic: Topic) => { version: number; value: () => unknown };
  /** A client whose socket holds more than this many unsent bytes gets nothing until it drains. */
  maxBufferedBytes: number;
  dropped: Counter<'topic'>;
  sent: Counter<'topic'>;
  clients: Gauge;
  /** Clients served before the event loop is let in (default 5). */
  clientsPerSlice?: number;
}

const CLIENTS_PER_SLICE = 5;

interface Client {
  socket: PushSocket;
  /** Version of each topic this client has been sent. */
  sentVersions: Map<Topic, number>;
}

/**
 * Pushes each topic's latest value to every WebSocket client, once per tick.
 * Coalesced per topic: a client is sent the newest version of a topic it has
 * not seen, never a backlog. A client whose socket has not drained (its
 * bufferedAmount over the limit) is skipped for that tick and the skipped
 * topics are counted; next time it gets only the latest values, so memory per
 * client is bounded by the topics' sizes, however slow the browser.
 */
export class PushHub {
  private readonly clients = new Set<Client>();
  private round: Promise<void> | undefined;

  constructor(private readonly o: PushHubOptions) {}

  add(socket: PushSocket): () => void {
    const client: Client = { socket, sentVersions: new Map() };
    this.clients.add(client);
    this.o.clients.set(this.clients.size);
    this.pushTo(client, new Map());
    return () => {
      this.clients.delete(client);
      this.o.clients.set(this.clients.size);
    };
  }

  get size(): number {
    return this.clients.size;
  }

  /**
   * One push round: each changed topic is serialized once, then sent to the clients that lack it, a slice of
   * clients at a time with the event loop let in between: in the all-in-one process a round to fifty clients
   * in one go held a book update back by a millisecond or more (the quoter's tick-to-intent p99 rose 40%).
   * A round still under way when the next is due is not doubled.
   */
  tick(): Promise<void> {
    if (this.round) return this.round;
    if (this.clients.size === 0) return Promise.resolve();
    this.round = this.pushRound().finally(() => (this.round = undefined));
    return this.round;
  }

  private async pushRound(): Promise<void> {
    const frames = new Map<Topic, { version: number; frame: string }>();
    const slice = Math.max(1, this.o.clientsPerSlice ?? CLIENTS_PER_SLICE);
    let inSlice = 0;
    for (const client of [...this.clients]) {
      if (inSlice === slice) {
        await new Promise<void>((r) => setImmediate(r));
        inSlice = 0;
      }
      if (!this.clients.has(client)) continue; // closed meanwhile
      this.pushTo(client, frames);
      inSlice++;
    }
  }

  private pushTo(client: Client, frames: Map<Topic, { version: number; frame: string }>): void {
    const { socket } = client;
    if (socket.readyState !== OPEN) return;
    const congested = socket.bufferedAmount > this.o.maxBufferedBytes;
    for (const topic of TOPICS) {
      const current = this.o.read(topic);
      if (client.sentVersions.get(topic) === current.version) continue;
      if (congested) {
        this.o.dropped.inc({ topic });
        continue;
      }
      let f = frames.get(topic);
      if (!f || f.version !== current.version) {
        f = { version: current.version, frame: JSON.stringify({ type: 'topic', topic, data: current.value() }) };
        frames.set(topic, f);
      }
      socket.send(f.frame);
      client.sentVersions.set(topic, current.version);
      this.o.sent.inc({ topic });
    }
  }
}

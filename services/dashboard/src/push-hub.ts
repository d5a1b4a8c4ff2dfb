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
}

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

  /** One push round: each changed topic is serialized once, then sent to the clients that lack it. */
  tick(): void {
    if (this.clients.size === 0) return;
    const frames = new Map<Topic, { version: number; frame: string }>();
    for (const client of this.clients) this.pushTo(client, frames);
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

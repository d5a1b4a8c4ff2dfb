/**
 * Subscriptions and feed numbering of one GRVT `/ws/full` host. A feed is one (stream, selector) pair; it has one
 * gateway sequence number shared by every subscriber (GRVT: "increments by one locally within each stream"), so a
 * message is serialized once and fanned out. Snapshots a subscriber gets on subscribing carry sequence number 0,
 * as GRVT's docs specify; every later message of the feed carries the previous one's number + 1.
 * Every message leaves through the wire tap.
 */
import type { WebSocket } from 'ws';
import type { GrvtDialectCell } from './grvt-dialect.js';
import type { ParsedSelector } from './selectors.js';
import type { GrvtSession } from './sessions.js';
import type { GrvtHost, GrvtWireTap, TapConnection } from './wire-tap.js';

export interface FeedConnection extends TapConnection {
  /** The session proven at the upgrade (trades host only). */
  readonly session: GrvtSession | undefined;
  /** Active selectors by `stream|primary`: subscribing again to a primary replaces its secondary selector. */
  readonly subs: Map<string, FeedEntry>;
}

export interface FeedEntry {
  readonly stream: string;
  readonly selector: string;
  readonly parsed: ParsedSelector;
  readonly conns: Set<FeedConnection>;
}

/** What a stream implementation does when a feed gains its first / loses its last subscriber. */
export interface FeedLifecycle {
  /** A connection joined `entry`; returns the snapshot payloads it receives first (sequence number 0). */
  joined(entry: FeedEntry, conn: FeedConnection): unknown[];
  /** `entry` has no subscriber left. */
  released(entry: FeedEntry): void;
}

const feedKey = (stream: string, selector: string): string => `${stream}\n${selector}`;

export class FeedHub {
  private readonly feeds = new Map<string, FeedEntry>();
  /**
   * Last sequence number used per counter (a feed, or a whole stream in the per-stream dialect); kept after the last
   * unsubscribe, like a gateway that keeps running.
   */
  private readonly sequences = new Map<string, number>();

  constructor(
    readonly host: GrvtHost,
    private readonly tap: GrvtWireTap,
    private readonly lifecycle: (stream: string) => FeedLifecycle | undefined,
    private readonly dialect: GrvtDialectCell,
  ) {}

  /** The counter a feed's messages are numbered from: its own, or its stream's (dialect `sequence`). */
  private counterKey(stream: string, selector: string): string {
    return this.dialect.value.sequence === 'per_stream' ? `${stream}\n*` : feedKey(stream, selector);
  }

  /** Feeds of `stream` that have at least one subscriber. */
  *entries(stream: string): Iterable<FeedEntry> {
    for (const e of this.feeds.values()) if (e.stream === stream) yield e;
  }

  /** The number the next non-snapshot message of the feed will carry (GRVT's `first_sequence_number`). */
  nextSequence(stream: string, selector: string): number {
    return (this.sequences.get(this.counterKey(stream, selector)) ?? 0) + 1;
  }

  /**
   * Adds (or re-affirms) a subscription of `conn`. Returns the selector it replaced, if any, and sends the feed's
   * snapshots (after the caller has answered the request: `afterReply` runs them).
   */
  subscribe(conn: FeedConnection, stream: string, selector: string, parsed: ParsedSelector, primary: string): {
    replaced: string | undefined;
    numSnapshots: number;
    afterReply: () => void;
  } {
    const slot = `${stream}|${primary}`;
    const previous = conn.subs.get(slot);
    let replaced: string | undefined;
    if (previous && previous.selector !== selector) {
      replaced = previous.selector;
      this.leave(conn, slot);
    }
    const key = feedKey(stream, selector);
    let entry = this.feeds.get(key);
    if (!entry) {
      entry = { stream, selector, parsed, conns: new Set() };
      this.feeds.set(key, entry);
    }
    entry.conns.add(conn);
    conn.subs.set(slot, entry);
    const target = entry;
    // Snapshots are taken now (consistent with the next delta), sent after the reply.
    const snapshots = this.lifecycle(stream)?.joined(target, conn) ?? [];
    return {
      replaced,
      numSnapshots: snapshots.length,
      afterReply: () => {
        for (const feed of snapshots) this.sendFeed(conn, target, 0, 0, JSON.stringify(feed));
      },
    };
  }

  /** Removes `conn`'s subscription to `selector` of `stream`; true when it had one. */
  unsubscribe(conn: FeedConnection, stream: string, selector: string): boolean {
    for (const [slot, entry] of conn.subs) {
      if (entry.stream === stream && entry.selector === selector) {
        this.leave(conn, slot);
        return true;
      }
    }
    return false;
  }

  /** Drops every subscription of a closed connection. */
  disconnect(conn: FeedConnection): void {
    for (const slot of [...conn.subs.keys()]) this.leave(conn, slot);
  }

  /** Publishes one message of `entry`'s feed to all its subscribers, numbered previous + 1. */
  publish(entry: FeedEntry, feed: unknown): void {
    if (entry.conns.size === 0) return;
    const key = this.counterKey(entry.stream, entry.selector);
    const prev = this.sequences.get(key) ?? 0;
    const seq = prev + 1;
    this.sequences.set(key, seq);
    const feedText = JSON.stringify(feed);
    for (const conn of entry.conns) this.sendFeed(conn, entry, seq, prev, feedText);
  }

  /** A JSON-RPC response or error (no stream), with the dialect's `jsonrpc`. */
  reply(conn: FeedConnection, message: object): void {
    const text = JSON.stringify({ jsonrpc: this.dialect.value.jsonrpc, ...message });
    this.tap.outbound(conn, { host: this.host, connectionId: conn.id, text });
  }

  private sendFeed(conn: FeedConnection, entry: FeedEntry, seq: number, prev: number, feedText: string): void {
    const text =
      `{"stream":${JSON.stringify(entry.stream)},"selector":${JSON.stringify(entry.selector)},` +
      `"sequence_number":"${seq}","feed":${feedText},"prev_sequence_number":"${prev}"}`;
    this.tap.outbound(conn, {
      host: this.host,
      connectionId: conn.id,
      stream: entry.stream,
      selector: entry.selector,
      sequenceNumber: String(seq),
      text,
    });
  }

  private leave(conn: FeedConnection, slot: string): void {
    const entry = conn.subs.get(slot);
    if (!entry) return;
    conn.subs.delete(slot);
    entry.conns.delete(conn);
    if (entry.conns.size === 0) {
      this.feeds.delete(feedKey(entry.stream, entry.selector));
      this.lifecycle(entry.stream)?.released(entry);
    }
  }
}

/** A new connection record for `socket`. */
export function feedConnection(id: number, socket: WebSocket, session: GrvtSession | undefined): FeedConnection {
  return { id, socket, tail: undefined, session, subs: new Map() };
}

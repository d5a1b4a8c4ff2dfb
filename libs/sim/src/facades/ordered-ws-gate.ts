/**
 * The hook-based fault-injection seam shared by the façades that use it (StandX, GRVT): every inbound REST request
 * and every outgoing WS message passes here. A hook may answer a request itself, delay it, and send, rewrite, drop,
 * delay or close instead of a WS message — the same powers as FacadeTap's verdicts (facade-tap.ts). Delayed
 * decisions keep per-connection order: a later message is decided only after the earlier ones went out.
 * With no hooks set, traffic passes untouched and synchronously.
 */
import type { WebSocket } from 'ws';

/** Close the client's connection with this WS close code instead of sending (FacadeTap's `close` verdict). */
export interface WsCloseVerdict {
  close: number;
  reason?: string;
}

/** What `onWsSend` decides: the text to send (possibly rewritten), null to drop, or a close. */
export type WsSendVerdict = string | null | WsCloseVerdict;

export interface OrderedWsHooks<Req, Reply, Msg> {
  /** Before routing. undefined lets the request through; a reply answers it instead. A promise delays it. */
  onRest?(req: Req): Reply | undefined | Promise<Reply | undefined>;
  /** Before sending. A promise delays the verdict; order per connection is kept. */
  onWsSend?(msg: Msg): WsSendVerdict | Promise<WsSendVerdict>;
}

/** One client connection as the gate sees it. */
export interface OrderedWsClient {
  readonly id: number;
  readonly socket: WebSocket;
  /** Tail of this connection's delayed sends: later messages wait for earlier ones. */
  tail: Promise<void> | undefined;
}

export class OrderedWsGate<Req, Reply, Msg extends { text: string }> {
  private hooks: OrderedWsHooks<Req, Reply, Msg> = {};

  setHooks(hooks: OrderedWsHooks<Req, Reply, Msg>): void {
    this.hooks = hooks;
  }

  clearHooks(): void {
    this.hooks = {};
  }

  inbound(req: Req): Reply | undefined | Promise<Reply | undefined> {
    return this.hooks.onRest?.(req);
  }

  outbound(client: OrderedWsClient, msg: Msg): void {
    const hook = this.hooks.onWsSend;
    if (!hook && client.tail === undefined) {
      transmit(client, msg.text);
      return;
    }
    // Read the hook now, call it when the message's turn comes: a message queued before clearHooks still sees it.
    const decide = (): WsSendVerdict | Promise<WsSendVerdict> => (hook ? hook(msg) : msg.text);
    if (client.tail === undefined) {
      const verdict = decide();
      if (verdict instanceof Promise) this.chain(client, verdict);
      else apply(client, verdict);
      return;
    }
    this.chain(
      client,
      client.tail.then(() => decide()),
    );
  }

  private chain(client: OrderedWsClient, verdict: Promise<WsSendVerdict>): void {
    const tail: Promise<void> = verdict
      .then((v) => apply(client, v))
      .catch(() => undefined)
      .finally(() => {
        if (client.tail === tail) client.tail = undefined;
      });
    client.tail = tail;
  }
}

function apply(client: OrderedWsClient, verdict: WsSendVerdict): void {
  if (verdict === null) return;
  if (typeof verdict === 'string') {
    transmit(client, verdict);
    return;
  }
  const socket = client.socket;
  if (socket.readyState !== socket.OPEN && socket.readyState !== socket.CONNECTING) return;
  try {
    socket.close(verdict.close, verdict.reason);
  } catch {
    // `ws` throws on a code it may not send (e.g. 1006) or a reason over 123 bytes: the connection still goes.
    socket.terminate();
  }
}

function transmit(client: OrderedWsClient, text: string): void {
  if (client.socket.readyState === client.socket.OPEN) client.socket.send(text);
}

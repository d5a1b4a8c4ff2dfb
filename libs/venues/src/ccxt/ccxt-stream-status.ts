import type { Exchange } from 'ccxt';
import type { PrivateStreamState } from '../venue-adapter.js';

/** How often a dropped stream's new connection is looked for, and for how long at most (then the next failure looks again). */
const POLL_MS = 100;
/** Polls before giving up (two minutes of them): counted, so no clock is read here. */
const GIVE_UP_POLLS = 120_000 / POLL_MS;

interface WsClientView {
  isConnected?: boolean;
}

/**
 * ccxt's watch loops only see a dropped private connection as a failed watch, and a new one not at all (a watch
 * resolves on its next message, maybe minutes later). This turns that into the adapters' uniform private-stream
 * state: `down` on the first failure, then `connected` as soon as ccxt holds an open connection that is not one of
 * those that were open when it failed.
 */
export class CcxtStreamStatus {
  private state: PrivateStreamState = 'connected';
  private watching = false;
  private closed = false;

  constructor(private readonly report: (state: PrivateStreamState, reason?: string) => void) {}

  /** A watch loop failed: the stream is down until a fresh connection is open. */
  failed(ex: Exchange, reason: string): void {
    if (this.closed) return;
    if (this.state !== 'down') {
      this.state = 'down';
      this.report('down', reason);
    }
    if (this.watching) return;
    this.watching = true;
    const dead = new Set(clientsOf(ex));
    let polls = 0;
    const poll = (): void => {
      if (this.closed) return;
      if (clientsOf(ex).some((c) => !dead.has(c) && c.isConnected === true)) {
        this.watching = false;
        this.state = 'connected';
        this.report('connected', 'a new private connection is open');
        return;
      }
      if (++polls > GIVE_UP_POLLS) {
        // Still down: the next failed watch starts looking again.
        this.watching = false;
        return;
      }
      setTimeout(poll, POLL_MS).unref();
    };
    setTimeout(poll, POLL_MS).unref();
  }

  close(): void {
    this.closed = true;
  }
}

function clientsOf(ex: Exchange): WsClientView[] {
  const clients = (ex as unknown as { clients?: Record<string, WsClientView> }).clients;
  return clients ? Object.values(clients) : [];
}

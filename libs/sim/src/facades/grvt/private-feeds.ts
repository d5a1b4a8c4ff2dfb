/**
 * GRVT's private streams on trades `/ws/full`, selector `sub_account_id` or `sub_account_id-instrument`:
 * v1.order (the full order after each change), v1.state (order id + state), v1.fill, v1.position.
 * Fed from the engine's events for the façade's accounts and from orders the façade closed itself.
 */
import type { SimFillEvent, SimOrder, SimOrderEvent, SimPositionEvent } from '../../engine/types.js';
import type { FeedEntry, FeedHub } from './feed-hub.js';
import type { GrvtInstrument, GrvtInstruments } from './instruments.js';
import type { OrderMetaStore } from './order-meta-store.js';
import type { PrivateStream } from './selectors.js';
import type { GrvtAccount } from './sessions.js';
import { fillToWire, orderToWire, positionToWire, type GrvtOrderWire } from './wire-format.js';

export class GrvtPrivateFeeds {
  private hub: FeedHub | undefined;

  constructor(
    private readonly instruments: GrvtInstruments,
    private readonly metas: OrderMetaStore,
    private readonly accountOf: (engineAccountId: string) => GrvtAccount | undefined,
  ) {}

  attach(hub: FeedHub): void {
    this.hub = hub;
  }

  onOrder(ev: SimOrderEvent): void {
    const account = this.accountOf(ev.accountId);
    const inst = this.instruments.byCanonical(ev.order.symbol);
    if (!account || !inst) return;
    this.publishOrder(account, this.wireOrder(ev.order, account, inst), inst);
  }

  /** An order update (engine or façade-made) on v1.order and v1.state. */
  publishOrder(account: GrvtAccount, wire: GrvtOrderWire, inst: GrvtInstrument): void {
    this.publish('v1.order', account, inst, () => wire);
    this.publish('v1.state', account, inst, () => ({
      order_id: wire.order_id,
      client_order_id: wire.metadata.client_order_id,
      order_state: wire.state,
    }));
  }

  onFill(ev: SimFillEvent): void {
    const account = this.accountOf(ev.accountId);
    const inst = this.instruments.byCanonical(ev.fill.symbol);
    if (!account || !inst) return;
    const signer = this.metas.byId(ev.fill.orderId)?.signature.signer ?? account.signer;
    this.publish('v1.fill', account, inst, () => fillToWire(ev.fill, inst, account.subAccountId, signer, undefined));
  }

  onPosition(ev: SimPositionEvent): void {
    const account = this.accountOf(ev.accountId);
    const inst = this.instruments.byCanonical(ev.position.symbol);
    if (!account || !inst) return;
    this.publish('v1.position', account, inst, () => positionToWire(ev.position, inst, account.subAccountId));
  }

  private wireOrder(order: SimOrder, account: GrvtAccount, inst: GrvtInstrument): GrvtOrderWire {
    return orderToWire(order, this.metas.get(order), inst, account.subAccountId);
  }

  /** Publishes to every feed of `stream` whose selector covers this account and instrument. */
  private publish(stream: PrivateStream, account: GrvtAccount, inst: GrvtInstrument, feed: () => unknown): void {
    const hub = this.hub;
    if (!hub) return;
    let payload: unknown;
    for (const entry of hub.entries(stream)) {
      if (!matches(entry, account, inst)) continue;
      payload ??= feed();
      hub.publish(entry, payload);
    }
  }
}

function matches(entry: FeedEntry, account: GrvtAccount, inst: GrvtInstrument): boolean {
  const sel = entry.parsed;
  return (
    sel.kind === 'private' &&
    sel.subAccountId === account.subAccountId &&
    (sel.instrument === undefined || sel.instrument === inst.name)
  );
}

import { D, dec, notional, snapPrice, toText, trySnapQty, type ArbOpportunityMessage, type Instrument, type Side } from '@perpetua/core';

export interface EntryParams {
  /** Largest quantity one episode trades (base); the opportunity's own quantity caps it too. */
  maxQty: string;
  /** How far past the detected touch a leg's limit may trade, in bps: room for the book to move while the orders travel. */
  slippageBps: number;
}

export interface LegOrder {
  venue: string;
  side: Side;
  /** Limit price, snapped to the venue's tick (never more aggressive than the allowance). */
  price: string;
  /** Snapped to both venues' lots, so the two legs are the same size. */
  qty: string;
}

export type EntryPlan = { ok: true; buy: LegOrder; sell: LegOrder } | { ok: false; reason: string };

/** price × (1 ± bps), exactly. */
export function offsetByBps(price: number | string, bps: number, direction: 1 | -1): string {
  const p = dec(String(price));
  const factor = D.add(dec('1'), D.div(dec(String(bps * direction)), dec('10000')));
  return toText(D.mul(p, factor));
}

/**
 * The two IOC legs for an opportunity: buy on buyVenue with a limit `slippageBps`
 * above the detected best ask, sell on sellVenue `slippageBps` below the detected
 * best bid, the same quantity on both (the smaller of the opportunity's and maxQty,
 * floored to each venue's lot). The touch, not the opportunity's VWAP, anchors the
 * limits: the VWAP is over the whole detected depth, far more than one episode
 * trades, and would allow far worse prices. What does not fill inside the limit is
 * the one-legged case the hedge rule repairs. Refused when the quantity is below
 * either venue's minimum size or notional (the venue would reject the leg), or when
 * the limits themselves, after both taker fees, would lose money.
 */
export function planEntry(o: Pick<ArbOpportunityMessage, 'buyVenue' | 'sellVenue' | 'buyPrice' | 'sellPrice' | 'qty'>, buyInst: Instrument, sellInst: Instrument, params: EntryParams): EntryPlan {
  const wanted = D.min(dec(String(o.qty)), dec(params.maxQty));
  if (wanted <= 0n) return { ok: false, reason: 'nothing to trade' };
  const onBuy = trySnapQty(buyInst, toText(wanted));
  const both = onBuy === null ? null : trySnapQty(sellInst, onBuy);
  if (both === null || trySnapQty(buyInst, both) !== both) {
    return { ok: false, reason: `size ${toText(wanted)} is below a venue's minimum (${o.buyVenue} min ${buyInst.minQty} lot ${buyInst.lotSize}, ${o.sellVenue} min ${sellInst.minQty} lot ${sellInst.lotSize})` };
  }
  const buyPrice = snapPrice(buyInst, 'buy', offsetByBps(o.buyPrice, params.slippageBps, 1), 'passive');
  const sellPrice = snapPrice(sellInst, 'sell', offsetByBps(o.sellPrice, params.slippageBps, -1), 'passive');
  const worstIn = D.mul(dec(buyPrice), D.add(dec('1'), dec(String(buyInst.takerFee))));
  const worstOut = D.mul(dec(sellPrice), D.sub(dec('1'), dec(String(sellInst.takerFee))));
  if (worstOut <= worstIn) {
    return { ok: false, reason: `at the limits (buy ${buyPrice}, sell ${sellPrice}) and taker fees the trade would lose: slippage ${params.slippageBps} bps is more than the edge` };
  }
  for (const [inst, price] of [[buyInst, buyPrice], [sellInst, sellPrice]] as const) {
    if (inst.minNotional !== undefined && notional(dec(price), dec(both)) < dec(inst.minNotional)) {
      return { ok: false, reason: `notional ${toText(notional(dec(price), dec(both)))} is below ${inst.venue}'s minimum ${inst.minNotional}` };
    }
  }
  return { ok: true, buy: { venue: o.buyVenue, side: 'buy', price: buyPrice, qty: both }, sell: { venue: o.sellVenue, side: 'sell', price: sellPrice, qty: both } };
}

import { type Decimal, dec, toText } from '@perpetua/core';
import type { SimInstrument, SimInstrumentSpec, SimVenueConfig } from './types.js';
import { StepScale } from './step-scale.js';
import { TickTexts } from './tick-texts.js';

const SCALE = 10n ** 18n;

/** An instrument plus the precomputed scales and exact rates the engine needs on every fill. */
export class InstrumentRuntime {
  readonly info: SimInstrument;
  readonly price: StepScale;
  readonly qty: StepScale;
  /** Formatted prices by tick, for market data (see TickTexts). */
  readonly priceTexts: TickTexts;
  readonly minLots: number;
  readonly minNotional: Decimal;
  readonly makerRate: Decimal;
  readonly takerRate: Decimal;
  /** Notional of one tick x one lot (exact: both are short decimals). */
  readonly unitNotional: Decimal;

  constructor(venue: SimVenueConfig, asset: string, spec: SimInstrumentSpec) {
    this.price = new StepScale(spec.tickSize);
    this.qty = new StepScale(spec.lotSize);
    this.priceTexts = new TickTexts(this.price);
    const minQty = dec(spec.minQty);
    if (minQty % this.qty.step !== 0n) throw new RangeError(`${venue.name} ${asset}: minQty must be a multiple of lotSize`);
    this.minLots = Number(minQty / this.qty.step);
    this.minNotional = dec(spec.minNotional ?? '0');
    this.makerRate = dec(spec.makerFee ?? venue.makerFee);
    this.takerRate = dec(spec.takerFee ?? venue.takerFee);
    const unit = this.price.step * this.qty.step;
    if (unit % SCALE !== 0n) throw new RangeError(`${venue.name} ${asset}: tick x lot needs more than 18 decimals`);
    this.unitNotional = (unit / SCALE) as Decimal;
    const maxLeverage = spec.maxLeverage ?? 20;
    this.info = {
      venue: venue.name,
      symbol: `${asset}-PERP`,
      asset,
      quote: venue.quote,
      tickSize: this.price.text,
      lotSize: this.qty.text,
      minQty: toText(minQty),
      minNotional: toText(this.minNotional),
      makerFee: toText(this.makerRate),
      takerFee: toText(this.takerRate),
      maxLeverage,
      defaultLeverage: Math.min(spec.defaultLeverage ?? 20, maxLeverage),
      pricePrecision: this.price.decimals,
      qtyPrecision: this.qty.decimals,
    };
  }

  /** Exact notional of `lots` at `tick`. */
  notional(tick: number, lots: number): Decimal {
    const tl = tick * lots;
    if (Number.isSafeInteger(tl)) return (BigInt(tl) * this.unitNotional) as Decimal;
    return (BigInt(tick) * BigInt(lots) * this.unitNotional) as Decimal;
  }
}

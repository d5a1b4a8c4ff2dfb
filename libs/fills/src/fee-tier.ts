import { D, dec, type Decimal, type Instrument } from '@perpetua/core';

export type Liquidity = 'maker' | 'taker';

/**
 * A venue's fee rates for one account tier, as fractions of notional
 * (0.0002 = 2 bps). A negative rate is a rebate: the venue pays us.
 */
export interface FeeTier {
  name: string;
  maker: Decimal;
  taker: Decimal;
}

/** The tier the venue reported for the instrument (its base tier unless the account says otherwise). */
export function feeTierOf(inst: Pick<Instrument, 'makerFee' | 'takerFee'>, name = 'venue'): FeeTier {
  return { name, maker: dec(inst.makerFee), taker: dec(inst.takerFee) };
}

export function feeTier(name: string, maker: string, taker: string): FeeTier {
  return { name, maker: dec(maker), taker: dec(taker) };
}

/** Fee on one fill, in quote currency: notional × rate. Positive is paid, negative is a rebate received. */
export function feeFor(tier: FeeTier, liquidity: Liquidity, price: Decimal, qty: Decimal): Decimal {
  return D.mul(D.mul(price, qty), liquidity === 'maker' ? tier.maker : tier.taker);
}

import { seededRandom, type Fill, type Side } from '@perpetua/core';

export interface FillSpec {
  side: Side;
  /** Price in ticks of 0.1. */
  ticks: number;
  /** Size in lots of 0.001. */
  lots: number;
  /** Fee in units of 0.0001 (negative = rebate). */
  feeUnits: number;
}

export const VENUE = 'sim';
export const ACCOUNT = 'acct-1';
export const SYMBOL = 'BTC-PERP';

/** Decimal text of an integer count of 10^-places, built from integers so nothing passes through a float. */
export function scaled(units: number, places: number): string {
  const neg = units < 0;
  const digits = String(Math.abs(units)).padStart(places + 1, '0');
  const text = `${digits.slice(0, -places)}.${digits.slice(-places)}`;
  return neg ? `-${text}` : text;
}

export function makeFill(id: string, spec: FillSpec, overrides: Partial<Fill> = {}): Fill {
  return {
    fillId: id,
    venue: VENUE,
    account: ACCOUNT,
    symbol: SYMBOL,
    clientOrderId: `c-${id}`,
    side: spec.side,
    price: scaled(spec.ticks, 1),
    qty: scaled(spec.lots, 3),
    fee: scaled(spec.feeUnits, 4),
    liquidity: spec.feeUnits < 0 ? 'maker' : 'taker',
    tsExchange: 1_700_000_000_000,
    tsReceived: 1_700_000_000_000,
    ...overrides,
  };
}

/** n fills on a 0.1 tick / 0.001 lot around 1000.0; `side` fixes every side, else mixed. */
export function generateFills(n: number, seed: number, side?: Side): Fill[] {
  const rnd = seededRandom(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const fills: Fill[] = [];
  for (let i = 0; i < n; i++) {
    fills.push(
      makeFill(`f${seed}-${i}`, {
        side: side ?? (rnd() < 0.5 ? 'buy' : 'sell'),
        ticks: int(9_000, 11_000),
        lots: int(1, 2_000),
        feeUnits: int(-500, 2_000),
      }, { tsReceived: 1_700_000_000_000 + i }),
    );
  }
  return fills;
}

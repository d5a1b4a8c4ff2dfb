import { z } from 'zod';
import { CanonicalSymbol } from './symbol.js';
import { DecimalText, PositiveDecimalText } from './decimal-text.js';

/** A tradable perpetual on one venue, with everything needed to snap orders and book fills. */
export const Instrument = z.object({
  venue: z.string().min(1),
  symbol: CanonicalSymbol,
  venueSymbol: z.string().min(1),
  base: z.string().min(1),
  quote: z.string().min(1),
  tickSize: PositiveDecimalText,
  lotSize: PositiveDecimalText,
  minQty: PositiveDecimalText,
  /** Base units per contract; 1 where the venue trades in base units. */
  contractSize: PositiveDecimalText.default('1'),
  minNotional: DecimalText.optional(),
  /** Fee rates as fractions (0.0004 = 4 bps); negative maker = rebate. */
  makerFee: z.number().gt(-0.01).lt(0.01),
  takerFee: z.number().gt(-0.01).lt(0.01),
});
export type Instrument = z.infer<typeof Instrument>;

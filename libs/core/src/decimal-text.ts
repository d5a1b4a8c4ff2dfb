import { z } from 'zod';
import { dec, isDecimalText, toText } from './decimal.js';

/** A decimal as text on the wire ("0.1", "-12.5"); parsed into Decimal where it is used for money. */
export const DecimalText = z
  .string()
  .max(64)
  .refine(isDecimalText, { message: 'expected a decimal number as a string, e.g. "0.1"' });

export const PositiveDecimalText = DecimalText.refine((s) => isDecimalText(s) && dec(s) > 0n, { message: 'expected a positive decimal' });

export const NonNegativeDecimalText = DecimalText.refine((s) => isDecimalText(s) && dec(s) >= 0n, { message: 'expected a decimal >= 0' });

/** Normalizes a decimal text to its canonical form ("1.50" -> "1.5"). */
export const canonicalDecimal = (s: string): string => toText(dec(s));

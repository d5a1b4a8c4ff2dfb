import { z } from 'zod';
import { PositiveDecimalText } from '@perpetua/core';

/** Limits risk enforces on every intent. Sizes in base units as decimal text. */
export const RiskLimits = z.object({
  /** Largest absolute position per symbol, counting every resting quote as if it filled. */
  maxPosition: PositiveDecimalText,
  /** Largest single order. */
  maxOrderSize: PositiveDecimalText,
});
export type RiskLimits = z.infer<typeof RiskLimits>;

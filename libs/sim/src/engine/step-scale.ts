import { type Decimal, dec, toText } from '@perpetua/core';

/**
 * A tick or lot size, and the conversions between decimal strings and integer step counts that the matching engine
 * works in (prices as ticks, sizes as lots). Formatting avoids bigint on the hot path: n steps of `mantissa x
 * 10^-decimals` is the integer n x mantissa printed with `decimals` places.
 */
export class StepScale {
  readonly step: Decimal;
  readonly text: string;
  readonly decimals: number;
  private readonly mantissa: number;
  /** 10^decimals, computed once (the same double `10 ** decimals` gives each time). */
  private readonly pow: number;

  constructor(stepText: string) {
    this.step = dec(stepText);
    if (this.step <= 0n) throw new RangeError(`step must be positive, got ${stepText}`);
    this.text = toText(this.step);
    const dot = this.text.indexOf('.');
    this.decimals = dot < 0 ? 0 : this.text.length - dot - 1;
    this.mantissa = Number(this.text.replace('.', ''));
    if (!Number.isSafeInteger(this.mantissa)) throw new RangeError(`step too fine: ${stepText}`);
    this.pow = 10 ** this.decimals;
  }

  /** Whole steps in a decimal string, or a reason it is not a positive multiple of the step. */
  parse(text: string): number | 'invalid' | 'not_multiple' {
    let d: Decimal;
    try {
      d = dec(text);
    } catch {
      return 'invalid';
    }
    if (d <= 0n) return 'invalid';
    if (d % this.step !== 0n) return 'not_multiple';
    const n = Number(d / this.step);
    return Number.isSafeInteger(n) ? n : 'invalid';
  }

  /** n steps as a Decimal. */
  toDecimal(n: number): Decimal {
    return (BigInt(n) * this.step) as Decimal;
  }

  /** n steps as canonical decimal text. */
  format(n: number): string {
    return formatScaled(n * this.mantissa, this.decimals);
  }

  /** Nearest whole number of steps to a float value (for the float-domain price process). */
  fromNumber(value: number, rounding: 'floor' | 'ceil' | 'round' = 'round'): number {
    const x = (value * this.pow) / this.mantissa;
    // Nudge away from representation error before rounding (1e-9 of a step).
    return rounding === 'floor' ? Math.floor(x + 1e-9) : rounding === 'ceil' ? Math.ceil(x - 1e-9) : Math.round(x);
  }

  toNumber(n: number): number {
    return (n * this.mantissa) / this.pow;
  }
}

/** Integer `scaled` divided by 10^decimals, as canonical decimal text. */
export function formatScaled(scaled: number, decimals: number): string {
  if (decimals === 0) return String(scaled);
  const neg = scaled < 0;
  let s = String(neg ? -scaled : scaled);
  if (s.length <= decimals) s = '0'.repeat(decimals - s.length + 1) + s;
  const cut = s.length - decimals;
  let end = s.length;
  while (end > cut && s.charCodeAt(end - 1) === 48) end--;
  const body = end === cut ? s.slice(0, cut) : `${s.slice(0, cut)}.${s.slice(cut, end)}`;
  return neg && body !== '0' ? `-${body}` : body;
}

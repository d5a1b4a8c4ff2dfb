/**
 * Exact order of two prices written as canonical non-negative decimal text, the form the engine emits ("100003",
 * "99996.1": no sign, no exponent, no leading zero before a non-zero integer part, no trailing zero after the point).
 * Returns the sign of a - b without parsing either: a longer integer part is the larger number; with integer parts of
 * equal length the texts compare character by character, a prefix ("100" vs "100.5") being the smaller.
 */
export function comparePriceText(a: string, b: string): number {
  const ia = integerLength(a);
  const ib = integerLength(b);
  if (ia !== ib) return ia - ib;
  return a < b ? -1 : a > b ? 1 : 0;
}

function integerLength(s: string): number {
  const dot = s.indexOf('.');
  return dot < 0 ? s.length : dot;
}

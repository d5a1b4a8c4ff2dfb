/**
 * StandX names its perps `<BASE>-USD` (settled in DUSD); the engine and the rest of Perpetua use `<BASE>-PERP`.
 */
export const toStandxSymbol = (canonical: string): string => `${canonical.replace(/-PERP$/, '')}-USD`;

/** undefined when the name is not a StandX perp name; whether it is listed is the engine's call. */
export function toCanonicalSymbol(standx: string): string | undefined {
  const m = /^([A-Z0-9]{1,15})-USD$/.exec(standx);
  return m ? `${m[1]}-PERP` : undefined;
}

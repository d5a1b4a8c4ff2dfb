/**
 * Guéant, Lehalle & Fernandez-Tapia (2013), "Dealing with the inventory risk",
 * the closed-form approximation for an infinite horizon (as in Guéant 2017).
 * Units as the AS formulas: price, base units, seconds; A in trades per second,
 * κ per price unit, Δ the order size in base units, q in base units.
 */
export interface GlftCoefficients {
  c1: number;
  c2: number;
}

/** c1 = (1/(ξΔ))·ln(1 + ξΔ/κ), c2 = sqrt(γ/(2AΔκ)·(1 + ξΔ/κ)^(κ/(ξΔ) + 1)). */
export function glftCoefficients(gamma: number, xi: number, delta: number, a: number, kappa: number): GlftCoefficients {
  const xd = xi * delta;
  const c1 = Math.log1p(xd / kappa) / xd;
  const c2 = Math.sqrt((gamma / (2 * a * delta * kappa)) * Math.pow(1 + xd / kappa, kappa / xd + 1));
  return { c1, c2 };
}

export interface GlftQuote {
  halfSpread: number;
  skew: number;
  bid: number;
  ask: number;
}

/** half = c1 + (Δ/2)·σ·c2, skew = σ·c2; bid = fair − (half + skew·q), ask = fair + (half − skew·q). */
export function glftQuote(fair: number, q: number, sigma: number, delta: number, c: GlftCoefficients): GlftQuote {
  const halfSpread = c.c1 + (delta / 2) * sigma * c.c2;
  const skew = sigma * c.c2;
  return { halfSpread, skew, bid: fair - (halfSpread + skew * q), ask: fair + (halfSpread - skew * q) };
}

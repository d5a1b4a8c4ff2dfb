/**
 * Avellaneda & Stoikov (2008), "High-frequency trading in a limit order book",
 * the approximate closed form. Units are whatever the caller keeps consistent;
 * the live model uses price units, base units and seconds:
 *   s     mid (price)          q  inventory (base)       γ  risk aversion (1/(price·base))
 *   σ     price per √second    τ  T − t (seconds)        κ  fill-intensity decay (1/price)
 */

/** r = s − q·γ·σ²·τ */
export function reservationPrice(s: number, q: number, gamma: number, sigma: number, tau: number): number {
  return s - q * gamma * sigma * sigma * tau;
}

/** Total spread around r: γ·σ²·τ + (2/γ)·ln(1 + γ/κ). */
export function optimalSpread(gamma: number, sigma: number, tau: number, kappa: number): number {
  return gamma * sigma * sigma * tau + (2 / gamma) * Math.log1p(gamma / kappa);
}

export interface AsQuote {
  reservation: number;
  spread: number;
  bid: number;
  ask: number;
}

/** Bid and ask at r ∓ spread/2. */
export function avellanedaStoikovQuote(s: number, q: number, gamma: number, sigma: number, tau: number, kappa: number): AsQuote {
  const reservation = reservationPrice(s, q, gamma, sigma, tau);
  const spread = optimalSpread(gamma, sigma, tau, kappa);
  return { reservation, spread, bid: reservation - spread / 2, ask: reservation + spread / 2 };
}

/**
 * The κ at which the AS spread with no inventory term equals `spread`:
 * (2/γ)·ln(1+γ/κ) = spread ⇒ κ = γ / (e^(γ·spread/2) − 1). The warm-up
 * fallback: until trades are measured, assume the market's own spread is the
 * one the fill intensity justifies.
 */
export function kappaForSpread(gamma: number, spread: number): number {
  return gamma / Math.expm1((gamma * spread) / 2);
}

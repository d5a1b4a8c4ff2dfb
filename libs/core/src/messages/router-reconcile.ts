import { z } from 'zod';
import { fixedPattern, subjectBuilder } from '../subject.js';
import { CanonicalSymbol } from '../symbol.js';
import { DecimalText } from '../decimal-text.js';

/** One symbol whose position on the venue differs from the one booked in the state store. */
export const PositionDifference = z.object({
  symbol: CanonicalSymbol,
  /** Signed, as the venue states it ("0" when it lists none). */
  venueQty: DecimalText,
  /** Signed, as the store has booked it ("0" when it has none). */
  storeQty: DecimalText,
});
export type PositionDifference = z.infer<typeof PositionDifference>;

/**
 * router.reconcile.<venue>: what a router found when it compared the venue with
 * its own state (on start, after its private stream reconnected, or on its timer):
 * orders it did not own and cancelled, orders it owned that closed unseen, fills it
 * missed and adopted, and positions that still differ once the adopted fills had
 * time to be booked. Risk reads `halt` into risk.state.
 */
export const RouterReconcileReport = z.object({
  venue: z.string().min(1),
  account: z.string().min(1),
  trigger: z.enum(['start', 'reconnect', 'timer']),
  orphansCancelled: z.number().int().nonnegative(),
  /** Open orders the router had persisted (a restart loads them before the venue answers). */
  ordersLoaded: z.number().int().nonnegative().default(0),
  /** Orders the router owned that the venue no longer lists open: closed while the stream was down, settled by query. */
  ordersClosedUnseen: z.number().int().nonnegative().default(0),
  /** Exchange time the venue was asked for fills from (ms); absent when the adapter has no fill history. */
  fillsSinceMs: z.number().int().optional(),
  /** Fills the venue listed since then. */
  fillsListed: z.number().int().nonnegative(),
  /** Of those, fills the store had not booked, now published to FILLS. */
  fillsAdopted: z.number().int().nonnegative(),
  positionDifferences: z.array(PositionDifference).max(1_000),
  /** Why a step could not be done (the rest of the report still holds). */
  errors: z.array(z.string().max(500)).max(20),
  /** Set while a position difference beyond the account's tolerance halts its quoting; absent when quoting may go on. */
  halt: z.object({ reason: z.string().max(500), since: z.number() }).optional(),
  ts: z.number(),
});
export type RouterReconcileReport = z.infer<typeof RouterReconcileReport>;

const TOKEN = /^[A-Za-z0-9_-]+$/;

/** The report's subject; the venue is checked like every subject token. */
export const routerReconcileSubject = subjectBuilder(RouterReconcileReport, (venue: string) => {
  if (!TOKEN.test(venue)) throw new Error(`invalid venue for a subject: ${JSON.stringify(venue)}`);
  return `router.reconcile.${venue}`;
});

/** Every venue's reports (risk reads the halts from them). */
export const allRouterReconcilePattern = fixedPattern(RouterReconcileReport, 'router.reconcile.*');

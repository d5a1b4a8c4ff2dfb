import { z } from 'zod';

export const VenueState = z.enum(['connecting', 'connected', 'resyncing', 'stale', 'down']);
export type VenueState = z.infer<typeof VenueState>;

/** md.status.<venue>: the gateway's view of its venue connection. */
export const VenueStatusMessage = z.object({
  venue: z.string().min(1),
  state: VenueState,
  reason: z.string().max(500).optional(),
  /** Symbols whose book is stale right now. */
  staleSymbols: z.array(z.string()).default([]),
  ts: z.number(),
});
export type VenueStatusMessage = z.infer<typeof VenueStatusMessage>;

import { z } from 'zod';

/** Every request body the API accepts: strict (an unknown field is refused), small, fully checked. */
export const LoginBody = z.strictObject({ token: z.string().min(1).max(512) });

const Reason = z.string().trim().min(1).max(200);
/** The kill switch and its reset ask for a reason and an explicit confirmation. */
export const KillBody = z.strictObject({ reason: Reason, confirm: z.literal(true) });
export const ResetBody = z.strictObject({ reason: Reason, confirm: z.literal(true) });
export const EmptyBody = z.strictObject({});
export const ParamsBody = z.strictObject({ params: z.record(z.string().max(64), z.unknown()) });

export const VenueName = z.string().regex(/^[a-z0-9_-]{1,32}$/, 'expected a venue name of lowercase letters, digits, - or _');
export const StrategyId = z.string().regex(/^[A-Za-z0-9_-]{1,48}$/, 'expected a strategy id of letters, digits, - or _');
/** A config entry before its own schema checks it: a mapping, not too many keys. */
export const EntryBody = z.record(z.string().max(64), z.unknown()).refine((o) => Object.keys(o).length <= 64, 'too many fields');

/** zod issues as one line per problem, for a 400 answer. */
export function issuesText(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : 'body'}: ${i.message}`);
}

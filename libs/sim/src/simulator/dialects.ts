/**
 * Dialects: for each venue whose docs leave questions open, the readings its façade can
 * play, as one zod schema per venue kept beside the façade (facades/<venue>/<venue>-dialect.ts,
 * defaults = the façade's original behaviour). This registry maps venue → schema; the
 * scenario file (`dialects: { <venue>: {...} }`), the admin API (`PUT /dialects/<venue>`,
 * `GET /dialects`) and `startSimulator({ dialects })` all validate through it.
 */
import { z } from 'zod';
import { GrvtDialect } from '../facades/grvt/grvt-dialect.js';

/** One line per venue with a dialect switch. */
export const DIALECT_SCHEMAS = {
  grvt: GrvtDialect,
} as const satisfies Record<string, z.ZodType>;

export type DialectVenue = keyof typeof DIALECT_SCHEMAS;
export type DialectInputs = { [V in DialectVenue]?: z.input<(typeof DIALECT_SCHEMAS)[V]> };

export class DialectError extends Error {
  override name = 'DialectError';
}

const isDialectVenue = (venue: string): venue is DialectVenue => Object.hasOwn(DIALECT_SCHEMAS, venue);

/** The venue's dialect from an untrusted value, defaults filled in; a DialectError names the bad field. */
export function parseDialect(venue: string, input: unknown): unknown {
  if (!isDialectVenue(venue)) throw new DialectError(`venue "${venue}" has no dialects (venues with dialects: ${Object.keys(DIALECT_SCHEMAS).join(', ')})`);
  const r = DIALECT_SCHEMAS[venue].safeParse(input);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new DialectError(`dialects.${venue}${i && i.path.length > 0 ? `.${i.path.join('.')}` : ''}: ${i?.message ?? 'invalid'}`);
  }
  return r.data;
}

/** The scenario file's `dialects:` map: known venues only, each checked by its schema. */
export const DialectsSpec = z
  .record(z.string(), z.unknown())
  .superRefine((map, ctx) => {
    for (const [venue, value] of Object.entries(map)) {
      try {
        parseDialect(venue, value);
      } catch (err) {
        ctx.addIssue({ code: 'custom', path: [venue], message: err instanceof Error ? err.message : String(err) });
      }
    }
  });

/** What the admin API and the simulator's callers use to read and switch dialects at run time. */
export interface DialectControl {
  /** The dialect each served venue plays now. */
  all(): Record<string, unknown>;
  /** Validates by the venue's schema and switches; throws DialectError with the reason. */
  set(venue: string, input: unknown): unknown;
}

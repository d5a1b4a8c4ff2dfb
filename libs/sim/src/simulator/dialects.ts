/**
 * Venue dialects: for each venue whose documentation leaves parts of the wire open, the schema of the switches its
 * façade offers (one reading per switch; defaults = the façade's original behaviour). One line per venue; the
 * schema itself lives in the venue's façade folder. Used by the scenario file (`dialects:`), the admin API
 * (`PUT /dialects/<venue>`, `GET /dialects`) and `startSimulator({ dialects })`.
 */
import { z } from 'zod';
import { GrvtDialect } from '../facades/grvt/grvt-dialect.js';

export const DIALECT_SCHEMAS = {
  grvt: GrvtDialect,
} as const satisfies Record<string, z.ZodType<object>>;

export type DialectVenue = keyof typeof DIALECT_SCHEMAS;

type OptionalShape<T extends Record<string, z.ZodType>> = { [K in keyof T]: z.ZodOptional<T[K]> };
const optionalShape = <T extends Record<string, z.ZodType>>(shape: T): OptionalShape<T> =>
  Object.fromEntries(Object.entries(shape).map(([k, s]) => [k, s.optional()])) as OptionalShape<T>;

/** `dialects:` of a scenario file or of startSimulator's options: venue → that venue's switches (defaults filled). */
export const DialectsSpec = z.strictObject(optionalShape(DIALECT_SCHEMAS));
export type DialectsSpec = z.infer<typeof DialectsSpec>;
export type DialectsInput = z.input<typeof DialectsSpec>;

export const isDialectVenue = (venue: string): venue is DialectVenue => Object.hasOwn(DIALECT_SCHEMAS, venue);

/** A façade's dialect switch as the simulator holds it: the value in force, and a setter taking a validated one. */
export interface DialectControl {
  current(): object;
  set(dialect: object): void;
}

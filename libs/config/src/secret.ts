import type * as z from 'zod';

/**
 * Marks a schema as holding a secret (API key, private key, password): the
 * loader registers its value with telemetry's registerSecret, so no log line
 * can carry it, and masks it in error messages.
 *
 * The mark is zod metadata on this schema instance, and zod methods return new
 * instances: call secret() last, on the finished check, e.g.
 * `secret(z.string().min(32)).optional()` (wrappers added afterwards are fine).
 * Keys whose name looks secret (apiKey, privateKey, passphrase...) are treated
 * as secret even without the mark.
 */
export function secret<T extends z.ZodType>(schema: T): T {
  return schema.meta({ secret: true });
}

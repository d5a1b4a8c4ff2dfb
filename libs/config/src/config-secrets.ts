import { isSecretKey } from '@perpetua/telemetry';
import { isPlainObject } from './deep-merge.js';
import { childSchemas, unwrap, type PathSegment, type Schema } from './schema-shape.js';

/**
 * Every value in `value` that is secret: marked with secret() in the schema,
 * or under a key whose name looks secret (isSecretKey, the logger's own rule),
 * at any depth below such a key too.
 */
export function collectSecretValues(schema: Schema, value: unknown): string[] {
  const found: string[] = [];
  const visit = (v: unknown, schemas: Schema[], secret: boolean): void => {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint') {
      if (secret) found.push(String(v));
    } else if (isPlainObject(v)) {
      for (const [k, child] of Object.entries(v)) step(child, schemas, k, secret || isSecretKey(k));
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => step(item, schemas, i, secret));
    }
  };
  const step = (v: unknown, schemas: Schema[], key: PathSegment, secret: boolean): void => {
    const next = childSchemas(schemas, key).map(unwrap);
    visit(
      v,
      next.flatMap((u) => u.schemas),
      secret || next.some((u) => u.secret),
    );
  };
  const root = unwrap(schema);
  visit(value, root.schemas, root.secret);
  return found;
}

/** True when the value at `path` is secret by schema mark or by a key name on the way. */
export function isSecretPath(schemaSecret: boolean, path: readonly PathSegment[]): boolean {
  return schemaSecret || path.some((seg) => typeof seg === 'string' && isSecretKey(seg));
}

import * as z from 'zod';

/**
 * Just enough zod introspection for the loader: which schema sits at a key
 * path, whether an object accepts unknown keys, whether a value is expected to
 * be a string, and whether it is marked secret. Unions are followed into every
 * option, so each query works on a list of candidate schemas.
 */

export type Schema = z.core.$ZodType;
export type PathSegment = string | number;
export type KeyPath = readonly PathSegment[];

/** The def fields the loader reads; zod 4 keeps them on schema._zod.def. */
interface Def {
  type: string;
  innerType?: Schema;
  shape?: Record<string, Schema>;
  catchall?: Schema;
  valueType?: Schema;
  element?: Schema;
  options?: readonly Schema[];
  left?: Schema;
  right?: Schema;
  in?: Schema;
  out?: Schema;
  getter?: () => Schema;
  items?: readonly Schema[];
  rest?: Schema | null;
  entries?: Record<string, string | number>;
  values?: readonly unknown[];
}

function def(schema: Schema): Def {
  return schema._zod.def as unknown as Def;
}

/** Wrappers that do not change the shape of the value they accept. */
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly', 'nonoptional']);

/** The metadata marker set by secret(). */
export function hasSecretMark(schema: Schema): boolean {
  const meta = z.globalRegistry.get(schema) as { secret?: unknown } | undefined;
  return meta?.secret === true;
}

/**
 * Peels wrappers (optional, default, lazy, pipe...) and spreads unions, giving
 * the schemas a value at this spot may be checked against. `secret` is true
 * when any layer peeled on the way carries the secret mark.
 */
export function unwrap(schema: Schema): { schemas: Schema[]; secret: boolean } {
  const out: Schema[] = [];
  let secret = false;
  const seen = new Set<Schema>();
  const visit = (s: Schema): void => {
    if (seen.has(s)) return;
    seen.add(s);
    if (hasSecretMark(s)) secret = true;
    const d = def(s);
    if (WRAPPERS.has(d.type) && d.innerType) return visit(d.innerType);
    if (d.type === 'lazy' && d.getter) return visit(d.getter());
    if (d.type === 'pipe' && d.in && d.out) {
      // A value is fed to the input side; z.preprocess puts a transform there, so look past it.
      return visit(def(d.in).type === 'transform' ? d.out : d.in);
    }
    if (d.type === 'union' && d.options) return d.options.forEach(visit);
    if (d.type === 'intersection' && d.left && d.right) {
      visit(d.left);
      visit(d.right);
      return;
    }
    out.push(s);
  };
  visit(schema);
  return { schemas: out, secret };
}

/** Schemas for the value under `key` of a value checked against `schemas`. */
export function childSchemas(schemas: readonly Schema[], key: PathSegment): Schema[] {
  const out: Schema[] = [];
  for (const s of schemas) {
    const d = def(s);
    switch (d.type) {
      case 'object': {
        // Own keys only: a key named __proto__ or constructor would otherwise find Object's, not a field.
        const field = d.shape && Object.hasOwn(d.shape, String(key)) ? d.shape[String(key)] : undefined;
        if (field) out.push(field);
        else if (d.catchall && def(d.catchall).type !== 'never') out.push(d.catchall);
        break;
      }
      case 'record':
        if (d.valueType) out.push(d.valueType);
        break;
      case 'array':
        if (d.element && typeof key === 'number') out.push(d.element);
        break;
      case 'tuple':
        if (typeof key === 'number') {
          const item = d.items?.[key] ?? d.rest ?? undefined;
          if (item) out.push(item);
        }
        break;
      default:
        break;
    }
  }
  return out;
}

/** childSchemas, unwrapped: the candidates one key further down. */
export function descend(schemas: readonly Schema[], key: PathSegment): Schema[] {
  return childSchemas(schemas, key).flatMap((s) => unwrap(s).schemas);
}

export interface SchemaAt {
  /** Unwrapped candidate schemas at the path; empty when the path is unknown to the schema. */
  schemas: Schema[];
  /** The path is free-form (any/unknown/custom/open object somewhere above): nothing to check. */
  open: boolean;
  /** A schema on the path (or above it) carries the secret mark. */
  secret: boolean;
}

export function schemaAt(root: Schema, path: KeyPath): SchemaAt {
  let { schemas, secret } = unwrap(root);
  let open = schemas.some(isFreeForm);
  for (const key of path) {
    if (open) return { schemas: [], open, secret };
    const next = childSchemas(schemas, key);
    const unwrapped = next.map(unwrap);
    schemas = unwrapped.flatMap((u) => u.schemas);
    secret ||= unwrapped.some((u) => u.secret);
    open = schemas.some(isFreeForm);
  }
  return { schemas, open, secret };
}

/** Accepts anything, so the loader cannot (and need not) check keys below it. */
function isFreeForm(s: Schema): boolean {
  const t = def(s).type;
  return t === 'any' || t === 'unknown' || t === 'custom';
}

/**
 * The keys an object value may have here: `keys` declared by the object
 * schemas, `open` when some candidate also takes keys it does not declare
 * (records, catchall, free-form, or no object schema at all).
 */
export function allowedKeys(schemas: readonly Schema[]): { keys: string[]; open: boolean } {
  const keys: string[] = [];
  let open = schemas.length === 0;
  for (const s of schemas) {
    const d = def(s);
    if (d.type === 'object') {
      keys.push(...Object.keys(d.shape ?? {}));
      if (d.catchall && def(d.catchall).type !== 'never') open = true;
    } else if (d.type !== 'array' && d.type !== 'tuple') {
      open = true;
    }
  }
  return { keys, open };
}

/** Keys of record schemas at this spot: those are the user's own names, not ours. */
export function isRecordSpot(schemas: readonly Schema[]): boolean {
  return schemas.some((s) => def(s).type === 'record');
}

/** True when every candidate takes a string as it is, so text must not be parsed as YAML. */
export function expectsString(schemas: readonly Schema[]): boolean {
  return schemas.length > 0 && schemas.every(isStringSchema);
}

function isStringSchema(s: Schema): boolean {
  const d = def(s);
  switch (d.type) {
    case 'string':
    case 'template_literal':
      return true;
    case 'enum':
      return Object.values(d.entries ?? {}).every((v) => typeof v === 'string');
    case 'literal':
      return (d.values ?? []).every((v) => typeof v === 'string');
    default:
      return false;
  }
}

import { closestKey } from './closest-key.js';
import { isPlainObject } from './deep-merge.js';
import { allowedKeys, descend, unwrap, type PathSegment, type Schema } from './schema-shape.js';

export interface UnknownKey {
  path: PathSegment[];
  suggestion?: string;
}

/**
 * Keys the schema does not declare, at any depth. The loader enforces this
 * for every object schema, even a non-strict z.object(), since a misspelt key
 * silently ignored (maxPostion: 0.1) is a risk limit that does not apply.
 * Objects that opt out (z.looseObject, .catchall, records) are respected.
 */
export function findUnknownKeys(schema: Schema, value: unknown): UnknownKey[] {
  const found: UnknownKey[] = [];
  const visit = (v: unknown, schemas: Schema[], path: PathSegment[]): void => {
    if (isPlainObject(v)) {
      const { keys, open } = allowedKeys(schemas);
      for (const [k, child] of Object.entries(v)) {
        if (!open && !keys.includes(k)) {
          const suggestion = closestKey(k, keys);
          found.push(suggestion === undefined ? { path: [...path, k] } : { path: [...path, k], suggestion });
        } else visit(child, descend(schemas, k), [...path, k]);
      }
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => visit(item, descend(schemas, i), [...path, i]));
    }
  };
  visit(value, unwrap(schema).schemas, []);
  return found;
}

import { SourceMap } from './config-source.js';
import { isPlainObject, setPath } from './deep-merge.js';
import { parseScalar } from './parse-scalar.js';
import { descend, expectsString, unwrap, type Schema } from './schema-shape.js';
import type { Layer } from './yaml-layer.js';

/**
 * Overrides from code or CLI flags: a nested object, where a key may also be
 * a dotted path ({ 'risk.maxPosition': '0.5' }). Text values are read like env
 * values (YAML scalars unless the schema expects a string); numbers given for
 * a string key become their text. Undefined values (unset flags) are skipped.
 */
export function buildOverridesLayer(schema: Schema, overrides: Record<string, unknown>): Layer {
  const data: Record<string, unknown> = {};
  const sources = new SourceMap();
  const visit = (obj: Record<string, unknown>, path: string[], schemas: Schema[]): void => {
    for (const [rawKey, value] of Object.entries(obj)) {
      if (value === undefined) continue;
      let childPath = path;
      let childSchemas = schemas;
      for (const key of rawKey.split('.')) {
        childPath = [...childPath, key];
        childSchemas = descend(childSchemas, key);
      }
      if (isPlainObject(value)) {
        visit(value, childPath, childSchemas);
        continue;
      }
      setPath(data, childPath, coerce(value, expectsString(childSchemas)));
      sources.set(childPath, { kind: 'overrides' });
    }
  };
  visit(overrides, [], unwrap(schema).schemas);
  return { data, sources };
}

function coerce(value: unknown, wantsString: boolean): unknown {
  if (typeof value === 'string') return wantsString ? value : parseScalar(value);
  if (wantsString && (typeof value === 'number' || typeof value === 'bigint')) return String(value);
  return value;
}

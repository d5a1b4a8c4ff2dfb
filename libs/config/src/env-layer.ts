import type { ConfigSource } from './config-source.js';
import { SourceMap } from './config-source.js';
import { isPlainObject, setPath } from './deep-merge.js';
import { normalizeKey, snakeToCamel } from './key-path.js';
import { parseScalar } from './parse-scalar.js';
import { allowedKeys, descend, expectsString, isRecordSpot, unwrap, type Schema } from './schema-shape.js';
import type { Layer } from './yaml-layer.js';

export interface EnvValue {
  value: string;
  /** Set when the value came from a .env file rather than the real environment. */
  dotenvFile?: string;
}

export interface EnvLayer extends Layer {
  /** Variables with the prefix whose name is not a key path (PERPETUA_RISK____X, PERPETUA_). */
  malformed: string[];
}

/**
 * Turns PREFIX_* variables into a config object: PERPETUA_RISK__MAX_POSITION=0.5
 * sets risk.maxPosition. Segments are split on "__"; each one is matched
 * against the keys the schema (or the file below) declares, ignoring case and
 * "_", and otherwise becomes camelCase (lowercase where the schema has a
 * record of user-named entries, like venue ids). Values are read as YAML
 * scalars, except where the schema expects a string. Empty values count as unset.
 */
export function buildEnvLayer(
  schema: Schema,
  base: unknown,
  vars: ReadonlyMap<string, EnvValue>,
  prefix: string,
  unknownEnv: 'error' | 'ignore',
): EnvLayer {
  const data: Record<string, unknown> = {};
  const sources = new SourceMap();
  const malformed: string[] = [];
  const root = unwrap(schema).schemas;

  for (const name of [...vars.keys()].sort()) {
    const entry = vars.get(name);
    if (!name.startsWith(prefix) || entry === undefined || entry.value === '') continue;
    const segments = name.slice(prefix.length).split('__');
    if (segments.some((s) => s === '' || !/^[A-Za-z0-9_]+$/.test(s))) {
      malformed.push(name);
      continue;
    }
    let schemas = root;
    let node: unknown = base;
    let known = true;
    const path: string[] = [];
    for (const segment of segments) {
      const allowed = allowedKeys(schemas);
      const key = resolveKey(segment, schemas, allowed.keys, node);
      if (!allowed.open && !allowed.keys.includes(key)) known = false;
      path.push(key);
      schemas = descend(schemas, key);
      node = isPlainObject(node) ? node[key] : undefined;
    }
    if (!known && unknownEnv === 'ignore') continue;
    const source: ConfigSource = entry.dotenvFile === undefined ? { kind: 'env', name } : { kind: 'env', name, dotenvFile: entry.dotenvFile };
    setPath(data, path, expectsString(schemas) ? entry.value : parseScalar(entry.value));
    sources.set(path, source);
  }
  return { data, sources, malformed };
}

function resolveKey(segment: string, schemas: Schema[], declared: readonly string[], node: unknown): string {
  const wanted = normalizeKey(segment);
  const existing = isPlainObject(node) ? Object.keys(node) : [];
  const match = [...declared, ...existing].find((k) => normalizeKey(k) === wanted);
  if (match !== undefined) return match;
  return isRecordSpot(schemas) ? segment.toLowerCase() : snakeToCamel(segment);
}

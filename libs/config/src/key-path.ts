import type { KeyPath, PathSegment } from './schema-shape.js';

/** How a key path reads in messages: risk.maxPosition, symbols[0], venues["my venue"]. */
export function formatPath(path: KeyPath): string {
  if (path.length === 0) return '(root)';
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** A Map key for a path. */
export function pathKey(path: KeyPath): string {
  return JSON.stringify(path);
}

/** MAX_POSITION -> maxPosition, RISK -> risk. */
export function snakeToCamel(segment: string): string {
  const words = segment.toLowerCase().split('_').filter((w) => w !== '');
  return words.map((w, i) => (i === 0 ? w : w[0]?.toUpperCase() + w.slice(1))).join('');
}

/** maxPosition -> MAX_POSITION (the inverse of snakeToCamel for camelCase keys). */
export function camelToSnake(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
}

/** The environment variable that sets `path`, or undefined when env cannot address it (list items). */
export function envVarName(prefix: string, path: KeyPath): string | undefined {
  if (path.length === 0 || path.some((s) => typeof s === 'number')) return undefined;
  return prefix + path.map((s) => camelToSnake(String(s))).join('__');
}

/** Compares keys ignoring case, "_" and "-": maxPosition, max_position and MAX-POSITION match. */
export function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[_-]/g, '');
}

export function appendPath(path: KeyPath, seg: PathSegment): PathSegment[] {
  return [...path, seg];
}

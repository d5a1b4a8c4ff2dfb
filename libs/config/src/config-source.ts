import { pathKey } from './key-path.js';
import type { KeyPath } from './schema-shape.js';

/** Where a config value came from, so an error can send the user to the right place. */
export type ConfigSource =
  | { kind: 'file'; file: string; line: number }
  | { kind: 'env'; name: string; dotenvFile?: string }
  | { kind: 'overrides' };

export function describeSource(source: ConfigSource): string {
  switch (source.kind) {
    case 'file':
      return `file ${source.file}:${source.line}`;
    case 'env':
      return source.dotenvFile === undefined ? `env ${source.name}` : `env ${source.name} in ${source.dotenvFile}`;
    case 'overrides':
      return 'overrides';
  }
}

/** Source of every path a layer set; later layers overwrite earlier ones. */
export class SourceMap {
  private readonly byPath = new Map<string, ConfigSource>();

  set(path: KeyPath, source: ConfigSource): void {
    this.byPath.set(pathKey(path), source);
  }

  merge(other: SourceMap): void {
    for (const [k, v] of other.byPath) this.byPath.set(k, v);
  }

  /** The source of `path`, or of its nearest ancestor (a list set whole by one env var). */
  find(path: KeyPath): ConfigSource | undefined {
    for (let n = path.length; n >= 0; n--) {
      const found = this.byPath.get(pathKey(path.slice(0, n)));
      if (found) return found;
    }
    return undefined;
  }
}

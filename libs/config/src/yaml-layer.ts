import { readFileSync } from 'node:fs';
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { ConfigError } from './config-error.js';
import { SourceMap } from './config-source.js';
import { isPlainObject } from './deep-merge.js';
import { descend, expectsString, unwrap, type PathSegment, type Schema } from './schema-shape.js';

export interface Layer {
  data: Record<string, unknown>;
  sources: SourceMap;
}

/**
 * Reads a YAML config file into a plain object, noting the line of every key
 * for error messages. Where the schema expects a string, an unquoted scalar
 * YAML would read as a number (maxPosition: 0.5, privateKey: 0xab12...) is
 * kept as the text written, so decimals stay exact and keys stay keys.
 */
export function readYamlLayer(schema: Schema, file: string): Layer {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError([
      code === 'ENOENT' ? `config file ${file} does not exist` : `cannot read config file ${file} (${code ?? 'read failed'})`,
    ]);
  }
  return yamlLayerOf(schema, file, text);
}

/** The layer of a config file's text (`file` names it in messages); throws ConfigError only. */
export function yamlLayerOf(schema: Schema, file: string, text: string): Layer {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, merge: true, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax) {
    const { line, col } = lineCounter.linePos(syntax.pos[0]);
    throw new ConfigError([`file ${file}:${line}:${col} is not valid YAML: ${firstLine(syntax.message)}`]);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    throw new ConfigError([`file ${file} could not be read as YAML: ${firstLine((err as Error).message)}`]);
  }
  data ??= {};
  if (!isPlainObject(data)) throw new ConfigError([`file ${file} must hold a mapping of keys at the top level`]);

  const sources = new SourceMap();
  const lineOf = (node: { range?: [number, number, number] | null } | null | undefined): number =>
    node?.range ? lineCounter.linePos(node.range[0]).line : 1;

  const visit = (node: unknown, holder: Record<string | number, unknown>, key: PathSegment, path: PathSegment[], schemas: Schema[]): void => {
    if (isAlias(node)) return;
    if (isMap(node)) {
      const obj = holder[key];
      if (!isPlainObject(obj)) return;
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        const k = String(pair.key.value);
        if (k === '<<') continue;
        const childPath = [...path, k];
        sources.set(childPath, { kind: 'file', file, line: lineOf(pair.key) });
        visit(pair.value, obj, k, childPath, descend(schemas, k));
      }
    } else if (isSeq(node)) {
      const arr = holder[key];
      if (!Array.isArray(arr)) return;
      node.items.forEach((item, i) => {
        const childPath = [...path, i];
        sources.set(childPath, { kind: 'file', file, line: lineOf(item as { range?: [number, number, number] }) });
        visit(item, arr as unknown as Record<number, unknown>, i, childPath, descend(schemas, i));
      });
    } else if (isScalar(node)) {
      const value = node.value;
      if (node.type === 'PLAIN' && value !== null && typeof value !== 'string' && typeof node.source === 'string' && expectsString(schemas)) {
        holder[key] = node.source;
      }
    }
  };
  visit(doc.contents, { root: data }, 'root', [], unwrap(schema).schemas);
  return { data, sources };
}

function firstLine(text: string): string {
  return (text.split('\n', 1)[0] ?? '').trim();
}

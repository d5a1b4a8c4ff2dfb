import { readFileSync } from 'node:fs';
import { parse } from 'dotenv';
import { ConfigError } from './config-error.js';

/**
 * Reads a .env file with dotenv's parser. Nothing is written to process.env:
 * the loader merges these values under the real environment itself, so a
 * variable set in the environment always beats the file. A missing file is
 * fine unless the caller named it explicitly.
 */
export function readDotenvFile(path: string, required: boolean): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !required) return {};
    throw new ConfigError([
      code === 'ENOENT' ? `env file ${path} does not exist` : `cannot read env file ${path} (${code ?? 'read failed'})`,
    ]);
  }
  return parse(text);
}

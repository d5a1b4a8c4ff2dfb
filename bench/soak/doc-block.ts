import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Rewrites the text between `<!-- NAME:begin -->` and `<!-- NAME:end -->` in a Markdown file; the prose
 * around it is kept. The markers must be there (a generated block is placed by hand once).
 */
export function replaceDocBlock(path: string, name: string, text: string): void {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const current = readFileSync(path, 'utf8');
  const i = current.indexOf(begin);
  const j = current.indexOf(end);
  if (i < 0 || j < i) throw new Error(`${path} lacks the ${begin} ... ${end} markers`);
  writeFileSync(path, `${current.slice(0, i)}${begin}\n${text}\n${current.slice(j)}`);
}

/**
 * The import graph of the workspace's TypeScript sources, as the files name each other: relative imports (a `.js`
 * specifier meaning the `.ts` beside it, as NodeNext wants) and workspace packages by name (`@perpetua/x` and its
 * subpaths, through the package's `exports` to its source). Type-only imports count: a cycle of types is still two
 * files that cannot be understood one without the other.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import ts from 'typescript';
import type { ImportGraph } from './import-cycles.js';

const SOURCE = /\.(ts|tsx|mts|cts)$/;
/** A `.js` family specifier is written for the `.ts` family file that compiles to it. */
const JS_TO_TS: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };
const IMPLIED = ['.ts', '.tsx', '/index.ts', '/index.tsx'];

/** A workspace package: its name, its folder (repo-relative) and its `exports` map (subpath -> file). */
export interface WorkspacePackage {
  name: string;
  dir: string;
  exports: Readonly<Record<string, string>>;
}

/**
 * The file (repo-relative, posix) that `specifier` in `from` means, or undefined when it names nothing in `files`
 * (a third-party package, a Node built-in, a JSON file).
 */
export function resolveImport(
  from: string,
  specifier: string,
  files: ReadonlySet<string>,
  packages: readonly WorkspacePackage[],
): string | undefined {
  if (specifier.startsWith('.')) return fileAt(posix.join(posix.dirname(from), specifier), files);
  const pkg = packages.find((p) => specifier === p.name || specifier.startsWith(`${p.name}/`));
  if (!pkg) return undefined;
  const target = pkg.exports[`.${specifier.slice(pkg.name.length)}`];
  return target === undefined ? undefined : fileAt(posix.join(pkg.dir, target), files);
}

function fileAt(path: string, files: ReadonlySet<string>): string | undefined {
  const ext = posix.extname(path);
  const candidates = [...(JS_TO_TS[ext] ?? []).map((e) => path.slice(0, -ext.length) + e), path, ...IMPLIED.map((e) => path + e)];
  return candidates.find((c) => files.has(c));
}

/** The packages named in the root package.json's workspaces (libs/*, services/*, cli). */
export function workspacePackages(root: string): WorkspacePackage[] {
  const dirs: string[] = [];
  for (const group of ['libs', 'services']) for (const name of readdirSync(join(root, group)).sort()) dirs.push(posix.join(group, name));
  dirs.push('cli');
  return dirs
    .filter((d) => statSync(join(root, d, 'package.json'), { throwIfNoEntry: false })?.isFile())
    .map((dir) => {
      const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as { name: string; exports?: string | Record<string, string> };
      const exports = typeof manifest.exports === 'string' ? { '.': manifest.exports } : (manifest.exports ?? {});
      return { name: manifest.name, dir, exports };
    });
}

/** Every TypeScript source under `dir` (repo-relative, posix), skipping node_modules, dist, dot folders and .d.ts. */
export function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const path = posix.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(root, path));
    else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** The import graph of every source file of the workspace packages under `root`. */
export function readImportGraph(root: string): ImportGraph {
  const packages = workspacePackages(root);
  const files = new Set(packages.flatMap((p) => sourceFiles(root, p.dir)));
  const graph = new Map<string, string[]>();
  for (const file of [...files].sort()) {
    // Static imports and re-exports (type-only too), `import()` and `require()`.
    const info = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
    const targets = new Set<string>();
    for (const imported of info.importedFiles) {
      const target = resolveImport(file, imported.fileName, files, packages);
      if (target !== undefined) targets.add(target);
    }
    graph.set(file, [...targets].sort());
  }
  return graph;
}


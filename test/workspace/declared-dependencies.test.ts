import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { auditDependencies, describeProblem, packageOf, type ImportSite, type PackageManifest } from './dependency-audit.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
/** Code a package runs or ships: its sources, and a front end it bundles when it starts (services/dashboard/web). */
const RUNTIME_DIRS = ['src/', 'web/'];

function workspaceDirs(): string[] {
  const dirs: string[] = [];
  for (const group of ['libs', 'services']) for (const name of readdirSync(join(ROOT, group)).sort()) dirs.push(join(ROOT, group, name));
  dirs.push(join(ROOT, 'cli'));
  return dirs.filter((d) => statSync(join(d, 'package.json'), { throwIfNoEntry: false })?.isFile());
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** A package located rather than imported (`require.resolve('uplot')` to read its files) is a dependency too. */
const RESOLVED = /(?:\brequire|\))\.resolve\(\s*['"]([^'"./][^'"]*)['"]\s*\)/g;

/** Every module specifier a file names: static imports and re-exports (type-only too), `import()`, `require()` and `require.resolve()`. */
function importsOf(pkgDir: string, file: string): ImportSite[] {
  const rel = relative(pkgDir, file);
  const text = readFileSync(file, 'utf8');
  const info = ts.preProcessFile(text, true, true);
  const specifiers = [...info.importedFiles.map((f) => f.fileName), ...[...text.matchAll(RESOLVED)].map((m) => m[1]!)];
  return specifiers.map((specifier) => ({ file: rel, specifier, runtime: RUNTIME_DIRS.some((d) => rel.startsWith(d)) }));
}

describe('workspace packages declare exactly what they import', () => {
  const dirs = workspaceDirs();

  it('finds every workspace package', () => {
    expect(dirs.map((d) => relative(ROOT, d))).toEqual(expect.arrayContaining(['libs/core', 'libs/bus', 'services/order-router', 'cli']));
  });

  for (const dir of dirs) {
    it(relative(ROOT, dir), () => {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageManifest;
      const imports = sourceFiles(dir).flatMap((f) => importsOf(dir, f));
      const problems = auditDependencies(manifest, imports).map(describeProblem);
      expect(problems, `fix ${relative(ROOT, dir)}/package.json:\n${problems.join('\n')}`).toEqual([]);
    });
  }
});

describe('the dependency audit itself', () => {
  const manifest: PackageManifest = { name: '@perpetua/x', dependencies: { zod: '1', pino: '1', vitest: '1' }, devDependencies: { 'fast-check': '1', '@perpetua/testkit': '0' } };

  it('names the package, the file and the import of each undeclared dependency', () => {
    const problems = auditDependencies(manifest, [
      { file: 'src/a.ts', specifier: 'zod', runtime: true },
      { file: 'src/a.ts', specifier: 'pino', runtime: true },
      { file: 'src/b.ts', specifier: '@perpetua/state/sub', runtime: true },
      { file: 'src/b.ts', specifier: '@perpetua/testkit', runtime: true },
      { file: 'test/a.test.ts', specifier: 'vitest', runtime: false },
      { file: 'test/a.test.ts', specifier: 'fast-check', runtime: false },
      { file: 'src/c.ts', specifier: 'node:fs', runtime: true },
      { file: 'src/c.ts', specifier: 'fs', runtime: true },
      { file: 'src/c.ts', specifier: './local.js', runtime: true },
      { file: 'src/c.ts', specifier: '@perpetua/x', runtime: true },
    ]).map(describeProblem);
    expect(problems).toEqual([
      '@perpetua/x: src/b.ts imports "@perpetua/state/sub" but package.json does not declare "@perpetua/state" (add it to dependencies)',
      '@perpetua/x: src/b.ts imports "@perpetua/testkit" at run time but "@perpetua/testkit" is only in devDependencies (move it to dependencies)',
      '@perpetua/x: "vitest" is in dependencies but only tests or build scripts import it (move it to devDependencies)',
    ]);
  });

  it('reports what is declared and never imported', () => {
    expect(auditDependencies(manifest, []).map((p) => p.kind === 'unused' && p.dependency)).toEqual(['zod', 'pino', 'vitest', 'fast-check', '@perpetua/testkit']);
  });

  it('reads the package out of a specifier', () => {
    expect(['@a/b/c', 'lodash/fp', 'ws', 'node:path', 'path', '../x', '/abs'].map(packageOf)).toEqual(['@a/b', 'lodash', 'ws', undefined, undefined, undefined, undefined]);
  });
});

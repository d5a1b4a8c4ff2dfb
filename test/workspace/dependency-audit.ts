/**
 * What each workspace package imports against what its package.json declares.
 * Pure: the caller reads the files; this decides. A package must list every
 * package its sources import in `dependencies`, may list what only its tests and
 * build scripts import in `devDependencies`, and must list nothing it does not
 * import (so a service's package.json is enough to install it alone).
 */
import { builtinModules } from 'node:module';

export interface PackageManifest {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  /** Runtime dependencies the code copes without (loaded with a guarded `import()`), left out of a production image. */
  optionalDependencies?: Record<string, string>;
}

export interface ImportSite {
  /** Path of the importing file, relative to the package directory. */
  file: string;
  specifier: string;
  /** Source code shipped by the package (src/), as opposed to its tests and build scripts. */
  runtime: boolean;
}

export type DependencyProblem =
  | { kind: 'undeclared'; pkg: string; dependency: string; file: string; specifier: string }
  | { kind: 'dev-only'; pkg: string; dependency: string; file: string; specifier: string }
  | { kind: 'unused'; pkg: string; dependency: string; section: 'dependencies' | 'devDependencies' }
  | { kind: 'runtime-in-dev'; pkg: string; dependency: string };

const BUILTINS = new Set(builtinModules);

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`), or undefined for relative paths and Node built-ins. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  if (BUILTINS.has(name)) return undefined;
  return name;
}

export function auditDependencies(manifest: PackageManifest, imports: readonly ImportSite[]): DependencyProblem[] {
  const deps = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.optionalDependencies ?? {})]);
  const devDeps = new Set(Object.keys(manifest.devDependencies ?? {}));
  const problems: DependencyProblem[] = [];
  const usedAtRuntime = new Set<string>();
  const used = new Set<string>();
  const reported = new Set<string>();
  for (const site of imports) {
    const dep = packageOf(site.specifier);
    if (dep === undefined || dep === manifest.name) continue;
    used.add(dep);
    if (site.runtime) usedAtRuntime.add(dep);
    const key = `${dep}\u0000${site.runtime}`;
    if (reported.has(key)) continue;
    if (!deps.has(dep) && !devDeps.has(dep)) {
      problems.push({ kind: 'undeclared', pkg: manifest.name, dependency: dep, file: site.file, specifier: site.specifier });
      reported.add(key);
    } else if (site.runtime && !deps.has(dep)) {
      problems.push({ kind: 'dev-only', pkg: manifest.name, dependency: dep, file: site.file, specifier: site.specifier });
      reported.add(key);
    }
  }
  for (const dep of deps) {
    if (!used.has(dep)) problems.push({ kind: 'unused', pkg: manifest.name, dependency: dep, section: 'dependencies' });
    else if (!usedAtRuntime.has(dep)) problems.push({ kind: 'runtime-in-dev', pkg: manifest.name, dependency: dep });
  }
  for (const dep of devDeps) if (!used.has(dep)) problems.push({ kind: 'unused', pkg: manifest.name, dependency: dep, section: 'devDependencies' });
  return problems;
}

/** One line per problem, naming the package, the dependency and (for an import) the file that imports it. */
export function describeProblem(p: DependencyProblem): string {
  switch (p.kind) {
    case 'undeclared':
      return `${p.pkg}: ${p.file} imports "${p.specifier}" but package.json does not declare "${p.dependency}" (add it to ${p.file.startsWith('src/') ? 'dependencies' : 'devDependencies'})`;
    case 'dev-only':
      return `${p.pkg}: ${p.file} imports "${p.specifier}" at run time but "${p.dependency}" is only in devDependencies (move it to dependencies)`;
    case 'unused':
      return `${p.pkg}: "${p.dependency}" is in ${p.section} but nothing in the package imports it (remove it)`;
    case 'runtime-in-dev':
      return `${p.pkg}: "${p.dependency}" is in dependencies but only tests or build scripts import it (move it to devDependencies)`;
  }
}

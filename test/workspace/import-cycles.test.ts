import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { describeCycle, findCycles, type ImportGraph } from './import-cycles.js';
import { readImportGraph, resolveImport, type WorkspacePackage } from './import-graph.js';

const ROOT = resolve(import.meta.dirname, '..', '..');

describe('no import cycle anywhere in libs/*, services/*, cli', () => {
  const graph = readImportGraph(ROOT);

  it('reads the whole workspace, across packages', () => {
    // Guards against a check that passes because it read nothing: a relative edge and a package edge it must see.
    expect(graph.size).toBeGreaterThan(500);
    expect(graph.get('libs/sim/src/world.ts')).toContain('libs/sim/src/engine/venue-engine.ts');
    expect(graph.get('services/order-router/src/order-router-service.ts')).toContain('libs/core/src/index.ts');
  });

  it('finds no cycle', () => {
    const cycles = findCycles(graph).map(describeCycle);
    expect(cycles, `files that import each other:\n${cycles.join('\n')}`).toEqual([]);
  });
});

describe('the cycle check on a tree of its own', () => {
  const root = mkdtempSync(join(tmpdir(), 'import-cycles-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write('libs/a/package.json', JSON.stringify({ name: '@x/a', exports: { '.': './src/index.ts', './b': './src/b.ts' } }));
  write('libs/a/src/index.ts', "export { b } from './b.js';\n");
  write('libs/a/src/b.ts', "import type { C } from '@x/c';\nexport const b = 1;\nexport type B = C;\n");
  write('libs/a/src/alone.ts', "import { b } from './b.js';\nimport 'zod';\nexport const alone = b;\n");
  write('libs/c/package.json', JSON.stringify({ name: '@x/c', exports: './src/index.ts' }));
  write('libs/c/src/index.ts', "export type { C } from './c.js';\n");
  write('libs/c/src/c.ts', "import type { B } from '@x/a/b';\nexport type C = B | 1;\n");
  write('services/s/package.json', JSON.stringify({ name: '@x/s', exports: { '.': './src/main.ts' } }));
  write('services/s/src/main.ts', "import { b } from '@x/a';\nexport const main = (): Promise<unknown> => import('./late.js');\nexport { b };\n");
  write('services/s/src/late.ts', "import { main } from './main.js';\nexport const late = main;\n");
  write('cli/package.json', JSON.stringify({ name: '@x/cli', exports: { '.': './src/main.ts' } }));
  write('cli/src/main.ts', "import { main } from '@x/s';\nvoid main;\n");

  it('follows .js to .ts, package names and subpaths, type-only imports and import()', () => {
    const graph = readImportGraph(root);
    expect(Object.fromEntries(graph)).toEqual({
      'cli/src/main.ts': ['services/s/src/main.ts'],
      'libs/a/src/alone.ts': ['libs/a/src/b.ts'],
      'libs/a/src/b.ts': ['libs/c/src/index.ts'],
      'libs/a/src/index.ts': ['libs/a/src/b.ts'],
      'libs/c/src/c.ts': ['libs/a/src/b.ts'],
      'libs/c/src/index.ts': ['libs/c/src/c.ts'],
      'services/s/src/late.ts': ['services/s/src/main.ts'],
      'services/s/src/main.ts': ['libs/a/src/index.ts', 'services/s/src/late.ts'],
    });
    expect(findCycles(graph).map(describeCycle)).toEqual([
      'libs/a/src/b.ts -> libs/c/src/index.ts -> libs/c/src/c.ts -> libs/a/src/b.ts',
      'services/s/src/late.ts -> services/s/src/main.ts -> services/s/src/late.ts',
    ]);
  });
});

describe('resolveImport', () => {
  const files = new Set(['p/src/a.ts', 'p/src/v.tsx', 'p/src/dir/index.ts', 'p/src/m.mts', 'q/src/index.ts', 'q/src/sub.ts']);
  const packages: WorkspacePackage[] = [{ name: '@x/q', dir: 'q', exports: { '.': './src/index.ts', './sub': './src/sub.ts' } }];
  const at = (specifier: string): string | undefined => resolveImport('p/src/dir/from.ts', specifier, files, packages);

  it('finds the TypeScript file a specifier means, or nothing outside the workspace', () => {
    expect(at('../a.js')).toBe('p/src/a.ts');
    expect(at('../a')).toBe('p/src/a.ts');
    expect(at('../a.ts')).toBe('p/src/a.ts');
    expect(at('../v.js')).toBe('p/src/v.tsx');
    expect(at('../m.mjs')).toBe('p/src/m.mts');
    expect(at('./index.js')).toBe('p/src/dir/index.ts');
    expect(at('../dir')).toBe('p/src/dir/index.ts');
    expect(at('@x/q')).toBe('q/src/index.ts');
    expect(at('@x/q/sub')).toBe('q/src/sub.ts');
    expect(at('@x/q/nope')).toBeUndefined();
    expect(at('@x/qq')).toBeUndefined();
    expect(at('zod')).toBeUndefined();
    expect(at('node:fs')).toBeUndefined();
    expect(at('../missing.js')).toBeUndefined();
    expect(at('./data.json')).toBeUndefined();
  });
});

describe('findCycles', () => {
  /** A random graph over files f0..f(n-1). */
  const graphs = fc.integer({ min: 1, max: 12 }).chain((n) =>
    fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: n * 3 }).map((edges) => {
      const g = new Map<string, string[]>();
      for (let i = 0; i < n; i++) g.set(`f${i}`, []);
      for (const [a, b] of edges) g.get(`f${a}`)!.push(`f${b}`);
      return g as ImportGraph;
    }),
  );

  const reachable = (g: ImportGraph, from: string): Set<string> => {
    const seen = new Set<string>();
    const todo = [...(g.get(from) ?? [])];
    while (todo.length > 0) {
      const f = todo.pop()!;
      if (seen.has(f)) continue;
      seen.add(f);
      todo.push(...(g.get(f) ?? []));
    }
    return seen;
  };

  it('groups exactly the files that reach each other, and each loop is made of real imports', () => {
    fc.assert(
      fc.property(graphs, (g) => {
        const cycles = findCycles(g);
        const reach = new Map([...g.keys()].map((f) => [f, reachable(g, f)]));
        // A file is in a cycle iff it reaches itself; two files share one iff each reaches the other.
        const inCycle = [...g.keys()].filter((f) => reach.get(f)!.has(f)).sort();
        expect(cycles.flatMap((c) => c.files).sort()).toEqual(inCycle);
        for (const c of cycles) {
          for (const a of c.files) for (const b of c.files) expect(reach.get(a)!.has(b)).toBe(true);
          expect(c.loop[0]).toBe(c.files[0]);
          expect(c.loop[c.loop.length - 1]).toBe(c.files[0]);
          for (let i = 0; i + 1 < c.loop.length; i++) expect(g.get(c.loop[i]!)).toContain(c.loop[i + 1]);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('finds none where every import points to an earlier file', () => {
    fc.assert(
      fc.property(graphs, (g) => {
        const order = (f: string): number => Number(f.slice(1));
        const dag = new Map([...g].map(([f, ts]) => [f, ts.filter((t) => order(t) < order(f))]));
        expect(findCycles(dag)).toEqual([]);
      }),
    );
  });

  it('reports a file that imports itself, ignores imports of files outside the graph, and survives a deep chain', () => {
    expect(findCycles(new Map([['a', ['a', 'zod']]])).map(describeCycle)).toEqual(['a -> a']);
    const chain = new Map<string, string[]>();
    for (let i = 0; i < 20_000; i++) chain.set(`f${i}`, i + 1 < 20_000 ? [`f${i + 1}`] : ['f0']);
    expect(findCycles(chain)[0]!.files).toHaveLength(20_000);
  });
});

/**
 * `npm run build`: the CLI and every service as one bundled ES module tree in
 * dist/ (dist/perpetua.js + code-split chunks), for running without tsx:
 * `node dist/perpetua.js service risk`. The workspace packages (@perpetua/*) are
 * compiled in; everything from node_modules stays an import, resolved at run
 * time, so dist/ must sit inside the checkout (or an image with node_modules).
 *
 * Why: tsx compiles each TypeScript module on its loader thread as it is
 * imported, which costs every process about 70 MB resident beyond the bundle
 * (benchmarks/memory in docs/PERFORMANCE.md). `npm start` and the tests keep
 * running the sources through tsx: no build step between a clone and a run.
 */
import { build, type Plugin } from 'esbuild';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');
const OUT = resolve(ROOT, 'dist');

/** Bare imports other than our workspace packages (ccxt, zod, nats, ...) stay imports of node_modules. */
const nodeModulesExternal: Plugin = {
  name: 'node-modules-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@perpetua/') ? undefined : { path: args.path, external: true }));
  },
};

export async function bundle(outdir = OUT): Promise<{ entry: string; ms: number }> {
  const t0 = Date.now();
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: { perpetua: resolve(ROOT, 'cli/src/main.ts') },
    bundle: true,
    // The CLI loads each command (and ccxt, viem, the simulator) only when it runs: keep those as chunks.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir,
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: 'linked',
    plugins: [nodeModulesExternal],
    logLevel: 'warning',
  });
  return { entry: resolve(outdir, 'perpetua.js'), ms: Date.now() - t0 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { entry, ms } = await bundle();
  process.stderr.write(`built ${entry} in ${ms} ms\n`);
}

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createHash } from 'node:crypto';

export interface WebAsset {
  body: Buffer;
  contentType: string;
  etag: string;
}

/** Where the front end's sources are, found through the package (works from the sources and from dist/). */
export function webSourceDir(): string {
  return join(dirname(createRequire(import.meta.url).resolve('@perpetua/service-dashboard/package.json')), 'web');
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.woff2': 'font/woff2',
  '.svg': 'image/svg+xml',
};

/**
 * Bundles the front end (Preact, uPlot, i18next and the catalogues) with
 * esbuild into memory: one script, one stylesheet, the page. Built when the
 * dashboard starts, so a fresh clone needs no build step and nothing generated
 * is committed; it takes well under a second.
 */
export async function buildWebAssets(): Promise<Map<string, WebAsset>> {
  const { build } = await import('esbuild');
  const dir = webSourceDir();
  const result = await build({
    entryPoints: { app: join(dir, 'main.tsx') },
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome110', 'safari16', 'firefox115'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outdir: '/assets',
    loader: { '.json': 'json', '.woff2': 'file', '.svg': 'dataurl' },
    logLevel: 'silent',
    legalComments: 'none',
  });
  const assets = new Map<string, WebAsset>();
  for (const f of result.outputFiles) {
    const name = f.path.slice(f.path.lastIndexOf('/'));
    add(assets, `/assets${name}`, Buffer.from(f.contents));
  }
  const { readFile } = await import('node:fs/promises');
  add(assets, '/', await readFile(join(dir, 'index.html')));
  return assets;
}

function add(assets: Map<string, WebAsset>, path: string, body: Buffer): void {
  const ext = path === '/' ? '.html' : path.slice(path.lastIndexOf('.'));
  assets.set(path, { body, contentType: TYPES[ext] ?? 'application/octet-stream', etag: `"${createHash('sha1').update(body).digest('base64url')}"` });
}

import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitUntil } from '@perpetua/testkit';
import { spawnDetached } from '../../cli/src/stack/local-process.js';

/**
 * Issue #27: files holding secrets are mode 0600. Every place the running code
 * writes a file is listed here with what the file holds; a new writer fails
 * this test until someone says whether its file can hold a secret (and, if it
 * can, makes it 0600 with a test).
 */
const ROOT = resolve(import.meta.dirname, '..', '..');

interface Writer {
  holdsSecrets: boolean;
  /** What the file holds, and where its mode is tested when it holds secrets. */
  what: string;
}

const WRITERS: Record<string, Writer> = {
  'services/dashboard/src/config-document.ts': {
    holdsSecrets: true,
    what: 'the configuration file the Configuration page edits, and its .prev copy: venue keys. Written 0600 (a temporary file opened 0600, renamed; the copy chmod 0600): services/dashboard/test/dashboard-requests.test.ts, dashboard-secrets.test.ts, cli/test/secret-scan-run.test.ts',
  },
  'cli/src/stack/local-process.ts': {
    holdsSecrets: true,
    what: "`perpetua stack` processes' logs: redacted by the logger, but written by processes that hold the keys (a crash's stack is printed as is), so 0600: tested below",
  },
  'libs/recorder/src/recording-writer.ts': { holdsSecrets: false, what: 'market data (md.* messages) only; a recording made with keys configured is scanned in cli/test/secret-scan-run.test.ts' },
  'cli/src/stack/stack-state.ts': { holdsSecrets: false, what: "stack.json: pids, URLs and each process's command line (a --config path, never the file's contents or the environment)" },
  'cli/src/commands/stack.ts': { holdsSecrets: false, what: "prometheus.yml: the services' scrape addresses and alert rules" },
  'cli/src/commands/backtest.ts': { holdsSecrets: false, what: "the backtest's HTML report: figures and charts of a run on recorded data" },
  'libs/config/src/config-error.ts': { holdsSecrets: false, what: 'writeSync to fd 2 (stderr), no file: the config error line, secrets masked' },
};

/** node:fs functions that create, write or replace a file. */
const WRITE_FUNCTIONS = /^(writeFile|writeFileSync|writeSync|write|appendFile|appendFileSync|createWriteStream|open|openSync|copyFile|copyFileSync|cp|cpSync|rename|renameSync|symlink|symlinkSync|link|linkSync)$/;
const FS_MODULE = /^(node:)?fs(\/promises)?$/;

/** The code that runs: every package's src, the dashboard's web front end and the CLI's sources. */
function runtimeSources(): string[] {
  const roots = [
    ...['libs', 'services'].flatMap((group) => readdirSync(join(ROOT, group)).map((name) => join(ROOT, group, name, 'src'))),
    join(ROOT, 'services/dashboard/web'),
    join(ROOT, 'cli/src'),
  ];
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : /\.(ts|tsx|mts|js|mjs)$/.test(e.name) ? [join(dir, e.name)] : []));
  return roots.filter((r) => statSync(r, { throwIfNoEntry: false })?.isDirectory()).flatMap(walk);
}

/** The fs write functions a source imports (named), or `*` for a namespace or default import of fs. */
function fsWritesOf(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/import\s+([^'"]+?)\s+from\s+['"]([^'"]+)['"]/g)) {
    if (!FS_MODULE.test(m[2]!)) continue;
    const clause = m[1]!;
    const named = /\{([^}]*)\}/.exec(clause)?.[1] ?? '';
    for (const part of named.split(',')) {
      const name = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]!.trim();
      if (WRITE_FUNCTIONS.test(name)) found.push(name);
    }
    if (/\*\s+as\s+\w+/.test(clause) || /^\w+/.test(clause.replace(/^type\s+/, '').replace(/\{[^}]*\}/, '').trim())) found.push('*');
  }
  if (/require\(\s*['"](node:)?fs(\/promises)?['"]\s*\)/.test(source)) found.push('*');
  return found;
}

describe('files holding secrets', () => {
  it('knows every place the running code writes a file, and whether it can hold a secret', () => {
    const writers = runtimeSources()
      .map((f) => ({ file: relative(ROOT, f), writes: fsWritesOf(readFileSync(f, 'utf8')) }))
      .filter((w) => w.writes.length > 0);
    const unknown = writers.filter((w) => !(w.file in WRITERS)).map((w) => `${w.file} (${w.writes.join(', ')})`);
    expect(unknown, 'new file writers: add each to WRITERS, saying what its file holds (0600 and a test if it can hold a secret)').toEqual([]);
    const gone = Object.keys(WRITERS).filter((f) => !writers.some((w) => w.file === f));
    expect(gone, 'writers listed here that no longer write: remove them').toEqual([]);
  });

  it('the finder sees named, renamed and namespace imports of fs', () => {
    expect(fsWritesOf("import { readFileSync, writeFileSync as w } from 'node:fs';")).toEqual(['writeFileSync']);
    expect(fsWritesOf("import { open, readFile } from 'node:fs/promises';")).toEqual(['open']);
    expect(fsWritesOf("import * as fs from 'fs';")).toEqual(['*']);
    expect(fsWritesOf("import fs from 'node:fs';")).toEqual(['*']);
    expect(fsWritesOf("import { readFileSync } from 'node:fs';")).toEqual([]);
  });

  it("`perpetua stack` writes each process's log 0600, a log kept from an earlier run too", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'perpetua-stack-log-'));
    const fresh = join(dir, 'fresh.log');
    const kept = join(dir, 'kept.log');
    writeFileSync(kept, 'an earlier run\n', { mode: 0o644 });
    for (const log of [fresh, kept]) spawnDetached(process.execPath, ['-e', 'console.log("started")'], log, {});
    await waitUntil(() => [fresh, kept].every((f) => readFileSync(f, 'utf8').includes('started')), 10_000, 'both processes to write their logs');
    for (const log of [fresh, kept]) expect(statSync(log).mode & 0o777, log).toBe(0o600);
  });
});

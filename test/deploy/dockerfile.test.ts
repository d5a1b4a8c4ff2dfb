import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findExecutable } from '../../cli/src/stack/local-process.js';
import { ROOT, run } from './deploy-files.js';

/**
 * Debian has no hadolint package, so these are the documented checks (README,
 * Deploy): the base image pinned, a non-root USER, every COPY source present and
 * not excluded by .dockerignore, production dependencies only, a HEALTHCHECK,
 * and the command `node dist/perpetua.js service risk` (that it starts is shown
 * on the process stack in stack.test.ts). hadolint runs too where installed.
 */
const text = readFileSync(resolve(ROOT, 'Dockerfile'), 'utf8');
// Continuation lines joined, comments dropped: one instruction per entry.
const instructions = text
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));
const args = new Map(instructions.filter((l) => /^ARG /.test(l)).map((l) => l.slice(4).split('=') as [string, string]));
const dockerignore = readFileSync(resolve(ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));

describe('Dockerfile', () => {
  it('passes hadolint where it is installed', () => {
    const hadolint = findExecutable('hadolint');
    if (!hadolint) {
      console.warn('hadolint not installed (Debian has no package): the documented checks below stand in for it');
      return;
    }
    run(hadolint, ['Dockerfile']);
  });

  it('pins every base image to a version (never latest or untagged)', () => {
    const froms = instructions.filter((l) => /^FROM /.test(l)).map((l) => l.split(/\s+/)[1]!);
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) {
      const image = from.replace(/^\$\{(\w+)\}$/, (_, name: string) => args.get(name) ?? '');
      expect(image, `FROM ${from}`).toMatch(/^[a-z0-9./-]+:\d+\.\d+\.\d+[-\w.]*$/);
    }
  });

  it('runs as a non-root user in the final stage', () => {
    const finalStage = instructions.slice(instructions.map((l) => /^FROM /.test(l)).lastIndexOf(true));
    const users = finalStage.filter((l) => /^USER /.test(l)).map((l) => l.split(/\s+/)[1]);
    expect(users.at(-1)).toBeDefined();
    expect(['root', '0']).not.toContain(users.at(-1));
  });

  it('copies only files that exist and that .dockerignore lets through', () => {
    const copies = instructions.filter((l) => /^COPY /.test(l) && !/--from=/.test(l));
    expect(copies.length).toBeGreaterThan(0);
    for (const c of copies) {
      const parts = c.split(/\s+/).slice(1).filter((p) => !p.startsWith('--'));
      for (const src of parts.slice(0, -1)) {
        expect(existsSync(resolve(ROOT, src)), `COPY source ${src}`).toBe(true);
        expect(dockerignore.filter((p) => p === src || p === `${src}/` || p === `/${src}`), `${src} is excluded by .dockerignore`).toEqual([]);
      }
    }
  });

  it('ships production dependencies only, a health check, and `node dist/perpetua.js service <name>` as its command', () => {
    expect(instructions.some((l) => /npm ci .*--omit=dev/.test(l))).toBe(true);
    expect(instructions.some((l) => /npm run build/.test(l))).toBe(true);
    const health = instructions.find((l) => /^HEALTHCHECK /.test(l));
    expect(health).toMatch(/\/healthz/);
    const entry = JSON.parse(instructions.find((l) => /^ENTRYPOINT /.test(l))!.slice('ENTRYPOINT '.length)) as string[];
    const cmd = JSON.parse(instructions.find((l) => /^CMD /.test(l))!.slice('CMD '.length)) as string[];
    expect([...entry, ...cmd]).toEqual(['node', 'dist/perpetua.js', 'service', 'risk']);
    // npm run build writes that entry point.
    expect(readFileSync(resolve(ROOT, 'cli/build/bundle.ts'), 'utf8')).toMatch(/perpetua: resolve\(ROOT, 'cli\/src\/main\.ts'\)/);
  });
});

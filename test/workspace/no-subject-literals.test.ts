import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { subjectLiteralsIn, subjectRoots } from './subject-literals.js';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** Where a subject may be written out, and why. */
const ALLOWED: ReadonlyArray<{ prefix: string; reason: string }> = [
  { prefix: 'libs/core/', reason: 'the subject table itself: builders, patterns, streams' },
  { prefix: 'libs/bus/test/', reason: "the transport's own tests: subjects there are opaque names (and the durable streams' real subjects, asserted on), not messages of the system" },
  { prefix: 'test/workspace/no-subject-literals.test.ts', reason: "this check's own examples" },
];

describe('no subject literals outside libs/core', () => {
  const roots = subjectRoots();

  it('derives the roots from the subject table', () => {
    expect(roots).toEqual(expect.arrayContaining(['md.bbo', 'md.book', 'arb.opportunity', 'intent.quote', 'order.cmd', 'fill', 'position', 'risk.state', 'control', 'router.trace']));
  });

  it('finds literals, template heads and exact subjects, and nothing in comments or ordinary words', () => {
    const source = [
      "bus.subscribe('md.bbo.>', BboMessage, h);", // 1
      'raw.request(`control.risk.${verb}`, body);', // 2
      'const p = `md.${kind}.>`;', // 3
      "bus.subscribe(\"risk.state\", S, h);", // 4
      'publish(`fill.${v}.${s}`, f);', // 5
      '// a comment naming md.bbo.> and `fill.>` is not a literal', // 6
      "const kind = 'fill'; const key = 'risk.maxPosition'; const h = 'risk.recv'; const b = 'arb.execute';", // 7
      "const url = 'http://md.bbo.example'; const f = 'md.ndjson.gz'; const t = `${venue}.fill.x`;", // 8
    ].join('\n');
    expect(subjectLiteralsIn('x.ts', source, roots).map((l) => l.line)).toEqual([1, 2, 3, 4, 5]);
  });

  it('finds none in the repository outside the allowed places', () => {
    const files = execFileSync('git', ['ls-files', '-z', '--', '*.ts', '*.tsx', '*.mts', '*.cts', '*.js', '*.mjs', '*.cjs'], { cwd: ROOT, encoding: 'utf8' })
      .split('\0')
      .filter((f) => f !== '' && !f.endsWith('.d.ts') && !ALLOWED.some((a) => f.startsWith(a.prefix)));
    // Parsing is the slow part: only files with a quote followed by a root's first token are parsed.
    const firstTokens = new RegExp(`[\x27"\x60](${[...new Set(roots.map((r) => r.split('.')[0]))].join('|')})\\.`);
    const found = files.flatMap((f) => {
      const source = readFileSync(join(ROOT, f), 'utf8');
      if (!firstTokens.test(source)) return [];
      return subjectLiteralsIn(f, source, roots).map((l) => `${f}:${l.line}: ${JSON.stringify(l.text)}`);
    });
    expect(found).toEqual([]);
  });
});

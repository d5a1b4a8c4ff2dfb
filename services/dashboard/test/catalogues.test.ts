import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const WEB = resolve(import.meta.dirname, '../web');
const en = JSON.parse(readFileSync(join(WEB, 'locales/en.json'), 'utf8')) as Record<string, string>;
const zh = JSON.parse(readFileSync(join(WEB, 'locales/zh-TW.json'), 'utf8')) as Record<string, string>;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'locales' ? [] : sources(p);
    return /\.tsx?$/.test(name) ? [p] : [];
  });
}

describe('message catalogues', () => {
  it('have the same keys in English and Traditional Chinese, none empty', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const [k, v] of Object.entries({ ...en, ...zh })) expect(v.trim(), k).not.toBe('');
  });

  it('keep the same interpolation variables in both languages', () => {
    const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const k of Object.keys(en)) expect(vars(zh[k]!), k).toEqual(vars(en[k]!));
  });

  it('hold every key the front end uses', () => {
    const used = new Set<string>();
    for (const file of sources(WEB)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([^']+)'/g)) used.add(m[1]!);
      // Keys built from a prefix (t(`venue.state.${state}`)): every catalogue key with that prefix must exist in both.
      for (const m of text.matchAll(/\bt\(\s*`([a-zA-Z.]+)\$\{/g)) expect(Object.keys(en).some((k) => k.startsWith(m[1]!)), `${file}: ${m[1]}*`).toBe(true);
      for (const m of text.matchAll(/label: '([a-zA-Z]+\.[a-zA-Z.]+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(50);
    const missing = [...used].filter((k) => !(k in en) || !(k in zh));
    expect(missing).toEqual([]);
  });

  it('translate every visible English string (the Chinese text is not the English one)', () => {
    const same = Object.keys(en).filter((k) => en[k] === zh[k] && /[a-z]{3,}/i.test(en[k]!.replace(/\{\{\w+\}\}/g, '')));
    expect(same).toEqual(['app.title']);
  });
});

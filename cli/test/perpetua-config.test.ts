import { describe, expect, it } from 'vitest';
import { PerpetuaConfig } from '../src/perpetua-config.js';

describe('PerpetuaConfig venues', () => {
  it('no venues configured: the four simulator venues', () => {
    expect(Object.keys(PerpetuaConfig.parse({}).venues)).toEqual(['binanceusdm', 'bybit', 'okx', 'standx', 'grvt']);
  });

  it('credentials alone for a default venue start from that venue (as the environment gives them)', () => {
    const v = PerpetuaConfig.parse({ venues: { binanceusdm: { apiKey: 'k'.repeat(16), secret: 's'.repeat(16) } } }).venues;
    expect(Object.keys(v)).toEqual(['binanceusdm']);
    expect(v['binanceusdm']).toMatchObject({ kind: 'ccxt', exchange: 'binanceusdm', apiKey: 'k'.repeat(16) });
  });

  it('an entry with its own kind is taken as written; an unknown name without a kind is an error naming it', () => {
    expect(PerpetuaConfig.parse({ venues: { binanceusdm: { kind: 'ccxt', exchange: 'okx' } } }).venues['binanceusdm']).toMatchObject({ exchange: 'okx' });
    const r = PerpetuaConfig.safeParse({ venues: { mybinance: { apiKey: 'x' } } });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain('mybinance');
  });
});

import { readFileSync, statSync, existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixture, type Fixture } from './dashboard-fixture.js';

/** Acceptance 4 of the dashboard issue: bad requests get a clear 4xx and change nothing. */
describe('dashboard API requests', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await startFixture();
  });
  afterAll(async () => {
    await f?.close();
  });

  const call = (method: string, path: string, body?: string, headers: Record<string, string> = {}) =>
    fetch(`${f.dashboard.url}${path}`, { method, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers }, ...(body === undefined ? {} : { body }) });

  it('refuses malformed, oversized and unknown-field bodies with a 4xx and leaves the config file byte-identical', async () => {
    const before = readFileSync(f.file);
    const cases: [string, string, string | undefined, number][] = [
      ['PUT', '/api/config/venues/okx', '{"kind":"ccxt",', 400],
      ['PUT', '/api/config/venues/okx', JSON.stringify({ kind: 'ccxt', exchange: 'okx', apiKey: 'x'.repeat(20_000) }), 413],
      ['PUT', '/api/config/venues/okx', JSON.stringify({ kind: 'ccxt', exchange: 'okx', sneaky: true }), 400],
      ['PUT', '/api/config/venues/okx', JSON.stringify({ kind: 'nope' }), 400],
      ['PUT', '/api/config/venues/okx', JSON.stringify([1, 2]), 400],
      ['PUT', '/api/config/venues/BAD..NAME', JSON.stringify({ kind: 'ccxt', exchange: 'okx' }), 400],
      ['PUT', '/api/config/venues/okx', 'kind=ccxt', 400],
      ['DELETE', '/api/config/venues/absent', undefined, 404],
      ['PUT', '/api/config/strategies/mm-1', JSON.stringify({ id: 'mm-1', extra: 1 }), 400],
      ['PUT', '/api/config/strategies/mm-1', JSON.stringify({ id: 'other' }), 400],
      ['POST', '/api/control/kill', JSON.stringify({ reason: 'x' }), 400],
      ['POST', '/api/control/kill', JSON.stringify({ reason: 'x', confirm: true, extra: 1 }), 400],
      ['POST', '/api/control/kill', JSON.stringify({ reason: '', confirm: true }), 400],
      ['POST', '/api/control/strategies/mm-1/pause', JSON.stringify({ force: true }), 400],
      ['POST', '/api/control/strategies/mm-1/params', JSON.stringify({ params: {}, extra: 1 }), 400],
      ['POST', '/api/login', JSON.stringify({ token: 'x', user: 'y' }), 400],
    ];
    for (const [method, path, body, status] of cases) {
      const res = await call(method, path, body);
      expect({ method, path, status: res.status }).toEqual({ method, path, status });
      const answer = (await res.json()) as { error?: string };
      expect(typeof answer.error === 'string' && answer.error.length > 0, `${method} ${path} says why`).toBe(true);
    }
    expect(readFileSync(f.file).equals(before)).toBe(true);
    expect(existsSync(`${f.file}.prev`)).toBe(false);
  });

  it('writes a good change atomically, mode 0600, keeping the previous version, and shows secrets masked only', async () => {
    const before = readFileSync(f.file, 'utf8');
    const res = await call('PUT', '/api/config/venues/okx', JSON.stringify({ kind: 'ccxt', exchange: 'okx', apiKey: 'OKXKEY-0123456789-abcdefghij-XYZW', testnet: true }));
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain('OKXKEY-0123456789-abcdefghij-XYZW');
    expect(text).not.toContain('AKIAEXISTINGKEY0123456789abcdef');
    const view = JSON.parse(text) as { venues: Record<string, { apiKey?: string; testnet?: boolean }> };
    expect(view.venues.okx?.apiKey).toBe('OKXK…XYZW');
    expect(view.venues.okx?.testnet).toBe(true);
    expect(readFileSync(`${f.file}.prev`, 'utf8')).toBe(before);
    expect(statSync(f.file).mode & 0o777).toBe(0o600);
    expect(statSync(`${f.file}.prev`).mode & 0o777).toBe(0o600);
    expect(readFileSync(f.file, 'utf8')).toContain('OKXKEY-0123456789-abcdefghij-XYZW');

    // Sending the mask back (an edit of another field) keeps the stored secret.
    const edit = await call('PUT', '/api/config/venues/okx', JSON.stringify({ kind: 'ccxt', exchange: 'okx', apiKey: 'OKXK…XYZW', testnet: false }));
    expect(edit.status).toBe(200);
    expect(readFileSync(f.file, 'utf8')).toContain('OKXKEY-0123456789-abcdefghij-XYZW');
    const del = await call('DELETE', '/api/config/venues/okx');
    expect(del.status).toBe(200);
    expect(readFileSync(f.file, 'utf8')).not.toContain('okx');
  });

  it('answers a control action nobody serves with a clear error, and audits it', async () => {
    const res = await call('POST', '/api/control/strategies/mm-1/pause', '{}');
    expect(res.status).toBeGreaterThanOrEqual(500);
    const audit = (await (await call('GET', '/api/snapshot')).json()) as { audit: { entries: { action: string; ok: boolean; who: string }[] } };
    expect(audit.audit.entries.some((e) => e.action === 'pause' && !e.ok && e.who.startsWith('local@'))).toBe(true);
  });

  it('serves the OpenAPI description at /docs from this host only', async () => {
    const page = await (await call('GET', '/docs')).text();
    expect(page).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
    const spec = (await (await call('GET', '/docs/openapi.json')).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toContain('/api/control/kill');
  });
});

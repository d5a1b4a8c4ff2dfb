import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzParameters, fuzzTimeoutMs, valueOf } from '@perpetua/testkit';
import { startFixture, type Fixture } from './dashboard-fixture.js';

/** Every route that reads a body or a path parameter, with a valid body for it. */
const ROUTES = [
  { method: 'POST', url: '/api/login', body: { token: 'not-the-token' } },
  { method: 'POST', url: '/api/control/kill', body: { reason: 'fuzz', confirm: true } },
  { method: 'POST', url: '/api/control/reset', body: { reason: 'fuzz', confirm: true } },
  { method: 'POST', url: '/api/control/strategies/s1/pause', body: {} },
  { method: 'POST', url: '/api/control/strategies/s1/resume', body: {} },
  { method: 'POST', url: '/api/control/strategies/s1/params', body: { params: { spread_bps: 10 } } },
  { method: 'PUT', url: '/api/config/venues/okx', body: { kind: 'ccxt', exchange: 'okx', apiKey: 'k', secret: 's' } },
  { method: 'DELETE', url: '/api/config/venues/okx', body: undefined },
  { method: 'PUT', url: '/api/config/strategies/s1', body: { venue: 'okx', symbol: 'BTC-PERP', params: { spread_bps: 10 } } },
  { method: 'DELETE', url: '/api/config/strategies/s1', body: undefined },
  { method: 'GET', url: '/api/config', body: undefined },
  { method: 'GET', url: '/api/snapshot', body: undefined },
] as const;

/** A path segment a client could send instead of a name: odd characters, encodings, traversal, length. */
const segment = fc.oneof(
  fc.constantFrom('s1', 'okx', '', '..', '%2e%2e', '%00', '__proto__', 'constructor', 'a'.repeat(200), '%E0%A4%A', '😀', 'a%2Fb', '?x=1', '#'),
  fc.string({ maxLength: 20 }).map(encodeURIComponent),
);

const request = fc.record({
  route: fc.constantFrom(...ROUTES),
  segment: fc.option(segment, { freq: 2 }),
  body: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...ROUTES).chain((r) => valueOf([r.body ?? {}])) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  ),
  contentType: fc.constantFrom('application/json', 'application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', undefined),
  raw: fc.boolean(),
});

describe('the dashboard API (fuzz)', () => {
  let f: Fixture;
  beforeAll(async () => void (f = await startFixture()));
  afterAll(async () => f?.close());

  it(
    'answers every request without a crash: a 5xx only for an absent service, a JSON error for every refusal, the config file unchanged by one',
    async () => {
      const statuses = new Set<number>();
      await fc.assert(
        fc.asyncProperty(request, async ({ route, segment, body, contentType, raw }) => {
          const url = segment === null ? route.url : route.url.replace(/\/(s1|okx)(\/|$)/, `/${segment}$2`);
          const before = readFileSync(f.file, 'utf8');
          const payload = body === undefined ? undefined : raw || typeof body === 'string' ? String(typeof body === 'string' ? body : JSON.stringify(body)) : JSON.stringify(body);
          const res = await f.dashboard.inject({ method: route.method, url, payload, headers: contentType && payload !== undefined ? { 'content-type': contentType } : {} });
          statuses.add(res.statusCode);
          // 502/503/504: the control routes' bus has no risk or quoter behind it here; any other 5xx is a crash.
          expect([500, 501].includes(res.statusCode) || res.statusCode > 504, `${route.method} ${url} ${String(payload).slice(0, 200)} -> ${res.statusCode} ${res.body.slice(0, 200)}`).toBe(false);
          if (res.statusCode >= 400) {
            const answer = JSON.parse(res.body) as { error?: unknown };
            expect(typeof answer.error).toBe('string');
            expect(readFileSync(f.file, 'utf8')).toBe(before);
          }
        }),
        fuzzParameters(),
      );
      // The requests reached the handlers: taken, refused by a schema, unknown, and sent on to an absent service.
      expect([...statuses]).toEqual(expect.arrayContaining([200, 400, 404, 504]));
    },
    fuzzTimeoutMs(2),
  );
});

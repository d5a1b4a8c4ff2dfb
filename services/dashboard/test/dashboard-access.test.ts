import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startFixture, type Fixture } from './dashboard-fixture.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const TOKEN = 'tok-3f9a1c7e5b2d4a6c8e0f1a2b';

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/perpetua.mjs'), ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (code) => done({ code, stdout, stderr }));
  });
}

/** Acceptance 3 of the dashboard issue: no token off loopback, token enforced, no cross-site writes, login rate limit. */
describe('dashboard access', () => {
  it('refuses to start on a non-loopback address without a token: exit 2, one line saying why', async () => {
    for (const args of [['dashboard'], ['start', '--duration', '1']]) {
      const r = await runCli(args, { PERPETUA_DASHBOARD__HOST: '0.0.0.0', NATS_URL: 'nats://127.0.0.1:1' });
      expect(r.code).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/dashboard\.host is 0\.0\.0\.0, not loopback: set dashboard\.token/);
    }
  }, 60_000);

  describe('with a token', () => {
    let f: Fixture;
    beforeAll(async () => {
      f = await startFixture({ token: TOKEN });
    });
    afterAll(async () => {
      await f?.close();
    });
    const url = (p: string) => `${f.dashboard.url}${p}`;

    it('answers 401 to the API and the WebSocket without it, and serves them with it', async () => {
      for (const p of ['/api/snapshot', '/api/config', '/api/session', '/api/control/status']) expect((await fetch(url(p))).status, p).toBe(401);
      expect((await fetch(url('/api/snapshot'), { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status).toBe(401);
      expect((await fetch(url('/api/snapshot'), { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
      const refused = await new Promise<number>((done) => {
        const ws = new WebSocket(url('/ws').replace('http', 'ws'));
        ws.on('unexpected-response', (_req, res) => done(res.statusCode ?? 0));
        ws.on('open', () => done(101));
      });
      expect(refused).toBe(401);
      const frame = await new Promise<string>((done, fail) => {
        const ws = new WebSocket(url('/ws').replace('http', 'ws'), { headers: { authorization: `Bearer ${TOKEN}` } });
        ws.on('message', (d) => {
          done(String(d));
          ws.close();
        });
        ws.on('error', fail);
      });
      expect(JSON.parse(frame)).toMatchObject({ type: 'hello' });
    });

    it('logs in with an HttpOnly SameSite=Strict cookie that then opens the API', async () => {
      const res = await fetch(url('/api/login'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: TOKEN }) });
      expect(res.status).toBe(204);
      const cookie = res.headers.get('set-cookie') ?? '';
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      expect(cookie).not.toContain(TOKEN);
      const session = cookie.split(';')[0]!;
      expect((await fetch(url('/api/snapshot'), { headers: { cookie: session } })).status).toBe(200);
    });

    it('refuses a cross-site POST, even with the token', async () => {
      const body = JSON.stringify({ reason: 'csrf', confirm: true });
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` };
      const bySite = await fetch(url('/api/control/kill'), { method: 'POST', headers: { ...headers, 'sec-fetch-site': 'cross-site' }, body });
      expect(bySite.status).toBe(403);
      const byOrigin = await fetch(url('/api/control/kill'), { method: 'POST', headers: { ...headers, origin: 'https://evil.example' }, body });
      expect(byOrigin.status).toBe(403);
      expect(((await byOrigin.json()) as { error: string }).error).toMatch(/cross-site/);
      const ws = await new Promise<number>((done) => {
        const s = new WebSocket(url('/ws').replace('http', 'ws'), { headers: { authorization: `Bearer ${TOKEN}`, origin: 'https://evil.example' } });
        s.on('unexpected-response', (_req, res) => done(res.statusCode ?? 0));
        s.on('open', () => done(101));
      });
      expect(ws).toBe(403);
    });

    it('gives the sixth bad login within a minute a 429, even with the right token', async () => {
      const login = (token: string) => fetch(url('/api/login'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
      for (let i = 0; i < 5; i++) expect((await login(`wrong-${i}`)).status).toBe(401);
      expect((await login('wrong-6')).status).toBe(429);
      expect((await login(TOKEN)).status).toBe(429);
      expect(f.logs()).not.toContain(TOKEN);
    });
  });
});

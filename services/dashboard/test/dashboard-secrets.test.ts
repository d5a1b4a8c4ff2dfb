/// <reference lib="dom" />
import { readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { WebSocket } from 'ws';
import { SecretScanner, describeFindings, waitUntil } from '@perpetua/testkit';
import { displayMask } from '../src/secret-display.js';
import { PAGES, launchChromium, startStack, type Stack } from './browser-harness.js';

/** Known secrets: some in the config file, some in the environment. */
const FILE_SECRETS = {
  binanceKey: 'FILEKEY-binance-7f3a9c1e5b2d4a6c8e0f',
  binanceSecret: 'FILESECRET-binance-1a2b3c4d5e6f7a8b9c0d',
  bybitPassword: 'FILEPASS-bybit-9d8c7b6a5f4e3d2c1b0a',
};
const ENV_SECRETS = {
  PERPETUA_VENUES__STANDX__TOKEN: 'ENVTOKEN-standx-0f1e2d3c4b5a69788796',
  PERPETUA_VENUES__STANDX__PRIVATE_KEY: 'ENVPRIV-standx-a1b2c3d4e5f60718293a',
  PERPETUA_DASHBOARD__TOKEN: 'ENVDASH-token-5e6f7a8b9c0d1e2f3a4b',
};
const SECRETS = [...Object.entries(FILE_SECRETS).map(([name, value]) => ({ name: `${name} (file)`, value })), ...Object.entries(ENV_SECRETS).map(([name, value]) => ({ name: `${name} (env)`, value }))];
const DRIVE_MS = 30_000;

/** Acceptance 2 of the dashboard issue: no seeded secret in any response, frame, page or log line. */
describe('dashboard secrets', () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    const yaml = [
      'venues:',
      `  binanceusdm: { apiKey: ${FILE_SECRETS.binanceKey}, secret: ${FILE_SECRETS.binanceSecret} }`,
      `  bybit: { password: ${FILE_SECRETS.bybitPassword} }`,
      '  standx: {}',
      '  grvt: {}',
      '',
    ].join('\n');
    [stack, browser] = await Promise.all([startStack({ ...ENV_SECRETS, PERPETUA_TRADING__MODE: 'paper' }, yaml), launchChromium()]);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  }, 60_000);

  it(`drives every page, API route and the WebSocket for ${DRIVE_MS / 1000} s and finds no secret anywhere`, async () => {
    const seen: { where: string; text: string }[] = [];
    const token = ENV_SECRETS.PERPETUA_DASHBOARD__TOKEN;
    const auth = { authorization: `Bearer ${token}` };

    // A script client on the WebSocket, for the whole run.
    const ws = new WebSocket(`${stack.url.replace('http', 'ws')}/ws`, { headers: auth });
    ws.on('message', (d) => seen.push({ where: 'ws frame (script)', text: String(d) }));

    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('dialog', (d) => void d.accept());
    let reading = 0; // response bodies still being read
    page.on('response', async (r) => {
      reading++;
      try {
        seen.push({ where: `response ${r.url()}`, text: (await r.text()) + JSON.stringify(await r.allHeaders()) });
      } catch {
        // redirects and aborted loads have no body
      } finally {
        reading--;
      }
    });
    page.on('websocket', (s) => s.on('framereceived', (f) => seen.push({ where: 'ws frame (browser)', text: String(f.payload) })));
    page.on('console', (m) => seen.push({ where: 'console', text: m.text() }));

    // The login page: the token goes in once, as the user types it.
    await page.goto(stack.url);
    await page.fill('input[name="token"]', token);
    await page.click('button[type="submit"]');
    await page.waitForSelector('[data-testid="connection"].good');

    const routes = ['/api/session', '/api/snapshot', '/api/config', '/api/control/status', '/docs', '/docs/openapi.json', '/metrics', '/healthz', '/readyz'];
    const deadline = Date.now() + DRIVE_MS;
    let round = 0;
    while (Date.now() < deadline) {
      for (const name of PAGES) {
        await page.goto(`${stack.url}/#/${name}`);
        await page.waitForSelector(`main[data-page="${name}"] .card`);
        seen.push({ where: `page ${name}`, text: await page.content() });
      }
      for (const r of routes) {
        const res = await fetch(`${stack.url}${r}`, { headers: auth });
        seen.push({ where: `GET ${r}`, text: (await res.text()) + JSON.stringify(Object.fromEntries(res.headers as unknown as Iterable<[string, string]>)) });
      }
      // Edits and controls too: their answers and audit lines must stay clean.
      const put = await fetch(`${stack.url}/api/config/venues/bybit`, { method: 'PUT', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'ccxt', exchange: 'bybit', password: displayMask(FILE_SECRETS.bybitPassword), testnet: round % 2 === 0 }) });
      seen.push({ where: 'PUT venue', text: await put.text() });
      const pause = await fetch(`${stack.url}/api/control/strategies/mm-btc/${round % 2 === 0 ? 'pause' : 'resume'}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{}' });
      seen.push({ where: 'control', text: await pause.text() });
      round++;
    }
    // The Configuration page shows a venue's secrets masked (first and last four characters of a long key): bybit's,
    // whose entry names its kind since the edits above (an entry without a kind lists no secret fields at all).
    await page.goto(`${stack.url}/#/configuration`);
    await page.waitForSelector('tr[data-venue="bybit"] .secret');
    const shown = await page.$$eval('tr[data-venue] .secret', (els) => els.map((e) => `${e.closest('tr')?.getAttribute('data-venue')}.${e.textContent ?? ''}`));
    expect(shown).toContain(`bybit.password: ${displayMask(FILE_SECRETS.bybitPassword)}`);
    seen.push({ where: 'page configuration (masked secrets)', text: await page.content() });
    ws.close();
    await context.close();
    // Everything in: every response body read, the script socket closed, and the audit line of every edit and
    // control (two a round) in the app's log.
    const audited = () => stack.app.stderr().split('\n').filter((l) => l.includes('"audit":')).length;
    await waitUntil(
      () => reading === 0 && ws.readyState === WebSocket.CLOSED && audited() >= 2 * round,
      10_000,
      () => `the last responses, the socket's close and the audit lines (${reading} bodies being read, socket state ${ws.readyState}, ${audited()} of ${2 * round} audit lines)`,
    );
    seen.push({ where: 'stdout', text: stack.app.stdout() }, { where: 'stderr (logs)', text: stack.app.stderr() });

    expect(round).toBeGreaterThan(1);
    expect(seen.filter((s) => s.where.startsWith('ws frame')).length).toBeGreaterThan(20);
    // Each secret plain and in the forms a leak takes (base64, hex, URL-encoded, JSON-escaped, its first or last characters).
    const scanner = new SecretScanner(SECRETS);
    for (const s of seen) scanner.scan(s.where, s.text);
    expect(describeFindings(scanner.findings)).toBe('');
    // The file kept them (the masked value sent back kept the stored password).
    const file = readFileSync(stack.configFile, 'utf8');
    expect(file).toContain(FILE_SECRETS.binanceKey);
    expect(file).toContain(FILE_SECRETS.bybitPassword);
    // Written by the edits, as was the previous version: both hold secrets, both mode 0600.
    for (const f of [stack.configFile, `${stack.configFile}.prev`]) expect(statSync(f).mode & 0o777, f).toBe(0o600);
  }, 120_000);
});

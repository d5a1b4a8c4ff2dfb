/// <reference lib="dom" />
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { waitUntil } from '@perpetua/testkit';
import en from '../web/locales/en.json' with { type: 'json' };
import zh from '../web/locales/zh-TW.json' with { type: 'json' };
import { PAGES, SHOTS, launchChromium, openOrdersOnSim, startStack, watchPage, type Stack } from './browser-harness.js';

/**
 * Acceptance 1 and 7 of the dashboard issue, in Debian's Chromium against the
 * all-in-one process trading live on the simulator.
 */
describe('dashboard in a browser', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    [stack, browser] = await Promise.all([startStack(), launchChromium()]);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  }, 60_000);

  async function open(lang: 'en' | 'zh-TW'): Promise<{ page: Page; w: ReturnType<typeof watchPage> }> {
    const context = await browser.newContext({ locale: lang, viewport: { width: 1280, height: 900 } });
    await context.addInitScript((l) => localStorage.setItem('perpetua.lang', l), lang);
    const page = await context.newPage();
    page.on('dialog', (d) => void d.accept());
    return { page, w: watchPage(page, stack.url) };
  }

  async function visit(page: Page, name: string): Promise<void> {
    await page.goto(`${stack.url}/#/${name}`);
    await page.waitForSelector(`main[data-page="${name}"] .card`);
    await page.waitForSelector('[data-testid="connection"].good');
  }

  it('loads every page in both languages with no console error, no request elsewhere, and no English left in zh-TW', async () => {
    // Visible English strings: catalogue values that differ in Chinese and are words, not symbols or units.
    const english = Object.entries(en as Record<string, string>)
      .filter(([k, v]) => (zh as Record<string, string>)[k] !== v)
      .map(([, v]) => v.replace(/\{\{\w+\}\}.*$/, '').replace(/[:：(（].*$/, '').trim())
      .filter((v) => /^[A-Za-z][A-Za-z /%-]{2,}$/.test(v) && !['PnL'].includes(v));
    for (const lang of ['en', 'zh-TW'] as const) {
      const { page, w } = await open(lang);
      for (const name of PAGES) {
        await visit(page, name);
        await page.waitForTimeout(1200); // a live push or two lands before the picture
        await page.screenshot({ path: join(SHOTS, `${name}.${lang}.png`), fullPage: true });
        if (lang === 'zh-TW') {
          const text = await page.innerText('body');
          const left = english.filter((s) => new RegExp(`(^|[^A-Za-z])${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^A-Za-z]|$)`).test(text));
          expect({ page: name, english: left }).toEqual({ page: name, english: [] });
        }
      }
      expect({ lang, errors: w.errors, foreign: w.foreign }).toEqual({ lang, errors: [], foreign: [] });
      await page.context().close();
    }
    for (const name of PAGES) for (const lang of ['en', 'zh-TW']) expect(statSync(join(SHOTS, `${name}.${lang}.png`)).size).toBeGreaterThan(5000);
  }, 120_000);

  it('switches language from the header and localizes numbers', async () => {
    const { page } = await open('en');
    await visit(page, 'overview');
    await page.selectOption('[data-testid="language"]', 'zh-TW');
    await page.waitForSelector(`text=${(zh as Record<string, string>)['nav.overview']}`);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-TW');
    await page.context().close();
  });

  it('updates live values within 3 s and draws a chart', async () => {
    const { page } = await open('en');
    await visit(page, 'overview');
    const first = await page.innerText('[data-testid="updates"]');
    await page.waitForFunction((before) => document.querySelector('[data-testid="updates"]')?.textContent !== before, first, { timeout: 3000 });
    await visit(page, 'market-maker');
    // uPlot draws on a canvas: wait until the PnL chart has painted pixels of its series.
    await page.waitForFunction(
      () => {
        const canvas = document.querySelector<HTMLCanvasElement>('.chart canvas');
        if (!canvas || canvas.width === 0) return false;
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let lit = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i + 2]! > 200 && data[i]! < 150) lit++; // the series' blue
        return lit > 20;
      },
      undefined,
      { timeout: 15_000 },
    );
    await page.context().close();
  }, 30_000);

  it('saves a credential and reads it back masked; the file holds it, mode 0600', async () => {
    const { page, w } = await open('en');
    await visit(page, 'configuration');
    await page.click('text=New venue');
    await page.fill('[data-testid="venue-form"] input[name="name"]', 'okx');
    await page.fill('[data-testid="venue-form"] input[name="exchange"]', 'okx');
    await page.fill('[data-testid="venue-form"] input[name="apiKey"]', 'OKX-api-key-0123456789-abcdefWXYZ');
    await page.fill('[data-testid="venue-form"] input[name="secret"]', 'OKX-secret-0123456789-abcdefQRST');
    await page.check('[data-testid="venue-form"] input[name="testnet"]');
    await page.click('[data-testid="venue-form"] button[type="submit"]');
    await page.waitForSelector('tr[data-venue="okx"]');
    await page.reload();
    await page.waitForSelector('tr[data-venue="okx"]');
    const row = await page.innerText('tr[data-venue="okx"]');
    expect(row).toContain('OKX-…WXYZ');
    expect(row).toContain('OKX-…QRST');
    expect(await page.content()).not.toContain('0123456789-abcdef');
    const file = readFileSync(stack.configFile, 'utf8');
    expect(file).toContain('OKX-api-key-0123456789-abcdefWXYZ');
    expect(file).toMatch(/testnet: true/);
    expect(statSync(stack.configFile).mode & 0o777).toBe(0o600);
    expect(w.errors).toEqual([]);
    await page.context().close();
  }, 30_000);

  it('pauses and resumes a strategy: its quotes leave the simulator and return', async () => {
    await waitUntil(async () => (await openOrdersOnSim(stack.simReady)) > 0, 30_000, 'our quotes rest on the simulator');
    const { page } = await open('en');
    await visit(page, 'controls');
    await page.click('[data-testid="pause-mm-btc"]');
    await waitUntil(async () => (await openOrdersOnSim(stack.simReady)) === 0, 10_000, 'quotes pulled after pause');
    await page.waitForSelector('[data-strategy="mm-btc"] .warn', { timeout: 5000 });
    await page.click('[data-testid="resume-mm-btc"]');
    await waitUntil(async () => (await openOrdersOnSim(stack.simReady)) > 0, 15_000, 'quotes back after resume');
    await page.waitForSelector('[data-testid="audit"] >> text=resume');
    await page.context().close();
  }, 60_000);

  it('pulls the kill switch (our orders leave the simulator) and resets it (quoting resumes), audited', async () => {
    await waitUntil(async () => (await openOrdersOnSim(stack.simReady)) > 0, 30_000, 'our quotes rest on the simulator');
    const { page } = await open('en');
    await visit(page, 'controls');
    await page.fill('input[name="reason"]', 'browser test');
    await page.click('[data-testid="kill"]');
    await waitUntil(async () => (await openOrdersOnSim(stack.simReady)) === 0, 10_000, 'every order cancelled after the kill switch');
    await page.waitForSelector('[data-testid="controls-halt"].bad');
    await page.click('[data-testid="reset"]');
    await page.waitForSelector('[data-testid="controls-halt"].good');
    await waitUntil(async () => (await openOrdersOnSim(stack.simReady)) > 0, 20_000, 'quotes back after reset');
    const audit = await page.innerText('[data-testid="audit"]');
    expect(audit).toMatch(/kill/);
    expect(audit).toMatch(/reset/);
    await page.context().close();
  }, 60_000);
});

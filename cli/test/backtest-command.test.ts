import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'perpetua-bt-'));
const config = join(dir, 'mm.yaml');
writeFileSync(config, ['strategy:', '  id: mm', '  venue: binanceusdm', '  symbol: BTC-PERP', '  params: { kind: fixed-spread, spread_bps: 2, order_amount: 0.01 }', "risk: { maxPosition: '0.5', maxOrderSize: '0.1' }", ''].join('\n'));

const FIGURES = ['pnl', 'volume', 'fills', 'fillRate', 'avgCapturedSpreadBps', 'inventory', 'turnover', 'maxDrawdown', 'dailySharpe', 'requotesPerMinute', 'volatilityPauseSec', 'makerYield'];

/** Short simulated runs for npm test; the hour-long acceptance run (config/uptime.yaml, twice) is `npm run backtest:acceptance`. */
describe('perpetua backtest', () => {
  it('--sim: every figure, the same bytes twice, and a self-contained HTML report', async () => {
    const html = join(dir, 'r.html');
    const args = ['backtest', '--sim', '1', '--hours', '0.02', '--config', config, '--json'];
    const a = await runCli([...args, '--report', html], {}, 120_000);
    expect(a.code, a.stderr).toBe(0);
    const b = await runCli(args, {}, 120_000);
    expect(b.stdout).toBe(a.stdout);
    const report = JSON.parse(a.stdout.trim().split('\n').at(-1)!) as Record<string, unknown> & { pnl: Record<string, string> };
    for (const k of FIGURES) expect(report, k).toHaveProperty(k);
    expect(Object.keys(report.pnl).sort()).toEqual(['fees', 'funding', 'realized', 'rebates', 'total', 'unrealized']);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('uPlot');
    // Nothing is fetched: no external script, style, image or import.
    expect(page).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(page).not.toMatch(/@import|url\(\s*["']?https?:|fetch\(|XMLHttpRequest/);
  }, 300_000);

  it('--sweep ranks the grid on worker threads, the same ranking twice', async () => {
    const args = ['backtest', '--sim', '2', '--hours', '0.005', '--config', config, '--sweep', 'spread_bps=1,4;order_levels=1', '--score', 'pnl', '--workers', '2'];
    const a = await runCli(args, {}, 180_000);
    expect(a.code, a.stderr).toBe(0);
    const lines = a.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^rank\s+spread_bps\s+order_levels\s+score:pnl\s+pnl/);
    expect(lines).toHaveLength(3);
    const b = await runCli(args, {}, 180_000);
    expect(b.stdout).toBe(a.stdout);
  }, 400_000);

  it('refuses bad usage with exit code 2 and one line', async () => {
    const none = await runCli(['backtest', '--config', config]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--data FILE or --sim SEED');
    const queue = await runCli(['backtest', '--sim', '1', '--config', config, '--queue', 'fifo']);
    expect(queue.code).toBe(2);
    expect(queue.stderr).toContain('fifo');
    const sweep = await runCli(['backtest', '--sim', '1', '--config', config, '--sweep', 'no_such_param=1,2']);
    expect(sweep.code).toBe(2);
    expect(sweep.stderr).toContain('no_such_param');
  }, 120_000);
});

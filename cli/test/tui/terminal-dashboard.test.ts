import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PANEL_LABELS } from '../../src/tui/render-panel.js';
import { BIN, ROOT } from '../run-cli.js';

function run(command: string, args: string[], timeoutMs: number): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, PERPETUA_TELEMETRY__LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`${command} did not finish in ${timeoutMs} ms: ${err.slice(-2000)}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      done({ code, out, err });
    });
  });
}

/** Acceptance 6 of the dashboard issue: the terminal dashboard under a pseudo-terminal shows every figure. */
describe('perpetua mm --tui', () => {
  it('redraws the panel in place under a pseudo-terminal with every figure (StandX maker yield on the simulator)', async () => {
    // util-linux `script` gives the command a pseudo-terminal and copies what it draws to our pipe.
    const cmd = `${process.execPath} ${BIN} mm --tui --config config/uptime.yaml --duration 14`;
    const r = await run('script', ['-qfec', cmd, '/dev/null'], 120_000);
    expect(r.code, r.err.slice(-2000)).toBe(0);
    const frames = r.out.split('\x1b[H\x1b[2J').filter((f) => f.includes('PERPETUA'));
    expect(frames.length).toBeGreaterThan(5); // redrawn in place, about once a second
    const last = frames.at(-1)!.replace(/\r/g, '');
    for (const label of PANEL_LABELS) expect(last, label).toContain(label);
    expect(last).toMatch(/== uptime-btc {2}standx BTC-PERP/);
    expect(last).toMatch(/Runtime\s+00:00:\d\d/);
    expect(last).toMatch(/Realized PnL\s+[+-]\d+\.\d\d/);
    expect(last).toMatch(/Total PnL\s+[+-]\d+\.\d\d/);
    expect(last).toMatch(/Position\s+-?\d+\.\d{4}/);
    expect(last).toMatch(/Uptime\s+\d+\.\d%/);
    expect(last).toMatch(/Maker hours\s+\d+\.\d\d h/);
    expect(last).toMatch(/Avg spread\s+\d+\.\d\d bps/);
    expect(last).toMatch(/standx\s+connected/);
    expect(last).toContain('== Opportunities');
  }, 150_000);

  it('prints plain blocks of lines, no terminal codes, when stdout is not a terminal', async () => {
    const r = await run(process.execPath, [BIN, 'mm', '--tui', '--duration', '4'], 90_000);
    expect(r.code, r.err.slice(-2000)).toBe(0);
    expect(r.out).not.toContain('\x1b[');
    expect(r.out).toContain('PERPETUA');
    expect(r.out).toContain('Maker hours');
  }, 100_000);
});

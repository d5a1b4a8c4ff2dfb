import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';

describe('configuration errors', () => {
  it('a bad value exits 2 with one line naming the key, the value and what was expected', async () => {
    const r = await runCli(['start', '--duration', '1'], { PERPETUA_RISK__MAX_POSITION: 'lots' });
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('risk.maxPosition');
    expect(lines[0]).toContain('lots');
    expect(lines[0]).toContain('PERPETUA_RISK__MAX_POSITION');
  });

  it('PERPETUA_LOG_FORMAT (the logger\'s, as the README says) is not refused as an unknown config key', async () => {
    const r = await runCli(['kill', '--status'], { PERPETUA_LOG_FORMAT: 'json', NATS_URL: '', PERPETUA_NATS__URL: '' });
    expect(r.stderr).not.toContain('logFormat');
    expect(r.stderr).toContain('NATS_URL'); // got past the config to the command's own check
  });

  it('an unknown key in the file is named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'perpetua-cfg-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'risk:\n  maxPositon: 1\n');
    const r = await runCli(['start', '--duration', '1', '--config', file]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('maxPositon');
  });

  it('a bad secret value is masked in the error', async () => {
    const r = await runCli(['start', '--duration', '1'], { PERPETUA_REDIS__PASSWORD: 'x'.repeat(300) + 'SECRETTAIL' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('redis.password');
    expect(r.stderr).not.toContain('SECRETTAIL');
  });

  it('a secret in the configuration never appears in any log line', async () => {
    const secret = 'hunter2-very-secret-redis-password';
    const r = await runCli(['start', '--duration', '2', '--json'], { PERPETUA_REDIS__PASSWORD: secret, PERPETUA_TELEMETRY__LOG_LEVEL: 'trace' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.length).toBeGreaterThan(0); // it did log
    expect(r.stderr).not.toContain(secret);
    expect(r.stdout).not.toContain(secret);
  }, 30_000);
});

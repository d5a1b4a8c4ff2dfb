import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEPLOYED_SERVICES } from '../../cli/src/compose/service-names.js';
import { ROOT, run } from './deploy-files.js';

interface ComposeService {
  image?: string;
  command?: string[];
  profiles?: string[];
  environment?: Record<string, string | null>;
  ports?: unknown[];
}

describe('docker-compose.yml', () => {
  it('is valid for docker-compose (Debian package docker-compose)', () => {
    // `config` resolves anchors, interpolation (.env absent: every key empty) and validates against the schema.
    const out = run('docker-compose', ['-f', 'docker-compose.yml', 'config']);
    const services = (parse(out) as { services: Record<string, ComposeService> }).services;
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['nats', 'redis', 'prometheus', 'grafana', 'sim']));
    // Every deployed service runs from the image by its command; the gateway once per venue.
    for (const name of DEPLOYED_SERVICES) {
      const runs = Object.values(services).filter((s) => s.command?.[0] === 'service' && s.command[1] === name);
      expect(runs.length, `a compose service running \`perpetua service ${name}\``).toBeGreaterThanOrEqual(1);
    }
    const gateways = Object.values(services).filter((s) => s.command?.[1] === 'gateway').map((s) => s.command![3]);
    expect(gateways.sort()).toEqual(['binanceusdm', 'bybit', 'grvt', 'okx', 'standx']);
    expect(services.dashboard?.command).toEqual(['service', 'dashboard']);
    expect(JSON.stringify(services.dashboard?.ports)).toContain('8888');
    // The demo runs with no edits: the simulator is in the default set (no profile to activate).
    expect(services.sim?.profiles ?? []).toEqual([]);
  });

  it('takes every setting and secret from .env, and .env.example documents each key unfilled', () => {
    const compose = readFileSync(resolve(ROOT, 'docker-compose.yml'), 'utf8');
    const used = new Set([...compose.matchAll(/\$\{([A-Z0-9_]+)(?::?-[^}]*)?\}/g)].map((m) => m[1]!));
    const example = readFileSync(resolve(ROOT, '.env.example'), 'utf8');
    const documented = new Map([...example.matchAll(/^([A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
    expect([...used].filter((k) => !documented.has(k)), 'keys docker-compose.yml reads but .env.example does not document').toEqual([]);
    expect([...documented].filter(([, v]) => v !== '').map(([k]) => k), 'filled keys in .env.example').toEqual([]);
    // No credential is written into the compose file itself.
    expect(compose).not.toMatch(/(API_KEY|SECRET|PRIVATE_KEY|TOKEN|PASSWORD):\s+(?!\$\{)\S/);
  });
});

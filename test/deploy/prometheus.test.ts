import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, run } from './deploy-files.js';

const DIR = resolve(ROOT, 'deploy/prometheus');

describe('deploy/prometheus', () => {
  it('promtool accepts the scrape config (and the rule files it loads)', () => {
    expect(run('promtool', ['check', 'config', 'prometheus.yml'], DIR)).toMatch(/SUCCESS/);
  });

  it('promtool accepts the alert rules', () => {
    expect(run('promtool', ['check', 'rules', 'alerts.yml'], DIR)).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('every alert has a promtool unit test, and the tests pass', () => {
    const rules = parse(readFileSync(resolve(DIR, 'alerts.yml'), 'utf8')) as { groups: { rules: { alert?: string }[] }[] };
    const alerts = rules.groups.flatMap((g) => g.rules.map((r) => r.alert)).filter((a): a is string => a !== undefined);
    const tests = parse(readFileSync(resolve(DIR, 'alerts.test.yml'), 'utf8')) as { tests: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[] };
    const firing = new Set(tests.tests.flatMap((t) => t.alert_rule_test.filter((a) => a.exp_alerts.length > 0).map((a) => a.alertname)));
    expect(alerts.filter((a) => !firing.has(a)), 'alerts without a test that makes them fire').toEqual([]);
    expect(alerts.length).toBeGreaterThanOrEqual(8);
    expect(run('promtool', ['test', 'rules', 'alerts.test.yml'], DIR)).toMatch(/SUCCESS/);
  });

  it('scrapes every deployed service by its compose name', () => {
    const config = parse(readFileSync(resolve(DIR, 'prometheus.yml'), 'utf8')) as { scrape_configs: { job_name: string }[] };
    expect(config.scrape_configs.map((s) => s.job_name).sort()).toEqual(['arb-detector', 'dashboard', 'gateway', 'order-router', 'quoter', 'risk', 'sim']);
  });
});

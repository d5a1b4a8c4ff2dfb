import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEPLOYED_SERVICES } from '../../cli/src/compose/service-names.js';
import { findExecutable } from '../../cli/src/stack/local-process.js';
import { ROOT, parseYamlDocs, readYamlDocs, run } from './deploy-files.js';

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec?: Record<string, unknown>;
}

/** The kubernetes-models class of an object (core, apps, policy, networking, and the Prometheus Operator's ServiceMonitor). */
async function modelOf(o: K8sObject): Promise<new (data: unknown) => { validate(): void }> {
  const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
  const module: Record<string, unknown> =
    group === 'monitoring.coreos.com'
      ? await import(`@kubernetes-models/prometheus-operator/${group}/${version}`)
      : await import(group === '' ? `kubernetes-models/${version}` : `kubernetes-models/${group}/${version}`);
  const model = module[o.kind];
  if (typeof model !== 'function') throw new Error(`no schema for ${o.apiVersion} ${o.kind}`);
  return model as new (data: unknown) => { validate(): void };
}

async function validateAll(objects: unknown[], where: string): Promise<void> {
  for (const raw of objects) {
    const o = raw as K8sObject;
    const Model = await modelOf(o);
    try {
      new Model(o).validate();
    } catch (err) {
      throw new Error(`${where}: ${o.kind} ${o.metadata?.name}: ${(err as Error).message}`);
    }
  }
}

const yamlFiles = (dir: string) =>
  readdirSync(resolve(ROOT, dir))
    .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
    .map((f) => `${dir}/${f}`);

const OVERLAYS = ['demo', 'prod'];

describe('k8s/', () => {
  it('every object in the base and the overlays is valid against the Kubernetes schemas', async () => {
    for (const file of [...yamlFiles('k8s/base'), ...OVERLAYS.flatMap((o) => yamlFiles(`k8s/overlays/${o}`))]) await validateAll(readYamlDocs(file), file);
  });

  it('renders every overlay with kubectl kustomize, and every rendered object is valid', async () => {
    const kubectl = findExecutable('kubectl');
    if (!kubectl) {
      // Debian has no kubectl package; CI machines without it still validate every object above.
      console.warn('kubectl not found: the overlays were not rendered (every base and overlay object was still validated)');
      return;
    }
    for (const overlay of OVERLAYS) {
      const objects = parseYamlDocs(run(kubectl, ['kustomize', `k8s/overlays/${overlay}`])) as K8sObject[];
      await validateAll(objects, `overlay ${overlay}`);
      const deployments = objects.filter((o) => o.kind === 'Deployment');
      const names = deployments.map((d) => d.metadata.name);
      for (const s of DEPLOYED_SERVICES.filter((s) => s !== 'gateway' && s !== 'order-router')) expect(names, overlay).toContain(s);
      expect(names.filter((n) => n.startsWith('gateway-')).sort(), overlay).toEqual(['gateway-binanceusdm', 'gateway-bybit', 'gateway-grvt', 'gateway-okx', 'gateway-standx']);
      expect(objects.some((o) => o.kind === 'Secret'), `${overlay} must not carry a Secret (secrets are referenced, never stored)`).toBe(false);
      if (overlay === 'demo') expect(objects.filter((o) => o.kind === 'StatefulSet').map((o) => o.metadata.name).sort()).toEqual(['nats', 'redis']);
      if (overlay === 'prod') expect(objects.some((o) => o.kind === 'StatefulSet')).toBe(false);
    }
  });

  it('every service has probes on /healthz and /readyz, memory requests and limits, scrape annotations and the secret by reference', () => {
    const docs = yamlFiles('k8s/base').flatMap((f) => readYamlDocs(f)) as K8sObject[];
    const deployments = docs.filter((o) => o.kind === 'Deployment') as unknown as {
      metadata: { name: string };
      spec: { template: { metadata: { annotations: Record<string, string> }; spec: { containers: Record<string, any>[] } } };
    }[];
    expect(deployments.length).toBeGreaterThanOrEqual(DEPLOYED_SERVICES.length);
    for (const d of deployments) {
      const c = d.spec.template.spec.containers[0]!;
      expect(c.args?.[0], d.metadata.name).toBe('service');
      expect(c.livenessProbe?.httpGet?.path, d.metadata.name).toBe('/healthz');
      expect(c.readinessProbe?.httpGet?.path, d.metadata.name).toBe('/readyz');
      expect(c.resources?.requests?.memory && c.resources?.limits?.memory, d.metadata.name).toBeTruthy();
      expect(d.spec.template.metadata.annotations['prometheus.io/scrape'], d.metadata.name).toBe('true');
      expect(c.envFrom, d.metadata.name).toContainEqual({ secretRef: { name: 'perpetua-secrets', optional: true } });
    }
    expect(docs.filter((o) => o.kind === 'PodDisruptionBudget').length).toBeGreaterThan(0);
    expect(docs.filter((o) => o.kind === 'NetworkPolicy').length).toBeGreaterThan(0);
    expect(docs.some((o) => o.kind === 'ServiceMonitor')).toBe(true);
  });
});

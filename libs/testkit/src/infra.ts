import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { findBinary, spawnServer } from './server-process.js';

/**
 * Real NATS (with JetStream) and Redis for tests, never mocks. Resolution order:
 * NATS_URL / REDIS_URL when set; else nats-server / redis-server spawned on free
 * ports in a temp dir; else testcontainers when a Docker engine answers; else a
 * clear error saying how to get one.
 */
export interface TestServer {
  url: string;
  /** Where the server came from, for test output. */
  origin: 'env' | 'spawned' | 'container';
  stop(): Promise<void>;
}

const HOW_TO = (what: string, pkg: string, env: string) =>
  `No ${what} for tests: set ${env}, or install the Debian package '${pkg}' (apt-get install -y ${pkg}), or run a Docker engine so testcontainers can start one.`;

export async function startNats(): Promise<TestServer> {
  if (process.env.NATS_URL) return { url: process.env.NATS_URL, origin: 'env', stop: async () => {} };
  const bin = findBinary('nats-server');
  if (bin) {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'perpetua-nats-'));
    const srv = await spawnServer(bin, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir], port, `nats://127.0.0.1:${port}`);
    return {
      url: srv.url,
      origin: 'spawned',
      stop: async () => {
        await srv.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const container = await tryContainer('nats:2.10-alpine', 4222, ['-js']);
  if (container) return { url: `nats://${container.host}:${container.port}`, origin: 'container', stop: container.stop };
  throw new Error(HOW_TO('NATS server', 'nats-server', 'NATS_URL'));
}

export async function startRedis(): Promise<TestServer> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, origin: 'env', stop: async () => {} };
  const bin = findBinary('redis-server');
  if (bin) {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'perpetua-redis-'));
    const srv = await spawnServer(bin, ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir], port, `redis://127.0.0.1:${port}`);
    return {
      url: srv.url,
      origin: 'spawned',
      stop: async () => {
        await srv.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const container = await tryContainer('redis:7-alpine', 6379, []);
  if (container) return { url: `redis://${container.host}:${container.port}`, origin: 'container', stop: container.stop };
  throw new Error(HOW_TO('Redis server', 'redis-server', 'REDIS_URL'));
}

async function tryContainer(image: string, port: number, command: string[]): Promise<{ host: string; port: number; stop: () => Promise<void> } | undefined> {
  let tc: typeof import('testcontainers');
  try {
    tc = await import('testcontainers');
  } catch {
    return undefined;
  }
  try {
    const started = await new tc.GenericContainer(image).withExposedPorts(port).withCommand(command).start();
    return { host: started.getHost(), port: started.getMappedPort(port), stop: async () => void (await started.stop()) };
  } catch {
    return undefined; // no Docker engine answered
  }
}

/** A prefix unique to this test run, for keys, stream names and consumers. */
export function uniquePrefix(label = 't'): string {
  return `${label}${process.pid.toString(36)}${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

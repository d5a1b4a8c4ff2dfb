import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NatsBus } from '@perpetua/bus';
import { findBinary, freePort, spawnServer, type SpawnedServer } from '@perpetua/testkit';

/**
 * A service started while nats-server is down waits for it (found by the chaos run: a router restarted during a
 * nats-server restart exited with "ConnectionError: connection refused" and stayed down).
 */
let server: SpawnedServer | undefined;
const dir = mkdtempSync(join(tmpdir(), 'perpetua-nats-first-'));

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('NatsBus.connect with waitForServer', () => {
  it.skipIf(!findBinary('nats-server'))('connects once the server comes up, instead of failing on the refused first try', async () => {
    const port = await freePort();
    const url = `nats://127.0.0.1:${port}`;
    let settled: 'connected' | Error | undefined;
    const connecting = NatsBus.connect({ url, name: 'first-connect-test', waitForServer: true, reconnectTimeWaitMs: 100 }).then(
      (bus) => ((settled = 'connected'), bus),
      (err: unknown) => ((settled = err as Error), undefined),
    );
    // The refused first try has been made and answered by now (a connection to a closed loopback port fails at once).
    const refused = await NatsBus.connect({ url, name: 'first-connect-probe' }).then(
      () => false,
      () => true,
    );
    expect(refused, 'nothing listens yet').toBe(true);
    expect(settled).toBeUndefined();
    server = await spawnServer(findBinary('nats-server')!, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir], port, url);
    const bus = await connecting;
    expect(settled).toBe('connected');
    await bus!.close();
  }, 30_000);
});

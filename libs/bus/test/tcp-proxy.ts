import { createServer, connect, type Socket } from 'node:net';

/**
 * A loopback TCP proxy whose connections can be cut on demand: the way to
 * show a client surviving a dropped connection without restarting the server.
 */
export interface TcpProxy {
  url: string;
  /** Client connections accepted so far (a reconnect makes a new one). */
  readonly accepted: number;
  /** Destroys every open connection (the client sees a network failure). */
  dropAll(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((client) => {
    accepted++;
    const upstream = connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  const dropAll = () => {
    for (const s of sockets) s.destroy();
  };
  return {
    url: `nats://127.0.0.1:${address.port}`,
    get accepted() {
      return accepted;
    },
    dropAll,
    close: () =>
      new Promise<void>((resolve) => {
        dropAll();
        server.close(() => resolve());
      }),
  };
}

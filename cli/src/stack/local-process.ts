import { spawn } from 'node:child_process';
import { closeSync, fchmodSync, openSync, readFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Processes of `perpetua stack`: started detached (own process group, so
 * `down` can signal the group and nothing a child forked survives), output to a
 * log file, outliving the `stack up` that started them.
 */
export function spawnDetached(command: string, args: readonly string[], log: string, env: NodeJS.ProcessEnv, cwd?: string): number {
  // Owner-only: a service's log is redacted, but its process holds the venue keys and a crash prints what it prints.
  const fd = openSync(log, 'a', 0o600);
  try {
    fchmodSync(fd, 0o600); // a log kept from an earlier run keeps its old mode otherwise
    const child = spawn(command, args, { detached: true, stdio: ['ignore', fd, fd], env, cwd });
    if (child.pid === undefined) throw new Error(`cannot start ${command}`);
    child.unref();
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** SIGTERM to the process group, SIGKILL after graceMs; resolves once the process is gone. */
export async function stopProcess(pid: number, graceMs: number): Promise<'stopped' | 'killed' | 'gone'> {
  if (!isAlive(pid)) return 'gone';
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) {
      signalGroup(pid, 'SIGKILL'); // anything left in its group
      return 'stopped';
    }
    await sleep(50);
  }
  signalGroup(pid, 'SIGKILL');
  while (isAlive(pid)) await sleep(20);
  return 'killed';
}

/** Waits until `find` returns a value for the log's text, failing early if the process exits. */
export async function waitForLog<T>(log: string, pid: number, find: (text: string) => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let text = '';
    try {
      text = readFileSync(log, 'utf8');
    } catch {
      // not written yet
    }
    const found = find(text);
    if (found !== undefined) return found;
    if (!isAlive(pid)) throw new Error(`${what} exited before it was ready; its log (${log}) ends:\n${tail(text)}`);
    if (Date.now() > deadline) throw new Error(`${what} not ready in ${timeoutMs / 1000} s; its log (${log}) ends:\n${tail(text)}`);
    await sleep(100);
  }
}

/** The first stdout line that is a JSON object satisfying `accept`. */
export function jsonLine<T>(accept: (value: unknown) => T | undefined): (text: string) => T | undefined {
  return (text) => {
    for (const line of text.split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        const found = accept(JSON.parse(line));
        if (found !== undefined) return found;
      } catch {
        // a log line that is not JSON
      }
    }
    return undefined;
  };
}

export async function waitForPort(port: number, pid: number, timeoutMs: number, what: string, log: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await canConnect(port)) return;
    if (!isAlive(pid)) throw new Error(`${what} exited before listening on ${port}; see ${log}:\n${tail(safeRead(log))}`);
    if (Date.now() > deadline) throw new Error(`${what} not listening on ${port} in ${timeoutMs / 1000} s; see ${log}:\n${tail(safeRead(log))}`);
    await sleep(100);
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** A port free now on 127.0.0.1 (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** An executable on PATH or in the sbin directories Debian installs servers to. */
export function findExecutable(name: string): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/usr/bin']) {
    if (!dir) continue;
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

const tail = (text: string): string => text.split('\n').slice(-15).join('\n');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { ZodType } from 'zod';

/** A child process that printed its ready line. */
export interface ReadyProcess<T> {
  name: string;
  pid: number;
  ready: T;
  /** The last 20 kB of its stderr, for error messages. */
  stderr(): string;
  /** SIGTERM, SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
}

/** Every child started here, so an exit of the bench on any path kills what is still running. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function track(proc: ChildProcess): void {
  live.add(proc);
  proc.once('exit', () => live.delete(proc));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // run.ts ends with process.exit(): children not stopped by then (an error path) are killed, never left behind.
  process.once('exit', () => {
    for (const p of live) p.kill('SIGKILL');
  });
}

/**
 * Spawns `command args` and resolves once a stdout line parses as `schema`.
 * stdin stays a pipe: children that watch it (the relay) exit when the bench dies.
 */
export function spawnReady<T>(name: string, command: string, args: string[], schema: ZodType<T>, env: NodeJS.ProcessEnv, cwd: string, timeoutMs: number): Promise<ReadyProcess<T>> {
  const proc = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  track(proc);
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-20_000);
  });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const stop = async (graceMs = 5_000): Promise<void> => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`${name} not ready in ${timeoutMs} ms: ${err.trim().slice(-2_000)}`));
    }, timeoutMs);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${proc.exitCode ?? proc.signalCode}) before ready: ${err.trim().slice(-2_000)}`));
    });
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        return; // not the ready line
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) return;
      clearTimeout(timer);
      resolve({ name, pid: proc.pid!, ready: parsed.data, stderr: () => err, stop });
    });
  });
}

import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { ZodType } from 'zod';
import { BIN, ROOT } from './run-cli.js';

export interface ReadyChild<T> {
  proc: ChildProcess;
  ready: T;
  stderr: () => string;
  /** Sends `signal` and resolves with the exit code (SIGKILL after `graceMs`). */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | null>;
}

/** Spawns `perpetua <args>` and resolves with the first stdout line that parses as `schema`. */
export function spawnUntilReady<T>(args: string[], schema: ZodType<T>, env: NodeJS.ProcessEnv = {}, timeoutMs = 20_000): Promise<ReadyChild<T>> {
  const proc = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-20_000);
  });
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM', graceMs = 5_000) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
    proc.kill(signal);
    const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  return new Promise((resolveChild, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`perpetua ${args.join(' ')} not ready in ${timeoutMs} ms: ${err}`));
    }, timeoutMs);
    void exited.then((code) => reject(new Error(`perpetua ${args.join(' ')} exited with ${code} before ready: ${err}`)));
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        return;
      }
      const parsed = schema.safeParse(json);
      if (parsed.success) {
        clearTimeout(timer);
        resolveChild({ proc, ready: parsed.data, stderr: () => err, stop });
      }
    });
  });
}

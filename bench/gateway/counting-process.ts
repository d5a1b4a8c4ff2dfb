import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { CountReply, type CountingSource } from './counting-source.js';

const SCRIPT = resolve(import.meta.dirname, 'counting-client.ts');
const Ready = z.object({ event: z.literal('ready'), pid: z.number() });

/** Drives one counting-client process (see counting-client.ts) over its stdin and stdout. */
export class CountingProcess {
  private readonly replies: CountReply[] = [];
  private wake: (() => void) | undefined;

  private constructor(
    private readonly proc: ChildProcess,
    readonly pid: number,
    /** The last 4 kB of its stderr, for error messages. */
    private readonly stderr: () => string,
  ) {}

  static start(source: CountingSource, cwd: string): Promise<CountingProcess> {
    const proc = spawn(process.execPath, ['--import', 'tsx', SCRIPT, JSON.stringify(source)], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr!.on('data', (d: Buffer) => void (stderr = (stderr + d.toString()).slice(-4_000)));
    return new Promise((resolveStart, reject) => {
      let client: CountingProcess | undefined;
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        reject(new Error(`counting client (${source.source}) not ready in 60 s: ${stderr}`));
      }, 60_000);
      proc.once('exit', (code) => {
        clearTimeout(timer);
        if (!client) reject(new Error(`counting client (${source.source}) exited (${code}) before ready: ${stderr}`));
      });
      createInterface({ input: proc.stdout! }).on('line', (line) => {
        let json: unknown;
        try {
          json = JSON.parse(line);
        } catch {
          return;
        }
        const reply = CountReply.safeParse(json);
        if (reply.success && client) {
          client.replies.push(reply.data);
          client.wake?.();
          return;
        }
        const ready = Ready.safeParse(json);
        if (ready.success && !client) {
          clearTimeout(timer);
          client = new CountingProcess(proc, ready.data.pid, () => stderr);
          resolveStart(client);
        }
      });
    });
  }

  reset(): void {
    this.proc.stdin!.write('reset\n');
  }

  /** The messages counted since the last reset, and when the last of them arrived (epoch ms). */
  async count(): Promise<CountReply> {
    this.replies.length = 0;
    this.proc.stdin!.write('count\n');
    const deadline = Date.now() + 10_000;
    while (this.replies.length === 0) {
      if (Date.now() > deadline || this.proc.exitCode !== null) throw new Error(`counting client ${this.pid}: no count reply; ${this.stderr()}`);
      await new Promise<void>((r) => {
        this.wake = r;
        setTimeout(r, 50);
      });
    }
    return this.replies.shift()!;
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise<void>((r) => this.proc.once('exit', () => r()));
    this.proc.stdin!.end();
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

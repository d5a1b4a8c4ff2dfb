import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** One process the stack started; pid is also its process group (started detached). */
export const StackProcess = z.object({
  id: z.string(),
  kind: z.enum(['nats', 'redis', 'prometheus', 'sim', 'service']),
  pid: z.number().int().positive(),
  command: z.array(z.string()),
  log: z.string(),
  /** Its HTTP endpoint (/metrics, /healthz) where it has one. */
  http: z.string().optional(),
});
export type StackProcess = z.infer<typeof StackProcess>;

export const StackState = z.object({
  startedAt: z.string(),
  nats: z.string(),
  redis: z.string(),
  prometheus: z.string().optional(),
  simAdmin: z.string().optional(),
  processes: z.array(StackProcess),
  skipped: z.array(z.object({ service: z.string(), reason: z.string() })),
});
export type StackState = z.infer<typeof StackState>;

const FILE = 'stack.json';

export function readStackState(dir: string): StackState | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, FILE), 'utf8');
  } catch {
    return undefined;
  }
  const parsed = StackState.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${join(dir, FILE)} is not a stack state file (${parsed.error.issues[0]?.message ?? ''})`);
  return parsed.data;
}

/** Written after every process start, so a failed `up` can still be taken `down`. */
export function writeStackState(dir: string, state: StackState): void {
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `${FILE}.tmp`);
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, join(dir, FILE));
}

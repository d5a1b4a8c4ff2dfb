import { Worker } from 'node:worker_threads';
import { z } from 'zod';

export interface PushClientSpec {
  url: string;
  /** Sent once connected (venues that subscribe by message). */
  subscribe?: string;
  /** A substring every counted book message contains. */
  marker: string;
}

const Reply = z.discriminatedUnion('type', [
  z.object({ type: z.literal('open') }),
  z.object({ type: z.literal('error'), message: z.string() }),
  z.object({ type: z.literal('count'), count: z.number(), bytes: z.number(), samples: z.array(z.string()) }),
]);
type Reply = z.infer<typeof Reply>;
export type PushCount = Extract<Reply, { type: 'count' }>;

/** Drives a push-client-worker thread. */
export class PushClient {
  private readonly worker: Worker;
  private readonly replies: Reply[] = [];
  private waiter: (() => void) | undefined;

  private constructor(spec: PushClientSpec) {
    // Worker threads do not inherit tsx's loader: the bootstrap registers it, then loads the TypeScript worker.
    const entry = JSON.stringify(new URL('./push-client-worker.ts', import.meta.url).href);
    const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${entry}); });`;
    this.worker = new Worker(bootstrap, { eval: true, workerData: spec });
    this.worker.on('message', (m: unknown) => {
      this.replies.push(Reply.parse(m));
      this.waiter?.();
    });
  }

  static async connect(spec: PushClientSpec): Promise<PushClient> {
    const c = new PushClient(spec);
    await c.next('open');
    return c;
  }

  start(): void {
    this.worker.postMessage('start');
  }

  async stop(): Promise<PushCount> {
    this.worker.postMessage('stop');
    return this.next('count');
  }

  async close(): Promise<void> {
    this.worker.postMessage('close');
    await this.worker.terminate();
  }

  private async next<T extends Reply['type']>(type: T): Promise<Extract<Reply, { type: T }>> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const i = this.replies.findIndex((r) => r.type === type || r.type === 'error');
      if (i >= 0) {
        const [r] = this.replies.splice(i, 1);
        if (r!.type === 'error') throw new Error(`push client: ${r!.message}`);
        return r as Extract<Reply, { type: T }>;
      }
      if (Date.now() > deadline) throw new Error(`push client: no ${type} in 15 s`);
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        setTimeout(resolve, 100);
      });
    }
  }
}

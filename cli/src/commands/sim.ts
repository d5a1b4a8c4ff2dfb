import { startSimulator } from '@perpetua/sim';

export interface SimOptions {
  seed: number;
  host: string;
}

/**
 * `perpetua sim`: the venue simulator on its own. The first stdout line is the
 * ready object (SimReady: per venue its URLs and demo credentials); it runs
 * until SIGINT/SIGTERM.
 */
export async function runSim(options: SimOptions): Promise<void> {
  if (!isLoopback(options.host))
    process.stderr.write(`perpetua sim: binding ${options.host}; the demo credentials in the ready line are public, keep this address off untrusted networks\n`);
  const sim = await startSimulator({ seed: options.seed, host: options.host });
  process.stdout.write(`${JSON.stringify(sim.ready)}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sim.close();
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

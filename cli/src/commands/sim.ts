import { FACADE_STARTERS, loadScenarioFile, startSimulator } from '@perpetua/sim';
import { ConfigurationError } from '../compose/configuration-error.js';

export interface SimOptions {
  seed: number;
  host: string;
  /** A scenario file (YAML or JSON) of timed faults. */
  scenario?: string;
  /** The admin API's port (default: any free one). */
  adminPort?: number;
}

/**
 * `perpetua sim`: the venue simulator on its own. The first stdout line is the
 * ready object (SimReady: per venue its URLs and demo credentials); it runs
 * until SIGINT/SIGTERM.
 */
export async function runSim(options: SimOptions): Promise<void> {
  if (!isLoopback(options.host))
    process.stderr.write(`perpetua sim: binding ${options.host}; the demo credentials in the ready line are public, keep this address off untrusted networks\n`);
  let scenario;
  if (options.scenario !== undefined) {
    try {
      scenario = await loadScenarioFile(options.scenario);
    } catch (err) {
      throw new ConfigurationError(`--scenario ${options.scenario}: ${err instanceof Error ? err.message : String(err)}`);
    }
    // A fault for a venue the simulator does not serve would only be refused when its time comes.
    scenario.steps.forEach((step, i) => {
      const venue = step.fault.venue;
      if (venue !== undefined && venue !== '*' && !FACADE_STARTERS[venue])
        throw new ConfigurationError(`--scenario ${options.scenario}: steps.${i}.fault.venue: "${venue}" is not a simulated venue (${Object.keys(FACADE_STARTERS).join(', ')})`);
    });
  }
  const sim = await startSimulator({ seed: options.seed, host: options.host, scenario, adminPort: options.adminPort });
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

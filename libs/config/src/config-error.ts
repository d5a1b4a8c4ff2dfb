import { writeSync } from 'node:fs';
import { maskRegisteredSecrets } from '@perpetua/telemetry';

/**
 * A configuration the process cannot start with. The message is one line:
 * the first problem (key path, value, where it came from, what was expected)
 * and how many others there are; `problems` lists them all. Secret values
 * never appear, in full, in either.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
  /** Every problem, one line each, without the "config error: " prefix. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    const lines = problems.map((p) => maskRegisteredSecrets(oneLine(p)));
    const [first = 'invalid configuration', ...rest] = lines;
    const more = rest.length === 0 ? '' : ` (and ${rest.length} more problem${rest.length === 1 ? '' : 's'})`;
    super(`config error: ${first}${more}`);
    this.problems = lines;
  }
}

/**
 * For a CLI's last catch: a ConfigError becomes its one line on stderr and
 * exit code 2 (bad configuration); anything else is rethrown untouched.
 */
export function exitOnConfigError(err: unknown): never {
  if (!(err instanceof ConfigError)) throw err;
  // Synchronous write: process.exit must not cut the line short.
  writeSync(2, `${err.message}\n`);
  process.exit(2);
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

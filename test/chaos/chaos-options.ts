/** `npm run chaos -- --minutes N --seed S [--dir D] [--keep]`; npm's own `--minutes N` (npm_config_minutes) is read too. */
export interface ChaosOptions {
  /** Whole run, start-up and final checks included. */
  minutes: number;
  seed: number;
  /** Run directory (stack state, logs); default .tmp/chaos-<pid>. */
  dir?: string;
  /** Leave the run directory (logs) after a passing run. */
  keep: boolean;
}

const number = (flag: string, text: string | undefined, min: number, max: number): number => {
  const n = Number(text);
  if (text === undefined || text === '' || !Number.isFinite(n) || n < min || n > max) throw new Error(`${flag} expects a number from ${min} to ${max}, got "${text ?? ''}"`);
  return n;
};

export function parseChaosOptions(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ChaosOptions {
  const values = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--keep') values.set('keep', 'true');
    else if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) values.set(a.slice(2, eq), a.slice(eq + 1));
      else values.set(a.slice(2), argv[++i] ?? '');
    } else positional.push(a);
  }
  for (const k of values.keys()) if (!['minutes', 'seed', 'dir', 'keep'].includes(k)) throw new Error(`unknown option --${k} (use --minutes N --seed S --dir D --keep)`);
  // `npm run chaos --minutes 10` hands npm the flag: it arrives as npm_config_minutes (a bare flag: "true", the value positional).
  const fromNpm = (name: string): string | undefined => {
    const v = env[`npm_config_${name}`];
    if (v === undefined || v === '') return undefined;
    return v === 'true' ? positional.shift() : v;
  };
  const minutes = number('--minutes', values.get('minutes') ?? fromNpm('minutes') ?? '10', 1, 24 * 60);
  const seed = number('--seed', values.get('seed') ?? fromNpm('seed') ?? '1', 0, 0xffffffff);
  if (!Number.isInteger(seed)) throw new Error(`--seed expects an integer, got ${seed}`);
  return { minutes, seed, keep: values.has('keep'), ...(values.get('dir') ? { dir: values.get('dir')! } : {}) };
}

/** What `npm run soak:memory` was asked for. */
export interface SoakOptions {
  minutes: number;
  /** Growth is judged from this minute on (start-up and warm-up come before it). */
  fromMinute: number;
  everySec: number;
  /** Write docs/memory-soak*.svg and the soak block of docs/PERFORMANCE.md. */
  writeDocs: boolean;
  /** Soak the stack of separate processes (`perpetua stack up`, from the bundle) instead of `perpetua start`. */
  stack: boolean;
}

const USAGE = 'usage: npm run soak:memory -- [--stack] [--minutes N] [--from-minute M] [--every S] [--write-docs]';

export function soakOptions(argv: readonly string[]): SoakOptions {
  const o: SoakOptions = { minutes: 20, fromMinute: 5, everySec: 10, writeDocs: false, stack: false };
  const num = (flag: string, v: string | undefined): number => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || n <= 0) throw new Error(`${flag} needs a positive number; ${USAGE}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--minutes') o.minutes = num(a, argv[++i]);
    else if (a === '--from-minute') o.fromMinute = num(a, argv[++i]);
    else if (a === '--every') o.everySec = num(a, argv[++i]);
    else if (a === '--write-docs') o.writeDocs = true;
    else if (a === '--stack') o.stack = true;
    else throw new Error(`unknown argument ${a}; ${USAGE}`);
  }
  // The judged windows are the minute from fromMinute and the last minute: they must not overlap.
  if (o.minutes < o.fromMinute + 2) throw new Error(`--minutes ${o.minutes} is too short to judge growth from minute ${o.fromMinute} (needs ${o.fromMinute + 2}); ${USAGE}`);
  return o;
}

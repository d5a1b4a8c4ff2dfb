/**
 * Prints the top self-time functions (and packages) of V8 CPU profiles:
 *
 *   node --import tsx --cpu-prof --cpu-prof-dir /tmp/prof bench/run.ts --quick --only book
 *   npx tsx bench/profile/top-functions.ts /tmp/prof/*.cpuprofile [--top 15] [--under timeRuns]
 *
 * --under F counts only the samples inside a call to a function named F (the workload without start-up).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CpuProfile, formatSummary, summariseCpuProfile } from './summarise-cpu-profile.js';

const ROOT = resolve(import.meta.dirname, '../..');

const { values, positionals } = parseArgs({ options: { top: { type: 'string', default: '15' }, under: { type: 'string' } }, allowPositionals: true });
const top = Number(values.top);
if (positionals.length === 0 || !Number.isInteger(top) || top < 1) {
  process.stderr.write('usage: npx tsx bench/profile/top-functions.ts <file.cpuprofile>… [--top N] [--under <function name>]\n');
  process.exit(2);
}
for (const file of positionals) {
  const profile = CpuProfile.parse(JSON.parse(readFileSync(file, 'utf8')));
  process.stdout.write(`== ${file}\n${formatSummary(summariseCpuProfile(profile, ROOT, values.under), top)}\n\n`);
}

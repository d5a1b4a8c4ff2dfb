import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/** The first field of /proc/<pid>/task/<tid>/schedstat: ns this thread has run on a CPU. */
export function parseSchedstatNs(text: string): number {
  const first = text.trim().split(/\s+/)[0] ?? '';
  const ns = Number(first);
  if (!/^\d+$/.test(first)) throw new Error(`not a schedstat line: ${text.slice(0, 80)}`);
  return ns;
}

/** utime + stime of a /proc/<pid>/stat line, in ns (the comm field may hold spaces and parentheses). */
export function parseStatCpuNs(text: string): number {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // Fields after comm start at 3 (state); utime and stime are fields 14 and 15.
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`not a /proc/<pid>/stat line: ${text.slice(0, 80)}`);
  return ((utime + stime) * 1e9) / USER_HZ;
}

/**
 * CPU time a process has used so far, ns, over all its threads (main, GC, libuv): the sum of the
 * threads' schedstat run times (ns resolution), or utime + stime from /proc/<pid>/stat (10 ms
 * resolution) where schedstat is missing.
 */
export function processCpuNs(pid: number): number {
  if (!schedstatAvailable(pid)) return parseStatCpuNs(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += parseSchedstatNs(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8'));
    } catch {
      // A thread that ended between the listing and the read: its time is gone with it.
    }
  }
  return ns;
}

let schedstat: boolean | undefined;
function schedstatAvailable(pid: number): boolean {
  if (schedstat === undefined) {
    try {
      parseSchedstatNs(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8'));
      schedstat = true;
    } catch {
      schedstat = false;
    }
  }
  return schedstat;
}

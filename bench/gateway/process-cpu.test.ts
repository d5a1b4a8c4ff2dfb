import { describe, expect, it } from 'vitest';
import { parseSchedstatNs, parseStatCpuNs, processCpuNs } from './process-cpu.js';

describe('process CPU time from /proc', () => {
  it('reads the run time of a schedstat line', () => {
    expect(parseSchedstatNs('123456789 5555 42\n')).toBe(123_456_789);
    expect(() => parseSchedstatNs('')).toThrow();
  });

  it('reads utime + stime of a stat line whose command holds spaces and parentheses', () => {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime …
    const line = '4242 (node (x) y) S 1 4242 4242 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 11 0';
    expect(parseStatCpuNs(line)).toBe((300 * 1e9) / 100);
  });

  it('sees this process use CPU', () => {
    const t0 = processCpuNs(process.pid);
    let x = 0;
    for (let i = 0; i < 5e6; i++) x += Math.sqrt(i);
    expect(x).toBeGreaterThan(0);
    expect(processCpuNs(process.pid)).toBeGreaterThan(t0);
  });
});

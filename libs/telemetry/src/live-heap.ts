import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';

/** V8 heap in use measured right after the latest major (mark-compact) collection; undefined before the first. */
let afterMajorGc: number | undefined;
let observer: PerformanceObserver | undefined;

/**
 * The live heap: heap in use just after the last full collection. `nodejs_heap_size_used_bytes` also counts
 * the garbage that piles up in old space between full collections (a quiet service runs one every few minutes),
 * so it climbs for minutes at a time without anything leaking; this does not. One observer per process, started
 * by the first caller.
 */
export function liveHeapBytes(): number | undefined {
  if (!observer) {
    observer = new PerformanceObserver((list) => {
      if (list.getEntries().some(isMajorGc)) afterMajorGc = getHeapStatistics().used_heap_size;
    });
    observer.observe({ entryTypes: ['gc'] });
  }
  return afterMajorGc;
}

function isMajorGc(e: PerformanceEntry): boolean {
  return (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR;
}

import { median } from '../harness/figure.js';

/** One look at a process: seconds since it started, its RSS and its V8 heap in use, in MB (2^20 bytes). */
export interface MemorySample {
  atSec: number;
  rssMb: number;
  heapMb: number;
  /** Heap in use right after the last major GC (perpetua_nodejs_heap_live_bytes), when the process reports it. */
  liveHeapMb?: number;
}

/** A series' level at the start of the judged window and at its end, and the growth between them. */
export interface SeriesGrowth {
  fromMb: number;
  toMb: number;
  /** toMb / fromMb − 1 (0.05 = 5%). */
  growth: number;
}

export interface GrowthVerdict {
  rss: SeriesGrowth;
  heap: SeriesGrowth;
  /** Both grew less than the limit. */
  met: boolean;
}

/**
 * Growth between minute `fromSec` and the end of a run, as the soak judges it. Each end is the median
 * of the samples in a window of `windowSec` (the minute from `fromSec`, and the run's last minute),
 * not one sample: the heap is a sawtooth between collections and one sample may sit on a peak or
 * a trough. Needs at least one sample in each window, and the windows must not overlap (a run
 * shorter than fromSec + 2 windows cannot be judged).
 */
export function memoryGrowth(samples: readonly MemorySample[], fromSec: number, limit: number, windowSec = 60): GrowthVerdict {
  const last = samples.at(-1);
  if (!last) throw new Error('no samples');
  const endFrom = last.atSec - windowSec;
  if (endFrom < fromSec + windowSec) throw new Error(`a run of ${last.atSec} s is too short to judge from ${fromSec} s (needs ${fromSec + 2 * windowSec} s)`);
  const first = samples.filter((s) => s.atSec >= fromSec && s.atSec < fromSec + windowSec);
  const end = samples.filter((s) => s.atSec > endFrom);
  if (first.length === 0) throw new Error(`no sample between ${fromSec} and ${fromSec + windowSec} s`);
  const series = (pick: (s: MemorySample) => number): SeriesGrowth => {
    const fromMb = median(first.map(pick));
    const toMb = median(end.map(pick));
    return { fromMb, toMb, growth: toMb / fromMb - 1 };
  };
  const rss = series((s) => s.rssMb);
  const heap = series((s) => s.heapMb);
  return { rss, heap, met: rss.growth < limit && heap.growth < limit };
}

/**
 * Import cycles in a graph of files. Pure: the caller reads the files and resolves their imports (import-graph.ts);
 * this finds every strongly connected component of more than one file, or of one file that imports itself, and one
 * loop through each as evidence.
 */

/** File -> the files it imports (edges to files outside the graph are ignored). */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

export interface ImportCycle {
  /** Every file of the tangle, sorted. */
  files: string[];
  /** One loop through it, starting and ending at its first file: a -> b -> ... -> a. */
  loop: string[];
}

/** Every tangle of files that import each other, by Tarjan's algorithm (iterative: deep chains do not blow the stack). */
export function findCycles(graph: ImportGraph): ImportCycle[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let next = 0;
  const targets = (file: string): readonly string[] => (graph.get(file) ?? []).filter((t) => graph.has(t));

  for (const root of [...graph.keys()].sort()) {
    if (index.has(root)) continue;
    // Each frame: a file and how many of its targets have been visited.
    const frames: { file: string; edges: readonly string[]; at: number }[] = [];
    const enter = (file: string): void => {
      index.set(file, next);
      low.set(file, next);
      next++;
      stack.push(file);
      onStack.add(file);
      frames.push({ file, edges: targets(file), at: 0 });
    };
    enter(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      if (frame.at < frame.edges.length) {
        const to = frame.edges[frame.at++]!;
        if (!index.has(to)) enter(to);
        else if (onStack.has(to)) low.set(frame.file, Math.min(low.get(frame.file)!, index.get(to)!));
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.file, Math.min(low.get(parent.file)!, low.get(frame.file)!));
      if (low.get(frame.file) === index.get(frame.file)) {
        const component: string[] = [];
        let f: string;
        do {
          f = stack.pop()!;
          onStack.delete(f);
          component.push(f);
        } while (f !== frame.file);
        components.push(component);
      }
    }
  }

  return components
    .filter((c) => c.length > 1 || targets(c[0]!).includes(c[0]!))
    .map((c) => {
      const files = [...c].sort();
      return { files, loop: shortestLoop(graph, files[0]!, new Set(files)) };
    })
    .sort((a, b) => (a.files[0]! < b.files[0]! ? -1 : 1));
}

/** The shortest path from `start` back to itself inside `within` (breadth first, so the evidence is easy to read). */
function shortestLoop(graph: ImportGraph, start: string, within: ReadonlySet<string>): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const file = queue[i]!;
    for (const to of graph.get(file) ?? []) {
      if (!within.has(to)) continue;
      if (to === start) {
        const path = [start];
        for (let f = file; f !== start; f = cameFrom.get(f)!) path.push(f);
        path.push(start);
        return path.reverse();
      }
      if (!cameFrom.has(to)) {
        cameFrom.set(to, file);
        queue.push(to);
      }
    }
  }
  throw new Error(`${start} is in a cycle but no loop leads back to it`);
}

/** One line per cycle: its loop, and the rest of its files when the loop does not pass through them all. */
export function describeCycle(c: ImportCycle): string {
  const rest = c.files.filter((f) => !c.loop.includes(f));
  return c.loop.join(' -> ') + (rest.length > 0 ? `  (tangled with ${rest.join(', ')})` : '');
}

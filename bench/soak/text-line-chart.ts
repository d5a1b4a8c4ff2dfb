/**
 * A series as a few lines of text (for the terminal and a Markdown code block): `width` columns of
 * time, `height` rows between the series' minimum and maximum, one `*` per column at the mean of the
 * points that fall in it. Axis labels on the left: the top and bottom values.
 */
export function textLineChart(points: ReadonlyArray<{ x: number; y: number }>, opts: { width?: number; height?: number; unit?: string } = {}): string {
  const width = opts.width ?? 60;
  const height = opts.height ?? 10;
  if (points.length === 0) return '(no samples)';
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (y1 - y0 < 1e-9) [y0, y1] = [y0 - 1, y1 + 1]; // a flat series draws on the middle row
  const sums = new Array<number>(width).fill(0);
  const counts = new Array<number>(width).fill(0);
  for (const p of points) {
    const col = x1 === x0 ? 0 : Math.min(width - 1, Math.floor(((p.x - x0) / (x1 - x0)) * width));
    sums[col]! += p.y;
    counts[col]!++;
  }
  const grid = Array.from({ length: height }, () => new Array<string>(width).fill(' '));
  for (let c = 0; c < width; c++) {
    if (counts[c] === 0) continue;
    const y = sums[c]! / counts[c]!;
    const row = Math.round(((y1 - y) / (y1 - y0)) * (height - 1));
    grid[row]![c] = '*';
  }
  const unit = opts.unit ? ` ${opts.unit}` : '';
  const top = `${y1.toFixed(0)}${unit}`;
  const bottom = `${y0.toFixed(0)}${unit}`;
  const pad = Math.max(top.length, bottom.length);
  return grid
    .map((r, i) => `${(i === 0 ? top : i === height - 1 ? bottom : '').padStart(pad)} |${r.join('')}`)
    .concat(`${' '.repeat(pad)} +${'-'.repeat(width)}`)
    .join('\n');
}

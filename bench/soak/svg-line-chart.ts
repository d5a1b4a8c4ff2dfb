/** One series of an SVG chart: its name (the legend), its colour and its points. */
export interface ChartSeries {
  name: string;
  colour: string;
  points: ReadonlyArray<{ x: number; y: number }>;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A self-contained SVG line chart (no script, no external font or style): the series as polylines on
 * shared axes from 0 to their maximum, ticks on both axes, a title and a legend. Enough for a figure in
 * docs/PERFORMANCE.md that a reader can open in any browser.
 */
export function svgLineChart(series: readonly ChartSeries[], opts: { title: string; xLabel: string; yLabel: string; width?: number; height?: number }): string {
  const W = opts.width ?? 720;
  const H = opts.height ?? 360;
  const m = { left: 60, right: 20, top: 40, bottom: 50 };
  const all = series.flatMap((s) => s.points);
  const xMax = Math.max(1, ...all.map((p) => p.x));
  const yMax = niceCeil(Math.max(1, ...all.map((p) => p.y)));
  const px = (x: number) => m.left + (x / xMax) * (W - m.left - m.right);
  const py = (y: number) => H - m.bottom - (y / yMax) * (H - m.top - m.bottom);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">${esc(opts.title)}</text>`,
    `<line x1="${m.left}" y1="${py(0)}" x2="${W - m.right}" y2="${py(0)}" stroke="black"/>`,
    `<line x1="${m.left}" y1="${py(0)}" x2="${m.left}" y2="${m.top}" stroke="black"/>`,
  ];
  for (let i = 0; i <= 5; i++) {
    const y = (yMax * i) / 5;
    out.push(`<line x1="${m.left}" y1="${py(y).toFixed(1)}" x2="${W - m.right}" y2="${py(y).toFixed(1)}" stroke="#ddd"/>`);
    out.push(`<text x="${m.left - 5}" y="${(py(y) + 4).toFixed(1)}" text-anchor="end">${round(y)}</text>`);
    const x = (xMax * i) / 5;
    out.push(`<text x="${px(x).toFixed(1)}" y="${H - m.bottom + 16}" text-anchor="middle">${round(x)}</text>`);
  }
  out.push(`<text x="${W / 2}" y="${H - 10}" text-anchor="middle">${esc(opts.xLabel)}</text>`);
  out.push(`<text x="15" y="${H / 2}" text-anchor="middle" transform="rotate(-90 15 ${H / 2})">${esc(opts.yLabel)}</text>`);
  series.forEach((s, i) => {
    const pts = s.points.map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ');
    out.push(`<polyline fill="none" stroke="${esc(s.colour)}" stroke-width="1.5" points="${pts}"/>`);
    const ly = m.top + 4 + i * 16;
    out.push(`<line x1="${W - m.right - 150}" y1="${ly}" x2="${W - m.right - 130}" y2="${ly}" stroke="${esc(s.colour)}" stroke-width="2"/>`);
    out.push(`<text x="${W - m.right - 125}" y="${ly + 4}">${esc(s.name)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** The next of 1, 2, 5 × 10^k at or above v, so the top tick is a round number. */
function niceCeil(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const f of [1, 2, 5, 10]) if (f * p >= v) return f * p;
  return 10 * p;
}

const round = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(1));

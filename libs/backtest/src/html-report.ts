import type { BacktestResult } from './backtest-report.js';

/** Text safe inside a <script> or <style> element (nothing can close it early). */
const inline = (text: string) => text.replace(/<\/(script|style)/gi, '<\\/$1');
const escape = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/**
 * One self-contained HTML file: the report's figures and four charts (equity,
 * position, our quoted spread, fills over the mid), drawn by uPlot, which is
 * inlined with the data, so the file opens offline and asks no host for anything.
 * Deterministic: the same result gives the same bytes.
 */
export function renderHtmlReport(result: BacktestResult, assets: { js: string; css: string }): string {
  const r = result.report;
  const rows: Array<[string, string]> = [
    ['PnL total', r.pnl.total],
    ['realized / unrealized', `${r.pnl.realized} / ${r.pnl.unrealized}`],
    ['fees paid / rebates / funding', `${r.pnl.fees} / ${r.pnl.rebates} / ${r.pnl.funding}`],
    ['volume (quote / base)', `${r.volume} / ${r.volumeBase}`],
    ['fills / orders placed / fill rate', `${r.fills} / ${r.ordersPlaced} / ${r.fillRate}`],
    ['avg captured spread (bps)', String(r.avgCapturedSpreadBps)],
    ['inventory mean / std / max |q|', `${r.inventory.mean} / ${r.inventory.std} / ${r.inventory.maxAbs}`],
    ['turnover', String(r.turnover)],
    ['max drawdown', String(r.maxDrawdown)],
    ['daily Sharpe', String(r.dailySharpe)],
    ['requotes per minute', String(r.requotesPerMinute)],
    ['volatility pause (s)', String(r.volatilityPauseSec)],
    ['maker-yield uptime % / maker hours', `${r.makerYield.uptimePct} / ${r.makerYield.makerHours}`],
  ];
  const nan = (x: number) => (Number.isFinite(x) ? x : null);
  const s = result.series.samples;
  const data = {
    t: s.map((p) => p[0]),
    equity: s.map((p) => nan(p[1])),
    position: s.map((p) => nan(p[2])),
    mid: s.map((p) => nan(p[3])),
    spread: s.map((p) => nan(p[4])),
    fills: result.series.fills.map((f) => [f[0], f[1], f[2]]),
  };
  const title = `Backtest ${r.strategy} on ${r.venue} ${r.symbol}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>${inline(assets.css)}</style>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin-bottom:16px}td{padding:2px 12px 2px 0}td:first-child{color:#555}h2{font-size:15px;margin:20px 0 4px}</style>
</head><body>
<h1>${escape(title)}</h1>
<p>${escape(new Date(r.from).toISOString())} → ${escape(new Date(r.to).toISOString())}, ${r.events} events</p>
<table>${rows.map(([k, v]) => `<tr><td>${escape(k)}</td><td>${escape(v)}</td></tr>`).join('')}</table>
<h2>Equity (total PnL)</h2><div id="equity"></div>
<h2>Position</h2><div id="position"></div>
<h2>Our quoted spread (bps)</h2><div id="spread"></div>
<h2>Fills over the mid (green buy, red sell)</h2><div id="fills"></div>
<script>${inline(assets.js)}</script>
<script>
const D = ${inline(JSON.stringify(data))};
const W = Math.min(1100, document.body.clientWidth - 20);
function line(id, label, ys, color) {
  new uPlot({ width: W, height: 220, series: [{}, { label, stroke: color, width: 1.5 }] }, [D.t, ys], document.getElementById(id));
}
line('equity', 'PnL', D.equity, '#1565c0');
line('position', 'position', D.position, '#6a1b9a');
line('spread', 'spread bps', D.spread, '#ef6c00');
const ts = D.t.slice();
const fx = D.fills.map((f) => f[0]);
const xs = Array.from(new Set(ts.concat(fx))).sort((a, b) => a - b);
const at = (pairs) => { const m = new Map(pairs); return xs.map((x) => (m.has(x) ? m.get(x) : null)); };
const mid = at(D.t.map((t, i) => [t, D.mid[i]]));
const buys = at(D.fills.filter((f) => f[2] > 0).map((f) => [f[0], f[1]]));
const sells = at(D.fills.filter((f) => f[2] < 0).map((f) => [f[0], f[1]]));
const dots = (color) => ({ stroke: color, width: 0, points: { show: true, size: 6, fill: color }, paths: () => null });
new uPlot({ width: W, height: 260, series: [{}, { label: 'mid', stroke: '#999', spanGaps: true }, { label: 'buy', ...dots('#2e7d32') }, { label: 'sell', ...dots('#c62828') }] }, [xs, mid, buys, sells], document.getElementById('fills'));
</script>
</body></html>
`;
}

import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { fmtTime, t } from './i18n.js';

export interface ChartProps {
  title: string;
  /** x (epoch seconds) first, then one array per line. */
  data: number[][];
  labels: string[];
  height?: number;
}

const COLORS = ['#58a6ff', '#3fb950', '#d29922', '#f778ba', '#a371f7'];

/** A uPlot line chart that follows its container's width; data updates redraw without rebuilding it. */
export function Chart({ title, data, labels, height = 200 }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const key = labels.join('|');
  useEffect(() => {
    if (!box.current) return;
    const opts: uPlot.Options = {
      title,
      width: box.current.clientWidth || 300,
      height,
      series: [{ label: t('common.time'), value: (_u, v) => (v === null ? '–' : fmtTime(v * 1000)) }, ...labels.map((label, i) => ({ label, stroke: COLORS[i % COLORS.length]!, width: 1.5 }))],
      axes: [
        { stroke: '#8b949e', grid: { stroke: '#21262d' }, ticks: { stroke: '#30363d' }, values: (_u, splits) => splits.map((v) => fmtTime(v * 1000)) },
        { stroke: '#8b949e', grid: { stroke: '#21262d' }, ticks: { stroke: '#30363d' }, size: 60 },
      ],
      legend: { show: true },
    };
    plot.current = new uPlot(opts, data as uPlot.AlignedData, box.current);
    const ro = new ResizeObserver(() => plot.current?.setSize({ width: box.current?.clientWidth || 300, height }));
    ro.observe(box.current);
    return () => {
      ro.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [key, title, height, t('common.time')]);
  useEffect(() => {
    plot.current?.setData(data as uPlot.AlignedData);
  });
  return <div class="chart" ref={box} data-chart={title} />;
}

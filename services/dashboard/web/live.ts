import { useEffect, useState } from 'preact/hooks';
import type { ServerFrame, Topic, TopicViews } from '../src/live-views.js';

export type Live = Partial<TopicViews>;

/** Time series drawn by the charts, kept in the page (bounded): seconds, then one value per series. */
export interface Series {
  t: number[];
  pnl: number[];
  position: number[];
}

const MAX_POINTS = 3600;
let live: Live = {};
let connected = false;
const series = new Map<string, Series>();
const listeners = new Set<() => void>();

const emit = () => listeners.forEach((l) => l());

function append(key: string, t: number, pnl: number, position: number): void {
  let s = series.get(key);
  if (!s) {
    if (series.size >= 200) return;
    s = { t: [], pnl: [], position: [] };
    series.set(key, s);
  }
  if (s.t.length > 0 && s.t[s.t.length - 1]! >= t) return;
  s.t.push(t);
  s.pnl.push(pnl);
  s.position.push(position);
  if (s.t.length > MAX_POINTS) {
    s.t.shift();
    s.pnl.shift();
    s.position.shift();
  }
}

/** One point per strategy per push, from what it reports: total PnL and position. */
function sample(views: TopicViews['strategies']): void {
  const t = Date.now() / 1000;
  for (const s of views) {
    const total = s.stats?.totalPnl;
    const position = s.stats?.position;
    if (typeof total === 'number' && typeof position === 'number') append(s.id, t, total, position);
  }
}

function onFrame(frame: ServerFrame): void {
  if (frame.type !== 'topic') return;
  live = { ...live, [frame.topic]: frame.data } as Live;
  if (frame.topic === 'strategies') sample(frame.data as TopicViews['strategies']);
  emit();
}

let socket: WebSocket | undefined;
let retry = 500;

/** Opens the one WebSocket; reconnects with backoff; a refused upgrade (401) sends the page to the login form. */
export function connect(): void {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  const ws = new WebSocket(url);
  socket = ws;
  ws.onopen = () => {
    connected = true;
    retry = 500;
    emit();
  };
  ws.onmessage = (e) => {
    try {
      onFrame(JSON.parse(String(e.data)) as ServerFrame);
    } catch {
      // a frame we cannot read is skipped; the next push carries the latest value anyway
    }
  };
  ws.onclose = () => {
    connected = false;
    emit();
    if (socket !== ws) return;
    setTimeout(connect, retry);
    retry = Math.min(retry * 2, 10_000);
  };
}

export function disconnect(): void {
  const ws = socket;
  socket = undefined;
  ws?.close();
}

/** Re-renders the calling component on every frame. */
export function useLive(): { live: Live; connected: boolean; series: Map<string, Series> } {
  const [, setTick] = useState(0);
  useEffect(() => {
    const l = () => setTick((n) => n + 1);
    listeners.add(l);
    return () => void listeners.delete(l);
  }, []);
  return { live, connected, series };
}

export type { Topic };

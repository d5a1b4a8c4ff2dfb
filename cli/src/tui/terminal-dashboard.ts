import type { Writable } from 'node:stream';
import type { Bus } from '@perpetua/bus';
import { LiveState, type DashboardStore } from '@perpetua/service-dashboard';
import { renderPanel } from './render-panel.js';
import { positionFigures, strategyFigures } from '@perpetua/service-dashboard';

export interface TerminalDashboardOptions {
  bus: Bus;
  store?: DashboardStore;
  out: Writable & { isTTY?: boolean; columns?: number };
  until: Promise<void>;
  intervalMs?: number;
}

/**
 * Draws the panel every second: in place on a terminal, as plain blocks of
 * lines when stdout is a pipe or a file.
 */
export async function runTerminalDashboard(o: TerminalDashboardOptions): Promise<void> {
  const state = new LiveState({ bus: o.bus, now: Date.now, historySize: 200, ...(o.store ? { store: o.store } : {}) });
  await state.start();
  const tty = o.out.isTTY === true;
  const draw = () => {
    const strategies = state.view('strategies');
    const risk = state.view('risk');
    const lines = renderPanel({
      now: Date.now(),
      startedAt: state.view('meta').startedAt,
      strategies: strategies.length > 0 ? strategies.map(strategyFigures) : state.view('positions').map(positionFigures),
      venues: state.view('venues'),
      arb: state.view('arb'),
      halted: risk.halted,
      haltReason: risk.reason,
      width: tty && o.out.columns ? o.out.columns : 200,
    });
    o.out.write(tty ? `\x1b[H\x1b[2J${lines.join('\n')}\n` : `${lines.join('\n')}\n\n`);
  };
  draw();
  const timer = setInterval(draw, o.intervalMs ?? 1000);
  await o.until;
  clearInterval(timer);
  draw();
  state.stop();
}

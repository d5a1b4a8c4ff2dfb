import { parentPort } from 'node:worker_threads';
import { runBacktest, type BacktestSetup } from './run-backtest.js';

/** A sweep worker: runs the backtests it is sent, one at a time, and answers each with its report. */
parentPort?.on('message', (msg: { index: number; setup: BacktestSetup }) => {
  runBacktest(msg.setup).then(
    (result) => parentPort?.postMessage({ index: msg.index, report: result.report }),
    (err: unknown) => parentPort?.postMessage({ index: msg.index, error: err instanceof Error ? err.message : String(err) }),
  );
});

import { LOG_FORMAT_ENV } from '@perpetua/telemetry';
import { parseArgs } from 'node:util';
import { loadConfig, exitOnConfigError, ConfigError } from '@perpetua/config';
import { PerpetuaConfig } from './perpetua-config.js';
import type { RunSummary } from './commands/start.js';
import { ConfigurationError } from './compose/configuration-error.js';
import { SERVICE_NAMES, isServiceName } from './compose/service-names.js';
import { dashboardBindProblem } from '@perpetua/service-dashboard/bind-check';
import { crashText } from './crash-text.js';

const USAGE = `perpetua — market making and arbitrage for perpetual futures

Usage:
  perpetua start [--duration N] [--json] [--config FILE]
      Every service in one process, in-process bus and memory state, paper trading.
      --duration N  stop after N seconds and print a summary (--json: one JSON object, last line of stdout)
  perpetua mm [--config FILE] [--duration N] [--json] [--tui]
      The configured strategies (strategies: in the config) with their venues' gateways, risk and
      routers in one process: paper unless trading.mode is live, on the simulator unless sim.enabled
      is false. A status line each second; --json: one JSON object with every figure at the end.
  perpetua service <${SERVICE_NAMES.join('|')}> [--venue NAME] [--config FILE]
      One service on NATS_URL (and REDIS_URL for risk and order-router).
  perpetua dashboard [--tui] [--config FILE]
      The web dashboard (http://127.0.0.1:8888 by default; dashboard.host/port/token) on NATS_URL, reading
      positions from REDIS_URL when set; --tui draws the terminal dashboard instead (plain lines when piped).
  perpetua kill --reason TEXT | --reset --reason TEXT | --status
      The kill switch (over NATS_URL): risk halts and stores the halt, every router cancels all
      its orders, nothing is approved until --reset. Prints {"halted":...} as JSON.
  perpetua monitor [--sim] [--interval S] [--min-profit PCT] [--symbols BTC-PERP,ETH-PERP] [--duration N]
      Every venue's bid/ask/spread per symbol, the cross-venue opportunities after fees, and statistics,
      refreshed every 2 s. Watches NATS_URL when set, else runs gateways and the detector itself.
  perpetua test [--sim] [--config FILE]
      Connects to every configured venue: connectivity, latency, auth (balance readable) when keys
      are set, best bid/ask; then the price comparison and pairwise arbitrage. Exit 1 names each
      venue that failed and why.
  perpetua record --out FILE [--venues a,b] [--duration N] [--config FILE]
      Writes the market data (md.book/depth/trade/mark/status) to FILE (.ndjson.gz or .ndjson):
      from NATS when NATS_URL is set, else from gateways it runs itself (on the simulator by default).
  perpetua sim [--seed N] [--host 127.0.0.1] [--admin-port N] [--scenario FILE]
      The venue simulator: every façade on its own loopback port, faults from the scenario
      file and the admin API. The first stdout line is {"event":"ready","admin":URL,"venues":{...}}
      with each venue's URLs and demo credentials.
  perpetua backtest --data FILE | --sim SEED [--hours H] --config FILE [--json] [--report FILE.html] [--sweep GRID]
      Backtest through the strategy runtime, risk rules and fill model (perpetua backtest --help).
  perpetua research avellaneda-stoikov --gamma G [--paths N] [--seed S] [--json]
      The Avellaneda–Stoikov (2008) experiment with this project's pricing functions: the inventory
      strategy against the symmetric one (default 1000 paths); --json: one JSON object, last line.
      with each venue's URLs and demo credentials. Bound to 0.0.0.0 (containers), the services
      reach it by the host name in sim.admin.
  perpetua state rebuild [--config FILE] [--dry-run] [--force] [--allow-truncated] [--funding-since TIME]
      Rebuilds Redis's positions, PnL and fees (REDIS_URL, redis.keyPrefix) from the FILLS stream (NATS_URL),
      booking every fill in stream order; stop risk first. Refuses a store that holds position state unless
      --force (deletes only this prefix's position keys: not the halt, open orders or fences); refuses a
      stream whose byte limit discarded its first fills unless --allow-truncated. --dry-run rebuilds in memory
      and prints what would be written and how it differs from the store. Live trading: --funding-since
      (epoch ms or ISO; first start less the funding look-back) books funding again from every venue's
      history. Prints one JSON object.
  perpetua stack up [--scale gateway.binanceusdm=2] [--dir DIR] | down [--dir DIR] | status [--dir DIR]
      The deployment's topology as local processes on free ports (nats-server, redis-server,
      prometheus, the simulator, every service), for machines without Docker; state in DIR
      (default .perpetua/stack). down stops every process it started.
  perpetua help

Configuration: defaults, then --config FILE (YAML), then PERPETUA_* environment variables
(PERPETUA_RISK__MAX_POSITION=0.5 sets risk.maxPosition), NATS_URL and REDIS_URL.`;

/**
 * Exit codes: 0 ok, 1 runtime failure, 2 bad usage or configuration. Each
 * command's module is loaded when it runs, so a process carries only what its
 * command needs (a quoter does not load ccxt or the simulator).
 */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  if (command === 'backtest') return (await import('./commands/backtest.js')).runBacktestCommand(rest, process.env);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      duration: { type: 'string' },
      json: { type: 'boolean', default: false },
      config: { type: 'string' },
      venue: { type: 'string' },
      seed: { type: 'string' },
      host: { type: 'string' },
      scenario: { type: 'string' },
      out: { type: 'string' },
      reason: { type: 'string' },
      reset: { type: 'boolean', default: false },
      status: { type: 'boolean', default: false },
      sim: { type: 'boolean', default: false },
      interval: { type: 'string' },
      'min-profit': { type: 'string' },
      symbols: { type: 'string' },
      venues: { type: 'string' },
      tui: { type: 'boolean', default: false },
      gamma: { type: 'string' },
      paths: { type: 'string' },
      'admin-port': { type: 'string' },
      scale: { type: 'string', multiple: true },
      dir: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      'allow-truncated': { type: 'boolean', default: false },
      'funding-since': { type: 'string' },
    },
  });
  const env = { ...process.env };
  // The conventional URLs map onto config keys unless the PERPETUA_ form is given.
  if (env.NATS_URL && !env.PERPETUA_NATS__URL) env.PERPETUA_NATS__URL = env.NATS_URL;
  if (env.REDIS_URL && !env.PERPETUA_REDIS__URL) env.PERPETUA_REDIS__URL = env.REDIS_URL;
  // The logger's variable, not a config key: the loader would refuse it as unknown.
  delete env[LOG_FORMAT_ENV];
  const config = loadConfig(PerpetuaConfig, { file: values.config, env });
  // A dashboard on a non-loopback address without a token never starts, before anything else does.
  const servesDashboard = command === 'start' || (command === 'dashboard' && !values.tui) || (command === 'service' && positionals[0] === 'dashboard');
  const bindProblem = servesDashboard ? dashboardBindProblem(config.dashboard) : undefined;
  if (bindProblem !== undefined) throw new ConfigurationError(bindProblem);

  switch (command) {
    case 'start': {
      const durationSec = parseDuration(values.duration);
      const summary = await (await import('./commands/start.js')).runStart({ config, durationSec, json: values.json, configFile: values.config });
      if (values.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
      else process.stdout.write(formatSummary(summary));
      return 0;
    }
    case 'mm': {
      const summary = await (await import('./commands/mm.js')).runMm({ config, durationSec: parseDuration(values.duration), tui: values.tui });
      if (values.json || !values.tui) process.stdout.write(values.json ? `${JSON.stringify(summary)}\n` : `${JSON.stringify(summary, null, 2)}\n`);
      return 0;
    }
    case 'service': {
      const name = positionals[0];
      if (!name || !isServiceName(name)) throw new UsageError(`perpetua service expects one of ${SERVICE_NAMES.join(', ')}; got "${name ?? ''}"`);
      await (await import('./commands/service.js')).runService({ config, name, venue: values.venue, configFile: values.config });
      return 0;
    }
    case 'dashboard': {
      await (await import('./commands/dashboard.js')).runDashboard({ config, tui: values.tui, configFile: values.config, durationSec: parseDuration(values.duration) });
      return 0;
    }
    case 'kill': {
      if (values.reset && values.status) throw new UsageError('perpetua kill: --reset and --status exclude each other');
      const reason = values.reason?.trim();
      if (!values.status && !reason) throw new UsageError('perpetua kill needs --reason TEXT (why trading stops, or why it may resume with --reset)');
      if (reason !== undefined && reason.length > 200) throw new UsageError('perpetua kill: --reason is at most 200 characters');
      const reply = await (await import('./commands/kill.js')).runKill(config, values.status ? { verb: 'status' } : { verb: values.reset ? 'reset' : 'kill', reason: reason! });
      process.stdout.write(`${JSON.stringify(reply)}\n`);
      return 0;
    }
    case 'monitor': {
      const intervalSec = values.interval === undefined ? 2 : Number(values.interval);
      if (!Number.isFinite(intervalSec) || intervalSec < 0.1 || intervalSec > 3600) throw new UsageError(`--interval expects seconds from 0.1 to 3600, got "${values.interval}"`);
      const minProfit = values['min-profit'] === undefined ? undefined : Number(values['min-profit']);
      if (minProfit !== undefined && (!Number.isFinite(minProfit) || minProfit < 0 || minProfit > 10)) throw new UsageError(`--min-profit expects a percentage from 0 to 10, got "${values['min-profit']}"`);
      const symbols = values.symbols ? values.symbols.split(',').map((s) => s.trim()).filter((s) => s !== '') : [];
      await (await import('./commands/monitor.js')).runMonitor({ config, intervalSec, minProfitPct: minProfit, symbols, durationSec: parseDuration(values.duration), sim: values.sim });
      return 0;
    }
    case 'test': {
      const { results, text } = await (await import('./commands/connection-test.js')).runConnectionTest(config, { sim: values.sim, timeoutMs: 15_000 });
      process.stdout.write(text);
      const failed = results.filter((r) => !r.ok);
      for (const f of failed) process.stderr.write(`perpetua test: ${f.venue} failed: ${f.error ?? 'unknown'}\n`);
      return failed.length === 0 ? 0 : 1;
    }
    case 'record': {
      if (!values.out) throw new UsageError('perpetua record needs --out FILE (.ndjson.gz or .ndjson)');
      const durationSec = parseDuration(values.duration);
      const venues = values.venues ? values.venues.split(',').map((v) => v.trim()).filter((v) => v !== '') : [];
      const summary = await (await import('./commands/record.js')).runRecord({ config, out: values.out, venues, durationSec });
      process.stdout.write(`${JSON.stringify(summary)}\n`);
      return 0;
    }
    case 'sim': {
      const seed = values.seed === undefined ? 1 : Number(values.seed);
      if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new UsageError(`--seed expects an integer from 0 to 4294967295, got "${values.seed}"`);
      const adminPort = values['admin-port'] === undefined ? undefined : Number(values['admin-port']);
      if (adminPort !== undefined && (!Number.isInteger(adminPort) || adminPort < 1 || adminPort > 65_535)) throw new UsageError(`--admin-port expects a port from 1 to 65535, got "${values['admin-port']}"`);
      await (await import('./commands/sim.js')).runSim({ seed, host: values.host ?? '127.0.0.1', scenario: values.scenario, adminPort });
      return 0;
    }
    case 'research': {
      if (positionals[0] !== 'avellaneda-stoikov') throw new UsageError(`perpetua research expects avellaneda-stoikov; got "${positionals[0] ?? ''}"`);
      const gamma = Number(values.gamma);
      if (values.gamma === undefined || !Number.isFinite(gamma) || gamma <= 0) throw new UsageError(`--gamma expects a risk aversion > 0, got "${values.gamma ?? ''}"`);
      const paths = values.paths === undefined ? 1000 : Number(values.paths);
      if (!Number.isInteger(paths) || paths < 2 || paths > 1_000_000) throw new UsageError(`--paths expects an integer from 2 to 1000000, got "${values.paths}"`);
      const seed = values.seed === undefined ? 1 : Number(values.seed);
      if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new UsageError(`--seed expects an integer from 0 to 4294967295, got "${values.seed}"`);
      const progress = process.stderr.isTTY ? process.stderr : undefined;
      (await import('./commands/research.js')).runAvellanedaStoikovResearch({ gamma, paths, seed, json: values.json, progress });
      return 0;
    }
    case 'state': {
      if (positionals[0] !== 'rebuild') throw new UsageError(`perpetua state expects rebuild; got "${positionals[0] ?? ''}"`);
      if (values['dry-run'] && values.force) throw new UsageError('perpetua state rebuild: --dry-run writes nothing, so --force has nothing to wipe');
      const { runStateRebuild, StateRebuildRefused } = await import('./commands/state-rebuild.js');
      try {
        const result = await runStateRebuild({
          config,
          dryRun: values['dry-run'],
          force: values.force,
          allowTruncated: values['allow-truncated'],
          fundingSinceMs: parseTime('--funding-since', values['funding-since']),
          progress: (line) => process.stderr.write(`perpetua state rebuild: ${line}\n`),
        });
        process.stdout.write(`${JSON.stringify(result)}\n`);
        return 0;
      } catch (err) {
        if (!(err instanceof StateRebuildRefused)) throw err;
        process.stderr.write(`perpetua state rebuild: ${err.message}\n`);
        return 1;
      }
    }
    case 'stack': {
      const verb = positionals[0];
      if (verb !== 'up' && verb !== 'down' && verb !== 'status') throw new UsageError(`perpetua stack expects up, down or status; got "${verb ?? ''}"`);
      const { runStack, parseScale } = await import('./commands/stack.js');
      let scale;
      try {
        scale = parseScale(values.scale ?? []);
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
      const code = await runStack({ verb, config, scale, dir: values.dir, configFile: values.config });
      return code;
    }
    default:
      throw new UsageError(`unknown command "${command}" (try: perpetua help)`);
  }
}

/** A time as epoch ms or an ISO 8601 date. */
function parseTime(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isSafeInteger(ms) || ms < 0) throw new UsageError(`${flag} expects epoch milliseconds or an ISO 8601 time, got "${text}"`);
  return ms;
}

function parseDuration(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`--duration expects a positive number of seconds, got "${text}"`);
  return seconds;
}

class UsageError extends Error {
  override name = 'UsageError';
}

function formatSummary(s: RunSummary): string {
  return [
    `Summary after ${s.durationSec}s on ${s.venue} ${s.symbol} (paper)`,
    `  quotes placed ${s.quotesPlaced}, cancels ${s.cancels}, rejected ${s.rejected}, risk rejects ${s.riskRejects}`,
    `  fills ${s.fills}, position ${s.position} (signed sum of fills ${s.fillsSignedQty}), avg entry ${s.avgEntry}`,
    `  realized PnL ${s.realizedPnl}, unrealized PnL ${s.unrealizedPnl}, fees ${s.fees}`,
    '',
  ].join('\n');
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ConfigError) exitOnConfigError(err);
    if (err instanceof UsageError || err instanceof ConfigurationError || (err instanceof TypeError && 'code' in err && String((err as { code: unknown }).code).startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`perpetua: ${crashText(err, false)}\n`);
      process.exit(2);
    }
    process.stderr.write(`perpetua: ${crashText(err)}\n`);
    process.exit(1);
  },
);

import { hostname } from 'node:os';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { build as prettyStream } from 'pino-pretty';
import { redactSecretKeys } from './redact-secret-keys.js';
import { hasRegisteredSecrets, maskRegisteredSecrets } from './secret-registry.js';

export type { Logger } from 'pino';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface CreateLoggerOptions {
  /** Service name, written on every line as `service`. */
  service: string;
  /** Minimum level; default 'info'. */
  level?: LogLevel;
  /** Where JSON lines go; default stdout. Tests pass a writable stream to capture them. */
  destination?: DestinationStream;
  /**
   * 'pretty': readable lines (pino-pretty); 'json': one JSON object per line.
   * Default: pretty when the destination is a terminal, JSON otherwise (pipes,
   * files, containers), unless PERPETUA_LOG_FORMAT says json or pretty.
   */
  format?: 'json' | 'pretty';
}

/** The logger's own variable: read here, before any config, so it is not a config key (the config loader skips it). */
export const LOG_FORMAT_ENV = 'PERPETUA_LOG_FORMAT';

/** Readable lines for a person at a terminal; machines (pipes, files, containers) keep JSON. */
function wantsPretty(opts: CreateLoggerOptions): boolean {
  if (opts.format !== undefined) return opts.format === 'pretty';
  const env = process.env[LOG_FORMAT_ENV];
  if (env === 'json' || env === 'pretty') return env === 'pretty';
  const dest = (opts.destination ?? process.stdout) as { isTTY?: boolean };
  return dest.isTTY === true;
}

/**
 * A pino logger writing one JSON object per line, with secrets kept out:
 *  - properties whose key looks secret are replaced by "[redacted]" at any
 *    depth, in the logged object, in %j/%o arguments and in child bindings;
 *  - every value given to registerSecret() is masked wherever it appears in
 *    the finished line (message, error message and stack, nested strings).
 * Errors anywhere in a logged object are written as { type, message, stack, ... }.
 */
export function createLogger(opts: CreateLoggerOptions): Logger {
  const options: LoggerOptions = {
    level: opts.level ?? 'info',
    base: { service: opts.service, pid: process.pid, hostname: hostname() },
    formatters: {
      level: (label) => ({ level: label }),
      bindings: (bindings) => redactSecretKeys(bindings) as Record<string, unknown>,
      log: (obj) => redactSecretKeys(obj) as Record<string, unknown>,
    },
    serializers: {
      // formatters.log already turned errors into plain objects; this only
      // catches an Error that reached pino some other way.
      err: (err: unknown) => (err instanceof Error ? redactSecretKeys(err) : err),
    },
    hooks: {
      logMethod(args, method) {
        // Interpolation arguments ('%j', '%o') end up inside the message
        // string, beyond formatters.log's reach: redact them here.
        const firstArg = typeof args[0] === 'string' ? 0 : 1;
        if (args.length <= firstArg + 1) return method.apply(this, args);
        const safe = args.map((a, i) => (i > firstArg && typeof a === 'object' && a !== null && !(a instanceof Error) ? redactSecretKeys(a) : a));
        return method.apply(this, safe as Parameters<typeof method>);
      },
      streamWrite: (line) => (hasRegisteredSecrets() ? maskRegisteredSecrets(line) : line),
    },
  };
  let destination = opts.destination;
  if (wantsPretty(opts)) {
    // The masking hook runs on the JSON line before pino-pretty formats it, so pretty lines are as clean as JSON ones.
    const fd = destination === process.stderr ? 2 : destination === undefined || destination === process.stdout ? 1 : undefined;
    destination = prettyStream({ ...(fd === undefined ? { destination: destination as NodeJS.WritableStream } : { destination: fd }), sync: true, colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
  }
  const logger = destination ? pino(options, destination) : pino(options);
  guardBindings(logger);
  return logger;
}

/**
 * pino applies formatters.bindings only to the root logger's base bindings,
 * not to child() or setBindings(). Child loggers are created with
 * Object.create(parent), so patching the root once covers every descendant.
 */
function guardBindings(logger: Logger): void {
  const child = logger.child;
  const setBindings = logger.setBindings;
  logger.child = function guardedChild(this: Logger, bindings, options) {
    return child.call(this, redactSecretKeys(bindings) as typeof bindings, options);
  } as typeof logger.child;
  logger.setBindings = function guardedSetBindings(this: Logger, bindings) {
    setBindings.call(this, redactSecretKeys(bindings) as typeof bindings);
  };
}

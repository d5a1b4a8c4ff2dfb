import { resolve } from 'node:path';
import type * as z from 'zod';
import { registerSecret } from '@perpetua/telemetry';
import { ConfigError } from './config-error.js';
import { collectSecretValues } from './config-secrets.js';
import { SourceMap } from './config-source.js';
import { deepMerge } from './deep-merge.js';
import { describeIssue, type IssueLike } from './describe-issue.js';
import { readDotenvFile } from './dotenv-file.js';
import { buildEnvLayer, type EnvValue } from './env-layer.js';
import { buildOverridesLayer } from './overrides-layer.js';
import { problemText, type Problem } from './problem-text.js';
import type { PathSegment } from './schema-shape.js';
import { findUnknownKeys } from './unknown-keys.js';
import { readYamlLayer, yamlLayerOf } from './yaml-layer.js';

export interface LoadConfigOptions {
  /** YAML file; when given it must exist. */
  file?: string | undefined;
  /** The file's text when already read (a check before saving, a test): `file` then only names it in messages. */
  fileText?: string;
  /** Environment to read; default process.env. It wins over the .env file. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Only variables with this prefix are config; default "PERPETUA_". */
  envPrefix?: string;
  /**
   * .env file read with dotenv, under the environment (never overriding it, and
   * never written into process.env). Default ".env" in the working directory,
   * skipped when absent; a path given here must exist; false turns it off.
   */
  dotenv?: string | false;
  /** Applied last, e.g. from CLI flags: nested objects or dotted keys ("risk.maxPosition"). */
  overrides?: Record<string, unknown>;
  /**
   * PREFIX_* variables that name no key of the schema: 'error' (default, so a
   * misspelt PERPETUA_RISK__MAX_POSTION cannot go unnoticed) or 'ignore' (for
   * an environment shared with processes that have other keys).
   */
  unknownEnv?: 'error' | 'ignore';
}

/**
 * Loads configuration in layers, each overriding the one before:
 * schema defaults < YAML file < .env file < environment < overrides,
 * then validates the result with `schema`. Secret values (secret() in the
 * schema, or keys named like apiKey/privateKey/password) are registered with
 * telemetry so no log line shows them. Throws ConfigError, whose message is
 * one line naming the first bad key, its value (masked if secret), where it
 * came from and what was expected.
 */
export function loadConfig<S extends z.ZodType>(schema: S, opts: LoadConfigOptions = {}): z.output<S> {
  const prefix = opts.envPrefix ?? 'PERPETUA_';
  const sources = new SourceMap();
  let input: unknown = {};

  if (opts.file !== undefined) {
    const layer = opts.fileText !== undefined ? yamlLayerOf(schema, opts.file, opts.fileText) : readYamlLayer(schema, opts.file);
    input = layer.data;
    sources.merge(layer.sources);
  }

  const envLayer = buildEnvLayer(schema, input, readEnvVars(opts, prefix), prefix, opts.unknownEnv ?? 'error');
  input = deepMerge(input, envLayer.data);
  sources.merge(envLayer.sources);

  if (opts.overrides !== undefined) {
    const layer = buildOverridesLayer(schema, opts.overrides);
    input = deepMerge(input, layer.data);
    sources.merge(layer.sources);
  }

  // Before validation, so that even a config that fails cannot leak its secrets into logs.
  for (const value of collectSecretValues(schema, input)) registerSecret(value);

  const problems: Problem[] = findUnknownKeys(schema, input).map((u) => ({ kind: 'unknown', ...u }));
  const result = schema.safeParse(input, { error: (issue) => describeIssue(issue as IssueLike) });
  if (!result.success) problems.push(...issueProblems(result.error.issues, problems));

  const lines = envLayer.malformed.map(
    (name) => `env ${name} does not name a config key (expected ${prefix}SECTION__KEY, "__" between levels)`,
  );
  lines.push(...problems.map((p) => problemText(p, { schema, input, sources, envPrefix: prefix })));
  if (lines.length > 0) throw new ConfigError(lines);

  for (const value of collectSecretValues(schema, result.data)) registerSecret(value);
  return result.data as z.output<S>;
}

function readEnvVars(opts: LoadConfigOptions, prefix: string): Map<string, EnvValue> {
  const env = opts.env ?? process.env;
  const vars = new Map<string, EnvValue>();
  if (opts.dotenv !== false) {
    const file = resolve(opts.dotenv ?? '.env');
    const fromFile = readDotenvFile(file, opts.dotenv !== undefined);
    for (const [name, value] of Object.entries(fromFile)) {
      if (name.startsWith(prefix) && env[name] === undefined) vars.set(name, { value, dotenvFile: file });
    }
  }
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith(prefix) && value !== undefined) vars.set(name, { value });
  }
  return vars;
}

/** Zod issues as problems; its unknown-key issues only where findUnknownKeys did not already say so. */
function issueProblems(issues: readonly z.core.$ZodIssue[], already: readonly Problem[]): Problem[] {
  const seen = new Set(already.map((p) => JSON.stringify(p.path)));
  const out: Problem[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((s): s is PathSegment => typeof s !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const keyPath = [...path, key];
        if (!seen.has(JSON.stringify(keyPath))) out.push({ kind: 'unknown', path: keyPath });
      }
    } else {
      out.push({ kind: 'invalid', path, expected: issue.message });
    }
  }
  return out;
}

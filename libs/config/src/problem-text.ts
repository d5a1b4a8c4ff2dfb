import { describeSource, type SourceMap } from './config-source.js';
import { isSecretPath } from './config-secrets.js';
import { getPath } from './deep-merge.js';
import { envVarName, formatPath } from './key-path.js';
import { maskSecretTail } from './mask-secret.js';
import { schemaAt, type PathSegment, type Schema } from './schema-shape.js';

export type Problem =
  | { kind: 'unknown'; path: PathSegment[]; suggestion?: string }
  | { kind: 'invalid'; path: PathSegment[]; expected: string };

export interface ProblemContext {
  schema: Schema;
  input: unknown;
  sources: SourceMap;
  envPrefix: string;
}

/**
 * One problem as one line, without the "config error: " prefix:
 *   risk.maxPosition = "abc" (from env PERPETUA_RISK__MAX_POSITION): expected a number
 *   venues.x.apiKey = "****9f" (from file perpetua.yaml:7): expected at least 32 characters
 *   risk.maxPostion (from file perpetua.yaml:3): unknown key (did you mean maxPosition?)
 *   strategy.id is missing (set it in the config file or env PERPETUA_STRATEGY__ID): expected a string
 */
export function problemText(problem: Problem, ctx: ProblemContext): string {
  const where = formatPath(problem.path);
  const source = ctx.sources.find(problem.path);
  const from = source === undefined ? '' : ` (from ${describeSource(source)})`;
  if (problem.kind === 'unknown') {
    // The value of an unknown key is never shown: it may be a secret under a misspelt name.
    const hint = problem.suggestion === undefined ? '' : ` (did you mean ${problem.suggestion}?)`;
    return `${where}${from}: unknown key${hint}`;
  }
  const value = getPath(ctx.input, problem.path);
  if (value === undefined) {
    const env = envVarName(ctx.envPrefix, problem.path);
    const hint = env === undefined ? ' (set it in the config file)' : ` (set it in the config file or env ${env})`;
    return `${where} is missing${hint}: ${problem.expected}`;
  }
  const secret = isSecretPath(schemaAt(ctx.schema, problem.path).secret, problem.path);
  return `${where} = ${showValue(value, secret)}${from}: ${problem.expected}`;
}

const MAX_SHOWN = 60;

function showValue(value: unknown, secret: boolean): string {
  if (secret) {
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' ? JSON.stringify(maskSecretTail(String(value))) : '"****"';
  }
  if (Array.isArray(value)) return '[...]';
  if (value !== null && typeof value === 'object') return '{...}';
  if (typeof value === 'string') return JSON.stringify(value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN - 3)}...` : value);
  return String(value);
}

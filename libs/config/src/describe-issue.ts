/**
 * Zod error map for config validation: says what was expected, in words a
 * person editing a YAML file or an env var understands ("expected a number
 * >= 0", "expected one of "info", "debug""). A message the schema author wrote
 * (refine, { error }) takes precedence over this map, as zod ranks them.
 * The value itself is never part of the text: the loader shows it (masked
 * when secret) next to the key.
 */
export function describeIssue(issue: IssueLike): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${typeName(String(issue.expected))}`;
    case 'too_small':
      return bound('min', issue);
    case 'too_big':
      return bound('max', issue);
    case 'invalid_value':
      return oneOf(issue.values ?? []);
    case 'invalid_format':
      return format(issue);
    case 'not_multiple_of':
      return `expected a multiple of ${String(issue.divisor)}`;
    case 'unrecognized_keys':
      return 'unknown key';
    case 'invalid_union':
      return union(issue);
    case 'invalid_key':
      return 'expected a valid key';
    case 'invalid_element':
      return 'expected valid entries';
    default:
      return undefined;
  }
}

/** The fields of zod 4 issues this map reads; everything is optional so any issue fits. */
export interface IssueLike {
  code?: string;
  expected?: unknown;
  origin?: unknown;
  minimum?: unknown;
  maximum?: unknown;
  inclusive?: boolean;
  values?: readonly unknown[];
  format?: unknown;
  pattern?: unknown;
  prefix?: unknown;
  suffix?: unknown;
  includes?: unknown;
  divisor?: unknown;
  options?: readonly unknown[];
  discriminator?: unknown;
  errors?: readonly (readonly IssueLike[])[];
  path?: readonly PropertyKey[];
}

const TYPE_NAMES: Record<string, string> = {
  number: 'a number',
  int: 'an integer',
  string: 'a string',
  boolean: 'true or false',
  bigint: 'an integer',
  object: 'a mapping of keys',
  array: 'a list',
  tuple: 'a list',
  record: 'a mapping of keys',
  map: 'a mapping of keys',
  date: 'a date',
  null: 'null',
  undefined: 'no value (remove the key)',
  never: 'no value (remove the key)',
};

function typeName(expected: string): string {
  return TYPE_NAMES[expected] ?? `a ${expected}`;
}

function bound(side: 'min' | 'max', issue: IssueLike): string {
  const limit = String(side === 'min' ? issue.minimum : issue.maximum);
  const inclusive = issue.inclusive !== false;
  const origin = String(issue.origin);
  const atLeast = side === 'min' ? 'at least' : 'at most';
  switch (origin) {
    case 'number':
    case 'int':
    case 'bigint': {
      const op = side === 'min' ? (inclusive ? '>=' : '>') : inclusive ? '<=' : '<';
      return `expected a number ${op} ${limit}`;
    }
    case 'string':
      if (side === 'min' && limit === '1') return 'expected a non-empty string';
      return `expected ${atLeast} ${limit} character${limit === '1' ? '' : 's'}`;
    case 'array':
    case 'set':
      if (side === 'min' && limit === '1') return 'expected a non-empty list';
      return `expected ${atLeast} ${limit} item${limit === '1' ? '' : 's'}`;
    default:
      return `expected ${atLeast} ${limit}`;
  }
}

function oneOf(values: readonly unknown[]): string {
  const shown = values.map(literal);
  return shown.length === 1 ? `expected ${shown[0]}` : `expected one of ${shown.join(', ')}`;
}

function literal(v: unknown): string {
  return typeof v === 'bigint' ? `${v}` : (JSON.stringify(v) ?? String(v));
}

function format(issue: IssueLike): string {
  switch (issue.format) {
    case 'regex':
      return `expected text matching ${String(issue.pattern)}`;
    case 'url':
      return 'expected a URL';
    case 'email':
      return 'expected an email address';
    case 'uuid':
    case 'guid':
      return 'expected a UUID';
    case 'starts_with':
      return `expected text starting with ${literal(issue.prefix)}`;
    case 'ends_with':
      return `expected text ending with ${literal(issue.suffix)}`;
    case 'includes':
      return `expected text containing ${literal(issue.includes)}`;
    default:
      return `expected a valid ${String(issue.format)}`;
  }
}

function union(issue: IssueLike): string {
  if (issue.discriminator !== undefined && issue.options) return oneOf(issue.options);
  // z.union([z.string(), z.number()]) fails with one type error per option: list them.
  const branches = issue.errors ?? [];
  const types = branches.map((b) => (b.length === 1 && b[0]?.code === 'invalid_type' && b[0].path?.length === 0 ? String(b[0].expected) : undefined));
  if (types.length > 0 && types.every((t) => t !== undefined)) {
    return `expected ${[...new Set(types.map((t) => typeName(t as string)))].join(' or ')}`;
  }
  return 'expected one of the allowed forms';
}

import { parse } from 'yaml';

/**
 * Reads an environment variable or CLI flag value the way YAML reads a value,
 * so PERPETUA_X=0.5 is a number, =true a boolean and =[a, b] a list. Text YAML
 * would not keep as written (a comment "#...", an alias "*x", a syntax error)
 * stays the text it was. Only used where the schema does not expect a string:
 * there the text is taken verbatim (an API key "0x12ab..." is not a number).
 */
export function parseScalar(text: string): unknown {
  let value: unknown;
  try {
    value = parse(text, { logLevel: 'silent' });
  } catch {
    return text;
  }
  if ((value === null || value === undefined) && !NULL_WORDS.has(text.trim())) return text;
  return value;
}

const NULL_WORDS = new Set(['null', 'Null', 'NULL', '~']);

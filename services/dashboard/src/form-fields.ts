import type * as z from 'zod';
import { isSecretKey } from '@perpetua/telemetry';

/** One editable field of a config entry, as the Configuration page draws it. */
export interface FormField {
  name: string;
  type: 'string' | 'secret' | 'number' | 'boolean' | 'enum' | 'list';
  required: boolean;
  options?: string[];
  default?: unknown;
}

interface Def {
  type: string;
  innerType?: z.core.$ZodType;
  shape?: Record<string, z.core.$ZodType>;
  options?: readonly z.core.$ZodType[];
  entries?: Record<string, string | number>;
  values?: readonly unknown[];
  defaultValue?: unknown;
}

const def = (s: z.core.$ZodType): Def => s._zod.def as unknown as Def;

/**
 * The fields of each variant of a discriminated union (venue kinds, strategy
 * kinds), read from the zod schemas the services validate with, so the form
 * and the validation cannot drift apart. The discriminator itself is left out.
 */
export function formFieldsByKind(union: z.core.$ZodType, discriminator = 'kind'): Record<string, FormField[]> {
  const out: Record<string, FormField[]> = {};
  for (const option of def(union).options ?? [union]) {
    const shape = def(option).shape ?? {};
    const kindDef = shape[discriminator] ? def(shape[discriminator]) : undefined;
    const kind = String(kindDef?.values?.[0] ?? 'default');
    out[kind] = Object.entries(shape)
      .filter(([name]) => name !== discriminator)
      .map(([name, schema]) => describe(name, schema));
  }
  return out;
}

function describe(name: string, schema: z.core.$ZodType): FormField {
  let s = schema;
  let required = true;
  let dflt: unknown;
  for (;;) {
    const d = def(s);
    if ((d.type === 'optional' || d.type === 'default' || d.type === 'prefault' || d.type === 'nullable') && d.innerType) {
      required = false;
      if (d.type === 'default') dflt = typeof d.defaultValue === 'function' ? (d.defaultValue as () => unknown)() : d.defaultValue;
      s = d.innerType;
      continue;
    }
    break;
  }
  const d = def(s);
  const base = { name, required, ...(dflt === undefined ? {} : { default: dflt }) };
  if (isSecretKey(name)) return { ...base, type: 'secret' };
  if (d.type === 'boolean') return { ...base, type: 'boolean' };
  if (d.type === 'number') return { ...base, type: 'number' };
  if (d.type === 'enum') return { ...base, type: 'enum', options: Object.values(d.entries ?? {}).map(String) };
  if (d.type === 'literal') return { ...base, type: 'enum', options: (d.values ?? []).map(String) };
  if (d.type === 'array') return { ...base, type: 'list' };
  return { ...base, type: 'string' };
}

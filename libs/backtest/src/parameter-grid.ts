/** One parameter's values in a sweep. */
export interface GridAxis {
  key: string;
  values: ReadonlyArray<number | string>;
}

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parses `risk_factor=0.05,0.1,0.5;order_levels=1,3` into axes. Numbers stay
 * numbers, anything else is text; a malformed part is named in the error.
 */
export function parseGrid(text: string): GridAxis[] {
  const axes: GridAxis[] = [];
  for (const part of text.split(';').map((p) => p.trim()).filter((p) => p !== '')) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? '' : part.slice(0, eq).trim();
    if (!KEY.test(key)) throw new Error(`--sweep: "${part}" is not key=v1,v2,...`);
    if (axes.some((a) => a.key === key)) throw new Error(`--sweep: ${key} is given twice`);
    const values = part.slice(eq + 1).split(',').map((v) => v.trim()).filter((v) => v !== '').map((v) => (v !== '' && Number.isFinite(Number(v)) ? Number(v) : v));
    if (values.length === 0) throw new Error(`--sweep: ${key} has no values`);
    axes.push({ key, values });
  }
  if (axes.length === 0) throw new Error('--sweep: no parameters (expected key=v1,v2;key2=...)');
  return axes;
}

/** Every combination, in a fixed order (the first axis varies slowest). */
export function gridCombinations(axes: readonly GridAxis[]): Array<Record<string, number | string>> {
  let out: Array<Record<string, number | string>> = [{}];
  for (const a of axes) out = out.flatMap((c) => a.values.map((v) => ({ ...c, [a.key]: v })));
  return out;
}

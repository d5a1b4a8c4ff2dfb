import { comparePositions, type Position } from './position.js';

/** One field of one position that differs between two sets of positions (undefined: the position is absent). */
export interface PositionFieldDifference {
  venue: string;
  account: string;
  symbol: string;
  field: keyof Position | 'position';
  before: string | number | undefined;
  after: string | number | undefined;
}

const FIELDS = ['qty', 'avgEntry', 'costBasis', 'realizedPnl', 'fees', 'funding', 'fills', 'updatedAt'] as const satisfies readonly (keyof Position)[];

/**
 * Every field by which two sets of positions differ, position by position: what a rebuild would
 * change (its dry run) and what the Redis-wipe test asserts is nothing.
 */
export function positionDifferences(before: readonly Position[], after: readonly Position[]): PositionFieldDifference[] {
  const key = (p: Position) => JSON.stringify([p.venue, p.account, p.symbol]);
  const was = new Map(before.map((p) => [key(p), p]));
  const now = new Map(after.map((p) => [key(p), p]));
  const out: PositionFieldDifference[] = [];
  const all = [...new Map([...was, ...now]).values()].sort(comparePositions);
  for (const p of all) {
    const b = was.get(key(p));
    const a = now.get(key(p));
    const at = { venue: p.venue, account: p.account, symbol: p.symbol };
    if (!b || !a) {
      out.push({ ...at, field: 'position', before: b ? 'present' : undefined, after: a ? 'present' : undefined });
      continue;
    }
    for (const f of FIELDS) if (b[f] !== a[f]) out.push({ ...at, field: f, before: b[f], after: a[f] });
  }
  return out;
}

/**
 * Bybit's linear order, execution and trade ids are UUIDs. The engine's ids are decimal integers below 2^53, so each
 * maps one-to-one onto a UUID whose first group names the kind and whose last 16 hex digits carry the number; the
 * mapping is reversible, so no lookup table is needed.
 */
export type WireIdKind = 'order' | 'rejectedOrder' | 'execution' | 'trade';

const PREFIX: Record<WireIdKind, string> = {
  order: 'a0000001',
  rejectedOrder: 'a0000002',
  execution: 'e0000001',
  trade: 'f0000001',
};

export function toWireId(kind: WireIdKind, id: string | number): string {
  const hex = BigInt(id).toString(16).padStart(16, '0');
  return `${PREFIX[kind]}-0000-4000-${hex.slice(0, 4)}-${hex.slice(4)}`;
}

/** The engine id behind a wire id of `kind`, or undefined when the text is not one. */
export function fromWireId(kind: WireIdKind, wire: string): string | undefined {
  const m = /^([0-9a-f]{8})-0000-4000-([0-9a-f]{4})-([0-9a-f]{12})$/.exec(wire);
  if (!m || m[1] !== PREFIX[kind]) return undefined;
  const n = BigInt(`0x${m[2]}${m[3]}`);
  return n > 0n && n < 2n ** 53n ? n.toString() : undefined;
}

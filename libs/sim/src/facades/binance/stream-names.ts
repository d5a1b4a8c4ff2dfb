/**
 * Binance USDⓈ-M market stream names the façade serves, parsed into a routing key.
 *
 *   <symbol>@depth[@0ms|@100ms|@250ms|@500ms]   diff book (U/u/pu)
 *   <symbol>@depth<5|10|20>[@100ms|@250ms|@500ms] partial book
 *   <symbol>@trade, <symbol>@aggTrade
 *   <symbol>@markPrice[@1s], !markPrice@arr[@1s]
 *   <symbol>@bookTicker, !bookTicker
 *
 * Symbols are lower case, as Binance requires. The diff stream is pushed as the engine
 * changes the book (coalesced per event-loop turn) whatever rate suffix is asked for.
 */
export type StreamKind =
  | { kind: 'depth' }
  | { kind: 'partialDepth'; levels: 5 | 10 | 20 }
  | { kind: 'trade' }
  | { kind: 'aggTrade' }
  | { kind: 'markPrice'; everyMs: 1000 | 3000 }
  | { kind: 'bookTicker' };

export interface ParsedStream {
  /** Upper-case Binance symbol, or '*' for the all-market streams. */
  venueSymbol: string;
  stream: StreamKind;
  /** Routing key shared by every name that carries the same payloads. */
  key: string;
}

const SYMBOL = '([a-z0-9]{1,20})';
const RATE = '(?:@(?:0ms|100ms|250ms|500ms))?';
const PATTERNS: Array<[RegExp, (m: RegExpExecArray) => Omit<ParsedStream, 'key'>]> = [
  [new RegExp(`^${SYMBOL}@depth${RATE}$`), (m) => ({ venueSymbol: up(m[1]), stream: { kind: 'depth' } })],
  [
    new RegExp(`^${SYMBOL}@depth(5|10|20)${RATE}$`),
    (m) => ({ venueSymbol: up(m[1]), stream: { kind: 'partialDepth', levels: Number(m[2]) as 5 | 10 | 20 } }),
  ],
  [new RegExp(`^${SYMBOL}@trade$`), (m) => ({ venueSymbol: up(m[1]), stream: { kind: 'trade' } })],
  [new RegExp(`^${SYMBOL}@aggTrade$`), (m) => ({ venueSymbol: up(m[1]), stream: { kind: 'aggTrade' } })],
  [
    new RegExp(`^${SYMBOL}@markPrice(@1s)?$`),
    (m) => ({ venueSymbol: up(m[1]), stream: { kind: 'markPrice', everyMs: m[2] ? 1000 : 3000 } }),
  ],
  [/^!markPrice@arr(@1s)?$/, (m) => ({ venueSymbol: '*', stream: { kind: 'markPrice', everyMs: m[1] ? 1000 : 3000 } })],
  [new RegExp(`^${SYMBOL}@bookTicker$`), (m) => ({ venueSymbol: up(m[1]), stream: { kind: 'bookTicker' } })],
  [/^!bookTicker$/, () => ({ venueSymbol: '*', stream: { kind: 'bookTicker' } })],
];

function up(s: string | undefined): string {
  return (s ?? '').toUpperCase();
}

export function streamKey(venueSymbol: string, stream: StreamKind): string {
  switch (stream.kind) {
    case 'partialDepth':
      return `${venueSymbol}|depth${stream.levels}`;
    case 'markPrice':
      return `${venueSymbol}|markPrice${stream.everyMs}`;
    default:
      return `${venueSymbol}|${stream.kind}`;
  }
}

export function parseStreamName(name: string): ParsedStream | undefined {
  for (const [re, build] of PATTERNS) {
    const m = re.exec(name);
    if (m) {
      const p = build(m);
      return { ...p, key: streamKey(p.venueSymbol, p.stream) };
    }
  }
  return undefined;
}

/**
 * GRVT WS stream selectors (from the docs' feed-selector schemas):
 * - v1.book.s   `instrument@rate-depth`   rate 500|1000, depth 10|50|100|500
 * - v1.book.d   `instrument@rate`         rate 50|100|500|1000 (depth, if given, must be 0 = unlimited)
 * - v1.trade    `instrument@limit`        limit 50|200|500|1000
 * - v1.mini.s   `instrument@rate`         rate 200|500|1000|5000
 * - v1.ticker.s `instrument@rate`         rate 500|1000|5000
 * - v1.order / v1.state / v1.fill / v1.position (trades host): `sub_account_id` or `sub_account_id-instrument`.
 */
import { GrvtApiError } from './errors.js';

export type PublicStream = 'v1.book.s' | 'v1.book.d' | 'v1.trade' | 'v1.mini.s' | 'v1.ticker.s';
export type PrivateStream = 'v1.order' | 'v1.state' | 'v1.fill' | 'v1.position';

export interface PublicSelector {
  kind: 'public';
  stream: PublicStream;
  instrument: string;
  /** Publishing interval in ms (book/mini/ticker), or the trade stream's limit. */
  rate: number;
  /** Book depth: 0 = unlimited. */
  depth: number;
}

export interface PrivateSelector {
  kind: 'private';
  stream: PrivateStream;
  subAccountId: string;
  /** undefined = all instruments. */
  instrument?: string;
}

export type ParsedSelector = PublicSelector | PrivateSelector;

const RATES: Record<PublicStream, readonly number[]> = {
  'v1.book.s': [500, 1000],
  'v1.book.d': [50, 100, 500, 1000],
  'v1.trade': [50, 200, 500, 1000],
  'v1.mini.s': [200, 500, 1000, 5000],
  'v1.ticker.s': [500, 1000, 5000],
};
const SNAPSHOT_DEPTHS = [10, 50, 100, 500];

export const PUBLIC_STREAMS = Object.keys(RATES) as PublicStream[];
export const PRIVATE_STREAMS: readonly PrivateStream[] = ['v1.order', 'v1.state', 'v1.fill', 'v1.position'];

const isPublic = (s: string): s is PublicStream => (PUBLIC_STREAMS as string[]).includes(s);
const isPrivate = (s: string): s is PrivateStream => (PRIVATE_STREAMS as readonly string[]).includes(s);

const toInt = (text: string | undefined): number | undefined =>
  text !== undefined && /^\d{1,6}$/.test(text) ? Number(text) : undefined;

/**
 * Parses one selector of `stream` as served on `host`. `knownInstrument` says whether a GRVT instrument name is
 * listed. Throws GrvtApiError with GRVT's feed error codes.
 */
export function parseSelector(
  host: 'market-data' | 'trades',
  stream: string,
  selector: string,
  knownInstrument: (name: string) => boolean,
): ParsedSelector {
  if (host === 'market-data' && isPublic(stream)) {
    const parts = selector.split('@');
    if (parts.length !== 2) throw new GrvtApiError('FEED_FORMAT', selector);
    const [instrument = '', secondary = ''] = parts;
    if (!knownInstrument(instrument)) throw new GrvtApiError('INSTRUMENT_INVALID', instrument);
    const sec = secondary.split('-');
    if (sec.length > 2) throw new GrvtApiError('SECONDARY_SELECTORS', selector);
    const rate = toInt(sec[0]);
    if (rate === undefined || !RATES[stream].includes(rate)) throw new GrvtApiError('FEED_RATE', selector);
    let depth = 0;
    if (stream === 'v1.book.s') {
      const d = toInt(sec[1]);
      if (d === undefined || !SNAPSHOT_DEPTHS.includes(d)) throw new GrvtApiError('DEPTH_INVALID', selector);
      depth = d;
    } else if (sec.length === 2) {
      if (stream !== 'v1.book.d' || toInt(sec[1]) !== 0) throw new GrvtApiError('SECONDARY_SELECTORS', selector);
    }
    return { kind: 'public', stream, instrument, rate, depth };
  }
  if (host === 'trades' && isPrivate(stream)) {
    const dash = selector.indexOf('-');
    const subAccountId = dash < 0 ? selector : selector.slice(0, dash);
    const instrument = dash < 0 ? undefined : selector.slice(dash + 1);
    if (!/^\d{1,20}$/.test(subAccountId)) throw new GrvtApiError('FEED_FORMAT', selector);
    if (instrument !== undefined && !knownInstrument(instrument)) throw new GrvtApiError('INSTRUMENT_INVALID', instrument);
    return instrument === undefined
      ? { kind: 'private', stream, subAccountId }
      : { kind: 'private', stream, subAccountId, instrument };
  }
  throw new GrvtApiError('NOT_FOUND', `unknown stream ${stream} on ${host}`);
}

import type { Exchange } from 'ccxt';
import { ccxtErrors } from './ccxt-modules.js';
import { describeError } from './ccxt-trading-errors.js';

const { InvalidNonce } = ccxtErrors;

/** How long a measured offset is trusted before the next request measures it again (on the adapter's clock). */
export const CLOCK_OFFSET_REFRESH_MS = 60_000;

type Send = Exchange['request'];

/**
 * The venue's clock against ours, for the timestamps ccxt signs requests with: Binance and Bybit refuse a request
 * more than 1 s in their future, so a venue clock behind ours would refuse every signed request, the kill switch's
 * cancel-all included. ccxt signs with its clock minus options.timeDifference (Binance, Bybit, OKX); this measures
 * that offset from the venue's time endpoint (ccxt's loadTimeDifference) and sets it on every instance of an
 * adapter. It is measured after connecting, again by the first request once CLOCK_OFFSET_REFRESH_MS have passed
 * (in the background: one measurement in flight at most, none while nothing is sent), and at once when the venue
 * refuses a request for its timestamp (ccxt's InvalidNonce: Binance -1021, Bybit 10002, OKX 50102), which is then
 * sent once more, signed anew. ccxt's own adjustForTimeDifference is left off: it measures inside loadMarkets and
 * fails the whole connect when the time endpoint does; here a failed measurement keeps the last offset.
 */
export class CcxtClockOffset {
  private readonly instances: Exchange[] = [];
  private inFlight: Promise<void> | undefined;
  private measuredAt: number | undefined;
  private offset: number | undefined;

  constructor(
    private readonly now: () => number,
    private readonly onFailure: (detail: string) => void,
  ) {}

  /** Whether ccxt can measure this venue's clock (a time endpoint). */
  static supported(ex: Exchange): boolean {
    return ex.has['fetchTime'] === true;
  }

  /** Measures through `via` (joining a measurement in flight) and sets the offset on every instance; never throws. */
  measure(via: Exchange): Promise<void> {
    this.measuredAt = this.now();
    this.inFlight ??= (async () => {
      try {
        const diff: unknown = await via.loadTimeDifference();
        if (typeof diff === 'number' && Number.isFinite(diff)) {
          this.offset = diff;
          for (const ex of this.instances) ex.options['timeDifference'] = diff;
        }
      } catch (err) {
        this.onFailure(describeError(err));
      } finally {
        this.inFlight = undefined;
      }
    })();
    return this.inFlight;
  }

  /**
   * Gives `ex` the offset (the last measured, and every later one) and routes its REST requests through it: a due
   * refresh starts through `refreshVia`, and a request refused for its timestamp is measured through `ex` itself (an
   * order action's own queue) and sent once more.
   */
  install(ex: Exchange, refreshVia: Exchange): void {
    this.instances.push(ex);
    if (this.offset !== undefined) ex.options['timeDifference'] = this.offset;
    const send: Send = ex.request.bind(ex);
    ex.request = async (...args: Parameters<Send>) => {
      if (this.measuredAt === undefined || this.now() - this.measuredAt >= CLOCK_OFFSET_REFRESH_MS) void this.measure(refreshVia);
      try {
        return await send(...args);
      } catch (err) {
        if (!(err instanceof InvalidNonce)) throw err;
        await this.measure(ex);
        return await send(...args);
      }
    };
  }
}

import { CcxtTrading } from '../ccxt/ccxt-trading.js';
import { TokenBucket } from '../connection/token-bucket.js';
import { GrvtTrading } from '../grvt/grvt-trading.js';
import { StandxTrading } from '../standx/standx-trading.js';
import type { TradingAdapter } from '../venue-adapter.js';
import type { VenueConfig } from './venue-config.js';

/** A live venue that lacks what trading needs: says which keys, by their environment names. */
export class MissingCredentialsError extends Error {
  override name = 'MissingCredentialsError';
  constructor(venue: string, keys: string[]) {
    const env = keys.map((k) => `PERPETUA_VENUES__${venue.toUpperCase().replace(/-/g, '_')}__${k.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`);
    super(`venues.${venue}: live trading needs ${keys.join(', ')} (set ${env.join(', ')})`);
  }
}

function need<K extends string>(venue: string, values: Record<K, string | undefined>): Record<K, string> {
  const missing = Object.entries(values).filter(([, v]) => v === undefined || v === '').map(([k]) => k);
  if (missing.length > 0) throw new MissingCredentialsError(venue, missing);
  return values as Record<K, string>;
}

/** What an adapter tells its host for metrics and logs (wired where the adapter supports it). */
export interface TradingAdapterHooks {
  /** A venue record the adapter could not read or had to repair; called once per kind (count it, log it). */
  onInvalid?(kind: string, detail: string): void;
  /** A call or a connection waited for the venue's published limits. */
  onLimitWait?(limit: string): void;
}

/**
 * The trading adapter for one configured venue account: adding a venue kind is
 * one case here. Each adapter's REST calls share one token bucket set below the
 * venue's documented limit.
 */
export function createTrading(venue: string, account: string, c: VenueConfig, hooks: TradingAdapterHooks = {}): TradingAdapter {
  switch (c.kind) {
    case 'ccxt': {
      const { apiKey, secret } = need(venue, { apiKey: c.apiKey, secret: c.secret });
      return new CcxtTrading({
        venue,
        account,
        settle: c.settle,
        connection: { exchangeId: c.exchange, apiKey, secret, password: c.password, testnet: c.testnet, enableRateLimit: c.enableRateLimit, restBaseUrl: c.restBaseUrl, wsBaseUrl: c.wsBaseUrl },
      });
    }
    case 'standx': {
      const { token, privateKey } = need(venue, { token: c.token, privateKey: c.privateKey });
      // 15 requests/s, burst 15: inside StandX's 45 credits a request against 1,000/s and 900 burst (~22/s, 20 at once).
      return new StandxTrading({
        venue,
        account,
        restBaseUrl: c.restBaseUrl,
        wsUrl: c.wsUrl,
        orderWsUrl: c.orderWsUrl,
        token,
        privateKey,
        makerFee: c.makerFee,
        takerFee: c.takerFee,
        rateLimiter: new TokenBucket({ ratePerSec: 15, burst: 15 }),
        onInvalid: hooks.onInvalid,
        onLimitWait: hooks.onLimitWait,
      });
    }
    case 'grvt': {
      const creds = need(venue, { apiKey: c.apiKey, signerPrivateKey: c.signerPrivateKey, subAccountId: c.subAccountId });
      return new GrvtTrading({
        venue,
        account,
        env: c.env,
        edgeUrl: c.edgeUrl,
        tradesUrl: c.tradesUrl,
        tradesWsUrl: c.tradesWsUrl,
        marketDataUrl: c.marketDataUrl,
        apiKey: creds.apiKey,
        signerPrivateKey: creds.signerPrivateKey as `0x${string}`, // the config schema checked the 0x-hex form
        subAccountId: creds.subAccountId,
        makerFee: c.makerFee,
        takerFee: c.takerFee,
        cancelOnDisconnectMs: c.cancelOnDisconnectMs,
        rateLimiter: new TokenBucket({ ratePerSec: 15, burst: 15 }),
      });
    }
    case 'paper':
      throw new Error(`venues.${venue}: a paper venue has no live trading; use trading.mode: paper`);
  }
}

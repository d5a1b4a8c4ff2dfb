import type { SimReady, SimVenueDescriptor } from '@perpetua/sim/ready';
import type { VenueConfig } from '@perpetua/venues/config';
import { ConfigurationError } from './configuration-error.js';

/** The simulator's façade for a configured venue: ccxt venues by exchange id, native ones by kind. */
function simVenueFor(name: string, c: VenueConfig): string | undefined {
  switch (c.kind) {
    case 'ccxt':
      return c.exchange;
    case 'standx':
    case 'grvt':
      return c.kind;
    case 'paper':
      return undefined;
  }
}

const origin = (url: string): string => new URL(url).origin.replace(/^http/, 'ws');

/** The same venue, pointed at the simulator's façade and its demo credentials (keys given in config win). */
function bind(name: string, c: VenueConfig, d: SimVenueDescriptor): VenueConfig {
  if (c.kind === 'ccxt' && (d.protocol === 'binanceusdm' || d.protocol === 'bybit'))
    return {
      ...c,
      restBaseUrl: d.rest,
      wsBaseUrl: origin(d.protocol === 'binanceusdm' ? d.ws : d.publicWs),
      apiKey: c.apiKey ?? d.credentials.apiKey,
      secret: c.secret ?? d.credentials.secret,
    };
  if (c.kind === 'ccxt' && d.protocol === 'okx')
    return {
      ...c,
      restBaseUrl: d.rest,
      wsBaseUrl: d.ws,
      apiKey: c.apiKey ?? d.credentials.apiKey,
      secret: c.secret ?? d.credentials.secret,
      password: c.password ?? d.credentials.password,
    };
  if (c.kind === 'standx' && d.protocol === 'standx')
    return { ...c, restBaseUrl: d.rest, wsUrl: d.ws, ...(d.orderWs ? { orderWsUrl: d.orderWs } : {}), token: c.token ?? d.credentials.token, privateKey: c.privateKey ?? d.credentials.privateKey };
  if (c.kind === 'grvt' && d.protocol === 'grvt')
    return {
      ...c,
      env: 'testnet',
      edgeUrl: d.edge,
      marketDataUrl: d.marketData,
      tradesUrl: d.trades,
      marketDataWsUrl: d.marketDataWs,
      tradesWsUrl: d.tradesWs,
      apiKey: c.apiKey ?? d.credentials.apiKey,
      signerPrivateKey: c.signerPrivateKey ?? d.credentials.signerPrivateKey,
      subAccountId: c.subAccountId ?? d.credentials.subAccountId,
    };
  throw new ConfigurationError(`venues.${name}: the simulator's ${d.protocol} façade cannot serve a ${c.kind} venue`);
}

/**
 * Every configured venue pointed at the simulator: ccxt venues by exchange id,
 * StandX and GRVT by kind; paper venues need no simulator. A venue the
 * simulator does not serve is a configuration error that names it.
 */
export function bindVenuesToSimulator(venues: Readonly<Record<string, VenueConfig>>, ready: SimReady): Record<string, VenueConfig> {
  const out: Record<string, VenueConfig> = {};
  for (const [name, c] of Object.entries(venues)) {
    const simVenue = simVenueFor(name, c);
    if (simVenue === undefined) {
      out[name] = c;
      continue;
    }
    const d = ready.venues[simVenue];
    if (!d)
      throw new ConfigurationError(
        `venues.${name}: the simulator has no ${simVenue} venue (it serves ${Object.keys(ready.venues).join(', ')}); set sim.enabled: false to reach the real venue`,
      );
    out[name] = bind(name, c, d);
  }
  return out;
}

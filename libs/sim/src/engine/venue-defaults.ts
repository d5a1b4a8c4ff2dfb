import type { SimInstrumentSpec, SimVenueConfig } from './types.js';

/**
 * Instrument conventions of the standard simulated venues, close to the real ones (tick / lot / min size /
 * fees) so a strategy's snapping and sizing meet realistic constraints. Assets without an entry get GENERIC_SPEC.
 */
export const DEFAULT_VENUES: Readonly<Record<string, SimVenueConfig>> = {
  binanceusdm: {
    name: 'binanceusdm',
    quote: 'USDT',
    postOnlyMode: 'reject',
    stpMode: 'expire_taker',
    makerFee: '0.0002',
    takerFee: '0.0005',
    instruments: {
      BTC: { tickSize: '0.1', lotSize: '0.001', minQty: '0.001', minNotional: '100', maxLeverage: 125 },
      ETH: { tickSize: '0.01', lotSize: '0.001', minQty: '0.001', minNotional: '20', maxLeverage: 100 },
    },
    basisBps: 0,
    lagMs: 0,
    noiseBps: 0.5,
    fundingIntervalMs: 8 * 3600_000,
    amendKeepsPriorityOnQtyDecrease: false,
    amendFailureCancels: true,
  },
  bybit: {
    name: 'bybit',
    quote: 'USDT',
    postOnlyMode: 'reject',
    stpMode: 'expire_taker',
    makerFee: '0.0002',
    takerFee: '0.00055',
    instruments: {
      BTC: { tickSize: '0.1', lotSize: '0.001', minQty: '0.001', minNotional: '5', maxLeverage: 100 },
      ETH: { tickSize: '0.01', lotSize: '0.01', minQty: '0.01', minNotional: '5', maxLeverage: 100 },
    },
    basisBps: 0.5,
    lagMs: 100,
    noiseBps: 0.8,
    fundingIntervalMs: 8 * 3600_000,
    // Bybit: "Increasing qty loses queue position; decreasing it does not". Its v5 docs do not say what a failed
    // linear amend does to the order, so the conservative reading: the amend is refused and the order stays.
    amendKeepsPriorityOnQtyDecrease: true,
    amendFailureCancels: false,
  },
  okx: {
    name: 'okx',
    quote: 'USDT',
    postOnlyMode: 'reject',
    stpMode: 'expire_taker',
    makerFee: '0.0002',
    takerFee: '0.0005',
    // OKX swaps trade in contracts (BTC-USDT-SWAP: 0.01 BTC, lot 0.01 contract); the engine keeps base units, so
    // its lot is the contract step in BTC. The façade converts (facades/okx/okx-instruments.ts).
    instruments: {
      BTC: { tickSize: '0.1', lotSize: '0.0001', minQty: '0.0001', maxLeverage: 100 },
      ETH: { tickSize: '0.01', lotSize: '0.001', minQty: '0.001', maxLeverage: 100 },
    },
    basisBps: -0.5,
    lagMs: 150,
    noiseBps: 1,
    fundingIntervalMs: 8 * 3600_000,
    amendKeepsPriorityOnQtyDecrease: false,
    amendFailureCancels: false,
  },
  standx: {
    name: 'standx',
    quote: 'DUSD',
    postOnlyMode: 'reject',
    stpMode: 'expire_taker',
    makerFee: '0.0001',
    takerFee: '0.0004',
    instruments: {
      BTC: { tickSize: '0.01', lotSize: '0.0001', minQty: '0.0001', maxLeverage: 40 },
      ETH: { tickSize: '0.01', lotSize: '0.001', minQty: '0.001', maxLeverage: 40 },
    },
    basisBps: -1,
    lagMs: 300,
    noiseBps: 1.5,
    fundingIntervalMs: 3600_000,
  },
  grvt: {
    name: 'grvt',
    quote: 'USDT',
    postOnlyMode: 'reject',
    stpMode: 'expire_taker',
    makerFee: '-0.00001',
    takerFee: '0.00045',
    instruments: {
      BTC: { tickSize: '0.1', lotSize: '0.001', minQty: '0.001', maxLeverage: 50 },
      ETH: { tickSize: '0.01', lotSize: '0.01', minQty: '0.01', maxLeverage: 50 },
    },
    basisBps: 1,
    lagMs: 200,
    noiseBps: 1.2,
    fundingIntervalMs: 8 * 3600_000,
  },
};

export const GENERIC_SPEC: SimInstrumentSpec = { tickSize: '0.01', lotSize: '0.001', minQty: '0.001', maxLeverage: 20 };

/** A full venue config: the named default (or a generic one) overridden by `partial`. */
export function venueConfig(partial: Partial<SimVenueConfig> & { name: string }): SimVenueConfig {
  const base: SimVenueConfig = DEFAULT_VENUES[partial.name] ?? {
    name: partial.name,
    quote: 'USDT',
    postOnlyMode: 'reject',
    stpMode: 'expire_taker',
    makerFee: '0.0002',
    takerFee: '0.0005',
    instruments: {},
    basisBps: 0,
    lagMs: 0,
    noiseBps: 1,
    fundingIntervalMs: 8 * 3600_000,
  };
  return { ...base, ...partial, instruments: { ...base.instruments, ...(partial.instruments ?? {}) } };
}

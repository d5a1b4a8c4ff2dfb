import type { SimVenueConfig } from './types.js';
import type { EngineAccount } from './engine-account.js';
import type { EngineOrder } from './engine-order.js';
import { newSymbolState, type SymbolState } from './symbol-state.js';
import { SimError } from './sim-error.js';

/**
 * What every concern of one venue's engine shares: its config and clock, its symbols, its accounts and its id
 * sequences. Plain state: the concerns (order entry, matching, positions, margin, funding, event fan-out) act on it.
 */
export class VenueState {
  readonly name: string;
  readonly symbols = new Map<string, SymbolState>();
  readonly accounts = new Map<string, EngineAccount<EngineOrder>>();
  orderSeq = 0;
  fillSeq = 0;
  fundingSeq = 0;

  constructor(
    readonly config: Readonly<SimVenueConfig>,
    assets: readonly string[],
    readonly clock: () => number,
  ) {
    this.name = config.name;
    const now = clock();
    for (const asset of assets) {
      const s = newSymbolState(config, asset, now);
      this.symbols.set(s.rt.info.symbol, s);
    }
  }

  /** A symbol's state; throws a SimError for an unknown symbol. */
  sym(symbol: string): SymbolState {
    const s = this.symbols.get(symbol);
    if (!s) throw new SimError(`${this.name}: unknown symbol ${String(symbol)}`);
    return s;
  }
}

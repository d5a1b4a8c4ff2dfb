import type { SimWorld } from '../engine/types.js';
import { startBinanceFacade } from '../facades/binance/index.js';
import { startStandxFacade } from '../facades/standx/index.js';
import type { SimVenueDescriptor } from './sim-ready.js';

/** A façade serving one venue of the world, as the simulator holds it. */
export interface RunningFacade {
  venue: string;
  descriptor: SimVenueDescriptor;
  close(): Promise<void>;
}

type FacadeStarter = (world: SimWorld, host: string) => Promise<RunningFacade>;

/** One line per venue protocol: adding a façade to the simulator is adding it here. */
export const FACADE_STARTERS: Readonly<Record<string, FacadeStarter>> = {
  binanceusdm: async (world, host) => {
    const f = await startBinanceFacade({ world, host });
    return {
      venue: 'binanceusdm',
      descriptor: { protocol: 'binanceusdm', rest: f.restUrl, ws: f.wsUrl, credentials: { ...f.credentials, accountId: f.accountId } },
      close: () => f.close(),
    };
  },
  standx: async (world, host) => {
    const f = await startStandxFacade({ world, host });
    return { venue: 'standx', descriptor: { protocol: 'standx', rest: f.restUrl, ws: f.wsUrl, credentials: f.credentials }, close: () => f.close() };
  },
};

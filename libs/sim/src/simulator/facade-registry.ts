import type { SimWorld } from '../engine/types.js';
import { startBinanceFacade } from '../facades/binance/index.js';
import { startBybitFacade } from '../facades/bybit/index.js';
import { startGrvtFacade } from '../facades/grvt/index.js';
import { startOkxFacade } from '../facades/okx/index.js';
import { StandxDialect, startStandxFacade, type IpConnectionStats } from '../facades/standx/index.js';
import { systemClock, type FaultInjector } from '../faults/index.js';
import { GrvtDialect } from '../facades/grvt/grvt-dialect.js';
import type { SimVenueDescriptor } from './sim-ready.js';

/** A façade serving one venue of the world, as the simulator holds it. */
export interface RunningFacade {
  venue: string;
  descriptor: SimVenueDescriptor;
  /** Routes this façade's traffic through the injector's faults. */
  attachFaults(injector: FaultInjector): void;
  /** Venues with open questions in their docs (simulator/dialects.ts): the dialect played now, and the switch. */
  dialect?: { get(): unknown; set(input: unknown): unknown };
  /** WebSocket connections per client IP, where the façade counts them (StandX's per-IP limits). */
  connectionStats?(): Record<string, IpConnectionStats>;
  close(): Promise<void>;
}

export interface FacadeStartOptions {
  /** The venue's dialect, already validated by its schema (simulator/dialects.ts). */
  dialect?: unknown;
}

type FacadeStarter = (world: SimWorld, host: string, opts?: FacadeStartOptions) => Promise<RunningFacade>;

/**
 * A façade's server clock: the fault module's system clock until faults are attached (the injector's own default,
 * so attaching one without a skew changes nothing), then the injector's server time for the venue (its clock_skew faults).
 */
class VenueServerClock {
  private injector: FaultInjector | undefined;

  constructor(private readonly venue: string) {}

  readonly now = (): number => (this.injector ? this.injector.serverTime(this.venue) : systemClock.now());

  follow(injector: FaultInjector): void {
    this.injector = injector;
  }
}

/** One line per venue protocol: adding a façade to the simulator is adding it here. */
export const FACADE_STARTERS: Readonly<Record<string, FacadeStarter>> = {
  binanceusdm: async (world, host) => {
    const clock = new VenueServerClock('binanceusdm');
    const f = await startBinanceFacade({ world, host, serverClock: clock.now });
    return {
      venue: 'binanceusdm',
      descriptor: { protocol: 'binanceusdm', rest: f.restUrl, ws: f.wsUrl, credentials: { ...f.credentials, accountId: f.accountId } },
      attachFaults: (injector) => {
        injector.attachBinance(f);
        clock.follow(injector);
      },
      close: () => f.close(),
    };
  },
  bybit: async (world, host) => {
    const clock = new VenueServerClock('bybit');
    const f = await startBybitFacade({ world, host, serverClock: clock.now });
    return {
      venue: 'bybit',
      descriptor: { protocol: 'bybit', rest: f.restUrl, publicWs: f.publicWsUrl, privateWs: f.privateWsUrl, credentials: { ...f.credentials, accountId: f.accountId } },
      attachFaults: (injector) => {
        injector.attachBybit(f);
        clock.follow(injector);
      },
      close: () => f.close(),
    };
  },
  okx: async (world, host) => {
    const clock = new VenueServerClock('okx');
    const f = await startOkxFacade({ world, host, serverClock: clock.now });
    return {
      venue: 'okx',
      descriptor: { protocol: 'okx', rest: f.restUrl, ws: f.wsUrl, credentials: { ...f.credentials, accountId: f.accountId } },
      attachFaults: (injector) => {
        injector.attachOkx(f);
        clock.follow(injector);
      },
      close: () => f.close(),
    };
  },
  standx: async (world, host, opts) => {
    const f = await startStandxFacade({ world, host, dialect: opts?.dialect === undefined ? undefined : StandxDialect.parse(opts.dialect) });
    return {
      venue: 'standx',
      descriptor: { protocol: 'standx', rest: f.restUrl, ws: f.wsUrl, orderWs: f.orderWsUrl, credentials: f.credentials },
      attachFaults: (injector) => injector.attachStandx(f),
      dialect: { get: () => f.dialect, set: (input) => f.setDialect(input) },
      connectionStats: () => f.connectionStats(),
      close: () => f.close(),
    };
  },
  grvt: async (world, host, opts) => {
    const f = await startGrvtFacade({ world, host, ...(opts?.dialect === undefined ? {} : { dialect: GrvtDialect.parse(opts.dialect) }) });
    return {
      venue: 'grvt',
      descriptor: {
        protocol: 'grvt',
        edge: f.edgeUrl,
        marketData: f.marketDataUrl,
        trades: f.tradesUrl,
        marketDataWs: f.marketDataWsUrl,
        tradesWs: f.tradesWsUrl,
        chainId: f.chainId,
        credentials: f.credentials,
      },
      attachFaults: (injector) => injector.attachGrvt(f),
      dialect: {
        get: () => f.dialect(),
        set: (input) => {
          f.setDialect(GrvtDialect.parse(input));
          return f.dialect();
        },
      },
      close: () => f.close(),
    };
  },
};

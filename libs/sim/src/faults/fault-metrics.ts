/**
 * The simulator's own Prometheus metrics for fault injection, on a registry of its own (never prom-client's global
 * one): how many faults were injected, how many are active now, and how many messages/requests they affected.
 */
import { Counter, Gauge, Registry } from 'prom-client';

export interface ActiveFaultCount {
  venue: string;
  kind: string;
  count: number;
}

export class SimFaultMetrics {
  readonly registry: Registry;
  private readonly injected: Counter<'venue' | 'kind'>;
  private readonly effects: Counter<'venue' | 'kind'>;
  private readonly active: Gauge<'venue' | 'kind'>;
  private activeSource: () => ActiveFaultCount[] = () => [];

  constructor(registry: Registry = new Registry()) {
    this.registry = registry;
    this.injected = new Counter({
      name: 'perpetua_sim_faults_injected_total',
      help: 'Faults injected into the simulator, by venue and kind.',
      labelNames: ['venue', 'kind'],
      registers: [registry],
    });
    const source = (): ActiveFaultCount[] => this.activeSource();
    this.active = new Gauge({
      name: 'perpetua_sim_faults_active',
      help: 'Faults currently active in the simulator, by venue and kind.',
      labelNames: ['venue', 'kind'],
      registers: [registry],
      // Read from the injector at scrape time, so the gauge can never drift from the real set.
      collect() {
        this.reset();
        for (const a of source()) this.set({ venue: a.venue, kind: a.kind }, a.count);
      },
    });
    this.effects = new Counter({
      name: 'perpetua_sim_fault_effects_total',
      help: 'Messages, requests or connections affected by injected faults, by venue and kind.',
      labelNames: ['venue', 'kind'],
      registers: [registry],
    });
  }

  /** The injector registers where active counts come from. */
  setActiveSource(source: () => ActiveFaultCount[]): void {
    this.activeSource = source;
  }

  recordInjected(venue: string, kind: string): void {
    this.injected.inc({ venue, kind });
  }

  recordEffect(venue: string, kind: string): void {
    this.effects.inc({ venue, kind });
  }
}

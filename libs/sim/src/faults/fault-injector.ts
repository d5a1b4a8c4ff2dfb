/**
 * Holds the active faults and answers, for every WS frame and REST request a façade's tap sees, what should happen
 * to it. World faults (halt, jump, basis, regime) are applied to the world when injected and undone when they
 * retire. Faults are checked in injection order; the first that affects a frame or request decides.
 */
import type { SimWorld } from '../engine/types.js';
import { ActiveFault, type FaultView } from './active-fault.js';
import { installFacadeTap, type FacadeTapTarget } from './adapters/facade-tap-adapter.js';
import { installGrvtHooks, type GrvtHooksTarget } from './adapters/grvt-adapter.js';
import { installStandxHooks, type StandxHooksTarget } from './adapters/standx-adapter.js';
import { type FaultClock, systemClock } from './fault-clock.js';
import { SimFaultMetrics, type ActiveFaultCount } from './fault-metrics.js';
import { FaultError, isNetworkFault, parseFaultSpec } from './fault-spec.js';
import { PASS, type RestDecision, type RestInfo, type TrafficDecider, type VenueAttachment, type WsDecision, type WsFrameInfo } from './traffic-decision.js';
import { WorldFaults } from './world-faults.js';

export interface FaultInjectorOptions {
  world: SimWorld;
  metrics?: SimFaultMetrics;
  clock?: FaultClock;
  /** Seed of the probability draws (default the world's seed). */
  seed?: number;
}

/** A ws_drop without a duration closes the connections open at injection; it retires after this window. */
export const ONE_SHOT_DROP_WINDOW_MS = 5_000;
const DEFAULT_CLOSE_CODE = 1001;

export class FaultInjector implements TrafficDecider {
  readonly metrics: SimFaultMetrics;
  readonly clock: FaultClock;
  private readonly seed: number;
  private readonly worldFaults: WorldFaults;
  private readonly faults = new Map<string, ActiveFault>();
  private readonly venues = new Map<string, VenueAttachment>();
  private readonly waiters = new Set<() => void>();
  private nextId = 1;
  private closed = false;

  constructor(opts: FaultInjectorOptions) {
    this.metrics = opts.metrics ?? new SimFaultMetrics();
    this.clock = opts.clock ?? systemClock;
    this.seed = opts.seed ?? opts.world.seed;
    this.worldFaults = new WorldFaults(opts.world);
    this.metrics.setActiveSource(() => this.activeCounts());
  }

  attachBinance(facade: FacadeTapTarget, venue = 'binanceusdm'): void {
    this.attach(installFacadeTap(facade, venue, 'binance', this));
  }

  attachBybit(facade: FacadeTapTarget, venue = 'bybit'): void {
    this.attach(installFacadeTap(facade, venue, 'bybit', this));
  }

  attachOkx(facade: FacadeTapTarget, venue = 'okx'): void {
    this.attach(installFacadeTap(facade, venue, 'okx', this));
  }

  attachStandx(facade: StandxHooksTarget, venue = 'standx'): void {
    this.attach(installStandxHooks(facade, venue, this));
  }

  attachGrvt(facade: GrvtHooksTarget, venue = 'grvt'): void {
    this.attach(installGrvtHooks(facade, venue, this));
  }

  /** Venues with a façade attached. */
  attachedVenues(): string[] {
    return [...this.venues.keys()];
  }

  /** Validates and activates a fault; throws FaultError naming the bad field. */
  inject(input: unknown): FaultView {
    if (this.closed) throw new FaultError('the fault injector is closed');
    let spec = parseFaultSpec(input);
    // A sequence skip (a bad checksum) is exactly one lost (corrupted) message unless asked otherwise.
    if ((spec.kind === 'seq_skip' || spec.kind === 'bad_checksum') && spec.count === undefined) spec = { ...spec, count: 1 };
    const id = spec.id ?? this.freshId();
    if (this.faults.has(id)) throw new FaultError(`id: a fault with id ${id} is already active`);

    let attachment: VenueAttachment | undefined;
    if (isNetworkFault(spec)) {
      attachment = this.venues.get(spec.venue);
      if (!attachment) {
        throw new FaultError(`venue: no façade attached for ${spec.venue}; attached: ${this.attachedVenues().join(', ') || 'none'}`);
      }
    } else {
      this.worldFaults.check(spec);
    }

    const now = this.clock.now();
    const oneShotDrop = spec.kind === 'ws_drop' && spec.durationMs === undefined;
    const lifetime = spec.durationMs ?? (oneShotDrop ? ONE_SHOT_DROP_WINDOW_MS : undefined);
    const fault = new ActiveFault(id, spec, now, lifetime === undefined ? undefined : now + lifetime, this.seed);
    if (oneShotDrop && attachment) fault.connectionWatermark = attachment.highestConnectionId();
    this.metrics.recordInjected(spec.venue, spec.kind);

    if (!isNetworkFault(spec)) {
      fault.revert = this.worldFaults.apply(spec);
      fault.hits = 1;
      this.metrics.recordEffect(spec.venue, spec.kind);
      // A jump is instantaneous: nothing stays active.
      if (spec.kind === 'price_jump') return fault.view();
    }
    if (lifetime !== undefined) fault.cancelExpiry = this.clock.schedule(lifetime, () => this.retire(id));
    this.faults.set(id, fault);
    return fault.view();
  }

  /** Ends a fault early (undoing a world fault). False when no such fault is active. */
  remove(id: string): boolean {
    return this.retire(id);
  }

  /** Ends every active fault; returns how many there were. */
  clear(): number {
    const ids = [...this.faults.keys()];
    for (const id of ids) this.retire(id);
    return ids.length;
  }

  list(): FaultView[] {
    return [...this.faults.values()].map((f) => f.view());
  }

  get(id: string): FaultView | undefined {
    return this.faults.get(id)?.view();
  }

  /** Ends every fault, puts every façade back to untouched traffic and releases held requests and messages. */
  close(): void {
    if (this.closed) return;
    this.clear();
    this.closed = true;
    for (const a of this.venues.values()) a.detach();
    this.venues.clear();
    for (const release of [...this.waiters]) release();
    this.waiters.clear();
  }

  /** The venue's server clock: ours (the injector's clock) moved by every live clock_skew fault of the venue. */
  serverTime(venue: string): number {
    const now = this.clock.now();
    let skew = 0;
    for (const f of this.faults.values()) if (f.spec.kind === 'clock_skew' && f.spec.venue === venue && live(f, now)) skew += f.spec.ms;
    return now + skew;
  }

  decideWs(venue: string, frame: WsFrameInfo): WsDecision {
    const now = this.clock.now();
    for (const f of this.faults.values()) {
      if (f.spec.venue !== venue || !live(f, now)) continue;
      const d = wsEffect(f, frame);
      if (d) {
        this.affected(f);
        return d;
      }
    }
    return PASS;
  }

  decideRest(venue: string, req: RestInfo): RestDecision {
    const now = this.clock.now();
    for (const f of this.faults.values()) {
      if (f.spec.venue !== venue || !live(f, now)) continue;
      const d = restEffect(f, req);
      if (d) {
        this.affected(f);
        return d;
      }
    }
    return PASS;
  }

  sleep(ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const release = (): void => {
        cancel();
        this.waiters.delete(release);
        resolve();
      };
      const cancel = this.clock.schedule(ms, release);
      this.waiters.add(release);
    });
  }

  hang(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const release = (): void => {
        this.waiters.delete(release);
        resolve();
      };
      this.waiters.add(release);
    });
  }

  private attach(a: VenueAttachment): void {
    this.venues.get(a.venue)?.detach();
    this.venues.set(a.venue, a);
  }

  private affected(f: ActiveFault): void {
    this.metrics.recordEffect(f.spec.venue, f.spec.kind);
    if (f.exhausted) this.retire(f.id);
  }

  private retire(id: string): boolean {
    const f = this.faults.get(id);
    if (!f) return false;
    this.faults.delete(id);
    f.cancelExpiry?.();
    f.revert?.();
    return true;
  }

  private freshId(): string {
    let id = `f${this.nextId++}`;
    while (this.faults.has(id)) id = `f${this.nextId++}`;
    return id;
  }

  private activeCounts(): ActiveFaultCount[] {
    const counts = new Map<string, ActiveFaultCount>();
    for (const f of this.faults.values()) {
      const key = `${f.spec.venue}|${f.spec.kind}`;
      const c = counts.get(key) ?? { venue: f.spec.venue, kind: f.spec.kind, count: 0 };
      c.count++;
      counts.set(key, c);
    }
    return [...counts.values()];
  }
}

/** Not yet past its end (the expiry timer may fire late on a busy loop or a manual clock). */
function live(f: ActiveFault, now: number): boolean {
  return f.expiresAt === undefined || now < f.expiresAt;
}

function wsEffect(f: ActiveFault, frame: WsFrameInfo): WsDecision | undefined {
  const spec = f.spec;
  if ('stream' in spec && spec.stream !== undefined && !(frame.stream ?? '').startsWith(spec.stream)) return undefined;
  switch (spec.kind) {
    case 'ws_drop': {
      if (f.connectionWatermark !== undefined && frame.connectionId > f.connectionWatermark) return undefined;
      if (f.closedConnections.has(frame.connectionId) || !f.tryHit()) return undefined;
      f.closedConnections.add(frame.connectionId);
      return { kind: 'close', code: spec.code ?? DEFAULT_CLOSE_CODE, reason: 'sim fault: ws_drop' };
    }
    case 'ws_freeze':
      return frame.market && f.tryHit() ? { kind: 'drop' } : undefined;
    case 'seq_skip':
      return frame.bookDiff && f.tryHit() ? { kind: 'drop' } : undefined;
    case 'bad_checksum':
      return frame.bookChecksum && f.tryHit() ? { kind: 'corrupt_checksum' } : undefined;
    case 'ws_delay':
      return f.tryHit() ? { kind: 'delay', ms: spec.ms } : undefined;
    default:
      return undefined;
  }
}

function restEffect(f: ActiveFault, req: RestInfo): RestDecision | undefined {
  const spec = f.spec;
  switch (spec.kind) {
    case 'http_error':
    case 'http_timeout': {
      if (spec.path !== undefined && !req.path.startsWith(spec.path)) return undefined;
      if (spec.method !== undefined && spec.method !== req.method) return undefined;
      if (!f.tryHit()) return undefined;
      return spec.kind === 'http_error' ? { kind: 'error', status: spec.status } : { kind: spec.acted ? 'hang_after_acting' : 'hang' };
    }
    case 'reject_orders':
      return req.orderPlacement && f.tryHit() ? { kind: 'reject', message: spec.message } : undefined;
    default:
      return undefined;
  }
}

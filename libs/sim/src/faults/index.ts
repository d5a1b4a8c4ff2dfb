// Fault injection for the simulator: model, injector, per-venue adapters, metrics, admin API, scenarios.
export * from './fault-spec.js';
export type { FaultView } from './active-fault.js';
export { type FaultClock, systemClock } from './fault-clock.js';
export { SimFaultMetrics, type ActiveFaultCount } from './fault-metrics.js';
export { FaultInjector, ONE_SHOT_DROP_WINDOW_MS, type FaultInjectorOptions } from './fault-injector.js';
export type { FacadeTapTarget } from './adapters/facade-tap-adapter.js';
export type { StandxHooksTarget } from './adapters/standx-adapter.js';
export type { GrvtHooksTarget } from './adapters/grvt-adapter.js';
export type { RestDecision, RestInfo, TrafficDecider, VenueAttachment, WsDecision, WsFrameInfo } from './traffic-decision.js';
export { errorReply, rejectReply, isOrderPlacement, type VenueProtocol, type VenueErrorReply } from './venue-errors.js';
export { startSimAdmin, type SimAdmin, type SimAdminOptions } from './admin-server.js';
export { Scenario, ScenarioStep, parseScenario, loadScenarioFile } from './scenario-file.js';
export { ScenarioRunner, type ScenarioOutcome } from './scenario-runner.js';

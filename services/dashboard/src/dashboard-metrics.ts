import { createCounter, createGauge, type Registry } from '@perpetua/telemetry';

export function dashboardMetrics(registry: Registry) {
  return {
    clients: createGauge(registry, { name: 'perpetua_dashboard_ws_clients', help: 'WebSocket clients connected' }),
    sent: createCounter(registry, { name: 'perpetua_dashboard_ws_frames_total', help: 'Topic frames sent to WebSocket clients', labelNames: ['topic'] }),
    dropped: createCounter(registry, {
      name: 'perpetua_dashboard_ws_frames_dropped_total',
      help: 'Topic updates skipped for a client whose socket had not drained (it gets the latest value later)',
      labelNames: ['topic'],
    }),
    controls: createCounter(registry, { name: 'perpetua_dashboard_control_actions_total', help: 'Control actions taken through the dashboard', labelNames: ['action', 'outcome'] }),
    refused: createCounter(registry, { name: 'perpetua_dashboard_requests_refused_total', help: 'Requests refused before reaching a handler', labelNames: ['reason'] }),
  };
}
export type DashboardMetrics = ReturnType<typeof dashboardMetrics>;

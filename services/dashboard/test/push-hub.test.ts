import { describe, expect, it } from 'vitest';
import { createMetrics } from '@perpetua/telemetry';
import { dashboardMetrics } from '../src/dashboard-metrics.js';
import { PushHub, type PushSocket } from '../src/push-hub.js';
import type { Topic } from '../src/live-views.js';

class FakeSocket implements PushSocket {
  bufferedAmount = 0;
  readyState = 1;
  sent: string[] = [];
  send(data: string): void {
    this.sent.push(data);
  }
}

function hub(versions: Map<Topic, number>, values: Map<Topic, unknown>) {
  const registry = createMetrics({ service: 'push-hub-test', defaultMetrics: false });
  const m = dashboardMetrics(registry);
  const h = new PushHub({ read: (t) => ({ version: versions.get(t) ?? 0, value: () => values.get(t) ?? null }), maxBufferedBytes: 1000, dropped: m.dropped, sent: m.sent, clients: m.clients });
  return { h, registry };
}

describe('PushHub', () => {
  it('sends each topic once per version, latest value only, and skips a congested client without queueing', async () => {
    const versions = new Map<Topic, number>([['risk', 1]]);
    const values = new Map<Topic, unknown>([['risk', { v: 1 }]]);
    const { h, registry } = hub(versions, values);
    const fast = new FakeSocket();
    const slow = new FakeSocket();
    h.add(fast);
    h.add(slow);
    const riskFrames = (s: FakeSocket) => s.sent.map((x) => JSON.parse(x) as { topic: string; data: unknown }).filter((x) => x.topic === 'risk');
    expect(riskFrames(fast)).toEqual([{ type: 'topic', topic: 'risk', data: { v: 1 } }]);
    await h.tick();
    expect(riskFrames(fast)).toHaveLength(1); // unchanged: nothing new

    slow.bufferedAmount = 5000; // the browser stopped reading
    for (let v = 2; v <= 50; v++) {
      versions.set('risk', v);
      values.set('risk', { v });
      await h.tick();
    }
    expect(riskFrames(fast)).toHaveLength(50);
    expect(riskFrames(slow)).toHaveLength(1); // nothing queued for it
    const dropped = (await registry.getSingleMetric('perpetua_dashboard_ws_frames_dropped_total')!.get()).values.find((v) => v.labels.topic === 'risk');
    expect(dropped?.value).toBe(49);

    slow.bufferedAmount = 0; // drained: it gets the latest, once
    await h.tick();
    expect(riskFrames(slow).map((f) => f.data)).toEqual([{ v: 1 }, { v: 50 }]);
  });

  it('serves a slice of clients at a time, letting the event loop in between, and never runs two rounds at once', async () => {
    const versions = new Map<Topic, number>([['risk', 1]]);
    const values = new Map<Topic, unknown>([['risk', { v: 1 }]]);
    const { h } = hub(versions, values);
    const sockets = Array.from({ length: 12 }, () => new FakeSocket());
    for (const s of sockets) h.add(s);
    versions.set('risk', 2);
    values.set('risk', { v: 2 });
    const round = h.tick();
    expect(h.tick()).toBe(round); // a second tick while one runs joins it
    const served = () => sockets.filter((s) => s.sent.some((f) => f.includes('"risk"') && f.includes('"v":2'))).length;
    expect(served()).toBe(5); // the first slice went out synchronously; the rest wait for the event loop
    await round;
    expect(served()).toBe(12);
  });

  it('forgets a closed client', () => {
    const { h } = hub(new Map(), new Map());
    const remove = h.add(new FakeSocket());
    expect(h.size).toBe(1);
    remove();
    expect(h.size).toBe(0);
  });
});

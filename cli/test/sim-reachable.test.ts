import { describe, expect, it } from 'vitest';
import type { SimReady } from '@perpetua/sim/ready';
import { reachableFrom } from '../src/compose/sim-reachable.js';

describe('simulator URLs seen from another host', () => {
  const ready = {
    event: 'ready',
    seed: 1,
    admin: 'http://0.0.0.0:9700',
    venues: {
      binanceusdm: { protocol: 'binanceusdm', rest: 'http://0.0.0.0:41001', ws: 'ws://0.0.0.0:41001/ws', credentials: { apiKey: 'k', secret: 's' } },
      grvt: { protocol: 'grvt', edge: 'http://[::]:41002', marketDataWs: 'ws://[::]:41003/ws/full', credentials: { apiKey: 'k' } },
      local: { protocol: 'standx', rest: 'http://127.0.0.1:41004', ws: 'ws://127.0.0.1:41004/ws-stream/v1', credentials: { token: 't' } },
    },
  } as unknown as SimReady;

  it('rewrites wildcard hosts to the admin host, keeping ports and paths; other URLs and values stay', () => {
    const r = reachableFrom(ready, 'http://sim:9700') as unknown as typeof ready;
    expect(r.admin).toBe('http://sim:9700');
    expect(r.venues).toEqual({
      binanceusdm: { protocol: 'binanceusdm', rest: 'http://sim:41001', ws: 'ws://sim:41001/ws', credentials: { apiKey: 'k', secret: 's' } },
      grvt: { protocol: 'grvt', edge: 'http://sim:41002', marketDataWs: 'ws://sim:41003/ws/full', credentials: { apiKey: 'k' } },
      local: ready.venues.local,
    });
  });

  it('changes nothing for a loopback simulator', () => {
    expect(reachableFrom(ready, 'http://127.0.0.1:9700').venues.local).toEqual(ready.venues.local);
  });
});

import { MemoryStateBackend, MemoryStateStore } from '../src/memory-state-store.js';
import type { StateStore } from '../src/state-store.js';
import { stateStoreContract } from './state-contract.js';

stateStoreContract('memory', async () => {
  // Clients share one backend, the way Redis connections share one server.
  const data = new MemoryStateBackend();
  const clients: StateStore[] = [];
  return {
    connect: async () => {
      const s = new MemoryStateStore(data);
      clients.push(s);
      return s;
    },
    dispose: async () => {
      await Promise.all(clients.map((c) => c.close()));
    },
  };
});

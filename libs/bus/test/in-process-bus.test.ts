import { InProcessBus } from '@perpetua/bus';
import { runBusContract } from './bus-contract.js';

runBusContract('InProcessBus', async (options) => {
  const bus = new InProcessBus(options);
  return { bus, cleanup: () => bus.close() };
});

import { probabilisticQueue, riskAverseQueue, type QueueModel } from './queue-model.js';
import { logProbability, logProbability2, powerProbability, powerProbability2, powerProbability3 } from './queue-probability.js';

/** The queue models by name, for configuration and the command line. */
export const QUEUE_MODEL_NAMES = ['risk-averse', 'power:N', 'power2:N', 'power3:N', 'log', 'log2'] as const;

/** `risk-averse`, `power:2`, `power2:3`, `power3:3`, `log`, `log2` → the model; a clear error otherwise. */
export function queueModelFromSpec(spec: string): QueueModel {
  const [name, arg] = spec.trim().split(':');
  const n = arg === undefined ? Number.NaN : Number(arg);
  const needN = (f: (n: number) => (front: number, back: number) => number) => {
    if (!(n > 0)) throw new RangeError(`queue model "${spec}": ${name} needs a positive power, e.g. ${name}:2`);
    return probabilisticQueue(f(n), spec);
  };
  switch (name) {
    case 'risk-averse':
      return riskAverseQueue;
    case 'power':
      return needN(powerProbability);
    case 'power2':
      return needN(powerProbability2);
    case 'power3':
      return needN(powerProbability3);
    case 'log':
      return probabilisticQueue(logProbability, 'log');
    case 'log2':
      return probabilisticQueue(logProbability2, 'log2');
    default:
      throw new RangeError(`queue model "${spec}" is not one of ${QUEUE_MODEL_NAMES.join(', ')}`);
  }
}

import { randomBytes } from 'node:crypto';

/**
 * Client order ids: ours, unique across restarts (a random session part) and
 * at most 36 characters (Binance's limit, the tightest we know). The router
 * keeps the id → intent/slot mapping, so every order traces to its intent.
 */
export class ClientOrderIds {
  private counter = 0;
  readonly session: string;

  constructor(private readonly prefix = 'pp') {
    this.session = randomBytes(5).toString('hex');
  }

  next(): string {
    return `${this.prefix}${this.session}${(++this.counter).toString(36)}`;
  }
}

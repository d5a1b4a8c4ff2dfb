import { type Decimal, dec, ZERO } from '@perpetua/core';
import type { SimBalance, SimFill, SimFillsQuery, SimFundingEvent, SimLeverageResult, SimOrder, SimOrderRef, SimPosition, SimRejection } from './types.js';
import { EngineAccount } from './engine-account.js';
import type { EngineOrder } from './engine-order.js';
import { EnginePosition } from './engine-position.js';
import type { EventFanOut } from './event-fan-out.js';
import type { VenueState } from './venue-state.js';
import { computeBalance, freeMargin } from './margin.js';
import { snapshotOrder } from './order-snapshot.js';
import { positionOf, snapshotPosition } from './positions.js';
import { reject } from './rejection.js';
import { SimError } from './sim-error.js';

/** The venue's accounts: opening and funding them, their leverage, and what they hold (orders, fills, positions, balance). */
export class Accounts {
  constructor(
    private readonly state: VenueState,
    private readonly events: EventFanOut,
  ) {}

  openOrders(accountId: string, symbol?: string): SimOrder[] {
    const account = this.state.accounts.get(accountId);
    if (!account) return [];
    const out: SimOrder[] = [];
    for (const o of account.open.values()) if (symbol === undefined || o.symbol === symbol) out.push(snapshotOrder(this.state, o));
    return out.sort((a, b) => Number(a.orderId) - Number(b.orderId));
  }

  getOrder(accountId: string, symbol: string, ref: SimOrderRef): SimOrder | undefined {
    const account = this.state.accounts.get(accountId);
    if (!account) return undefined;
    let o = account.findOpen(symbol, ref);
    if (!o) {
      if (ref.orderId !== undefined) o = account.closed.get(Number(ref.orderId));
      else if (ref.clientOrderId !== undefined) o = account.closedByClientId.get(ref.clientOrderId);
      if (o && o.symbol !== symbol) o = undefined;
    }
    return o ? snapshotOrder(this.state, o) : undefined;
  }

  fills(accountId: string, query: SimFillsQuery = {}): SimFill[] {
    const account = this.state.accounts.get(accountId);
    if (!account) return [];
    const limit = query.limit ?? 500;
    const out: SimFill[] = [];
    for (let i = account.fills.length - 1; i >= 0 && out.length < limit; i--) {
      const f = account.fills[i]!;
      if (query.symbol !== undefined && f.symbol !== query.symbol) continue;
      if (query.since !== undefined && f.ts < query.since) continue;
      if (query.until !== undefined && f.ts > query.until) continue;
      out.push({ ...f });
    }
    return out.reverse();
  }

  fundingPayments(accountId: string, query: SimFillsQuery = {}): SimFundingEvent[] {
    const account = this.state.accounts.get(accountId);
    if (!account) return [];
    const limit = query.limit ?? 500;
    const out: SimFundingEvent[] = [];
    for (let i = account.funding.length - 1; i >= 0 && out.length < limit; i--) {
      const f = account.funding[i]!;
      if (query.symbol !== undefined && f.symbol !== query.symbol) continue;
      if (query.since !== undefined && f.ts < query.since) continue;
      if (query.until !== undefined && f.ts > query.until) continue;
      out.push({ ...f });
    }
    return out.reverse();
  }

  positions(accountId: string): SimPosition[] {
    const account = this.state.accounts.get(accountId);
    if (!account) return [];
    return [...account.positions.values()].map((p) => snapshotPosition(this.state, account, p));
  }

  position(accountId: string, symbol: string): SimPosition {
    const s = this.state.sym(symbol);
    const account = this.state.accounts.get(accountId);
    const p = account?.positions.get(symbol) ?? new EnginePosition(symbol, s.rt.info.defaultLeverage);
    return snapshotPosition(this.state, account ?? new EngineAccount<EngineOrder>(accountId, ZERO, false), p);
  }

  balance(accountId: string): SimBalance {
    const account = this.state.accounts.get(accountId) ?? new EngineAccount<EngineOrder>(accountId, ZERO, false);
    return computeBalance(this.state, account);
  }

  setLeverage(accountId: string, symbol: string, leverage: number): SimLeverageResult {
    const account = this.state.accounts.get(accountId);
    if (!account) return reject('unknown_account', `unknown account ${String(accountId)}`);
    const s = this.state.symbols.get(symbol);
    if (!s) return reject('unknown_symbol', `unknown symbol ${String(symbol)}`);
    if (!Number.isInteger(leverage) || leverage < 1 || leverage > s.rt.info.maxLeverage)
      return reject('invalid_leverage', `leverage must be an integer in 1..${s.rt.info.maxLeverage}`);
    const pos = positionOf(this.state, account, symbol);
    const before = pos.leverage;
    pos.leverage = leverage;
    if (!account.house && leverage < before && freeMargin(this.state, account) < 0n) {
      pos.leverage = before;
      return reject('insufficient_margin', `not enough margin for leverage ${leverage}`);
    }
    if (!account.house && leverage !== before) this.events.emitPosition(account, pos, 'leverage');
    // Informational notional cap, shrinking with leverage like the venues' brackets.
    const maxNotional = String(Math.floor((s.rt.info.maxLeverage * 4_000_000) / leverage));
    return { ok: true, symbol, leverage, maxNotional };
  }

  createAccount(accountId: string, initialBalance: string): { ok: true; balance: SimBalance } | SimRejection {
    if (typeof accountId !== 'string' || accountId.length === 0) return reject('invalid_order', 'account id must be a non-empty string');
    if (this.state.accounts.has(accountId)) return reject('account_exists', `account ${accountId} already exists`);
    let amount: Decimal;
    try {
      amount = dec(initialBalance);
    } catch {
      return reject('invalid_order', `invalid initial balance ${JSON.stringify(initialBalance)}`);
    }
    const account = new EngineAccount<EngineOrder>(accountId, amount, false);
    this.state.accounts.set(accountId, account);
    return { ok: true, balance: computeBalance(this.state, account) };
  }

  hasAccount(accountId: string): boolean {
    return this.state.accounts.has(accountId);
  }

  deposit(accountId: string, amount: string): SimBalance {
    const account = this.state.accounts.get(accountId);
    if (!account) throw new SimError(`unknown account ${accountId}`);
    const delta = dec(amount);
    account.wallet = (account.wallet + delta) as Decimal;
    return this.events.emitBalance(account, 'deposit', delta);
  }

  /** An account that skips margin, bookkeeping and private events (background liquidity and flow). */
  createHouseAccount(accountId: string): EngineAccount<EngineOrder> {
    const existing = this.state.accounts.get(accountId);
    if (existing) return existing;
    const account = new EngineAccount<EngineOrder>(accountId, ZERO, true);
    this.state.accounts.set(accountId, account);
    return account;
  }
}

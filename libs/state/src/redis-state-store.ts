import { Redis } from 'ioredis';
import { z } from 'zod';
import { OrderEvent, type Fill } from '@perpetua/core';
import { applyFillToPosition, applyFunding } from './position-ledger.js';
import { comparePositions, emptyPosition, type Position } from './position.js';
import { HaltState, type ApplyFillResult, type Fence, type StateStore } from './state-store.js';
import { StateClosedError, StateConflictError, StateCorruptError, StateFencedError } from './state-errors.js';
import { parseFill, parseFunding, parseHalt, parseKeyPart, parseOpenOrders, parseWatermark } from './state-input.js';
import { RedisKeys } from './redis-keys.js';
import { decodePositionHash, encodePositionHash, type StoredPosition } from './redis-position-hash.js';
import { ADVANCE_MAX_LUA, CAS_APPLY_COMMAND, CAS_APPLY_LUA, FENCED_SET_LUA } from './redis-scripts.js';
import { KeyedSerialQueue } from './keyed-serial-queue.js';
import { contentVerdict, fillContentKey, FILL_CONTENT_MAX_ENTRIES, FILL_CONTENT_WINDOW_MS, type ContentMark } from './fill-content-dedupe.js';
import { rebuildableKeys, wipeRebuildableKeys } from './redis-rebuildable-keys.js';

export interface RedisStateStoreOptions {
  /**
   * Namespace for every key; distinct per deployment and per test run. On Redis Cluster,
   * give it a hash tag (e.g. "{perpetua}") so every key of one update lives in one slot.
   */
  prefix: string;
  /** Compare-and-set attempts per update before giving up with StateConflictError (default 100). */
  maxAttempts?: number;
  /** AUTH password when the store opens its own connection (overrides one in the URL). */
  password?: string;
  /**
   * Told of each connection error of a connection this store opened (ioredis retries on its own; the commands
   * meanwhile fail with their own errors). Without a listener ioredis prints "[ioredis] Unhandled error event"
   * with a stack on every retry.
   */
  onConnectionError?: (err: Error) => void;
  /** How long and how many fill content marks are kept per venue (fill-content-dedupe.ts; defaults a day, 200,000). */
  fillContentWindowMs?: number;
  fillContentMaxEntries?: number;
  /**
   * How long (exchange time behind the newest) and how many fill ids are remembered per venue for idempotency
   * (defaults 30 days, 2,000,000: far beyond any re-read of fills; unbounded, a market maker's set grew by every
   * fill ever booked), and how many ids a position's fill log keeps (default 100,000).
   */
  fillIdWindowMs?: number;
  maxFillIds?: number;
  maxFillLog?: number;
}

export const DEFAULT_FILL_ID_WINDOW_MS = 30 * 24 * 3600_000;
export const DEFAULT_MAX_FILL_IDS = 2_000_000;
export const DEFAULT_MAX_FILL_LOG = 100_000;

type CasApply = (numKeys: number, ...keysAndArgs: string[]) => Promise<unknown>;

const CasResult = z.union([z.literal(1), z.literal(0), z.literal(3), z.literal(-1), z.literal(-2)]);
const FencedResult = z.union([z.literal(1), z.literal(-2)]);
const StringList = z.array(z.string());
const MemberFlag = z.union([z.literal(0), z.literal(1)]);
const ContentMarkReply = z.union([z.literal('s'), z.literal('b'), z.templateLiteral(['c:', z.string()]), z.null()]);

/** The content rule's keys and arguments for the apply script (fills only). */
interface ContentArgs {
  keys: [marks: string, times: string];
  /** content key ('' none), '1' id from content, exchange time, window ms, max marks. */
  args: [string, string, string, string, string];
}

/** The fill id and log bounds for the apply script (fills only): id window ms, max ids, max log entries. */
type BoundArgs = [string, string, string];
const NO_BOUNDS: BoundArgs = ['0', '0', '0'];

/**
 * StateStore on Redis. Each fill or funding payment is one optimistic step:
 * read the position hash and its version (and whether the id was seen) in one
 * MULTI, compute the new position with the exact ledger in TypeScript, then let
 * one Lua script commit it only if the id is new and the version unchanged; on a
 * conflict, re-read and retry with a tiny jittered backoff, a bounded number of times.
 */
export class RedisStateStore implements StateStore {
  readonly keys: RedisKeys;
  private readonly options: RedisStateStoreOptions;
  private readonly redis: Redis;
  private readonly ownsClient: boolean;
  private readonly maxAttempts: number;
  private readonly queue = new KeyedSerialQueue();
  private readonly casApply: CasApply;
  private closed = false;
  private fence: Fence | undefined;

  /** url: a redis:// URL (this store opens and closes the connection) or a client the caller owns. */
  constructor(url: string | Redis, options: RedisStateStoreOptions) {
    this.options = options;
    this.keys = new RedisKeys(options.prefix);
    this.maxAttempts = options.maxAttempts ?? 100;
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1) throw new Error('maxAttempts must be a positive integer');
    this.ownsClient = typeof url === 'string';
    this.redis = typeof url === 'string' ? new Redis(url, { lazyConnect: false, ...(options.password === undefined ? {} : { password: options.password }) }) : url;
    // A connection this store opened is this store's to watch: a Redis restart is an error event per retry, not a crash.
    if (this.ownsClient) this.redis.on('error', (err: Error) => options.onConnectionError?.(err));
    // defineCommand runs the script by EVALSHA and reloads it on NOSCRIPT; defining it twice is harmless.
    this.redis.defineCommand(CAS_APPLY_COMMAND, { lua: CAS_APPLY_LUA });
    const command = (this.redis as unknown as Record<string, CasApply>)[CAS_APPLY_COMMAND];
    if (typeof command !== 'function') throw new Error('ioredis did not define the state script command');
    this.casApply = command.bind(this.redis);
  }

  async applyFill(input: Fill): Promise<ApplyFillResult> {
    this.open();
    const fill = parseFill(input);
    const { venue, account, symbol } = fill;
    const key = fillContentKey(fill);
    const content: ContentArgs = {
      keys: [this.keys.fillContents(venue), this.keys.fillContentTimes(venue)],
      args: [
        key ?? '',
        fill.idFromContent === true ? '1' : '0',
        String(fill.tsExchange),
        String(this.options.fillContentWindowMs ?? FILL_CONTENT_WINDOW_MS),
        String(this.options.fillContentMaxEntries ?? FILL_CONTENT_MAX_ENTRIES),
      ],
    };
    const bounds: BoundArgs = [
      String(this.options.fillIdWindowMs ?? DEFAULT_FILL_ID_WINDOW_MS),
      String(this.options.maxFillIds ?? DEFAULT_MAX_FILL_IDS),
      String(this.options.maxFillLog ?? DEFAULT_MAX_FILL_LOG),
    ];
    const fillKeys = { content, logKey: this.keys.fillLog(venue, account, symbol), idTimesKey: this.keys.fillIdTimes(venue), bounds };
    return this.update(venue, account, symbol, this.keys.fillIds(venue), fill.fillId, fillKeys, (p) =>
      applyFillToPosition(p, fill),
    );
  }

  async applyFunding(venue: string, account: string, symbol: string, amount: string, paymentId: string, at?: number): Promise<boolean> {
    this.open();
    const f = parseFunding(venue, account, symbol, amount, paymentId);
    const r = await this.update(f.venue, f.account, f.symbol, this.keys.fundingIds(f.venue, f.account, f.symbol), f.paymentId, {}, (p) =>
      applyFunding(p, f.amount, at ?? p.updatedAt),
    );
    return r.applied;
  }

  async getPosition(venue: string, account: string, symbol: string): Promise<Position | undefined> {
    this.open();
    const key = this.keys.position(venue, account, symbol);
    return this.decode(key, await this.redis.hgetall(key))?.position;
  }

  async listPositions(): Promise<Position[]> {
    this.open();
    const keys = StringList.parse(await this.redis.smembers(this.keys.positionIndex));
    if (keys.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.hgetall(key);
    const replies = await pipeline.exec();
    const out: Position[] = [];
    keys.forEach((key, i) => {
      const stored = this.decode(key, replyValue(replies, i, key));
      if (stored) out.push(stored.position); // a key deleted by hand since: no longer a position
    });
    return out.sort(comparePositions);
  }

  async fillLog(venue: string, account: string, symbol: string): Promise<string[]> {
    this.open();
    const key = this.keys.fillLog(venue, account, symbol);
    const r = StringList.safeParse(await this.redis.lrange(key, 0, -1));
    if (!r.success) throw new StateCorruptError(`corrupt fill log at ${key}`);
    return r.data;
  }

  async hasFill(venue: string, fillId: string): Promise<boolean> {
    this.open();
    return MemberFlag.parse(await this.redis.sismember(this.keys.fillIds(venue), fillId)) === 1;
  }

  async isFillBooked(input: Fill): Promise<boolean> {
    this.open();
    const fill = parseFill(input);
    const key = fillContentKey(fill);
    const replies = await this.redis
      .multi()
      .sismember(this.keys.fillIds(fill.venue), fill.fillId)
      .hget(this.keys.fillContents(fill.venue), key ?? '')
      .exec();
    if (MemberFlag.parse(replyValue(replies, 0, this.keys.fillIds(fill.venue))) === 1) return true;
    if (key === undefined) return false;
    const mark = ContentMarkReply.parse(replyValue(replies, 1, this.keys.fillContents(fill.venue)));
    return contentVerdict(mark ?? undefined, fill).duplicate;
  }

  async getHalt(): Promise<HaltState> {
    this.open();
    const raw = await this.redis.get(this.keys.halt);
    if (raw === null) return { halted: false };
    return parseJson(this.keys.halt, raw, HaltState, 'halt state');
  }

  async setHalt(state: HaltState): Promise<void> {
    this.open();
    await this.fencedSet(this.keys.halt, JSON.stringify(parseHalt(state)));
  }

  async saveOpenOrders(venue: string, account: string, orders: OrderEvent[]): Promise<void> {
    this.open();
    parseKeyPart('venue', venue);
    parseKeyPart('account', account);
    const list = parseOpenOrders(venue, account, orders);
    const key = this.keys.openOrders(venue, account);
    await this.fencedSet(key, list.length === 0 ? '' : JSON.stringify(list));
  }

  async loadOpenOrders(venue: string, account: string): Promise<OrderEvent[]> {
    this.open();
    const key = this.keys.openOrders(venue, account);
    const raw = await this.redis.get(key);
    if (raw === null) return [];
    const list = parseJson(key, raw, z.array(OrderEvent), 'open orders');
    if (list.some((o) => o.venue !== venue || o.account !== account)) {
      throw new StateCorruptError(`corrupt open orders at ${key}: an order belongs to another venue account`);
    }
    return list;
  }

  async getFillWatermark(venue: string, account: string): Promise<number | undefined> {
    this.open();
    return this.readWatermark(this.keys.fillWatermark(venue, account), 'fill');
  }

  async advanceFillWatermark(venue: string, account: string, tsMs: number): Promise<void> {
    this.open();
    await this.advanceWatermark(this.keys.fillWatermark(venue, account), venue, account, tsMs);
  }

  async getFundingWatermark(venue: string, account: string): Promise<number | undefined> {
    this.open();
    return this.readWatermark(this.keys.fundingWatermark(venue, account), 'funding');
  }

  async advanceFundingWatermark(venue: string, account: string, tsMs: number): Promise<void> {
    this.open();
    await this.advanceWatermark(this.keys.fundingWatermark(venue, account), venue, account, tsMs);
  }

  private async readWatermark(key: string, what: string): Promise<number | undefined> {
    const raw = await this.redis.get(key);
    if (raw === null) return undefined;
    const ts = Number(raw);
    if (!/^\d{1,16}$/.test(raw) || !Number.isSafeInteger(ts)) throw new StateCorruptError(`corrupt ${what} watermark at ${key}: ${raw.slice(0, 40)}`);
    return ts;
  }

  private async advanceWatermark(key: string, venue: string, account: string, tsMs: number): Promise<void> {
    parseKeyPart('venue', venue);
    parseKeyPart('account', account);
    const ts = parseWatermark(tsMs);
    const [token, fenceKey] = this.fenceArgs();
    this.checkFenced(await this.redis.eval(ADVANCE_MAX_LUA, 2, key, fenceKey, String(ts), token), `the watermark ${key}`);
  }

  /** The keys of this prefix a rebuild would write (positions, fill and funding ids, watermarks); empty after a wipe. */
  async rebuildableKeys(): Promise<string[]> {
    this.open();
    return rebuildableKeys(this.redis, this.keys);
  }

  /**
   * Deletes this prefix's rebuildable keys (not the halt, open orders or fences) ahead of a rebuild;
   * resolves with the number deleted. Unfenced: whoever wipes must have stopped the writers.
   */
  async wipeRebuildable(): Promise<number> {
    this.open();
    return wipeRebuildableKeys(this.redis, this.keys);
  }

  fenced(fence: Fence): StateStore {
    const view = new RedisStateStore(this.redis, this.options);
    view.fence = fence;
    return view;
  }

  /** The token to stamp ('' unfenced) and the fence key; a fenced view with no token (not leader) writes nothing. */
  private fenceArgs(): [string, string] {
    if (!this.fence) return ['', this.keys.fence('')];
    const token = this.fence.token();
    if (token === undefined) throw new StateFencedError(`${this.fence.scope}: not the leader, write refused`);
    return [String(token), this.keys.fence(this.fence.scope)];
  }

  private checkFenced(reply: unknown, what: string): void {
    const r = FencedResult.safeParse(reply);
    if (!r.success) throw new StateCorruptError(`unexpected reply from the state script writing ${what}`);
    if (r.data === -2) throw new StateFencedError(`${this.fence?.scope}: a newer leader wrote since; ${what} refused (stale token)`);
  }

  private async fencedSet(key: string, value: string): Promise<void> {
    const [token, fenceKey] = this.fenceArgs();
    this.checkFenced(await this.redis.eval(FENCED_SET_LUA, 2, key, fenceKey, value, token), key);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsClient) await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /** Reads the position, whether `id` is already applied, and the version, in one atomic MULTI. */
  protected async readSnapshot(posKey: string, idSetKey: string, id: string): Promise<{ stored: StoredPosition | undefined; seen: boolean }> {
    const replies = await this.redis.multi().hgetall(posKey).sismember(idSetKey, id).exec();
    const stored = this.decode(posKey, replyValue(replies, 0, posKey));
    const seen = MemberFlag.safeParse(replyValue(replies, 1, idSetKey));
    if (!seen.success) throw new StateCorruptError(`unexpected reply reading ${idSetKey}`);
    return { stored, seen: seen.data === 1 };
  }

  private update(
    venue: string,
    account: string,
    symbol: string,
    idSetKey: string,
    id: string,
    o: { content?: ContentArgs; logKey?: string; idTimesKey?: string; bounds?: BoundArgs },
    compute: (p: Position) => Position,
  ): Promise<ApplyFillResult> {
    const posKey = this.keys.position(venue, account, symbol);
    return this.queue.run(posKey, async () => {
      for (let attempt = 1; ; attempt++) {
        this.open();
        const { stored, seen } = await this.readSnapshot(posKey, idSetKey, id);
        // A seen id with no position here: the id was used for another position of the venue.
        if (seen) return { applied: false, position: stored?.position ?? emptyPosition(venue, account, symbol) };
        const version = stored?.version ?? 0;
        const next = compute(stored?.position ?? emptyPosition(venue, account, symbol));
        const [token, fenceKey] = this.fenceArgs();
        // Funding has no content, no log and no id times: its four keys, an empty content key and no bounds.
        const fillOnly = o.content && o.logKey !== undefined && o.idTimesKey !== undefined ? [...o.content.keys, o.logKey, o.idTimesKey] : [];
        const keys = [posKey, idSetKey, this.keys.positionIndex, fenceKey, ...fillOnly];
        const content = o.content?.args ?? ['', '0', '0', '0', '0'];
        const bounds = o.bounds ?? NO_BOUNDS;
        const reply = CasResult.safeParse(await this.casApply(keys.length, ...keys, id, String(version), token, ...content, ...bounds, ...encodePositionHash(next, version + 1)));
        if (!reply.success) throw new StateCorruptError(`unexpected reply from the state script for ${posKey}`);
        if (reply.data === -2) throw new StateFencedError(`${this.fence?.scope}: a newer leader wrote since; ${id} refused (stale token)`);
        if (reply.data === 1) return { applied: true, position: next };
        if (reply.data === 0 || reply.data === 3) {
          // Another writer applied the same id between our read and our write, or the trade was booked under its other id.
          const now = this.decode(posKey, await this.redis.hgetall(posKey));
          return { applied: false, position: now?.position ?? emptyPosition(venue, account, symbol) };
        }
        if (attempt >= this.maxAttempts) {
          throw new StateConflictError(`gave up on ${id} for ${posKey} after ${attempt} compare-and-set conflicts with other writers`);
        }
        await jitteredBackoff(attempt);
      }
    });
  }

  private decode(key: string, raw: unknown): StoredPosition | undefined {
    return decodePositionHash(key, (p) => this.keys.position(p.venue, p.account, p.symbol), raw);
  }

  private open(): void {
    if (this.closed) throw new StateClosedError('state store is closed');
  }
}

/** Random wait in [0, min(2^attempt, 16)) ms: spreads out writers that keep colliding. */
function jitteredBackoff(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(2 ** attempt, 16);
  return new Promise((resolve) => (ms < 1 ? setImmediate(resolve) : setTimeout(resolve, ms)));
}

function replyValue(replies: [Error | null, unknown][] | null, i: number, key: string): unknown {
  const entry = replies?.[i];
  if (!entry) throw new Error(`Redis transaction reading ${key} was aborted`);
  if (entry[0]) throw entry[0];
  return entry[1];
}

function parseJson<T>(key: string, raw: string, schema: z.ZodType<T>, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new StateCorruptError(`corrupt ${what} at ${key}: not JSON`);
  }
  const r = schema.safeParse(value);
  if (!r.success) throw new StateCorruptError(`corrupt ${what} at ${key}: ${z.prettifyError(r.error)}`);
  return r.data;
}

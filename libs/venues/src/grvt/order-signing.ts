/**
 * GRVT order signing (EIP-712), for our GRVT adapter.
 *
 * Every GRVT order carries an EIP-712 signature over the fields the exchange's contracts enforce (sub-account,
 * market/limit, time in force, post/reduce-only, legs, nonce, expiration). The encoding below is pinned by a test
 * vector from GRVT's own Python SDK (see test/grvt/order-signing.test.ts).
 *
 * Amounts are converted from decimal strings with bigint arithmetic only: contractSize = size x 10^base_decimals,
 * limitPrice = price x 10^9. Unlike GRVT's SDK (which truncates surplus digits), we refuse a value that does not
 * convert exactly: an order whose signed size differs from the size we meant to send is a bug, never a rounding.
 */
import type { Address, Hex } from 'viem';

export const GRVT_EIP712_DOMAIN_NAME = 'GRVT Exchange';
export const GRVT_EIP712_DOMAIN_VERSION = '0';
/** EIP-712 chain ids of GRVT's environments (the simulator takes any id it is configured with). */
export const GRVT_CHAIN_IDS = { prod: 325, testnet: 326 } as const;
/** Limit prices are signed with 9 decimals whatever the instrument. */
export const GRVT_PRICE_DECIMALS = 9;

export const GRVT_ORDER_EIP712_TYPES = {
  Order: [
    { name: 'subAccountID', type: 'uint64' },
    { name: 'isMarket', type: 'bool' },
    { name: 'timeInForce', type: 'uint8' },
    { name: 'postOnly', type: 'bool' },
    { name: 'reduceOnly', type: 'bool' },
    { name: 'legs', type: 'OrderLeg[]' },
    { name: 'nonce', type: 'uint32' },
    { name: 'expiration', type: 'int64' },
  ],
  OrderLeg: [
    { name: 'assetID', type: 'uint256' },
    { name: 'contractSize', type: 'uint64' },
    { name: 'limitPrice', type: 'uint64' },
    { name: 'isBuyingContract', type: 'bool' },
  ],
} as const;

/** Time-in-force names on GRVT's wire and the uint8 code signed for each. */
export const GRVT_SIGN_TIME_IN_FORCE = {
  GOOD_TILL_TIME: 1,
  ALL_OR_NONE: 2,
  IMMEDIATE_OR_CANCEL: 3,
  FILL_OR_KILL: 4,
} as const;
export type GrvtTimeInForce = keyof typeof GRVT_SIGN_TIME_IN_FORCE;

/** What signing needs to know about an instrument (from GRVT's `instrument` / `all_instruments`). */
export interface GrvtSigningInstrument {
  /** GRVT name, e.g. 'BTC_USDT_Perp'. */
  instrument: string;
  /** The asset id signed in each leg, e.g. '0x030501'. */
  instrumentHash: string;
  baseDecimals: number;
}

export interface GrvtOrderLegToSign {
  instrument: string;
  /** Base-asset quantity as a decimal string, > 0. */
  size: string;
  /** Decimal string; null / '' / '0' for market orders (signed as 0). */
  limitPrice: string | null;
  isBuyingAsset: boolean;
}

export interface GrvtOrderToSign {
  /** uint64 as a decimal string. */
  subAccountId: string;
  isMarket: boolean;
  timeInForce: GrvtTimeInForce;
  postOnly: boolean;
  reduceOnly: boolean;
  legs: GrvtOrderLegToSign[];
  /** uint32, random per order (GRVT drops an exact duplicate payload). */
  nonce: number;
  /** Unix nanoseconds as a decimal string (GRVT caps it at 30 days ahead). */
  expiration: string;
}

/** The `signature` object of a GRVT order, as sent on the wire (full field names). */
export interface GrvtSignature {
  signer: Address;
  r: Hex;
  s: Hex;
  v: number;
  expiration: string;
  nonce: number;
  chain_id: string;
}

export interface GrvtOrderTypedData {
  domain: { name: string; version: string; chainId: number };
  types: typeof GRVT_ORDER_EIP712_TYPES;
  primaryType: 'Order';
  message: {
    subAccountID: bigint;
    isMarket: boolean;
    timeInForce: number;
    postOnly: boolean;
    reduceOnly: boolean;
    legs: Array<{ assetID: bigint; contractSize: bigint; limitPrice: bigint; isBuyingContract: boolean }>;
    nonce: number;
    expiration: bigint;
  };
}

export class GrvtSigningError extends Error {
  override name = 'GrvtSigningError';
}

export type GrvtInstrumentLookup =
  | ReadonlyMap<string, GrvtSigningInstrument>
  | ((instrument: string) => GrvtSigningInstrument | undefined);

const UINT64_MAX = (1n << 64n) - 1n;
const INT64_MAX = (1n << 63n) - 1n;
const UINT32_MAX = 2 ** 32 - 1;
const DECIMAL_RE = /^(\d+)(?:\.(\d+))?$/;
const UINT_RE = /^\d+$/;

/**
 * `text` x 10^decimals as an exact bigint. Throws when `text` is not a plain non-negative decimal or has more
 * fractional digits than `decimals` (other than trailing zeros).
 */
export function scaleDecimal(text: string, decimals: number): bigint {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 36) {
    throw new GrvtSigningError(`invalid decimals: ${decimals}`);
  }
  const m = DECIMAL_RE.exec(text);
  if (!m) throw new GrvtSigningError(`not a non-negative decimal: ${JSON.stringify(text)}`);
  const int = m[1] ?? '0';
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length > decimals) {
    throw new GrvtSigningError(`${text} has more than ${decimals} decimal places`);
  }
  return BigInt(int + frac.padEnd(decimals, '0'));
}

function lookup(instruments: GrvtInstrumentLookup, name: string): GrvtSigningInstrument {
  const found = typeof instruments === 'function' ? instruments(name) : instruments.get(name);
  if (!found) throw new GrvtSigningError(`unknown instrument ${name}`);
  return found;
}

function parseUint(text: string, max: bigint, what: string): bigint {
  if (!UINT_RE.test(text)) throw new GrvtSigningError(`${what} must be an unsigned integer string, got ${JSON.stringify(text)}`);
  const value = BigInt(text);
  if (value > max) throw new GrvtSigningError(`${what} out of range: ${text}`);
  return value;
}

/** The EIP-712 typed data GRVT expects to be signed for `order`. */
export function buildOrderTypedData(
  order: GrvtOrderToSign,
  instruments: GrvtInstrumentLookup,
  chainId: number,
): GrvtOrderTypedData {
  if (!Number.isSafeInteger(chainId) || chainId <= 0) throw new GrvtSigningError(`invalid chain id: ${chainId}`);
  if (!Number.isInteger(order.nonce) || order.nonce < 0 || order.nonce > UINT32_MAX) {
    throw new GrvtSigningError(`nonce must be a uint32, got ${order.nonce}`);
  }
  const timeInForce = GRVT_SIGN_TIME_IN_FORCE[order.timeInForce];
  if (timeInForce === undefined) throw new GrvtSigningError(`unknown time in force ${String(order.timeInForce)}`);
  if (order.legs.length === 0) throw new GrvtSigningError('an order needs at least one leg');

  const legs = order.legs.map((leg) => {
    const inst = lookup(instruments, leg.instrument);
    const contractSize = scaleDecimal(leg.size, inst.baseDecimals);
    if (contractSize === 0n) throw new GrvtSigningError(`leg size must be positive, got ${leg.size}`);
    if (contractSize > UINT64_MAX) throw new GrvtSigningError(`leg size too large: ${leg.size}`);
    const price = leg.limitPrice ?? '';
    const limitPrice = price === '' ? 0n : scaleDecimal(price, GRVT_PRICE_DECIMALS);
    if (limitPrice > UINT64_MAX) throw new GrvtSigningError(`limit price too large: ${price}`);
    let assetID: bigint;
    try {
      assetID = BigInt(inst.instrumentHash);
    } catch {
      throw new GrvtSigningError(`invalid instrument hash for ${inst.instrument}: ${inst.instrumentHash}`);
    }
    return { assetID, contractSize, limitPrice, isBuyingContract: leg.isBuyingAsset };
  });

  return {
    domain: { name: GRVT_EIP712_DOMAIN_NAME, version: GRVT_EIP712_DOMAIN_VERSION, chainId },
    types: GRVT_ORDER_EIP712_TYPES,
    primaryType: 'Order',
    message: {
      subAccountID: parseUint(order.subAccountId, UINT64_MAX, 'subAccountId'),
      isMarket: order.isMarket,
      timeInForce,
      postOnly: order.postOnly,
      reduceOnly: order.reduceOnly,
      legs,
      nonce: order.nonce,
      expiration: parseUint(order.expiration, INT64_MAX, 'expiration'),
    },
  };
}

/** secp256k1's group order: a private key is an integer k with 1 <= k < n. */
const SECP256K1_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/**
 * Whether `key` (0x and 64 hex digits) is a usable secp256k1 private key. Checked
 * when the adapter is made, because the curve library's own refusal, thrown at the
 * first signature, prints the key as a decimal integer.
 */
export function isValidSignerKey(key: string): boolean {
  if (!/^0x[0-9a-fA-F]{64}$/.test(key)) return false;
  const k = BigInt(key);
  return k >= 1n && k < SECP256K1_ORDER;
}

/** Signs `order` with the API key's signer and returns the wire `signature` object. */
export async function signOrder(
  order: GrvtOrderToSign,
  privateKey: Hex,
  instruments: GrvtInstrumentLookup,
  chainId: number,
): Promise<GrvtSignature> {
  const typedData = buildOrderTypedData(order, instruments, chainId);
  // viem (about 55 MB resident) is loaded with the first signature: only a process trading on GRVT carries it.
  const [{ parseSignature }, { privateKeyToAccount }] = await Promise.all([import('viem'), import('viem/accounts')]);
  const account = privateKeyToAccount(privateKey);
  const { r, s, v, yParity } = parseSignature(await account.signTypedData(typedData));
  return {
    signer: account.address,
    r,
    s,
    v: v === undefined ? 27 + yParity : Number(v),
    expiration: order.expiration,
    nonce: order.nonce,
    chain_id: String(chainId),
  };
}

/**
 * Server-side check of a GRVT order's EIP-712 signature: rebuild the typed data from the order as received,
 * recover the signer with viem and compare. Written independently of our adapter's signer so that a bug in one
 * cannot hide behind the same bug in the other; both are pinned to GRVT's SDK test vectors.
 *
 * Amount conversion follows GRVT's SDK (`int(Decimal(size) * 10**base_decimals)`): exact, truncating surplus
 * digits, so an SDK-signed order verifies here; the lot-size check then rejects a too-granular size.
 */
import type { Address, Hex } from 'viem';
import { isAddressEqual, recoverTypedDataAddress } from 'viem';
import { GrvtApiError } from './errors.js';
import type { OrderWire, SignatureWire } from './wire-schemas.js';

export const GRVT_ORDER_TYPES = {
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

export const SIGN_TIME_IN_FORCE: Readonly<Record<string, number>> = {
  GOOD_TILL_TIME: 1,
  ALL_OR_NONE: 2,
  IMMEDIATE_OR_CANCEL: 3,
  FILL_OR_KILL: 4,
};

const PRICE_DECIMALS = 9;
const UINT64_MAX = (1n << 64n) - 1n;
/** secp256k1 group order / 2: GRVT (like Ethereum) only accepts low-s signatures. */
const HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

export interface SigningInstrumentInfo {
  hash: string;
  baseDecimals: number;
}

/** `text` x 10^decimals, truncated toward zero like the SDK; null if `text` is not a non-negative decimal. */
export function truncateScaled(text: string, decimals: number): bigint | null {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return null;
  const frac = (m[2] ?? '').slice(0, decimals).padEnd(decimals, '0');
  return BigInt((m[1] ?? '0') + frac);
}

export function orderTypedData(
  order: OrderWire,
  instrument: (name: string) => SigningInstrumentInfo | undefined,
  chainId: number,
) {
  const legs = order.legs.map((leg) => {
    const inst = instrument(leg.instrument);
    if (!inst) throw new GrvtApiError('UNSUPPORTED_INSTRUMENT', leg.instrument);
    const contractSize = truncateScaled(leg.size, inst.baseDecimals);
    const price = leg.limit_price ?? '';
    const limitPrice = price === '' ? 0n : truncateScaled(price, PRICE_DECIMALS);
    if (contractSize === null || contractSize > UINT64_MAX) throw new GrvtApiError('MALFORMED', `legs.size ${leg.size}`);
    if (limitPrice === null || limitPrice > UINT64_MAX) throw new GrvtApiError('MALFORMED', `legs.limit_price ${price}`);
    return { assetID: BigInt(inst.hash), contractSize, limitPrice, isBuyingContract: leg.is_buying_asset };
  });
  const timeInForce = SIGN_TIME_IN_FORCE[order.time_in_force];
  if (timeInForce === undefined) throw new GrvtApiError('TIME_IN_FORCE', order.time_in_force);
  const subAccountID = BigInt(order.sub_account_id);
  if (subAccountID > UINT64_MAX) throw new GrvtApiError('MALFORMED', 'sub_account_id out of range');
  return {
    domain: { name: 'GRVT Exchange', version: '0', chainId },
    types: GRVT_ORDER_TYPES,
    primaryType: 'Order' as const,
    message: {
      subAccountID,
      isMarket: order.is_market ?? false,
      timeInForce,
      postOnly: order.post_only ?? false,
      reduceOnly: order.reduce_only ?? false,
      legs,
      nonce: order.signature.nonce,
      expiration: BigInt(order.signature.expiration),
    },
  };
}

/** r or s as 32 bytes of hex; GRVT's docs accept them with or without the 0x prefix. */
function word(text: string): Hex {
  const body = text.startsWith('0x') || text.startsWith('0X') ? text.slice(2) : text;
  if (!/^[0-9a-fA-F]{64}$/.test(body)) throw new GrvtApiError('SIGNATURE_RS');
  return `0x${body.toLowerCase()}`;
}

/** Checks the signature's form, then recovers the signer; throws 2002 when it does not match `signature.signer`. */
export async function recoverOrderSigner(
  order: OrderWire,
  instrument: (name: string) => SigningInstrumentInfo | undefined,
  chainId: number,
): Promise<Address> {
  const sig: SignatureWire = order.signature;
  const r = word(sig.r);
  const s = word(sig.s);
  if (sig.v !== 27 && sig.v !== 28) throw new GrvtApiError('SIGNATURE_V');
  if (BigInt(s) > HALF_N) throw new GrvtApiError('SIGNATURE_LOW_S');
  const typedData = orderTypedData(order, instrument, chainId);
  let recovered: Address;
  try {
    recovered = await recoverTypedDataAddress({ ...typedData, signature: { r, s, v: BigInt(sig.v) } });
  } catch {
    throw new GrvtApiError('SIGNATURE_MISMATCH');
  }
  if (!isAddressEqual(recovered, sig.signer as Address)) throw new GrvtApiError('SIGNATURE_MISMATCH');
  return recovered;
}

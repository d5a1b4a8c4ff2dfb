import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hashDomain, hashTypedData, recoverTypedDataAddress } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import {
  buildOrderTypedData,
  GRVT_CHAIN_IDS,
  GrvtSigningError,
  isValidSignerKey,
  scaleDecimal,
  signOrder,
  type GrvtOrderToSign,
  type GrvtSigningInstrument,
} from '../../src/grvt/order-signing.js';

/*
 * Test vectors from GRVT's Python SDK, github.com/gravity-technologies/grvt-pysdk (commit bb77839):
 * - tests/pysdk/test_grvt_raw_signing.py, test_sign_order_table: key f79346..., TESTNET (chain id 326),
 *   cases "test decimal precision 1, 3 decimals" and "test decimal precision 2, 9 decimals";
 * - tests/pysdk/test_grvt_raw_signing_intermediate_steps.py, test_sign_order_table: key c0663c..., same order,
 *   with the domain separator ("header"), struct hash ("body") and message hash pinned too.
 * Instrument in both: BTC_USDT_Perp, instrument_hash 0x030501, base_decimals 9.
 */
const SDK_INSTRUMENTS = new Map<string, GrvtSigningInstrument>([
  ['BTC_USDT_Perp', { instrument: 'BTC_USDT_Perp', instrumentHash: '0x030501', baseDecimals: 9 }],
]);

function sdkOrder(size: string, limitPrice: string): GrvtOrderToSign {
  return {
    subAccountId: '8289849667772468',
    isMarket: false,
    timeInForce: 'GOOD_TILL_TIME',
    postOnly: false,
    reduceOnly: false,
    legs: [{ instrument: 'BTC_USDT_Perp', size, limitPrice, isBuyingAsset: false }],
    nonce: 828700936,
    expiration: '1730800479321350000',
  };
}

describe('GRVT order signing: SDK test vectors', () => {
  it('reproduces test_grvt_raw_signing.py case 1 (size 1.013 @ 68900.5) exactly', async () => {
    const key = '0xf7934647276a6e1fa0af3f4467b4b8ddaf45d25a7368fa1a295eef49a446819d';
    const sig = await signOrder(sdkOrder('1.013', '68900.5'), key, SDK_INSTRUMENTS, GRVT_CHAIN_IDS.testnet);
    expect(sig.r).toBe('0xb00512d986a718b15136a8ba23de1c1ec84bbdb9958629cbbe4909bae620bb04');
    expect(sig.s).toBe('0x79f706de61c68cc14d7734594b5d8689df2b2a7b25951f9a3f61d799f4327ffc');
    expect(sig.v).toBe(28);
    expect(sig.signer).toBe(privateKeyToAccount(key).address);
    expect(sig).toMatchObject({ expiration: '1730800479321350000', nonce: 828700936, chain_id: '326' });
  });

  it('reproduces test_grvt_raw_signing.py case 2 (9-decimal size and price) exactly', async () => {
    const key = '0xf7934647276a6e1fa0af3f4467b4b8ddaf45d25a7368fa1a295eef49a446819d';
    const sig = await signOrder(sdkOrder('1.123123123', '68900.777123479'), key, SDK_INSTRUMENTS, 326);
    expect(sig.r).toBe('0x365ec79d299c8bcd5f2acff89faf741a90ca02a4b8a6b1b1a5d4f3d16130f9f0');
    expect(sig.s).toBe('0x465129bca7855f008ea5bc22fe3ee630e4a8e3b9b99c1745631deef29957048a');
    expect(sig.v).toBe(28);
  });

  it('reproduces the intermediate steps of test_grvt_raw_signing_intermediate_steps.py case 1', async () => {
    const typed = buildOrderTypedData(sdkOrder('1.013', '68900.5'), SDK_INSTRUMENTS, 326);
    expect(typed.message.legs[0]).toEqual({
      assetID: 0x030501n,
      contractSize: 1013000000n,
      limitPrice: 68900500000000n,
      isBuyingContract: false,
    });
    const domainTypes = {
      EIP712Domain: [
        { name: 'name', type: 'string' },
        { name: 'version', type: 'string' },
        { name: 'chainId', type: 'uint256' },
      ],
    } as const;
    expect(hashDomain({ domain: { ...typed.domain, chainId: BigInt(typed.domain.chainId) }, types: domainTypes })).toBe(
      '0x1254f97f8495f704630a238cbcd898a4b8ab20d77bb93e17049d3445f4f81f16',
    );
    expect(hashTypedData(typed)).toBe('0x03cb7ca7b353969ab2c00ff92fd472f81f59a84d28fa1aa39128176f21062982');

    const key = '0xc0663ca94684aead40c41a1cb3a94b68a24296e87245be3a186e882a29a15ee0';
    const sig = await signOrder(sdkOrder('1.013', '68900.5'), key, SDK_INSTRUMENTS, 326);
    expect(sig.signer.toLowerCase()).toBe('0xee2060eecac18bec7f8f670d751801294911e445');
    // r and s pinned as integers in the SDK file.
    expect(BigInt(sig.r)).toBe(14615867946748605809126568669694142791729730263440553623296112010401671344650n);
    expect(BigInt(sig.s)).toBe(41758084966111141828834491248882149351523023670747687501271185591898818786045n);
    expect(sig.v).toBe(28);
  });
});

describe('GRVT order signing: encoding', () => {
  const key = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d' as const;

  it('recovers the signer from the typed data and the signature', async () => {
    const order = { ...sdkOrder('0.5', '65000.1'), isMarket: false, postOnly: true };
    const sig = await signOrder(order, key, SDK_INSTRUMENTS, 325);
    const recovered = await recoverTypedDataAddress({
      ...buildOrderTypedData(order, SDK_INSTRUMENTS, 325),
      signature: { r: sig.r, s: sig.s, v: BigInt(sig.v) },
    });
    expect(recovered).toBe(sig.signer);
  });

  it('signs a market order with limitPrice 0', () => {
    const order: GrvtOrderToSign = {
      ...sdkOrder('1', '0'),
      isMarket: true,
      timeInForce: 'IMMEDIATE_OR_CANCEL',
      legs: [{ instrument: 'BTC_USDT_Perp', size: '1', limitPrice: null, isBuyingAsset: true }],
    };
    const typed = buildOrderTypedData(order, SDK_INSTRUMENTS, 325);
    expect(typed.message.legs[0]?.limitPrice).toBe(0n);
    expect(typed.message.timeInForce).toBe(3);
  });

  it('changes the signature when any signed field changes', async () => {
    const base = sdkOrder('1.013', '68900.5');
    const ref = await signOrder(base, key, SDK_INSTRUMENTS, 325);
    const variants: GrvtOrderToSign[] = [
      { ...base, subAccountId: '8289849667772469' },
      { ...base, nonce: base.nonce + 1 },
      { ...base, expiration: '1730800479321350001' },
      { ...base, postOnly: true },
      { ...base, reduceOnly: true },
      { ...base, timeInForce: 'FILL_OR_KILL' },
      { ...base, legs: [{ ...base.legs[0]!, size: '1.014' }] },
      { ...base, legs: [{ ...base.legs[0]!, limitPrice: '68900.6' }] },
      { ...base, legs: [{ ...base.legs[0]!, isBuyingAsset: true }] },
    ];
    for (const v of variants) expect((await signOrder(v, key, SDK_INSTRUMENTS, 325)).r).not.toBe(ref.r);
    expect((await signOrder(base, key, SDK_INSTRUMENTS, 326)).r).not.toBe(ref.r);
  });

  it('refuses values that do not convert exactly, and bad fields', () => {
    const bad: Array<Partial<GrvtOrderToSign>> = [
      { legs: [{ instrument: 'BTC_USDT_Perp', size: '1.1231231234', limitPrice: '1', isBuyingAsset: true }] },
      { legs: [{ instrument: 'BTC_USDT_Perp', size: '1', limitPrice: '68900.7771234794', isBuyingAsset: true }] },
      { legs: [{ instrument: 'BTC_USDT_Perp', size: '-1', limitPrice: '1', isBuyingAsset: true }] },
      { legs: [{ instrument: 'BTC_USDT_Perp', size: '0', limitPrice: '1', isBuyingAsset: true }] },
      { legs: [{ instrument: 'BTC_USDT_Perp', size: '1e3', limitPrice: '1', isBuyingAsset: true }] },
      { legs: [{ instrument: 'ETH_USDT_Perp', size: '1', limitPrice: '1', isBuyingAsset: true }] },
      { legs: [] },
      { nonce: -1 },
      { nonce: 2 ** 32 },
      { nonce: 1.5 },
      { subAccountId: '18446744073709551616' },
      { subAccountId: '0x12' },
      { expiration: '9223372036854775808' },
      { expiration: '-1' },
    ];
    for (const patch of bad) {
      expect(() => buildOrderTypedData({ ...sdkOrder('1', '1'), ...patch }, SDK_INSTRUMENTS, 325)).toThrow(
        GrvtSigningError,
      );
    }
  });
});

describe('isValidSignerKey', () => {
  it('takes a key from 1 to below the curve order, and nothing else', () => {
    expect(isValidSignerKey(`0x${'0'.repeat(63)}1`)).toBe(true);
    expect(isValidSignerKey('0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140')).toBe(true);
    expect(isValidSignerKey('0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141')).toBe(false);
    expect(isValidSignerKey(`0x${'f'.repeat(64)}`)).toBe(false);
    expect(isValidSignerKey(`0x${'0'.repeat(64)}`)).toBe(false);
    expect(isValidSignerKey('0x1234')).toBe(false);
  });
});

describe('scaleDecimal', () => {
  it('is exact where floats are not', () => {
    expect(scaleDecimal('1.013', 9)).toBe(1013000000n);
    expect(scaleDecimal('0.1', 9) + scaleDecimal('0.2', 9)).toBe(scaleDecimal('0.3', 9));
    expect(scaleDecimal('68900.500000000000', 9)).toBe(68900500000000n);
    expect(scaleDecimal('7', 0)).toBe(7n);
  });

  it('round-trips any integer and scale (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.integer({ min: 0, max: 18 }), (units, decimals) => {
        const digits = units.toString().padStart(decimals + 1, '0');
        const text = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
        expect(scaleDecimal(text, decimals)).toBe(units);
      }),
    );
  });
});

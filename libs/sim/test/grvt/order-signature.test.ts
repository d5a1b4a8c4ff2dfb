import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSignature } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { signOrder, type GrvtOrderToSign } from '@perpetua/venues';
import { createSimWorld } from '../../src/world.js';
import { GRVT_ORDER_TYPES, recoverOrderSigner, startGrvtFacade, type GrvtFacade } from '../../src/facades/grvt/index.js';
import type { OrderWire } from '../../src/facades/grvt/wire-schemas.js';
import { apiClientOrderId, asJson, instrumentLookup, login, post, signedOrder, type Json, type Session } from './grvt-client.js';

/*
 * GRVT Python SDK vectors (github.com/gravity-technologies/grvt-pysdk @ bb77839,
 * tests/pysdk/test_grvt_raw_signing.py and test_grvt_raw_signing_intermediate_steps.py), the same ones
 * libs/venues/test/grvt/order-signing.test.ts reproduces with our signer. Here the façade's independent verifier must
 * recover the SDK's signer from the SDK's (r, s, v).
 */
const SDK_INSTRUMENT = (name: string) => (name === 'BTC_USDT_Perp' ? { hash: '0x030501', baseDecimals: 9 } : undefined);

function sdkWireOrder(size: string, price: string, sig: { r: string; s: string; v: number; signer: string }): OrderWire {
  return {
    sub_account_id: '8289849667772468',
    is_market: false,
    time_in_force: 'GOOD_TILL_TIME',
    post_only: false,
    reduce_only: false,
    legs: [{ instrument: 'BTC_USDT_Perp', size, limit_price: price, is_buying_asset: false }],
    signature: { ...sig, expiration: '1730800479321350000', nonce: 828700936 },
  };
}

describe('GRVT façade order signatures: SDK vectors', () => {
  it('recovers the SDK signer from test_grvt_raw_signing.py case 1 (1.013 @ 68900.5)', async () => {
    const key = '0xf7934647276a6e1fa0af3f4467b4b8ddaf45d25a7368fa1a295eef49a446819d';
    const signer = privateKeyToAccount(key).address;
    const order = sdkWireOrder('1.013', '68900.5', {
      r: '0xb00512d986a718b15136a8ba23de1c1ec84bbdb9958629cbbe4909bae620bb04',
      s: '0x79f706de61c68cc14d7734594b5d8689df2b2a7b25951f9a3f61d799f4327ffc',
      v: 28,
      signer,
    });
    expect(await recoverOrderSigner(order, SDK_INSTRUMENT, 326)).toBe(signer);
  });

  it('recovers the SDK signer of the intermediate-steps file (0xee2060...), r/s given as integers there', async () => {
    const r = `0x${14615867946748605809126568669694142791729730263440553623296112010401671344650n.toString(16).padStart(64, '0')}`;
    const s = `0x${41758084966111141828834491248882149351523023670747687501271185591898818786045n.toString(16).padStart(64, '0')}`;
    const order = sdkWireOrder('1.013', '68900.5', { r, s, v: 28, signer: '0xee2060eecac18bec7f8f670d751801294911e445' });
    const recovered = await recoverOrderSigner(order, SDK_INSTRUMENT, 326);
    expect(recovered.toLowerCase()).toBe('0xee2060eecac18bec7f8f670d751801294911e445');
  });

  it('recovers case 2 (9-decimal size and price), r and s without the 0x prefix as GRVT also accepts', async () => {
    const key = '0xf7934647276a6e1fa0af3f4467b4b8ddaf45d25a7368fa1a295eef49a446819d';
    const order = sdkWireOrder('1.123123123', '68900.777123479', {
      r: '365ec79d299c8bcd5f2acff89faf741a90ca02a4b8a6b1b1a5d4f3d16130f9f0',
      s: '465129bca7855f008ea5bc22fe3ee630e4a8e3b9b99c1745631deef29957048a',
      v: 28,
      signer: privateKeyToAccount(key).address,
    });
    expect(await recoverOrderSigner(order, SDK_INSTRUMENT, 326)).toBe(privateKeyToAccount(key).address);
  });

  it('refuses the SDK vector on the wrong chain, with a changed field, or a high-s signature', async () => {
    const key = '0xf7934647276a6e1fa0af3f4467b4b8ddaf45d25a7368fa1a295eef49a446819d';
    const sig = {
      r: '0xb00512d986a718b15136a8ba23de1c1ec84bbdb9958629cbbe4909bae620bb04',
      s: '0x79f706de61c68cc14d7734594b5d8689df2b2a7b25951f9a3f61d799f4327ffc',
      v: 28,
      signer: privateKeyToAccount(key).address,
    };
    await expect(recoverOrderSigner(sdkWireOrder('1.013', '68900.5', sig), SDK_INSTRUMENT, 325)).rejects.toMatchObject({ code: 2002 });
    await expect(recoverOrderSigner(sdkWireOrder('1.014', '68900.5', sig), SDK_INSTRUMENT, 326)).rejects.toMatchObject({ code: 2002 });
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const highS = { ...sig, s: `0x${(n - BigInt(sig.s)).toString(16)}`, v: 27 };
    await expect(recoverOrderSigner(sdkWireOrder('1.013', '68900.5', highS), SDK_INSTRUMENT, 326)).rejects.toMatchObject({ code: 2007 });
  });
});

describe('GRVT façade create_order over HTTP', () => {
  let facade: GrvtFacade;
  let session: Session;
  const world = createSimWorld({ seed: 7 });

  beforeAll(async () => {
    facade = await startGrvtFacade({ world, speedBumpMs: 0 });
    session = await login(facade);
  });
  afterAll(async () => {
    await facade.close();
  });

  const restingBid = (): string => {
    const bid = Number(world.venue('grvt').book('BTC-PERP', 1).bids[0]![0]);
    return (Math.floor(bid * 0.98 * 10) / 10).toFixed(1);
  };

  it('accepts an order signed with the project signer (libs/venues order-signing)', async () => {
    const body = await signedOrder(facade, { size: '0.01', price: restingBid(), buy: true, postOnly: true });
    const res = await post(`${facade.tradesUrl}/full/v1/create_order`, body, session);
    expect(res.status).toBe(200);
    const result = asJson(asJson(res.body).result);
    expect(asJson(result.state).status).toBe('OPEN');
    expect(result.order_id).toMatch(/^0x[0-9a-f]+$/);
    expect(asJson(result.signature).signer).toBe(facade.credentials.signerAddress);
  });

  it("accepts an order signed with viem's signTypedData directly (domain and types as in grvt.md)", async () => {
    const account = privateKeyToAccount(facade.credentials.signerPrivateKey);
    const price = restingBid();
    const nonce = randomInt(0, 2 ** 32 - 1);
    const expiration = (BigInt(Date.now() + 600_000) * 1_000_000n).toString();
    const signature = await account.signTypedData({
      domain: { name: 'GRVT Exchange', version: '0', chainId: 326 },
      types: GRVT_ORDER_TYPES,
      primaryType: 'Order',
      message: {
        subAccountID: BigInt(facade.credentials.subAccountId),
        isMarket: false,
        timeInForce: 1,
        postOnly: true,
        reduceOnly: false,
        legs: [{ assetID: 0x030501n, contractSize: 20_000_000n, limitPrice: BigInt(Math.round(Number(price) * 10)) * 100_000_000n, isBuyingContract: true }],
        nonce,
        expiration: BigInt(expiration),
      },
    });
    const { r, s, v } = parseSignature(signature);
    const body = {
      order: {
        sub_account_id: facade.credentials.subAccountId,
        time_in_force: 'GOOD_TILL_TIME',
        post_only: true,
        legs: [{ instrument: 'BTC_USDT_Perp', size: '0.02', limit_price: price, is_buying_asset: true }],
        signature: { signer: account.address, r, s, v: Number(v), expiration, nonce, chain_id: '326' },
        metadata: { client_order_id: apiClientOrderId(randomInt(1, 2 ** 40)) },
      },
    };
    const res = await post(`${facade.tradesUrl}/full/v1/create_order`, body, session);
    expect(res.status).toBe(200);
    expect(asJson(asJson(asJson(res.body).result).state).status).toBe('OPEN');
  });

  it('rejects the same signed order with any signed field tampered (2002), or signed by another key (2000)', async () => {
    const tampers: Array<(o: Json) => void> = [
      (o) => ((o.legs as Json[])[0]!.size = '0.02'),
      (o) => ((o.legs as Json[])[0]!.limit_price = '1000.1'),
      (o) => ((o.legs as Json[])[0]!.is_buying_asset = false),
      (o) => (o.post_only = false),
      (o) => (o.reduce_only = true),
      (o) => (asJson(o.signature).nonce = (Number(asJson(o.signature).nonce) ^ 1) >>> 0),
    ];
    for (const tamper of tampers) {
      const body = await signedOrder(facade, { size: '0.01', price: restingBid(), buy: true, postOnly: true });
      tamper(asJson(body.order));
      const res = await post(`${facade.tradesUrl}/full/v1/create_order`, body, session);
      expect(res.status, JSON.stringify(res.body)).toBe(403);
      expect(res.body).toMatchObject({ code: 2002, status: 403 });
    }
    // A valid signature by a key the API key is not tagged to.
    const stranger = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d' as const;
    const body = await signedOrder(facade, { size: '0.01', price: restingBid(), buy: true, postOnly: true }, {
      ...facade.credentials,
      signerPrivateKey: stranger,
    });
    const res = await post(`${facade.tradesUrl}/full/v1/create_order`, body, session);
    expect(res.body).toMatchObject({ code: 2000, status: 403 });
  });

  it('rejects a signature for the production chain id (325) on the testnet façade', async () => {
    const toSign: GrvtOrderToSign = {
      subAccountId: facade.credentials.subAccountId,
      isMarket: false,
      timeInForce: 'GOOD_TILL_TIME',
      postOnly: true,
      reduceOnly: false,
      legs: [{ instrument: 'BTC_USDT_Perp', size: '0.01', limitPrice: restingBid(), isBuyingAsset: true }],
      nonce: randomInt(0, 2 ** 32 - 1),
      expiration: (BigInt(Date.now() + 600_000) * 1_000_000n).toString(),
    };
    const signature = await signOrder(toSign, facade.credentials.signerPrivateKey, instrumentLookup, 325);
    const body = {
      order: {
        sub_account_id: toSign.subAccountId,
        time_in_force: 'GOOD_TILL_TIME',
        post_only: true,
        legs: [{ instrument: 'BTC_USDT_Perp', size: '0.01', limit_price: toSign.legs[0]!.limitPrice, is_buying_asset: true }],
        signature: { ...signature, chain_id: undefined },
        metadata: { client_order_id: apiClientOrderId(42) },
      },
    };
    const res = await post(`${facade.tradesUrl}/full/v1/create_order`, body, session);
    expect(res.body).toMatchObject({ code: 2002, status: 403 });
  });
});

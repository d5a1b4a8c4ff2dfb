import { z } from 'zod';

/**
 * The line `perpetua sim` prints first on stdout, as a schema: gateways, tests and
 * the demo read the façades' URLs and the demo accounts' credentials from it.
 * Credentials are the simulator's own demo keys, valid on loopback only.
 */
const HttpUrl = z.string().regex(/^http:\/\/\S+$/, 'expected an http:// URL');
const WsUrl = z.string().regex(/^ws:\/\/\S+$/, 'expected a ws:// URL');

export const BinanceSimVenue = z.object({
  protocol: z.literal('binanceusdm'),
  rest: HttpUrl,
  ws: WsUrl,
  credentials: z.object({ apiKey: z.string(), secret: z.string(), accountId: z.string() }),
});

export const StandxSimVenue = z.object({
  protocol: z.literal('standx'),
  rest: HttpUrl,
  ws: WsUrl,
  /** The order-response stream (/ws-api/v1); absent from simulators that predate it. */
  orderWs: WsUrl.optional(),
  credentials: z.object({ accountId: z.string(), token: z.string(), privateKey: z.string(), publicKey: z.string(), address: z.string() }),
});

export const BybitSimVenue = z.object({
  protocol: z.literal('bybit'),
  rest: HttpUrl,
  publicWs: WsUrl,
  privateWs: WsUrl,
  credentials: z.object({ apiKey: z.string(), secret: z.string(), accountId: z.string() }),
});

export const OkxSimVenue = z.object({
  protocol: z.literal('okx'),
  rest: HttpUrl,
  /** The stream origin: OKX's paths /ws/v5/public and /ws/v5/private are served on it. */
  ws: WsUrl,
  credentials: z.object({ apiKey: z.string(), secret: z.string(), password: z.string(), accountId: z.string() }),
});

export const GrvtSimVenue = z.object({
  protocol: z.literal('grvt'),
  edge: HttpUrl,
  marketData: HttpUrl,
  trades: HttpUrl,
  marketDataWs: WsUrl,
  tradesWs: WsUrl,
  chainId: z.number().int(),
  credentials: z.object({
    apiKey: z.string(),
    signerPrivateKey: z.string().regex(/^0x[0-9a-fA-F]{64}$/),
    signerAddress: z.string(),
    subAccountId: z.string(),
    accountId: z.string(),
  }),
});

export const SimVenueDescriptor = z.discriminatedUnion('protocol', [BinanceSimVenue, BybitSimVenue, OkxSimVenue, StandxSimVenue, GrvtSimVenue]);
export type SimVenueDescriptor = z.infer<typeof SimVenueDescriptor>;

export const SimReady = z.object({
  event: z.literal('ready'),
  seed: z.number().int(),
  admin: HttpUrl.optional(),
  venues: z.record(z.string(), SimVenueDescriptor),
});
export type SimReady = z.infer<typeof SimReady>;

import { z } from 'zod';

export const Side = z.enum(['buy', 'sell']);
export type Side = z.infer<typeof Side>;

export const opposite = (side: Side): Side => (side === 'buy' ? 'sell' : 'buy');
/** +1 for buy, -1 for sell: the sign a fill gives a position. */
export const sideSign = (side: Side): 1 | -1 => (side === 'buy' ? 1 : -1);

import { z } from 'zod';

/** How far the avellaneda-stoikov horizon T − t is, in seconds. */
export const horizonParamShape = {
  /**
   * `infinite` (default): T − t = 1 s, constant (Hummingbot's infinite mode).
   * `rolling`: T − t = horizon_seconds, constant: the horizon moves with time.
   * `daily`: T − t = the seconds left until closing_time (UTC) today or tomorrow.
   */
  horizon: z.enum(['infinite', 'rolling', 'daily']).default('infinite'),
  /** The rolling horizon, seconds. Default 300. */
  horizon_seconds: z.number().positive().max(366 * 86_400).default(300),
  /** The daily horizon's end, `HH:MM` in UTC. Default 00:00. */
  closing_time: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (UTC)')
    .default('00:00'),
};

export interface HorizonParams {
  horizon: 'infinite' | 'rolling' | 'daily';
  horizon_seconds: number;
  closing_time: string;
}

const DAY_MS = 86_400_000;

/** T − t in seconds at `now` (ms since the epoch). */
export function timeToHorizon(p: HorizonParams, now: number): number {
  switch (p.horizon) {
    case 'infinite':
      return 1;
    case 'rolling':
      return p.horizon_seconds;
    case 'daily': {
      const [hh, mm] = p.closing_time.split(':').map(Number) as [number, number];
      const closeOfDay = (hh * 60 + mm) * 60_000;
      const sinceMidnight = ((now % DAY_MS) + DAY_MS) % DAY_MS;
      const left = (closeOfDay - sinceMidnight + DAY_MS) % DAY_MS;
      // At the closing instant itself the next session starts: a full day ahead.
      return (left === 0 ? DAY_MS : left) / 1000;
    }
  }
}

import { natsBusOptions } from '../compose/nats-bus-options.js';
import { hostname, userInfo } from 'node:os';
import { HaltReply, subjects } from '@perpetua/core';
import { BusTimeoutError, NatsBus } from '@perpetua/bus';
import type { PerpetuaConfig } from '../perpetua-config.js';
import { ConfigurationError } from '../compose/configuration-error.js';

export type KillAction = { verb: 'kill'; reason: string } | { verb: 'reset'; reason: string } | { verb: 'status' };

/**
 * `perpetua kill`: the kill switch from a terminal, through risk's control API
 * on NATS. Risk stores the halt (it survives restarts), every router cancels
 * all its orders, and nothing is approved until `perpetua kill --reset`.
 */
export async function runKill(config: PerpetuaConfig, action: KillAction): Promise<HaltReply> {
  if (!config.nats.url) throw new ConfigurationError('perpetua kill talks to the running risk service over NATS: set NATS_URL');
  const bus = await NatsBus.connect(natsBusOptions(config, 'perpetua-kill'));
  const by = `${safeUser()}@${hostname()}`;
  try {
    const body = action.verb === 'status' ? {} : { reason: action.reason, by };
    return await bus.request(subjects.control('risk', action.verb), body, HaltReply, { timeoutMs: 5_000 });
  } catch (err) {
    if (err instanceof BusTimeoutError) throw new Error(`no answer from the risk service on ${subjects.control('risk', action.verb)} (${err.message}): is risk running on ${config.nats.url}?`);
    throw err;
  } finally {
    await bus.close();
  }
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

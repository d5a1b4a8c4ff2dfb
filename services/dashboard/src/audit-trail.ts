import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { ControlAuditMessage } from '@perpetua/core';

export interface AuditInput {
  who: string;
  action: string;
  target: string;
  detail: string;
}

/**
 * Records a control action: one log line (secrets masked by the logger) and
 * one `control.audit` message, which every replica keeps in its bounded log
 * and shows on the Controls page.
 */
export class AuditTrail {
  constructor(
    private readonly publish: (entry: ControlAuditMessage) => void,
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {}

  record(input: AuditInput, outcome: { ok: true } | { ok: false; error: string }): ControlAuditMessage {
    const entry: ControlAuditMessage = {
      id: randomUUID(),
      ts: this.now(),
      who: input.who.slice(0, 128),
      action: input.action.slice(0, 64),
      target: input.target.slice(0, 128),
      detail: input.detail.slice(0, 500),
      ok: outcome.ok,
      ...(outcome.ok ? {} : { error: outcome.error.slice(0, 500) }),
    };
    this.logger.warn({ audit: entry }, `control ${entry.action} ${entry.target} by ${entry.who}: ${entry.ok ? 'ok' : `failed: ${entry.error}`}`);
    this.publish(entry);
    return entry;
  }
}

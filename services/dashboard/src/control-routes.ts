import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodType } from 'zod';
import { BusRemoteError, BusTimeoutError, type Bus } from '@perpetua/bus';
import { HaltReply, StrategyControlReply, subjects } from '@perpetua/core';
import type { AuditTrail } from './audit-trail.js';
import type { ConfigDocument } from './config-document.js';
import { persistStrategyParams } from './config-routes.js';
import type { DashboardMetrics } from './dashboard-metrics.js';
import { EmptyBody, KillBody, ParamsBody, ResetBody, StrategyId, issuesText } from './request-bodies.js';

export interface ControlRoutesOptions {
  bus: Bus;
  audit: AuditTrail;
  metrics: DashboardMetrics;
  who: (req: { ip: string }) => string;
  /** Where accepted params are persisted (absent: they hold until the quoter restarts). */
  document?: ConfigDocument;
  timeoutMs?: number;
}

/**
 * The Controls page's API, each action a `control.*` request to the service
 * that owns it (risk for the kill switch, the quoter for strategies), answered
 * with what that service now reports. Every action, done or refused, is audited.
 */
export function registerControlRoutes(app: FastifyInstance, o: ControlRoutesOptions): void {
  const timeoutMs = o.timeoutMs ?? 3000;

  async function act<T>(reply: FastifyReply, who: string, action: string, target: string, detail: string, call: () => Promise<T>): Promise<FastifyReply> {
    try {
      const answer = await call();
      o.audit.record({ who, action, target, detail }, { ok: true });
      o.metrics.controls.inc({ action, outcome: 'ok' });
      return reply.send(answer);
    } catch (err) {
      const { status, message } = describeFailure(err, target);
      o.audit.record({ who, action, target, detail }, { ok: false, error: message });
      o.metrics.controls.inc({ action, outcome: 'failed' });
      return reply.code(status).send({ error: message });
    }
  }

  const request = <T>(subject: string, body: unknown, schema: ZodType<T>) => o.bus.request(subject, body, schema, { timeoutMs });

  app.get('/api/control/status', async (_req, reply) => {
    try {
      return reply.send(await request(subjects.control('risk', 'status'), {}, HaltReply));
    } catch (err) {
      const { status, message } = describeFailure(err, 'risk');
      return reply.code(status).send({ error: message });
    }
  });

  app.post('/api/control/kill', async (req, reply) => {
    const body = KillBody.safeParse(req.body);
    if (!body.success) return reply.code(400).send({ error: issuesText(body.error)[0], problems: issuesText(body.error) });
    const who = o.who(req);
    return act(reply, who, 'kill', 'risk', body.data.reason, () => request(subjects.control('risk', 'kill'), { reason: body.data.reason, by: who.slice(0, 64) }, HaltReply));
  });

  app.post('/api/control/reset', async (req, reply) => {
    const body = ResetBody.safeParse(req.body);
    if (!body.success) return reply.code(400).send({ error: issuesText(body.error)[0], problems: issuesText(body.error) });
    const who = o.who(req);
    return act(reply, who, 'reset', 'risk', body.data.reason, () => request(subjects.control('risk', 'reset'), { reason: body.data.reason, by: who.slice(0, 64) }, HaltReply));
  });

  for (const verb of ['pause', 'resume'] as const) {
    app.post<{ Params: { id: string } }>(`/api/control/strategies/:id/${verb}`, async (req, reply) => {
      const id = StrategyId.safeParse(req.params.id);
      if (!id.success) return reply.code(400).send({ error: issuesText(id.error)[0] });
      const body = EmptyBody.safeParse(req.body ?? {});
      if (!body.success) return reply.code(400).send({ error: issuesText(body.error)[0], problems: issuesText(body.error) });
      const who = o.who(req);
      return act(reply, who, verb, id.data, '', () => request(subjects.strategyControl(verb, id.data), { strategy: id.data, by: who.slice(0, 64) }, StrategyControlReply));
    });
  }

  app.post<{ Params: { id: string } }>('/api/control/strategies/:id/params', async (req, reply) => {
    const id = StrategyId.safeParse(req.params.id);
    if (!id.success) return reply.code(400).send({ error: issuesText(id.error)[0] });
    const body = ParamsBody.safeParse(req.body);
    if (!body.success) return reply.code(400).send({ error: issuesText(body.error)[0], problems: issuesText(body.error) });
    const who = o.who(req);
    return act(reply, who, 'params', id.data, JSON.stringify(body.data.params).slice(0, 500), async () => {
      const answer = await request(subjects.strategyControl('params', id.data), { strategy: id.data, params: body.data.params, by: who.slice(0, 64) }, StrategyControlReply);
      if (o.document) await persistStrategyParams(o.document, id.data, answer.params);
      return answer;
    });
  });
}

function describeFailure(err: unknown, target: string): { status: number; message: string } {
  if (err instanceof BusTimeoutError) return { status: 504, message: `no answer from ${target} (is it running?)` };
  if (err instanceof BusRemoteError) return { status: 409, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  if (/no responders|503/i.test(message)) return { status: 503, message: `nothing serves ${target} controls (is it running?)` };
  return { status: 502, message };
}

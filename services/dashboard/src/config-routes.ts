import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodType } from 'zod';
import { ConfigDocument, ConfigRejected, type ConfigDoc } from './config-document.js';
import { formFieldsByKind } from './form-fields.js';
import { EntryBody, StrategyId, VenueName, issuesText } from './request-bodies.js';
import { maskSecrets, mergeSecrets } from './secret-display.js';
import type { AuditTrail } from './audit-trail.js';

export interface ConfigRoutesOptions {
  document: ConfigDocument;
  /** The schema of one venue entry (libs/venues venue-config.ts), and of one strategy entry. */
  venueSchema: ZodType;
  strategySchema: ZodType;
  audit: AuditTrail;
  who: (req: { ip: string }) => string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The strategies in a document, as a list: `strategies:` (several) or `strategy:` (the original single form). */
export function strategiesOf(doc: ConfigDoc): Record<string, unknown>[] {
  if (Array.isArray(doc.strategies)) return doc.strategies.filter(isRecord);
  return isRecord(doc.strategy) ? [doc.strategy] : [];
}

/** Writes the list back in the form the file used; one that grows past one entry becomes `strategies:`. */
function withStrategies(doc: ConfigDoc, list: Record<string, unknown>[]): ConfigDoc {
  const next = { ...doc };
  delete next.strategy;
  delete next.strategies;
  if (list.length === 0) return next;
  if (list.length === 1 && !Array.isArray(doc.strategies)) next.strategy = list[0];
  else next.strategies = list;
  return next;
}

/**
 * The Configuration page's API: venues' credentials and strategies' params,
 * listed (secrets masked), added or replaced, and deleted. Each entry is
 * checked with the services' own schema, then the whole file as the services
 * would load it; a refused change leaves the file as it was.
 */
export function registerConfigRoutes(app: FastifyInstance, o: ConfigRoutesOptions): void {
  const venueFields = formFieldsByKind(o.venueSchema);
  const strategyFields = formFieldsByKind(o.strategySchema, '__none__');

  const refuse = (reply: FastifyReply, status: number, problems: string[]) => reply.code(status).send({ error: problems[0] ?? 'refused', problems });

  const write = async (reply: FastifyReply, who: string, action: string, target: string, change: (doc: ConfigDoc) => ConfigDoc) => {
    try {
      await o.document.update(change);
      o.audit.record({ who, action, target, detail: `${o.document.file}` }, { ok: true });
      return reply.send(await view());
    } catch (err) {
      if (err instanceof ConfigRejected) return refuse(reply, 422, err.problems);
      throw err;
    }
  };

  const view = async () => {
    const doc = await o.document.read();
    const venues = isRecord(doc.venues) ? doc.venues : {};
    return {
      file: o.document.file,
      venues: Object.fromEntries(Object.entries(venues).map(([k, v]) => [k, maskSecrets(v)])),
      strategies: strategiesOf(doc).map((s) => maskSecrets(s)),
      fields: { venues: venueFields, strategy: strategyFields.default ?? [] },
    };
  };

  app.get('/api/config', async (_req, reply) => {
    try {
      return reply.send(await view());
    } catch (err) {
      if (err instanceof ConfigRejected) return refuse(reply, 500, err.problems);
      throw err;
    }
  });

  app.put<{ Params: { name: string } }>('/api/config/venues/:name', async (req, reply) => {
    const name = VenueName.safeParse(req.params.name);
    if (!name.success) return refuse(reply, 400, issuesText(name.error));
    const body = EntryBody.safeParse(req.body);
    if (!body.success) return refuse(reply, 400, issuesText(body.error));
    const stored = await o.document.read();
    const before = isRecord(stored.venues) && isRecord(stored.venues[name.data]) ? stored.venues[name.data] : undefined;
    const entry = mergeSecrets(body.data, before as Record<string, unknown> | undefined);
    const checked = o.venueSchema.safeParse(entry);
    if (!checked.success) return refuse(reply, 400, issuesText(checked.error));
    return write(reply, o.who(req), before ? 'venue.edit' : 'venue.add', name.data, (doc) => ({
      ...doc,
      venues: { ...(isRecord(doc.venues) ? doc.venues : {}), [name.data]: entry },
    }));
  });

  app.delete<{ Params: { name: string } }>('/api/config/venues/:name', async (req, reply) => {
    const name = VenueName.safeParse(req.params.name);
    if (!name.success) return refuse(reply, 400, issuesText(name.error));
    const stored = await o.document.read();
    if (!isRecord(stored.venues) || !(name.data in stored.venues)) return refuse(reply, 404, [`venue ${name.data} is not in ${o.document.file}`]);
    return write(reply, o.who(req), 'venue.delete', name.data, (doc) => {
      const venues = { ...(doc.venues as Record<string, unknown>) };
      delete venues[name.data];
      const next = { ...doc, venues };
      if (Object.keys(venues).length === 0) delete (next as ConfigDoc).venues;
      return next;
    });
  });

  app.put<{ Params: { id: string } }>('/api/config/strategies/:id', async (req, reply) => {
    const id = StrategyId.safeParse(req.params.id);
    if (!id.success) return refuse(reply, 400, issuesText(id.error));
    const body = EntryBody.safeParse(req.body);
    if (!body.success) return refuse(reply, 400, issuesText(body.error));
    if (body.data.id !== undefined && body.data.id !== id.data) return refuse(reply, 400, [`id: the body says "${String(body.data.id)}", the path "${id.data}"`]);
    const stored = await o.document.read();
    const list = strategiesOf(stored);
    const before = list.find((s) => s.id === id.data);
    const entry = mergeSecrets({ ...body.data, id: id.data }, before);
    const checked = o.strategySchema.safeParse(entry);
    if (!checked.success) return refuse(reply, 400, issuesText(checked.error));
    return write(reply, o.who(req), before ? 'strategy.edit' : 'strategy.add', id.data, (doc) => {
      const current = strategiesOf(doc);
      const i = current.findIndex((s) => s.id === id.data);
      const next = i >= 0 ? current.map((s, k) => (k === i ? entry : s)) : [...current, entry];
      return withStrategies(doc, next);
    });
  });

  app.delete<{ Params: { id: string } }>('/api/config/strategies/:id', async (req, reply) => {
    const id = StrategyId.safeParse(req.params.id);
    if (!id.success) return refuse(reply, 400, issuesText(id.error));
    const stored = await o.document.read();
    if (!strategiesOf(stored).some((s) => s.id === id.data)) return refuse(reply, 404, [`strategy ${id.data} is not in ${o.document.file}`]);
    return write(reply, o.who(req), 'strategy.delete', id.data, (doc) =>
      withStrategies(
        doc,
        strategiesOf(doc).filter((s) => s.id !== id.data),
      ),
    );
  });
}

/** Stores new params of a strategy after the quoter accepted them (the running value survives a restart). */
export async function persistStrategyParams(document: ConfigDocument, id: string, params: Record<string, unknown>): Promise<void> {
  await document.update((doc) => {
    const list = strategiesOf(doc);
    const i = list.findIndex((s) => s.id === id);
    const next = i >= 0 ? list.map((s, k) => (k === i ? { ...s, params } : s)) : [...list, { id, params }];
    return withStrategies(doc, next);
  });
}

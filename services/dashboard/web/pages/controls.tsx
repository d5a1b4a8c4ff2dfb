import { isPaused } from '../../src/strategy-figures.js';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { fmtTime, t } from '../i18n.js';
import type { Live } from '../live.js';
import { Card, Empty } from '../widgets.js';

export function Controls({ live }: { live: Live }) {
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [params, setParams] = useState<Record<string, string>>({});
  const halted = live.risk?.halted === true;
  // The configured params are where an edit starts (the running ones are what the quoter answers with).
  const [configured, setConfigured] = useState<Record<string, unknown>>({});
  useEffect(() => {
    api<{ strategies: { id?: unknown; params?: unknown }[] }>('GET', '/api/config').then(
      (c) => setConfigured(Object.fromEntries(c.strategies.map((s) => [String(s.id), s.params ?? {}]))),
      () => undefined,
    );
  }, []);
  const paramsText = (id: string) => params[id] ?? JSON.stringify(configured[id] ?? {}, null, 1);

  const run = (p: Promise<unknown>) =>
    p.then(
      () => setMessage({ ok: true, text: t('controls.ok') }),
      (e: Error) => setMessage({ ok: false, text: t('controls.failed', { error: e.message }) }),
    );

  const killOrReset = (verb: 'kill' | 'reset') => {
    if (reason.trim() === '') return setMessage({ ok: false, text: t('controls.reasonRequired') });
    if (!confirm(verb === 'kill' ? t('controls.confirmKill') : t('controls.confirmReset'))) return;
    void run(api('POST', `/api/control/${verb}`, { reason: reason.trim(), confirm: true }));
  };

  return (
    <div class="grid">
      <Card title={t('controls.killSwitch')}>
        <p class={halted ? 'bad' : 'good'} data-testid="controls-halt">
          {halted ? `${t('overview.halted')}${live.risk?.reason ? `: ${live.risk.reason}` : ''}` : t('overview.trading')}
        </p>
        <label>
          {t('controls.reason')}
          <input name="reason" value={reason} maxLength={200} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
        </label>
        <div class="row">
          <button class="danger" data-testid="kill" onClick={() => killOrReset('kill')}>
            {t('controls.kill')}
          </button>
          <button data-testid="reset" onClick={() => killOrReset('reset')}>
            {t('controls.reset')}
          </button>
        </div>
        {message ? (
          <p class={message.ok ? 'good' : 'bad'} role="status">
            {message.text}
          </p>
        ) : null}
      </Card>
      <Card title={t('controls.strategies')}>
        {(live.strategies ?? []).length === 0 ? (
          <Empty />
        ) : (
          live.strategies!.map((s) => {
            const paused = isPaused(s.stats) === true;
            return (
              <div class="strategy-control" key={s.id} data-strategy={s.id}>
                <strong>{s.id}</strong> <span class={paused ? 'warn' : 'good'}>{paused ? t('mm.paused') : t('mm.running')}</span>
                <div class="row">
                  <button data-testid={`pause-${s.id}`} onClick={() => void run(api('POST', `/api/control/strategies/${encodeURIComponent(s.id)}/pause`, {}))}>
                    {t('controls.pause')}
                  </button>
                  <button data-testid={`resume-${s.id}`} onClick={() => void run(api('POST', `/api/control/strategies/${encodeURIComponent(s.id)}/resume`, {}))}>
                    {t('controls.resume')}
                  </button>
                </div>
                <label>
                  {t('config.params')}
                  <textarea rows={3} value={paramsText(s.id)} onInput={(e) => setParams({ ...params, [s.id]: (e.target as HTMLTextAreaElement).value })} />
                </label>
                <button
                  onClick={() => {
                    let parsed: unknown;
                    try {
                      parsed = JSON.parse(paramsText(s.id));
                    } catch {
                      return setMessage({ ok: false, text: t('config.badJson') });
                    }
                    void run(api('POST', `/api/control/strategies/${encodeURIComponent(s.id)}/params`, { params: parsed }));
                  }}
                >
                  {t('controls.applyParams')}
                </button>
              </div>
            );
          })
        )}
      </Card>
      <Card title={t('controls.audit')} wide>
        {(live.audit?.entries ?? []).length === 0 ? (
          <Empty />
        ) : (
          <div class="scroll">
            <table data-testid="audit">
              <thead>
                <tr>
                  <th>{t('common.time')}</th>
                  <th>{t('controls.who')}</th>
                  <th>{t('controls.action')}</th>
                  <th>{t('controls.target')}</th>
                  <th>{t('controls.detail')}</th>
                  <th>{t('controls.outcome')}</th>
                </tr>
              </thead>
              <tbody>
                {live.audit!.entries.map((e) => (
                  <tr key={e.id}>
                    <td>{fmtTime(e.ts)}</td>
                    <td>{e.who}</td>
                    <td>{e.action}</td>
                    <td>{e.target}</td>
                    <td>{e.detail}</td>
                    <td class={e.ok ? 'good' : 'bad'}>{e.ok ? t('controls.ok') : t('controls.failed', { error: e.error ?? '' })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}

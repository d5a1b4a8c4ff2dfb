import { useState } from 'preact/hooks';
import { fmtDuration, fmtNum, fmtPct, fmtTime, t } from '../i18n.js';
import type { Live } from '../live.js';
import { Card, Empty } from '../widgets.js';

const EVENTS = ['opened', 'closed'] as const;

export function Arbitrage({ live }: { live: Live }) {
  const [symbol, setSymbol] = useState('');
  const [event, setEvent] = useState('');
  const markets = live.markets ?? [];
  const arb = live.arb;
  const symbols = [...new Set(markets.map((m) => m.symbol))].sort();
  const history = (arb?.recent ?? []).filter((o) => (symbol === '' || o.symbol === symbol) && (event === '' || o.event === event));
  return (
    <div class="grid">
      <Card title={t('arb.prices')} wide>
        {symbols.length === 0 ? (
          <Empty />
        ) : (
          symbols.map((s) => (
            <div key={s} class="scroll">
              <h3>{s}</h3>
              <table>
                <thead>
                  <tr>
                    <th>{t('common.venue')}</th>
                    <th class="num">{t('arb.bid')}</th>
                    <th class="num">{t('arb.ask')}</th>
                    <th class="num">{t('arb.spreadPct')}</th>
                    <th class="num">{t('arb.depth')}</th>
                  </tr>
                </thead>
                <tbody>
                  {markets
                    .filter((m) => m.symbol === s)
                    .map((m) => (
                      <tr key={m.venue} class={m.stale ? 'stale' : ''}>
                        <td>{m.venue}</td>
                        <td class="num good" data-testid="bid">{fmtNum(m.bid, 2)}</td>
                        <td class="num bad">{fmtNum(m.ask, 2)}</td>
                        <td class="num">{fmtNum(m.spreadPct, 4)}</td>
                        <td class="num">
                          {fmtNum(m.bidDepth, 3)} / {fmtNum(m.askDepth, 3)}
                        </td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </div>
          ))
        )}
      </Card>
      <Card title={t('arb.open')} wide>
        {(arb?.open ?? []).length === 0 ? (
          <Empty />
        ) : (
          <div class="cards">
            {arb!.open.map((o) => (
              <div class="opp" key={`${o.symbol}.${o.buyVenue}.${o.sellVenue}`}>
                <div class="opp-head">{o.symbol}</div>
                <div>
                  {t('arb.buyOn', { venue: o.buyVenue })}: {fmtNum(o.buyPrice, 2)}
                </div>
                <div>
                  {t('arb.sellOn', { venue: o.sellVenue })}: {fmtNum(o.sellPrice, 2)}
                </div>
                <div>
                  {t('arb.qty')}: {fmtNum(o.qty, 4)}
                </div>
                <div class="good">
                  {t('arb.netProfit')}: {fmtNum(o.netProfit, 2)} ({fmtPct(o.netEdge)})
                </div>
                <div class="muted">
                  {t('arb.duration')}: {fmtDuration(o.durationMs)}
                </div>
              </div>
            ))}
          </div>
        )}
      </Card>
      <Card title={t('arb.history')} wide>
        <div class="filters">
          <label>
            {t('arb.filterSymbol')}{' '}
            <select value={symbol} onChange={(e) => setSymbol((e.target as HTMLSelectElement).value)}>
              <option value="">{t('common.all')}</option>
              {symbols.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('arb.filterEvent')}{' '}
            <select value={event} onChange={(e) => setEvent((e.target as HTMLSelectElement).value)}>
              <option value="">{t('common.all')}</option>
              {EVENTS.map((ev) => (
                <option key={ev} value={ev}>
                  {t(`arb.event.${ev}`)}
                </option>
              ))}
            </select>
          </label>
          <span class="muted">
            {t('arb.seen')}: {fmtNum(arb?.openedTotal ?? 0, 0)}
          </span>
        </div>
        {history.length === 0 ? (
          <Empty />
        ) : (
          <div class="scroll">
            <table>
              <thead>
                <tr>
                  <th>{t('common.time')}</th>
                  <th>{t('common.symbol')}</th>
                  <th>{t('arb.event')}</th>
                  <th>{t('common.buy')}</th>
                  <th>{t('common.sell')}</th>
                  <th class="num">{t('arb.qty')}</th>
                  <th class="num">{t('arb.netEdge')}</th>
                  <th class="num">{t('arb.netProfit')}</th>
                </tr>
              </thead>
              <tbody>
                {history.slice(0, 200).map((o, i) => (
                  <tr key={`${o.ts}-${i}`}>
                    <td>{fmtTime(o.ts)}</td>
                    <td>{o.symbol}</td>
                    <td>{t(`arb.event.${o.event}`)}</td>
                    <td>
                      {o.buyVenue} {fmtNum(o.buyPrice, 2)}
                    </td>
                    <td>
                      {o.sellVenue} {fmtNum(o.sellPrice, 2)}
                    </td>
                    <td class="num">{fmtNum(o.qty, 4)}</td>
                    <td class="num">{fmtPct(o.netEdge)}</td>
                    <td class="num">{fmtNum(o.netProfit, 2)}</td>
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

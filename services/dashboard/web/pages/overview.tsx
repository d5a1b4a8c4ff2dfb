import { isPaused } from '../../src/strategy-figures.js';
import { fmtDuration, fmtNum, fmtPct, fmtTime, t } from '../i18n.js';
import type { Live, Series } from '../live.js';
import { Chart } from '../chart.js';
import { Card, Empty, Stat, VenueState, tone } from '../widgets.js';

export function Overview({ live, series }: { live: Live; series: Map<string, Series> }) {
  const meta = live.meta;
  const arb = live.arb;
  const risk = live.risk;
  const first = [...series.entries()][0];
  return (
    <div class="grid">
      <Card title={t('nav.overview')} wide>
        <div class="stats">
          <Stat label={t('overview.runtime')} value={meta ? fmtDuration(meta.now - meta.startedAt) : '–'} testId="runtime" />
          <Stat label={t('overview.updates')} value={meta ? `${fmtNum(meta.updates, 0)} · ${t('overview.updatesRate', { rate: fmtNum(meta.updatesPerSec, 1) })}` : '–'} testId="updates" />
          <Stat label={t('overview.opportunities')} value={arb ? fmtNum(arb.openedTotal, 0) : '–'} />
          <Stat label={t('overview.openOpportunities')} value={arb ? fmtNum(arb.open.length, 0) : '–'} />
          <Stat label={t('overview.killSwitch')} value={risk?.halted ? t('overview.halted') : t('overview.trading')} tone={risk?.halted ? 'bad' : 'good'} testId="halt-state" />
        </div>
      </Card>
      <Card title={t('overview.venues')}>
        {(live.venues ?? []).length === 0 ? (
          <Empty />
        ) : (
          <table>
            <tbody>
              {live.venues!.map((v) => (
                <tr key={v.venue}>
                  <td>{v.venue}</td>
                  <td>
                    <VenueState state={v.state} />
                  </td>
                  <td class="num">{fmtNum(v.messagesPerSec, 1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <Card title={t('overview.strategies')}>
        {(live.strategies ?? []).length === 0 ? (
          <Empty />
        ) : (
          <table>
            <tbody>
              {live.strategies!.map((s) => (
                <tr key={s.id}>
                  <td>{s.id}</td>
                  <td>{s.venue ?? ''}</td>
                  <td>{s.symbol ?? ''}</td>
                  <td>{isPaused(s.stats) === true ? t('mm.paused') : t('mm.running')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <Card title={t('overview.positions')} wide>
        {(live.positions ?? []).length === 0 ? (
          <Empty />
        ) : (
          <table>
            <thead>
              <tr>
                <th>{t('common.venue')}</th>
                <th>{t('common.symbol')}</th>
                <th class="num">{t('mm.position')}</th>
                <th class="num">{t('mm.realized')}</th>
                <th class="num">{t('mm.unrealized')}</th>
              </tr>
            </thead>
            <tbody>
              {live.positions!.map((p) => (
                <tr key={`${p.venue}.${p.account}.${p.symbol}`}>
                  <td>{p.venue}</td>
                  <td>{p.symbol}</td>
                  <td class="num" data-testid="position-qty">{fmtNum(p.qty, 4)}</td>
                  <td class={`num ${tone(Number(p.realizedPnl)) ?? ''}`}>{fmtNum(p.realizedPnl)}</td>
                  <td class={`num ${tone(p.unrealizedPnl) ?? ''}`}>{fmtNum(p.unrealizedPnl)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {first && first[1].t.length > 1 ? <Chart title={t('overview.pnlChart')} labels={[first[0]]} data={[first[1].t, first[1].pnl]} height={160} /> : null}
      </Card>
      <Card title={t('overview.latest')} wide>
        {(arb?.recent ?? []).length === 0 ? (
          <Empty />
        ) : (
          <table>
            <tbody>
              {arb!.recent.slice(0, 8).map((o, i) => (
                <tr key={`${o.openedAt}-${i}`}>
                  <td>{fmtTime(o.ts)}</td>
                  <td>{o.symbol}</td>
                  <td>{t(`arb.event.${o.event}`)}</td>
                  <td>{t('arb.buyOn', { venue: o.buyVenue })}</td>
                  <td>{t('arb.sellOn', { venue: o.sellVenue })}</td>
                  <td class="num">{fmtPct(o.netEdge)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}

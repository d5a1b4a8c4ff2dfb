import { strategyFigures } from '../../src/strategy-figures.js';
import type { StrategyView } from '../../src/live-views.js';
import { fmtDuration, fmtNum, fmtTime, t } from '../i18n.js';
import type { Live, Series } from '../live.js';
import { Chart } from '../chart.js';
import { Card, Empty, Stat, tone } from '../widgets.js';

export function MarketMaker({ live, series }: { live: Live; series: Map<string, Series> }) {
  const strategies = live.strategies ?? [];
  return (
    <div class="grid">
      {strategies.length === 0 ? (
        <Card title={t('nav.marketMaker')} wide>
          <Empty />
        </Card>
      ) : (
        strategies.map((s) => <StrategyPanel key={s.id} s={s} live={live} series={series} />)
      )}
    </div>
  );
}

function StrategyPanel({ s, live, series }: { s: StrategyView; live: Live; series: Map<string, Series> }) {
  const f = strategyFigures(s);
  const market = (live.markets ?? []).find((m) => m.venue === s.venue && m.symbol === s.symbol);
  const points = series.get(s.id);
  const fills = (live.fills?.recent ?? []).filter((x) => x.venue === s.venue && x.symbol === s.symbol && x.account === s.account).slice(0, 20);
  const position = (live.positions ?? []).find((p) => p.venue === s.venue && p.account === s.account && p.symbol === s.symbol);
  const realized = f.realizedPnl ?? (position ? Number(position.realizedPnl) - Number(position.fees) - Number(position.funding) : null);
  const unrealized = f.unrealizedPnl ?? position?.unrealizedPnl ?? null;
  const total = f.totalPnl ?? (realized === null ? null : realized + (unrealized ?? 0));
  const paused = f.paused === true;
  return (
    <>
      <Card title={`${t('mm.strategy')}: ${s.id} · ${s.venue ?? ''} ${s.symbol ?? ''}`} wide>
        <div class="stats">
          <Stat label={t('mm.strategy')} value={paused ? t('mm.paused') : t('mm.running')} tone={paused ? 'warn' : 'good'} testId={`strategy-state-${s.id}`} />
          <Stat label={t('mm.runtime')} value={fmtDuration(f.runtimeSec === null ? null : f.runtimeSec * 1000)} />
          <Stat label={t('mm.realized')} value={fmtNum(realized)} tone={tone(realized)} />
          <Stat label={t('mm.unrealized')} value={fmtNum(unrealized)} tone={tone(unrealized)} />
          <Stat label={t('mm.total')} value={fmtNum(total)} tone={tone(total)} testId="mm-total" />
          <Stat label={t('mm.position')} value={fmtNum(f.position ?? (position ? Number(position.qty) : null), 4)} />
          <Stat label={t('mm.volume')} value={fmtNum(f.volume)} />
          <Stat label={t('mm.fillRate')} value={f.fillRate === null ? '–' : `${fmtNum(f.fillRate * 100, 1)}%`} />
          <Stat label={t('mm.capturedSpread')} value={f.capturedSpreadBps === null ? '–' : `${fmtNum(f.capturedSpreadBps, 2)} bps`} />
          <Stat label={t('mm.avgSpread')} value={f.avgSpreadBps === null ? '–' : `${fmtNum(f.avgSpreadBps, 2)} bps`} />
          <Stat label={t('mm.turnover')} value={f.turnover === null ? '–' : `${fmtNum(f.turnover, 2)}×`} />
          <Stat label={t('mm.uptime')} value={f.uptimePct === null ? '–' : `${fmtNum(f.uptimePct, 1)}%`} />
          <Stat label={t('mm.makerHours')} value={fmtNum(f.makerHours)} />
          <Stat label={t('mm.makerCredit')} value={fmtNum(f.makerCredit)} />
          <Stat label={t('mm.tier')} value={f.tier ?? '–'} />
        </div>
        {s.stats === null ? <p class="muted">{t('mm.noStats')}</p> : null}
        <div class="charts">
          <Chart title={t('mm.pnlChart')} labels={[t('mm.total')]} data={[points?.t ?? [], points?.pnl ?? []]} />
          <Chart title={t('mm.positionChart')} labels={[t('mm.position')]} data={[points?.t ?? [], points?.position ?? []]} />
        </div>
      </Card>
      <Card title={t('mm.quotes')}>
        <table data-testid={`quotes-${s.id}`}>
          <thead>
            <tr>
              <th></th>
              <th>{t('common.side')}</th>
              <th class="num">{t('common.price')}</th>
              <th class="num">{t('common.size')}</th>
            </tr>
          </thead>
          <tbody>
            {[...s.quotes.filter((q) => q.side === 'sell').map((q) => ({ ...q, ours: true })), ...(market?.asks.slice(0, 3).map(([p, q]) => ({ side: 'sell' as const, price: String(p), qty: String(q), ours: false })) ?? [])]
              .sort((a, b) => Number(b.price) - Number(a.price))
              .concat(
                [...s.quotes.filter((q) => q.side === 'buy').map((q) => ({ ...q, ours: true })), ...(market?.bids.slice(0, 3).map(([p, q]) => ({ side: 'buy' as const, price: String(p), qty: String(q), ours: false })) ?? [])].sort(
                  (a, b) => Number(b.price) - Number(a.price),
                ),
              )
              .map((q, i) => (
                <tr key={i} class={q.ours ? 'ours' : ''} data-ours={q.ours ? 'yes' : undefined}>
                  <td>{q.ours ? t('mm.ours') : t('mm.book')}</td>
                  <td class={q.side === 'buy' ? 'good' : 'bad'}>{q.side === 'buy' ? t('common.buy') : t('common.sell')}</td>
                  <td class="num">{fmtNum(q.price, 2)}</td>
                  <td class="num">{fmtNum(q.qty, 4)}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </Card>
      <Card title={t('mm.fills')}>
        {fills.length === 0 ? (
          <Empty />
        ) : (
          <table>
            <thead>
              <tr>
                <th>{t('common.time')}</th>
                <th>{t('common.side')}</th>
                <th class="num">{t('common.price')}</th>
                <th class="num">{t('common.size')}</th>
                <th>{t('mm.liquidity')}</th>
                <th class="num">{t('mm.fee')}</th>
              </tr>
            </thead>
            <tbody>
              {fills.map((x) => (
                <tr key={x.fillId}>
                  <td>{fmtTime(x.tsExchange)}</td>
                  <td class={x.side === 'buy' ? 'good' : 'bad'}>{x.side === 'buy' ? t('common.buy') : t('common.sell')}</td>
                  <td class="num">{fmtNum(x.price, 2)}</td>
                  <td class="num">{fmtNum(x.qty, 4)}</td>
                  <td>{x.liquidity === 'maker' ? t('mm.maker') : t('mm.taker')}</td>
                  <td class="num">{fmtNum(x.fee, 4)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </>
  );
}

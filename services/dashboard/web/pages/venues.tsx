import { fmtNum, t } from '../i18n.js';
import type { Live } from '../live.js';
import { Card, Empty, VenueState } from '../widgets.js';

export function Venues({ live }: { live: Live }) {
  const venues = live.venues ?? [];
  const markets = live.markets ?? [];
  return (
    <div class="grid">
      <Card title={t('nav.venues')} wide>
        {venues.length === 0 ? (
          <Empty />
        ) : (
          <div class="scroll">
            <table>
              <thead>
                <tr>
                  <th>{t('common.venue')}</th>
                  <th>{t('venues.state')}</th>
                  <th class="num">{t('venues.rate')}</th>
                  <th class="num">{t('venues.bookAge')}</th>
                  <th class="num">{t('venues.latency')}</th>
                  <th class="num">{t('venues.depthBid')}</th>
                  <th class="num">{t('venues.depthAsk')}</th>
                  <th>{t('venues.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {venues.map((v) => {
                  const mine = markets.filter((m) => m.venue === v.venue);
                  return (
                    <tr key={v.venue} data-testid={`venue-${v.venue}`}>
                      <td>{v.venue}</td>
                      <td>
                        <VenueState state={v.state} />
                      </td>
                      <td class="num" data-testid="venue-rate">{fmtNum(v.messagesPerSec, 1)}</td>
                      <td class="num">{v.bookAgeMs === null ? '–' : t('venues.ms', { value: fmtNum(v.bookAgeMs, 0) })}</td>
                      <td class="num">{v.latencyMs === null ? '–' : t('venues.ms', { value: fmtNum(v.latencyMs, 0) })}</td>
                      <td class="num">{fmtNum(mine.reduce((s, m) => s + m.bidDepth, 0), 3)}</td>
                      <td class="num">{fmtNum(mine.reduce((s, m) => s + m.askDepth, 0), 3)}</td>
                      <td class="muted">{v.reason ?? (v.staleSymbols.length > 0 ? `${t('venues.staleSymbols')}: ${v.staleSymbols.join(', ')}` : '')}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}

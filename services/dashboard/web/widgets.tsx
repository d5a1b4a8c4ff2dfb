import type { ComponentChildren } from 'preact';
import { t } from './i18n.js';

export function Card({ title, children, wide }: { title: string; children: ComponentChildren; wide?: boolean }) {
  return (
    <section class={wide ? 'card wide' : 'card'}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

export function Stat({ label, value, tone, testId }: { label: string; value: string; tone?: 'good' | 'bad' | 'warn' | undefined; testId?: string }) {
  return (
    <div class="stat">
      <div class="stat-label">{label}</div>
      <div class={`stat-value ${tone ?? ''}`} data-testid={testId}>
        {value}
      </div>
    </div>
  );
}

export function VenueState({ state }: { state: string }) {
  const tone = state === 'connected' ? 'good' : state === 'down' ? 'bad' : 'warn';
  return <span class={`badge ${tone}`}>{t(`venue.state.${state}`)}</span>;
}

export function Empty() {
  return <p class="muted">{t('common.none')}</p>;
}

export const tone = (v: number | null | undefined): 'good' | 'bad' | undefined => (v === null || v === undefined || v === 0 ? undefined : v > 0 ? 'good' : 'bad');

import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';
import { LANGUAGES, language, setLanguage, t, type Language } from './i18n.js';
import { connect, disconnect, useLive } from './live.js';
import { Arbitrage } from './pages/arbitrage.js';
import { Configuration } from './pages/configuration.js';
import { Controls } from './pages/controls.js';
import { Login } from './pages/login.js';
import { MarketMaker } from './pages/market-maker.js';
import { Overview } from './pages/overview.js';
import { Venues } from './pages/venues.js';

const PAGES = [
  { id: 'overview', label: 'nav.overview' },
  { id: 'arbitrage', label: 'nav.arbitrage' },
  { id: 'venues', label: 'nav.venues' },
  { id: 'market-maker', label: 'nav.marketMaker' },
  { id: 'configuration', label: 'nav.configuration' },
  { id: 'controls', label: 'nav.controls' },
] as const;
type PageId = (typeof PAGES)[number]['id'];

const pageFromHash = (): PageId => {
  const id = location.hash.replace(/^#\/?/, '');
  return (PAGES.find((p) => p.id === id)?.id ?? 'overview') as PageId;
};

export function App() {
  const [page, setPage] = useState<PageId>(pageFromHash());
  const [auth, setAuth] = useState<'checking' | 'ok' | 'login'>('checking');
  const [, setLang] = useState<Language>(language());
  const { live, connected, series } = useLive();

  useEffect(() => {
    const onHash = () => setPage(pageFromHash());
    const onUnauthorized = () => {
      disconnect();
      setAuth('login');
    };
    window.addEventListener('hashchange', onHash);
    window.addEventListener('perpetua:unauthorized', onUnauthorized);
    api('GET', '/api/session').then(
      () => setAuth('ok'),
      () => setAuth('login'),
    );
    return () => {
      window.removeEventListener('hashchange', onHash);
      window.removeEventListener('perpetua:unauthorized', onUnauthorized);
    };
  }, []);
  useEffect(() => {
    if (auth === 'ok') connect();
  }, [auth]);

  const switchLanguage = (l: Language) => void setLanguage(l).then(() => setLang(l));

  return (
    <>
      <header>
        <span class="brand">{t('app.title')}</span>
        <nav>
          {PAGES.map((p) => (
            <a key={p.id} href={`#/${p.id}`} class={p.id === page ? 'active' : ''}>
              {t(p.label)}
            </a>
          ))}
        </nav>
        <span class={connected ? 'conn good' : 'conn warn'} data-testid="connection">
          {connected ? t('conn.live') : t('conn.offline')}
        </span>
        <label class="lang">
          <span class="sr">{t('lang.label')}</span>
          <select aria-label={t('lang.label')} data-testid="language" value={language()} onChange={(e) => switchLanguage((e.target as HTMLSelectElement).value as Language)}>
            {LANGUAGES.map((l) => (
              <option key={l.code} value={l.code}>
                {l.label}
              </option>
            ))}
          </select>
        </label>
      </header>
      <main data-page={page}>
        {auth === 'login' ? (
          <Login onDone={() => setAuth('ok')} />
        ) : auth === 'checking' ? null : page === 'overview' ? (
          <Overview live={live} series={series} />
        ) : page === 'arbitrage' ? (
          <Arbitrage live={live} />
        ) : page === 'venues' ? (
          <Venues live={live} />
        ) : page === 'market-maker' ? (
          <MarketMaker live={live} series={series} />
        ) : page === 'configuration' ? (
          <Configuration />
        ) : (
          <Controls live={live} />
        )}
      </main>
    </>
  );
}

import i18next from 'i18next';
import en from './locales/en.json';
import zhTW from './locales/zh-TW.json';

export const LANGUAGES = [
  { code: 'en', label: 'English' },
  { code: 'zh-TW', label: '繁體中文' },
] as const;
export type Language = (typeof LANGUAGES)[number]['code'];

const STORAGE_KEY = 'perpetua.lang';

function initialLanguage(): Language {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'en' || saved === 'zh-TW') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-TW' : 'en';
}

/**
 * Messages come from the catalogues only. A key missing from the current
 * language is reported as a console error (which the browser tests fail on)
 * instead of quietly showing another language.
 */
await i18next.init({
  lng: initialLanguage(),
  fallbackLng: false,
  resources: { en: { translation: en }, 'zh-TW': { translation: zhTW } },
  interpolation: { escapeValue: false },
  returnNull: false,
  saveMissing: true,
  missingKeyHandler: (lngs, _ns, key) => console.error(`missing translation: ${key} (${lngs.join(',')})`),
});
document.documentElement.lang = i18next.language;

export const t = (key: string, values?: Record<string, unknown>): string => i18next.t(key, values ?? {});

export function setLanguage(lang: Language): Promise<unknown> {
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang;
  return i18next.changeLanguage(lang);
}

export const language = (): Language => (i18next.language === 'zh-TW' ? 'zh-TW' : 'en');

/** Numbers and times in the reader's language. */
export function fmtNum(v: number | string | null | undefined, digits = 2): string {
  if (v === null || v === undefined || v === '') return '–';
  const n = typeof v === 'string' ? Number(v) : v;
  if (!Number.isFinite(n)) return '–';
  return new Intl.NumberFormat(language(), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n);
}

export function fmtPct(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  return new Intl.NumberFormat(language(), { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v);
}

export function fmtTime(ts: number | null | undefined): string {
  if (!ts) return '–';
  return new Intl.DateTimeFormat(language(), { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(ts);
}

export function fmtDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '–';
  const s = Math.floor(ms / 1000);
  const parts = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60].map((n) => String(n).padStart(2, '0'));
  return parts.join(':');
}

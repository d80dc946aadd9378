import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import boardEn from './board.en.json';
import boardZh from './board.zh-CN.json';
import commonEn from './common.en.json';
import commonZh from './common.zh-CN.json';
import fieldEn from './field.en.json';
import fieldZh from './field.zh-CN.json';
import mapEn from './map.en.json';
import mapZh from './map.zh-CN.json';
import overviewEn from './overview.en.json';
import overviewZh from './overview.zh-CN.json';

// One namespace per area so each helper edits only its own files: common (shell, sign-in),
// map (operations map), board (duty desk), overview (four-in-one overview), field (phone app).
export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const NAMESPACES = ['common', 'map', 'board', 'overview', 'field'] as const;

const LANG_KEY = 'wardmap.lang';

export const resources = {
  'zh-CN': { common: commonZh, map: mapZh, board: boardZh, overview: overviewZh, field: fieldZh },
  en: { common: commonEn, map: mapEn, board: boardEn, overview: overviewEn, field: fieldEn },
} as const;

function storedLanguage(): Language {
  try {
    const v = globalThis.localStorage?.getItem(LANG_KEY);
    return v === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

/** Initialises i18next once (zh-CN unless the person chose English before). */
export function initI18n(lng: Language = storedLanguage()): I18n {
  if (!i18next.isInitialized) {
    void i18next.use(initReactI18next).init({
      resources,
      lng,
      fallbackLng: 'zh-CN',
      ns: [...NAMESPACES],
      defaultNS: 'common',
      interpolation: { escapeValue: false },
      initAsync: false,
      returnNull: false,
    });
    syncDocumentLang(lng);
  }
  return i18next;
}

function syncDocumentLang(lng: string) {
  if (typeof document !== 'undefined') document.documentElement.lang = lng;
}

/** Switches the UI language and remembers the choice. */
export async function setLanguage(lng: Language): Promise<void> {
  await i18next.changeLanguage(lng);
  syncDocumentLang(lng);
  try {
    globalThis.localStorage?.setItem(LANG_KEY, lng);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
}

/** The other language, for the one-button toggle. */
export const otherLanguage = (lng: string): Language => (lng === 'en' ? 'zh-CN' : 'en');

/** Dates and times are shown in Shanghai time unless configured otherwise. */
export const TIME_ZONE = 'Asia/Shanghai';

/** `2026-11-25 18:04:05` style local time in {@link TIME_ZONE}. */
export function formatDateTime(iso: string | number | Date, lng = i18next.language, withDate = true): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(lng === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: TIME_ZONE,
    ...(withDate ? { year: 'numeric', month: '2-digit', day: '2-digit' } : {}),
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(d);
}

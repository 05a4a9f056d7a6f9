import type { Locale } from '@formwork/metadata';
import { createI18n } from '@formwork/ui/i18n';
import { viewsResources } from '@formwork/ui/views';
import type { i18n } from 'i18next';
import { flowsWebResources } from './pages/flows/strings.js';
import { webResources } from './strings.js';

const LOCALE_KEY = 'formwork.locale';

/** The browser's language: any Chinese → zh-CN, anything else → en. */
export function browserLocale(languages: readonly string[]): Locale {
  for (const l of languages) {
    const lower = l.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

/** The saved choice, else the browser's language. */
export function initialLocale(): Locale {
  const saved = globalThis.localStorage?.getItem(LOCALE_KEY);
  if (saved === 'zh-CN' || saved === 'en') return saved;
  const langs = globalThis.navigator?.languages ?? [globalThis.navigator?.language ?? 'en'];
  return browserLocale(langs);
}

export function saveLocale(locale: Locale): void {
  globalThis.localStorage?.setItem(LOCALE_KEY, locale);
}

/** One i18next instance with the ui, views and web namespaces. */
export function createAppI18n(locale: Locale): i18n {
  const instance = createI18n(locale);
  for (const l of ['zh-CN', 'en'] as const) {
    instance.addResourceBundle(l, 'web', webResources[l].web, true, true);
    instance.addResourceBundle(l, 'views', viewsResources[l].views, true, true);
    instance.addResourceBundle(l, 'flows', flowsWebResources[l].flows, true, true);
  }
  return instance;
}

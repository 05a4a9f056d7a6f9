import type { Locale } from '@formwork/metadata';
import i18next, { type i18n, type TFunction } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en, zhCN } from './resources.js';

/**
 * The ui package's strings, as i18next resources under the `ui` namespace:
 * `{ 'zh-CN': { ui: {...} }, en: { ui: {...} } }`. The web app merges its own namespaces next to `ui`.
 */
export const uiResources = {
  'zh-CN': { ui: zhCN },
  en: { ui: en },
} as const;

export const UI_NAMESPACE = 'ui';

/** An i18next instance (bound to react-i18next) holding the ui resources, set to `locale`. */
export function createI18n(locale: Locale): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng: locale,
    fallbackLng: locale === 'en' ? 'zh-CN' : 'en',
    resources: JSON.parse(JSON.stringify(uiResources)),
    ns: [UI_NAMESPACE],
    defaultNS: UI_NAMESPACE,
    interpolation: { escapeValue: false },
    initAsync: false,
    showSupportNotice: false,
  });
  return instance;
}

const fixed = new Map<Locale, TFunction>();

/**
 * The translation function of the ui components for `locale` (its own instance, so components work whatever
 * i18next setup the host app has).
 */
export function uiT(locale: Locale): TFunction {
  let t = fixed.get(locale);
  if (!t) {
    const instance = i18next.createInstance();
    void instance.init({
      lng: locale,
      resources: JSON.parse(JSON.stringify(uiResources)),
      ns: [UI_NAMESPACE],
      defaultNS: UI_NAMESPACE,
      interpolation: { escapeValue: false },
      initAsync: false,
      showSupportNotice: false,
    });
    t = instance.getFixedT(locale, UI_NAMESPACE);
    fixed.set(locale, t);
  }
  return t;
}

export { en as uiEn, zhCN as uiZhCN };

import { cleanup, render } from '@testing-library/react';
import i18next from 'i18next';
import type { ReactElement } from 'react';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { afterEach } from 'vitest';
import { viewsResources } from './i18n.js';

// vitest runs without globals, so testing-library cannot register its own cleanup.
afterEach(cleanup);

/** Renders with an i18next instance holding the views strings in `locale`; `rerender` keeps it (and the state). */
export function renderWithI18n(ui: ReactElement, locale: 'zh-CN' | 'en' = 'en') {
  const i18n = i18next.createInstance();
  void i18n.use(initReactI18next).init({
    lng: locale,
    resources: JSON.parse(JSON.stringify(viewsResources)),
    ns: ['views'],
    defaultNS: 'views',
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  const wrap = (el: ReactElement) => <I18nextProvider i18n={i18n}>{el}</I18nextProvider>;
  const result = render(wrap(ui));
  return { ...result, rerender: (el: ReactElement) => result.rerender(wrap(el)) };
}

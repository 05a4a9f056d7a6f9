import type { EntityDefinition } from '@formwork/metadata';
import { viewsResources } from '@formwork/ui/views';
import { cleanup, render } from '@testing-library/react';
import { App as AntApp } from 'antd';
import i18next from 'i18next';
import type { ReactElement } from 'react';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { afterEach } from 'vitest';
import type { Api } from '../../api.js';
import { AppContext, type AppState } from '../../context.js';
import { webResources } from '../../strings.js';
import type { AdminApi, Department, Member, Preset, Role } from './admin-api.js';
import { OrgContext, type OrgState } from './org.js';
import { adminResources } from './strings.js';

// vitest runs without globals, so testing-library cannot register its own cleanup.
afterEach(cleanup);

/**
 * Renders an admin component with the app's and the admin section's contexts: an i18next instance with
 * the web, views and admin strings, an app state (entities, locale) and the organisation data with the
 * given admin API (a stand-in recording what the screen asks for).
 */
export function renderAdmin(
  ui: ReactElement,
  opts: {
    locale?: 'zh-CN' | 'en';
    entities?: EntityDefinition[];
    members?: Member[];
    presets?: Preset[];
    departments?: Department[];
    roles?: Role[];
    api?: Partial<AdminApi>;
  } = {},
) {
  const locale = opts.locale ?? 'en';
  const i18n = i18next.createInstance();
  const resources = JSON.parse(
    JSON.stringify({
      'zh-CN': { ...webResources['zh-CN'], ...viewsResources['zh-CN'], ...adminResources['zh-CN'] },
      en: { ...webResources.en, ...viewsResources.en, ...adminResources.en },
    }),
  );
  void i18n.use(initReactI18next).init({
    lng: locale,
    resources,
    ns: ['web', 'views', 'admin'],
    defaultNS: 'admin',
    interpolation: { escapeValue: false },
    initAsync: false,
    showSupportNotice: false,
  });
  const app = {
    api: {} as Api,
    session: {
      user: {
        id: 'admin',
        email: 'admin@x.test',
        name: 'Admin',
        isAdmin: true,
        status: 'active',
        createdAt: '',
      },
    },
    locale,
    setLocale() {},
    entities: opts.entities ?? [],
    async reloadEntities() {
      return opts.entities ?? [];
    },
    users: [],
    names: new Map<string, string>(),
    isAdmin: true,
    can: () => true,
    fieldAccess: () => ({}),
    mobile: false,
    async logout() {},
  } as AppState;
  const org: OrgState = {
    loaded: true,
    error: null,
    members: opts.members ?? [],
    departments: opts.departments ?? [],
    roles: opts.roles ?? [],
    presets: opts.presets ?? [],
    async reload() {},
    api: (opts.api ?? {}) as AdminApi,
  };
  return render(
    <I18nextProvider i18n={i18n}>
      <AntApp>
        <AppContext.Provider value={app}>
          <OrgContext.Provider value={org}>{ui}</OrgContext.Provider>
        </AppContext.Provider>
      </AntApp>
    </I18nextProvider>,
  );
}

import type { User } from '@formwork/client';
import type { Locale } from '@formwork/metadata';
import { ConfigProvider, Grid, Spin } from 'antd';
import type { Locale as AntLocale } from 'antd/es/locale';
import enUS from 'antd/es/locale/en_US';
import { lazy, type ReactNode, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { I18nextProvider } from 'react-i18next';
import { ApiError, createApi, dropLegacySession, type Me, maybeSignedIn, type Session } from './api.js';
import { LazyApp } from './components/LazyApp.js';
import { AppContext, type AppState, type EntityInfo, useApp } from './context.js';
import { createAppI18n, initialLocale, saveLocale, withFlowStrings } from './i18n.js';
import { flowRoute } from './pages/flows/routes.js';
import { LoginPage } from './pages/LoginPage.js';
import { Shell } from './pages/Shell.js';
import { matchPath, navigate, useLocation } from './router.js';

// The designer and the admin screens are separate chunks: staff who only fill forms never download them.
const DesignerPage = lazy(() => import('./pages/DesignerPage.js'));
const AdminPage = lazy(() => import('./pages/admin/AdminPage.js'));
// An invited member's password page: its own chunk, so antd's Form is not part of the login page.
const AcceptInvitationPage = lazy(() => import('./pages/InvitePage.js'));
// So are the workspace's pages: the login page loads none of them, and a record's page (tabs, history) is not
// part of what a list or a new record needs.
const HomePage = lazy(() => import('./pages/HomePage.js').then((m) => ({ default: m.HomePage })));
const RecordsPage = lazy(() => import('./pages/RecordsPage.js').then((m) => ({ default: m.RecordsPage })));
// The record page shows the record's workflow (RecordFlowSection): it waits for the workflow strings too.
const RecordPage = lazy(
  withFlowStrings(() => import('./pages/RecordPage.js').then((m) => ({ default: m.RecordPage }))),
);
// antd's own texts: the English ones are part of antd's core; the Chinese ones are a small chunk fetched when
// the language is Chinese (at start the app waits for them rather than flash English texts).
let zhCN: AntLocale | undefined;
const loadZhCN = async (): Promise<AntLocale> => {
  zhCN ??= (await import('antd/es/locale/zh_CN')).default;
  return zhCN;
};

/** antd's locale for the language; null while the Chinese texts are on their way. */
function useAntdLocale(locale: Locale): AntLocale | null {
  const [, setLoaded] = useState(0);
  useEffect(() => {
    if (locale !== 'zh-CN' || zhCN) return;
    // Should the chunk fail to load, antd's texts stay English rather than the page staying blank.
    void loadZhCN()
      .catch(() => {
        zhCN = enUS;
      })
      .then(() => setLoaded((n) => n + 1));
  }, [locale]);
  return locale === 'zh-CN' ? (zhCN ?? null) : enUS;
}
const ADMIN_PATHS = ['/admin/people', '/admin/roles', '/admin/roles/:id', '/admin/audit'];

/** Providers: language (i18next + antd locale), theme, and the session. */
export function Root(): ReactNode {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const [i18n] = useState(() => createAppI18n(locale)); // one instance; the language changes in place
  const antdLocale = useAntdLocale(locale);
  // The last antd locale shown: switching to Chinese keeps the page (with antd's English texts for a moment).
  const [shownLocale, setShownLocale] = useState<AntLocale | null>(antdLocale);
  if (antdLocale && antdLocale !== shownLocale) setShownLocale(antdLocale);
  const setLocale = useCallback(
    (l: Locale) => {
      saveLocale(l);
      void i18n.changeLanguage(l);
      document.documentElement.lang = l;
      setLocaleState(l);
    },
    [i18n],
  );
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  if (!shownLocale) return null;
  return (
    <I18nextProvider i18n={i18n}>
      <ConfigProvider
        locale={antdLocale ?? shownLocale}
        theme={{ token: { colorPrimary: '#1677ff', borderRadius: 6 } }}
        componentSize="large"
      >
        <LazyApp>
          <Authenticated locale={locale} setLocale={setLocale} />
        </LazyApp>
      </ConfigProvider>
    </I18nextProvider>
  );
}

/**
 * The session is the server's HTTP-only cookie: on start `GET /api/auth/me` tells whether it is still
 * valid (skipped when the readable CSRF cookie is absent — then there is no session to restore).
 */
function Authenticated(props: { locale: Locale; setLocale(l: Locale): void }): ReactNode {
  const [auth, setAuth] = useState<
    { state: 'checking' } | { state: 'out' } | { state: 'in'; session: Session; me?: Me; seq: number }
  >(() => (maybeSignedIn() ? { state: 'checking' } : { state: 'out' }));
  const path = useLocation();
  const { locale } = props;
  useEffect(() => {
    dropLegacySession();
  }, []);
  const checking = auth.state === 'checking';
  useEffect(() => {
    if (!checking) return;
    let live = true;
    createApi({ locale })
      .me()
      .then(
        (me) => live && setAuth({ state: 'in', session: { user: me.user }, me, seq: 0 }),
        () => live && setAuth({ state: 'out' }),
      );
    return () => {
      live = false;
    };
  }, [checking, locale]);
  if (path.startsWith('/invite')) {
    return (
      <Suspense fallback={<Spin size="large" style={{ display: 'block', margin: '64px auto' }} />}>
        <AcceptInvitationPage locale={props.locale} setLocale={props.setLocale} />
      </Suspense>
    );
  }
  if (auth.state === 'checking') {
    return (
      <div style={{ display: 'grid', placeItems: 'center', height: '100%' }}>
        <Spin size="large" />
      </div>
    );
  }
  if (auth.state === 'out' || path.startsWith('/login')) {
    return (
      <LoginPage
        locale={props.locale}
        setLocale={props.setLocale}
        onLogin={(s) => {
          setAuth((prev) => ({ state: 'in', session: s, seq: prev.state === 'in' ? prev.seq + 1 : 1 }));
          const next = new URLSearchParams(path.split('?')[1] ?? '').get('next');
          navigate(next?.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
        }}
      />
    );
  }
  return (
    <Workspace
      key={`${auth.session.user.id}:${auth.seq}`}
      session={auth.session}
      {...(auth.me ? { initialMe: auth.me } : {})}
      {...props}
      onLogout={() => setAuth({ state: 'out' })}
    />
  );
}

function Workspace(props: {
  session: Session;
  initialMe?: Me;
  locale: Locale;
  setLocale(l: Locale): void;
  onLogout(): void;
}): ReactNode {
  const { session, locale, onLogout } = props;
  const screens = Grid.useBreakpoint();
  const mobile = screens.md === false;
  const api = useMemo(() => createApi({ locale }), [locale]);
  const [entities, setEntities] = useState<EntityInfo[] | null>(null);
  const [users, setUsers] = useState<User[]>([]);
  const [departments, setDepartments] = useState<Array<{ id: string; name: string }>>([]);
  const [me, setMe] = useState<Me | null>(props.initialMe ?? null);
  const hadMe = props.initialMe !== undefined;

  const expired = useCallback(
    (e: unknown) => {
      if (e instanceof ApiError && e.status === 401) onLogout();
      else throw e;
    },
    [onLogout],
  );
  const reloadEntities = useCallback(async () => {
    const list = (await api.client.entities.list()) as EntityInfo[];
    setEntities(list);
    return list;
  }, [api]);
  useEffect(() => {
    reloadEntities().catch(expired);
    api.client.users.list().then(setUsers).catch(expired);
    api.departments().then(setDepartments, () => setDepartments([]));
    if (!hadMe) api.me().then(setMe, expired);
  }, [api, reloadEntities, expired, hadMe]);

  const names = useMemo(() => {
    const m = new Map<string, string>();
    for (const u of users) m.set(u.id, u.name || u.email);
    for (const d of departments) m.set(d.id, d.name);
    return m;
  }, [users, departments]);

  if (!entities || !me) {
    return (
      <div style={{ display: 'grid', placeItems: 'center', height: '100%' }}>
        <Spin size="large" />
      </div>
    );
  }
  const state: AppState = {
    api,
    session,
    locale,
    setLocale: props.setLocale,
    entities,
    reloadEntities,
    users,
    names,
    isAdmin: me.isAdmin ?? session.user.isAdmin,
    can(entity, action) {
      if (me.isAdmin ?? session.user.isAdmin) return true;
      if (!me.permissions) return true; // a server without roles: everyone may do everything
      return me.permissions[entity]?.actions.includes(action) ?? false;
    },
    fieldAccess(entity) {
      const p = me.permissions?.[entity];
      const out: Record<string, 'readOnly' | 'hidden'> = {};
      for (const f of p?.readonlyFields ?? []) out[f] = 'readOnly';
      for (const f of p?.hiddenFields ?? []) out[f] = 'hidden';
      return out;
    },
    mobile,
    async logout() {
      try {
        await api.auth.logout();
      } catch {
        // an expired session is logged out already
      } finally {
        onLogout();
      }
    },
  };
  return (
    <AppContext.Provider value={state}>
      <Shell>
        <Suspense fallback={<Spin size="large" style={{ display: 'block', margin: '64px auto' }} />}>
          <Routes />
        </Suspense>
      </Shell>
    </AppContext.Provider>
  );
}

function Routes(): ReactNode {
  const path = useLocation();
  const { isAdmin } = useApp();
  const workflow = flowRoute(path, isAdmin);
  if (workflow) return workflow;
  const record = matchPath('/e/:entity/r/:id', path);
  if (record) return <RecordPage key={path} entityKey={record.entity ?? ''} id={record.id ?? ''} />;
  const trash = matchPath('/e/:entity/trash', path);
  if (trash) return <RecordsPage key={`${trash.entity}-trash`} entityKey={trash.entity ?? ''} trash />;
  const list = matchPath('/e/:entity', path);
  if (list) return <RecordsPage key={list.entity} entityKey={list.entity ?? ''} />;
  if (ADMIN_PATHS.some((p) => matchPath(p, path))) {
    return (
      <Suspense fallback={<Spin size="large" style={{ display: 'block', margin: '64px auto' }} />}>
        <AdminPage path={path} />
      </Suspense>
    );
  }
  const design = matchPath('/admin/entities/new', path) ?? matchPath('/admin/entities/:entity/design', path);
  if (design) {
    return (
      <Suspense fallback={<Spin size="large" style={{ display: 'block', margin: '64px auto' }} />}>
        <DesignerPage key={path} entityKey={design.entity ?? null} />
      </Suspense>
    );
  }
  return <HomePage />;
}

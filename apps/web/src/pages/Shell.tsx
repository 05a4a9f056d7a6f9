import { LogoutOutlined } from '@ant-design/icons';
import { localize } from '@formwork/metadata';
import { Button, Drawer, theme } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../components/LanguageSwitch.js';
import { useApp } from '../context.js';
import { Link, matchPath, navigate, useLocation } from '../router.js';
import { FlowGroupLabel, flowMenuItems, flowMenuKey, flowMenuPath, NotificationBell } from './flows/nav.js';
import { NavMenu } from './NavMenu.js';

/** The workspace frame: header (language, user), navigation by entity (a drawer on phones). */
export function Shell(props: { children: ReactNode }): ReactNode {
  const app = useApp();
  const { t } = useTranslation('web');
  const path = useLocation();
  const [open, setOpen] = useState(false);
  const { token } = theme.useToken();
  const current =
    matchPath('/e/:entity', path)?.entity ??
    matchPath('/e/:entity/r/:id', path)?.entity ??
    matchPath('/e/:entity/trash', path)?.entity ??
    '';
  // Administrators only: people and departments, roles, the audit log (a lazily loaded chunk).
  const adminKey = ['people', 'roles', 'audit'].find((k) => path.split('?')[0]?.startsWith(`/admin/${k}`));
  const flowKey = flowMenuKey(path);
  const flowItems = flowMenuItems(app.isAdmin, <FlowGroupLabel />);
  // Where a menu entry leads.
  const hrefOf = (key: string): string =>
    flowMenuPath(key) ??
    (key === 'home' ? '/' : key.startsWith('a:') ? `/admin/${key.slice(2)}` : `/e/${key.slice(2)}`);
  const entry = (key: string, label: ReactNode) => ({ key, label, href: hrefOf(key) });
  const menu = (
    <NavMenu
      aria-label={t('menu')}
      selectedKey={
        flowKey ?? (current ? `e:${current}` : adminKey ? `a:${adminKey}` : path === '/' ? 'home' : '')
      }
      onSelect={(key) => {
        setOpen(false);
        navigate(hrefOf(key));
      }}
      items={[
        entry('home', t('home')),
        entry(flowItems.tasks.key, flowItems.tasks.label),
        {
          type: 'group',
          key: 'g:entities',
          label: t('entities'),
          children: app.entities
            .filter((e) => app.can(e.key, 'read') || app.can(e.key, 'create'))
            .map((e) => entry(`e:${e.key}`, localize(e.label, app.locale, e.key))),
        },
        ...(app.isAdmin
          ? [
              {
                type: 'group' as const,
                key: 'g:admin',
                label: t('admin.section'),
                children: [
                  entry('a:people', <span data-testid="nav-admin-people">{t('admin.people')}</span>),
                  entry('a:roles', <span data-testid="nav-admin-roles">{t('admin.roles')}</span>),
                  entry('a:audit', <span data-testid="nav-admin-audit">{t('admin.audit')}</span>),
                ],
              },
            ]
          : []),
        ...flowItems.admin.map((g) => ({ ...g, children: g.children.map((c) => entry(c.key, c.label)) })),
      ]}
    />
  );
  return (
    // antd Layout's frame (grey page, 64 px white header, side bar, content) drawn with plain elements, so
    // the shell brings no layout component of its own.
    <div
      style={{
        display: 'flex',
        flexDirection: 'column',
        minHeight: '100%',
        background: token.colorBgLayout,
        color: token.colorText,
      }}
    >
      <header
        style={{
          boxSizing: 'border-box',
          height: 64,
          lineHeight: '64px',
          flex: '0 0 auto',
          display: 'flex',
          alignItems: 'center',
          gap: 12,
          paddingInline: app.mobile ? 12 : 24,
          background: '#fff',
          borderBottom: '1px solid #f0f0f0',
          position: 'sticky',
          top: 0,
          zIndex: 10,
        }}
      >
        {app.mobile && (
          <Button aria-label={t('menu')} onClick={() => setOpen(true)} data-testid="menu-button">
            ☰
          </Button>
        )}
        <Link
          to="/"
          style={{
            fontSize: 18,
            fontWeight: token.fontWeightStrong,
            whiteSpace: 'nowrap',
            color: token.colorLink,
            textDecoration: 'none',
          }}
        >
          {t('appName')}
        </Link>
        <div style={{ flex: 1 }} />
        <NotificationBell />
        <LanguageSwitch locale={app.locale} setLocale={app.setLocale} />
        {!app.mobile && <span data-testid="current-user">{app.session.user.name}</span>}
        {/* On a phone the header also holds the bell: sign-out is an icon there, so the header fits a phone screen. */}
        <Button
          onClick={() => void app.logout()}
          data-testid="logout"
          {...(app.mobile ? { icon: <LogoutOutlined />, 'aria-label': t('logout'), title: t('logout') } : {})}
        >
          {app.mobile ? null : t('logout')}
        </Button>
      </header>
      <div
        style={{ display: 'flex', flex: 'auto', flexDirection: app.mobile ? 'column' : 'row', minHeight: 0 }}
      >
        {!app.mobile && (
          <aside
            style={{
              boxSizing: 'border-box',
              flex: '0 0 220px',
              width: 220,
              background: token.colorBgContainer,
              borderInlineEnd: '1px solid #f0f0f0',
            }}
          >
            {menu}
          </aside>
        )}
        {app.mobile && (
          <Drawer
            open={open}
            onClose={() => setOpen(false)}
            placement="left"
            width={280}
            title={t('appName')}
          >
            {menu}
          </Drawer>
        )}
        <main style={{ flex: 'auto', minHeight: 0, padding: app.mobile ? 8 : 24, minWidth: 0 }}>
          {props.children}
        </main>
      </div>
    </div>
  );
}

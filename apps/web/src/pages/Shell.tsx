import { LogoutOutlined } from '@ant-design/icons';
import { localize } from '@formwork/metadata';
import { Button, Drawer, Layout, Menu, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../context.js';
import { matchPath, navigate, useLocation } from '../router.js';
import { FlowGroupLabel, flowMenuItems, flowMenuKey, flowMenuPath, NotificationBell } from './flows/nav.js';
import { LanguageSwitch } from './LoginPage.js';

/** The workspace frame: header (language, user), navigation by entity (a drawer on phones). */
export function Shell(props: { children: ReactNode }): ReactNode {
  const app = useApp();
  const { t } = useTranslation('web');
  const path = useLocation();
  const [open, setOpen] = useState(false);
  const current =
    matchPath('/e/:entity', path)?.entity ??
    matchPath('/e/:entity/r/:id', path)?.entity ??
    matchPath('/e/:entity/trash', path)?.entity ??
    '';
  // Administrators only: people and departments, roles, the audit log (a lazily loaded chunk).
  const adminKey = ['people', 'roles', 'audit'].find((k) => path.split('?')[0]?.startsWith(`/admin/${k}`));
  const flowKey = flowMenuKey(path);
  const flowItems = flowMenuItems(app.isAdmin, <FlowGroupLabel />);
  const menu = (
    <Menu
      mode="inline"
      selectedKeys={
        flowKey
          ? [flowKey]
          : [current ? `e:${current}` : adminKey ? `a:${adminKey}` : path === '/' ? 'home' : '']
      }
      onClick={({ key }) => {
        setOpen(false);
        const flowPath = flowMenuPath(key);
        if (flowPath) return navigate(flowPath);
        navigate(
          key === 'home' ? '/' : key.startsWith('a:') ? `/admin/${key.slice(2)}` : `/e/${key.slice(2)}`,
        );
      }}
      items={[
        { key: 'home', label: t('home') },
        flowItems.tasks,
        {
          type: 'group',
          label: t('entities'),
          children: app.entities
            .filter((e) => app.can(e.key, 'read') || app.can(e.key, 'create'))
            .map((e) => ({
              key: `e:${e.key}`,
              label: localize(e.label, app.locale, e.key),
            })),
        },
        ...(app.isAdmin
          ? [
              {
                type: 'group' as const,
                label: t('admin.section'),
                children: [
                  { key: 'a:people', label: <span data-testid="nav-admin-people">{t('admin.people')}</span> },
                  { key: 'a:roles', label: <span data-testid="nav-admin-roles">{t('admin.roles')}</span> },
                  { key: 'a:audit', label: <span data-testid="nav-admin-audit">{t('admin.audit')}</span> },
                ],
              },
            ]
          : []),
        ...flowItems.admin,
      ]}
      style={{ borderInlineEnd: 'none' }}
    />
  );
  return (
    <Layout style={{ minHeight: '100%' }}>
      <Layout.Header
        style={{
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
        <Typography.Link strong style={{ fontSize: 18, whiteSpace: 'nowrap' }} onClick={() => navigate('/')}>
          {t('appName')}
        </Typography.Link>
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
      </Layout.Header>
      <Layout>
        {!app.mobile && (
          <Layout.Sider width={220} theme="light" style={{ borderInlineEnd: '1px solid #f0f0f0' }}>
            {menu}
          </Layout.Sider>
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
        <Layout.Content style={{ padding: app.mobile ? 8 : 24, minWidth: 0 }}>
          {props.children}
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

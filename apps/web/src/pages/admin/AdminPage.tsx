import { Result, Spin } from 'antd';
import { type ReactNode, useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../../context.js';
import { matchPath } from '../../router.js';
import { AuditPage } from './AuditPage.js';
import { adminApi } from './admin-api.js';
import { OrgContext, useOrgData } from './org.js';
import { PeoplePage } from './PeoplePage.js';
import { RolesPage } from './RolesPage.js';
import { registerAdminStrings } from './strings.js';

/**
 * The administration section (a lazily loaded chunk, administrators only): members and departments,
 * roles with the permission matrix, the audit log; the hand-over wizard opens from a member.
 */
export default function AdminPage(props: { path: string }): ReactNode {
  const app = useApp();
  const { i18n } = useTranslation();
  registerAdminStrings(i18n);
  const { t } = useTranslation('admin');
  const api = useMemo(() => adminApi(app.api), [app.api]);
  const org = useOrgData(api, app.isAdmin);
  // Switching between the admin pages shows fresh members, departments and roles (others may have
  // changed them: an invitation accepted, a role edited elsewhere).
  const section = props.path.split('?')[0]?.split('/')[2] ?? '';
  const shown = useRef(section);
  const { reload, loaded } = org;
  useEffect(() => {
    if (shown.current === section) return;
    shown.current = section;
    if (loaded) void reload().catch(() => {});
  }, [section, reload, loaded]);
  if (!app.isAdmin) return <Result status="403" title={t('forbidden')} />;
  if (org.error) return <Result status="error" title={t('loadFailed')} subTitle={org.error} />;
  if (!org.loaded) return <Spin size="large" style={{ display: 'block', margin: '64px auto' }} />;
  const role = matchPath('/admin/roles/:id', props.path);
  let page: ReactNode;
  if (matchPath('/admin/audit', props.path)) page = <AuditPage />;
  else if (role || matchPath('/admin/roles', props.path)) page = <RolesPage selected={role?.id ?? null} />;
  else page = <PeoplePage />;
  return (
    <OrgContext.Provider value={{ ...org, api }}>
      <div data-testid="admin-page">{page}</div>
    </OrgContext.Provider>
  );
}

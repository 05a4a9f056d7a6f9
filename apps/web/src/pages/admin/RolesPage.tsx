import { localize } from '@formwork/metadata';
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Col,
  Form,
  Input,
  Menu,
  Popconfirm,
  Result,
  Row,
  Space,
  Tag,
  Typography,
} from 'antd';
import { type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api.js';
import { useApp } from '../../context.js';
import { navigate } from '../../router.js';
import type { Role } from './admin-api.js';
import {
  draftIssues,
  fromPermissions,
  issuesFromServer,
  type MatrixDraft,
  type RowIssue,
  toPermissions,
} from './matrix.js';
import { roleName, useOrg } from './org.js';
import { PermissionMatrix } from './PermissionMatrix.js';
import { errorText } from './widgets.js';

const KEY_PATTERN = /^[a-z][a-z0-9_]{0,47}$/;

/** Roles: the list, and the selected role's name and permission matrix. */
export function RolesPage(props: { selected: string | null }): ReactNode {
  const { t } = useTranslation('admin');
  const app = useApp();
  const org = useOrg();
  const selectedId =
    props.selected ?? org.roles.find((r) => !r.builtin)?.id ?? org.roles[0]?.id ?? (null as string | null);
  const role = org.roles.find((r) => r.id === selectedId) ?? null;
  return (
    <div data-testid="roles-page">
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('roles.title')}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={4}>
          <Card
            title={t('roles.list')}
            extra={
              <Button
                type="primary"
                size="small"
                data-testid="role-new"
                onClick={() => navigate('/admin/roles/new')}
              >
                {t('roles.new')}
              </Button>
            }
            styles={{ body: { padding: 0 } }}
          >
            <Menu
              mode="inline"
              style={{ borderInlineEnd: 'none' }}
              selectedKeys={selectedId && props.selected !== 'new' ? [selectedId] : []}
              onClick={({ key }) => navigate(`/admin/roles/${key}`)}
              items={org.roles.map((r) => ({
                key: r.id,
                label: (
                  <span
                    data-testid={`role-item-${r.key}`}
                    style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 8 }}
                  >
                    <span style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>
                      {roleName(r, app.locale)}
                      {r.builtin && <Tag style={{ marginInlineStart: 6 }}>{t('roles.builtin')}</Tag>}
                    </span>
                    <Badge count={r.memberCount} showZero color="#8c8c8c" title={t('roles.memberCount')} />
                  </span>
                ),
              }))}
            />
          </Card>
        </Col>
        <Col xs={24} xl={20}>
          {props.selected === 'new' ? (
            <RoleEditor key="new" current={null} />
          ) : role ? (
            <RoleEditor key={`${role.id}:${role.version}`} current={role} />
          ) : (
            <Result status="404" title={t('roles.notFound')} />
          )}
        </Col>
      </Row>
    </div>
  );
}

function RoleEditor(props: { current: Role | null }): ReactNode {
  const { t } = useTranslation('admin');
  const app = useApp();
  const org = useOrg();
  const { message } = App.useApp();
  const role = props.current;
  const [key, setKey] = useState(role?.key ?? '');
  const [nameZh, setNameZh] = useState(
    role ? (typeof role.name === 'string' ? role.name : role.name['zh-CN']) : '',
  );
  const [nameEn, setNameEn] = useState(
    role ? (typeof role.name === 'string' ? role.name : role.name.en) : '',
  );
  const initial = useMemo(() => fromPermissions(role?.permissions, org.presets), [role, org.presets]);
  const [draft, setDraft] = useState<MatrixDraft>(initial);
  const [issues, setIssues] = useState<RowIssue[]>([]);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const dirty =
    role === null ||
    JSON.stringify(toPermissions(draft, org.presets)) !==
      JSON.stringify(toPermissions(initial, org.presets)) ||
    nameZh !== (typeof role.name === 'string' ? role.name : role.name['zh-CN']) ||
    nameEn !== (typeof role.name === 'string' ? role.name : role.name.en);

  if (role?.builtin) {
    return (
      <Card title={roleName(role, app.locale)} data-testid="role-editor">
        <Alert type="info" showIcon title={t('roles.adminRole')} description={t('roles.adminRoleHint')} />
        <Typography.Paragraph style={{ marginTop: 16 }}>
          {t('roles.membersWithRole', { count: role.memberCount })}
        </Typography.Paragraph>
      </Card>
    );
  }

  const save = async () => {
    const errs: Record<string, string> = {};
    if (!role && !KEY_PATTERN.test(key)) errs.key = t('roles.keyInvalid');
    if (!nameZh.trim()) errs['name.zh-CN'] = t('roles.nameRequired');
    if (!nameEn.trim()) errs['name.en'] = t('roles.nameRequired');
    const local = draftIssues(draft, app.entities, {
      filterRequired: t('roles.filterRequired'),
      limitField: t('roles.limitFieldRequired'),
      limitBound: t('roles.limitBoundRequired'),
      limitOrder: t('roles.limitOrder'),
    });
    setFieldErrors(errs);
    setIssues(local);
    if (Object.keys(errs).length || local.length) {
      message.error(t('roles.fixErrors'));
      return;
    }
    setBusy(true);
    try {
      const name = { 'zh-CN': nameZh.trim(), en: nameEn.trim() };
      const permissions = toPermissions(draft, org.presets);
      if (role) {
        await org.api.roles.update(role.id, { name, permissions });
        message.success(t('roles.saved', { name: name[app.locale] }));
        await org.reload(['roles']);
      } else {
        const created = await org.api.roles.create({ key, name, permissions });
        message.success(t('roles.created', { name: name[app.locale] }));
        await org.reload(['roles']);
        navigate(`/admin/roles/${created.id}`, { replace: true });
      }
    } catch (e) {
      if (e instanceof ApiError && e.fields.length) {
        const mapped = issuesFromServer(e.fields, draft);
        setIssues(mapped.rows);
        const other: Record<string, string> = {};
        for (const f of mapped.other) {
          const k = f.field.startsWith('name')
            ? f.field.includes('en')
              ? 'name.en'
              : 'name.zh-CN'
            : f.field;
          other[k === 'key' || k.startsWith('name') ? k : 'form'] = f.message;
        }
        if (e.code === 'UNIQUE_VIOLATION' || e.status === 409) other.key ??= e.message;
        setFieldErrors(other);
        message.error(t('roles.fixErrors'));
      } else message.error(errorText(e, t('error')));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!role) return;
    try {
      await org.api.roles.remove(role.id);
      message.success(t('roles.deleted', { name: roleName(role, app.locale) }));
      await org.reload(['roles', 'members']);
      navigate('/admin/roles', { replace: true });
    } catch (e) {
      message.error(errorText(e, t('error')));
    }
  };

  return (
    <Card
      data-testid="role-editor"
      title={
        <Space>
          {role ? roleName(role, app.locale) : t('roles.new')}
          {dirty && role && <Tag color="orange">{t('roles.unsaved')}</Tag>}
        </Space>
      }
      extra={
        <Space>
          {role && (
            <Popconfirm
              title={t('roles.deleteConfirm', { name: roleName(role, app.locale) })}
              description={
                role.memberCount > 0 ? t('roles.deleteHint', { count: role.memberCount }) : undefined
              }
              okText={t('delete')}
              cancelText={t('cancel')}
              okButtonProps={{ danger: true }}
              onConfirm={remove}
            >
              <Button danger data-testid="role-delete">
                {t('delete')}
              </Button>
            </Popconfirm>
          )}
          {role && dirty && (
            <Button
              onClick={() => {
                setDraft(initial);
                setIssues([]);
                setNameZh(typeof role.name === 'string' ? role.name : role.name['zh-CN']);
                setNameEn(typeof role.name === 'string' ? role.name : role.name.en);
              }}
            >
              {t('roles.discard')}
            </Button>
          )}
          <Button type="primary" loading={busy} onClick={save} data-testid="role-save">
            {t('save')}
          </Button>
        </Space>
      }
    >
      <Form layout="vertical" component="div">
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item
              label={t('roles.key')}
              extra={role ? undefined : t('roles.keyHint')}
              validateStatus={fieldErrors.key ? 'error' : undefined}
              help={fieldErrors.key}
            >
              <Input
                aria-label={t('roles.key')}
                value={key}
                disabled={role !== null}
                maxLength={48}
                onChange={(e) => setKey(e.target.value.trim())}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item
              label={t('roles.nameZh')}
              validateStatus={fieldErrors['name.zh-CN'] ? 'error' : undefined}
              help={fieldErrors['name.zh-CN']}
            >
              <Input
                aria-label={t('roles.nameZh')}
                value={nameZh}
                maxLength={100}
                onChange={(e) => setNameZh(e.target.value)}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item
              label={t('roles.nameEn')}
              validateStatus={fieldErrors['name.en'] ? 'error' : undefined}
              help={fieldErrors['name.en']}
            >
              <Input
                aria-label={t('roles.nameEn')}
                value={nameEn}
                maxLength={100}
                onChange={(e) => setNameEn(e.target.value)}
              />
            </Form.Item>
          </Col>
        </Row>
      </Form>
      {fieldErrors.form && (
        <Alert type="error" showIcon title={fieldErrors.form} style={{ marginBottom: 12 }} />
      )}
      {issues.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('roles.matrixErrors', { count: issues.length })}
          data-testid="matrix-errors"
          description={
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {issues.map((i) => (
                <li key={`${i.row}.${i.part}.${i.field ?? ''}.${i.message}`}>
                  {i.row === '*'
                    ? t('roles.allEntities')
                    : localize(app.entities.find((e) => e.key === i.row)?.label, app.locale, i.row)}
                  {i.field ? ` · ${i.field}` : ''}: {i.message}
                </li>
              ))}
            </ul>
          }
        />
      )}
      <Typography.Paragraph type="secondary">{t('roles.matrixHint')}</Typography.Paragraph>
      <PermissionMatrix
        entities={app.entities}
        draft={draft}
        onChange={(d) => {
          setDraft(d);
          if (issues.length) setIssues([]);
        }}
        presets={org.presets}
        issues={issues}
        locale={app.locale}
        members={org.members.map((m) => ({ id: m.userId, name: m.name || m.email }))}
        departments={org.departments.map((d) => ({ id: d.id, name: d.name }))}
      />
    </Card>
  );
}

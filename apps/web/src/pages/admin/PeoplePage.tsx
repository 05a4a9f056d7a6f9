import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Form,
  type FormInstance,
  Input,
  Modal,
  Popconfirm,
  Row,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Tree,
  Typography,
} from 'antd';
import { type HTMLAttributes, type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../../context.js';
import type { Department, Member } from './admin-api.js';
import {
  buildTree,
  type DepartmentNode,
  departmentPath,
  filterMembers,
  type MemberFilter,
  moveTargets,
  normaliseMembership,
  subtreeIds,
} from './departments.js';
import { HandoverWizard } from './HandoverWizard.js';
import { roleName, useOrg } from './org.js';
import { DepartmentPicker, errorText, MemberPicker, showFieldErrors } from './widgets.js';

const ALL_KEY = '__all__';

/** Members and departments: the department tree, the members of the selected department, invitations. */
export function PeoplePage(): ReactNode {
  const { t } = useTranslation('admin');
  const org = useOrg();
  const { message } = App.useApp();
  const [filter, setFilter] = useState<MemberFilter>({
    departmentId: null,
    includeSubDepartments: true,
    search: '',
    status: 'all',
  });
  const [deptModal, setDeptModal] = useState<
    { mode: 'create'; parentId: string | null } | { mode: 'edit'; department: Department } | null
  >(null);
  const [inviting, setInviting] = useState(false);
  const [editing, setEditing] = useState<Member | null>(null);
  const [leaving, setLeaving] = useState<Member | null>(null);

  const selected = filter.departmentId
    ? (org.departments.find((d) => d.id === filter.departmentId) ?? null)
    : null;
  const shown = useMemo(
    () => filterMembers(org.members, org.departments, filter),
    [org.members, org.departments, filter],
  );

  const removeDepartment = async (d: Department) => {
    try {
      await org.api.departments.remove(d.id);
      message.success(t('people.deptDeleted', { name: d.name }));
      setFilter((f) => ({ ...f, departmentId: d.parentId }));
      await org.reload(['departments']);
    } catch (e) {
      message.error(errorText(e, t('error')));
    }
  };

  const move = async (id: string, parentId: string | null) => {
    const d = org.departments.find((x) => x.id === id);
    if (!d || d.parentId === parentId) return;
    try {
      await org.api.departments.update(id, { parentId });
      message.success(t('people.deptMoved', { name: d.name }));
      await org.reload(['departments']);
    } catch (e) {
      message.error(errorText(e, t('error')));
    }
  };

  const reactivate = async (m: Member) => {
    try {
      await org.api.members.reactivate(m.userId);
      message.success(t('people.reactivated', { name: m.name || m.email }));
      await org.reload(['members']);
    } catch (e) {
      message.error(errorText(e, t('error')));
    }
  };

  return (
    <div data-testid="people-page">
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('people.title')}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={8} xl={7}>
          <DepartmentTree
            selected={filter.departmentId}
            onSelect={(id) => setFilter((f) => ({ ...f, departmentId: id }))}
            onMove={move}
          />
          <Space wrap style={{ marginTop: 12 }}>
            <Button
              type="primary"
              data-testid="dept-new"
              onClick={() => setDeptModal({ mode: 'create', parentId: selected?.id ?? null })}
            >
              {selected ? t('people.newSubDepartment') : t('people.newDepartment')}
            </Button>
            {selected && (
              <>
                <Button
                  data-testid="dept-edit"
                  onClick={() => setDeptModal({ mode: 'edit', department: selected })}
                >
                  {t('people.editDepartment')}
                </Button>
                <Popconfirm
                  title={t('people.deleteDeptConfirm', { name: selected.name })}
                  description={t('people.deleteDeptHint')}
                  okText={t('delete')}
                  cancelText={t('cancel')}
                  okButtonProps={{ danger: true }}
                  onConfirm={() => removeDepartment(selected)}
                >
                  <Button danger data-testid="dept-delete">
                    {t('delete')}
                  </Button>
                </Popconfirm>
              </>
            )}
          </Space>
        </Col>
        <Col xs={24} lg={16} xl={17}>
          <Card
            title={
              <span data-testid="member-scope">
                {selected ? departmentPath(org.departments, selected.id) : t('people.allMembers')}
              </span>
            }
            extra={
              <Button type="primary" data-testid="member-invite" onClick={() => setInviting(true)}>
                {t('people.invite')}
              </Button>
            }
          >
            <Space wrap style={{ marginBottom: 12 }}>
              <Input.Search
                allowClear
                placeholder={t('people.search')}
                aria-label={t('people.search')}
                style={{ width: 240 }}
                onSearch={(search) => setFilter((f) => ({ ...f, search }))}
                onChange={(e) => setFilter((f) => ({ ...f, search: e.target.value }))}
              />
              <Select
                aria-label={t('people.status')}
                style={{ width: 140 }}
                value={filter.status}
                onChange={(status: MemberFilter['status']) => setFilter((f) => ({ ...f, status }))}
                options={[
                  { value: 'all', label: t('people.statusAll') },
                  { value: 'active', label: t('status.active') },
                  { value: 'invited', label: t('status.invited') },
                  { value: 'deactivated', label: t('status.deactivated') },
                ]}
              />
              {selected && (
                <Space>
                  <Switch
                    aria-label={t('people.includeSub')}
                    checked={filter.includeSubDepartments}
                    onChange={(includeSubDepartments) => setFilter((f) => ({ ...f, includeSubDepartments }))}
                  />
                  <span>{t('people.includeSub')}</span>
                </Space>
              )}
            </Space>
            <MemberTable
              members={shown}
              onEdit={setEditing}
              onHandover={setLeaving}
              onReactivate={reactivate}
            />
          </Card>
        </Col>
      </Row>
      {deptModal && (
        <DepartmentModal
          state={deptModal}
          onClose={() => setDeptModal(null)}
          onSaved={async (d) => {
            setDeptModal(null);
            await org.reload(['departments']);
            setFilter((f) => ({ ...f, departmentId: d.id }));
          }}
        />
      )}
      {inviting && (
        <InviteModal
          defaultDepartment={selected?.id ?? null}
          onClose={() => setInviting(false)}
          onInvited={() => org.reload(['members', 'departments', 'roles'])}
        />
      )}
      {editing && (
        <EditMemberModal
          member={editing}
          onClose={() => setEditing(null)}
          onSaved={async () => {
            setEditing(null);
            await org.reload(['members', 'departments', 'roles']);
          }}
        />
      )}
      {leaving && (
        <HandoverWizard
          member={leaving}
          onClose={() => setLeaving(null)}
          onDone={() => org.reload(['members', 'departments', 'roles'])}
        />
      )}
    </div>
  );
}

/** The tree with an "all members" root; drag a department onto another to move it. */
function DepartmentTree(props: {
  selected: string | null;
  onSelect(id: string | null): void;
  onMove(id: string, parentId: string | null): void;
}): ReactNode {
  const { t } = useTranslation('admin');
  const org = useOrg();
  const names = useMemo(() => new Map(org.members.map((m) => [m.userId, m.name || m.email])), [org.members]);
  const [expanded, setExpanded] = useState<string[] | null>(null);
  const tree = useMemo(() => buildTree(org.departments), [org.departments]);
  const byId = useMemo(() => new Map(org.departments.map((d) => [d.id, d])), [org.departments]);
  const toData = (nodes: DepartmentNode[]): Array<{ key: string; title: ReactNode; children: unknown[] }> =>
    nodes.map((n) => ({
      key: n.key,
      title: (
        <span data-testid={`dept-node-${n.title}`}>
          {n.title}{' '}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {n.department.memberCount}
          </Typography.Text>
          {n.department.headId && (
            <Tag style={{ marginInlineStart: 6 }} color="blue">
              {t('people.headTag', { name: names.get(n.department.headId) ?? '?' })}
            </Tag>
          )}
        </span>
      ),
      children: toData(n.children),
    }));
  const treeData = [
    {
      key: ALL_KEY,
      title: (
        <span data-testid="dept-node-all">
          {t('people.allMembers')}{' '}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {org.members.length}
          </Typography.Text>
        </span>
      ),
      children: toData(tree),
    },
  ];
  // Everything open by default, and a department just selected stays visible.
  const allKeys = [ALL_KEY, ...org.departments.map((d) => d.id)];
  const expandedKeys = expanded ?? allKeys;
  const visible =
    props.selected && !expandedKeys.includes(props.selected)
      ? [...expandedKeys, ...ancestors(org.departments, props.selected)]
      : expandedKeys;
  return (
    <Card title={t('people.departments')} styles={{ body: { padding: 12 } }}>
      {org.departments.length === 0 && (
        <Typography.Paragraph type="secondary">{t('people.noDepartments')}</Typography.Paragraph>
      )}
      <Tree
        blockNode
        draggable={{ icon: false, nodeDraggable: (n) => n.key !== ALL_KEY }}
        treeData={treeData as never}
        selectedKeys={[props.selected ?? ALL_KEY]}
        expandedKeys={visible}
        onExpand={(keys) => setExpanded(keys.map(String))}
        onSelect={(keys) => {
          const k = keys[0];
          if (k === undefined) return;
          props.onSelect(k === ALL_KEY ? null : String(k));
        }}
        allowDrop={({ dropNode, dropPosition }) => !(dropNode.key === ALL_KEY && dropPosition !== 0)}
        onDrop={(info) => {
          const id = String(info.dragNode.key);
          const target = String(info.node.key);
          let parentId: string | null;
          if (target === ALL_KEY) parentId = null;
          else if (!info.dropToGap) parentId = target;
          else parentId = byId.get(target)?.parentId ?? null;
          if (parentId && subtreeIds(org.departments, id).has(parentId)) return;
          props.onMove(id, parentId);
        }}
      />
    </Card>
  );
}

function ancestors(departments: readonly Department[], id: string): string[] {
  const byId = new Map(departments.map((d) => [d.id, d]));
  const out: string[] = [];
  let cur = byId.get(id)?.parentId;
  while (cur && !out.includes(cur)) {
    out.push(cur);
    cur = byId.get(cur)?.parentId;
  }
  return out;
}

function StatusTag(props: { status: Member['status'] }): ReactNode {
  const { t } = useTranslation('admin');
  const color = props.status === 'active' ? 'green' : props.status === 'invited' ? 'orange' : 'default';
  return <Tag color={color}>{t(`status.${props.status}`)}</Tag>;
}

function MemberTable(props: {
  members: Member[];
  onEdit(m: Member): void;
  onHandover(m: Member): void;
  onReactivate(m: Member): void;
}): ReactNode {
  const { t } = useTranslation('admin');
  const app = useApp();
  const org = useOrg();
  const dept = new Map(org.departments.map((d) => [d.id, d.name]));
  const role = new Map(org.roles.map((r) => [r.id, roleName(r, app.locale)]));
  return (
    <Table<Member>
      rowKey="userId"
      size="middle"
      dataSource={props.members}
      pagination={{ pageSize: 50, hideOnSinglePage: true }}
      scroll={{ x: 900 }}
      locale={{ emptyText: t('people.noMembers') }}
      onRow={(m) => ({ 'data-testid': `member-${m.email}` }) as HTMLAttributes<HTMLElement>}
      columns={[
        {
          key: 'name',
          title: t('people.name'),
          render: (_, m) => (
            <div>
              <div>{m.name || '—'}</div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {m.email}
              </Typography.Text>
            </div>
          ),
          sorter: (a, b) => (a.name || a.email).localeCompare(b.name || b.email, 'zh-CN'),
        },
        {
          key: 'departments',
          title: t('people.memberDepartments'),
          render: (_, m) =>
            m.departmentIds.length === 0
              ? '—'
              : m.departmentIds.map((id) => (
                  <Tag key={id} color={id === m.primaryDepartmentId ? 'blue' : undefined}>
                    {dept.get(id) ?? id.slice(0, 8)}
                    {id === m.primaryDepartmentId && m.departmentIds.length > 1
                      ? ` · ${t('people.primary')}`
                      : ''}
                  </Tag>
                )),
        },
        {
          key: 'roles',
          title: t('people.roles'),
          render: (_, m) =>
            m.roleIds.length === 0
              ? '—'
              : m.roleIds.map((id) => <Tag key={id}>{role.get(id) ?? id.slice(0, 8)}</Tag>),
        },
        {
          key: 'status',
          title: t('people.status'),
          width: 100,
          render: (_, m) => <StatusTag status={m.status} />,
        },
        {
          key: 'actions',
          title: t('actions'),
          width: 220,
          render: (_, m) => (
            <Space size={4} wrap>
              <Button size="small" type="link" data-testid="member-edit" onClick={() => props.onEdit(m)}>
                {t('edit')}
              </Button>
              {m.status !== 'deactivated' && m.userId !== app.session.user.id && (
                <Button
                  size="small"
                  type="link"
                  danger
                  data-testid="member-handover"
                  onClick={() => props.onHandover(m)}
                >
                  {t('people.handover')}
                </Button>
              )}
              {m.status === 'deactivated' && (
                <Popconfirm
                  title={t('people.reactivateConfirm', { name: m.name || m.email })}
                  okText={t('people.reactivate')}
                  cancelText={t('cancel')}
                  onConfirm={() => props.onReactivate(m)}
                >
                  <Button size="small" type="link" data-testid="member-reactivate">
                    {t('people.reactivate')}
                  </Button>
                </Popconfirm>
              )}
            </Space>
          ),
        },
      ]}
    />
  );
}

function DepartmentModal(props: {
  state: { mode: 'create'; parentId: string | null } | { mode: 'edit'; department: Department };
  onClose(): void;
  onSaved(d: Department): void;
}): ReactNode {
  const { t } = useTranslation('admin');
  const org = useOrg();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ name: string; parentId: string | null; headId: string | null }>();
  const [busy, setBusy] = useState(false);
  const editing = props.state.mode === 'edit' ? props.state.department : null;
  const targets = editing ? moveTargets(org.departments, editing.id) : org.departments;
  const blocked = editing ? subtreeIds(org.departments, editing.id) : undefined;
  const active = org.members.filter((m) => m.status === 'active');
  const save = async (v: { name: string; parentId: string | null; headId: string | null }) => {
    setBusy(true);
    try {
      const body = { name: v.name.trim(), parentId: v.parentId ?? null, headId: v.headId ?? null };
      const d = editing
        ? await org.api.departments.update(editing.id, body)
        : await org.api.departments.create(body);
      message.success(t(editing ? 'people.deptSaved' : 'people.deptCreated', { name: d.name }));
      props.onSaved(d);
    } catch (e) {
      if (!showFieldErrors(form, e, ['name', 'parentId', 'headId'])) message.error(errorText(e, t('error')));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={editing ? t('people.editDepartment') : t('people.newDepartment')}
      okText={t('save')}
      cancelText={t('cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={props.onClose}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={save}
        initialValues={{
          name: editing?.name ?? '',
          parentId: editing ? editing.parentId : props.state.mode === 'create' ? props.state.parentId : null,
          headId: editing?.headId ?? null,
        }}
      >
        <Form.Item
          name="name"
          label={t('people.deptName')}
          rules={[{ required: true, whitespace: true, message: t('people.deptNameRequired') }]}
        >
          <Input maxLength={100} autoFocus />
        </Form.Item>
        <Form.Item name="parentId" label={t('people.parent')} extra={t('people.parentHint')}>
          <DepartmentPicker
            departments={org.departments}
            allowClear
            placeholder={t('people.topLevel')}
            {...(blocked ? { disabled: blocked } : {})}
            aria-label={t('people.parent')}
          />
        </Form.Item>
        {targets.length === 0 && editing && (
          <Typography.Paragraph type="secondary">{t('people.noMoveTargets')}</Typography.Paragraph>
        )}
        <Form.Item name="headId" label={t('people.head')} extra={t('people.headHint')}>
          <MemberPicker
            members={active}
            allowClear
            placeholder={t('people.noHead')}
            aria-label={t('people.head')}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface MembershipValues {
  departmentIds: string[];
  primaryDepartmentId: string | null;
  roleIds: string[];
}

/** Departments (with the primary one among them) and roles: shared by the invite and edit dialogs. */
function MembershipFields(props: { form: FormInstance }): ReactNode {
  const { t } = useTranslation('admin');
  const app = useApp();
  const org = useOrg();
  const chosen = Form.useWatch('departmentIds', props.form) ?? [];
  const names = new Map(org.departments.map((d) => [d.id, departmentPath(org.departments, d.id)]));
  return (
    <>
      <Form.Item name="departmentIds" label={t('people.memberDepartments')}>
        <DepartmentPicker
          departments={org.departments}
          multiple
          placeholder={t('people.pickDepartments')}
          aria-label={t('people.memberDepartments')}
          onChange={(v) => {
            const ids = Array.isArray(v) ? v : v ? [v] : [];
            const primary = props.form.getFieldValue('primaryDepartmentId') as string | null;
            props.form.setFieldsValue({
              departmentIds: ids,
              primaryDepartmentId: normaliseMembership(ids, primary).primaryDepartmentId ?? null,
            });
          }}
        />
      </Form.Item>
      <Form.Item
        name="primaryDepartmentId"
        label={t('people.primaryDepartment')}
        extra={t('people.primaryHint')}
      >
        <Select
          aria-label={t('people.primaryDepartment')}
          disabled={chosen.length < 2}
          options={chosen.map((id: string) => ({ value: id, label: names.get(id) ?? id }))}
        />
      </Form.Item>
      <Form.Item name="roleIds" label={t('people.roles')} extra={t('people.rolesHint')}>
        <Select
          mode="multiple"
          aria-label={t('people.roles')}
          optionFilterProp="label"
          placeholder={t('people.pickRoles')}
          options={org.roles.map((r) => ({ value: r.id, label: roleName(r, app.locale) }))}
        />
      </Form.Item>
    </>
  );
}

function InviteModal(props: {
  defaultDepartment: string | null;
  onClose(): void;
  onInvited(): Promise<void>;
}): ReactNode {
  const { t } = useTranslation('admin');
  const org = useOrg();
  const { message } = App.useApp();
  const [form] = Form.useForm<MembershipValues & { email: string; name?: string }>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ member: Member; link?: string; expiresAt?: string } | null>(null);
  const submit = async (v: MembershipValues & { email: string; name?: string }) => {
    setBusy(true);
    try {
      const membership = normaliseMembership(v.departmentIds ?? [], v.primaryDepartmentId);
      const r = await org.api.members.invite({
        email: v.email.trim(),
        ...(v.name?.trim() ? { name: v.name.trim() } : {}),
        ...(membership.departmentIds.length ? membership : {}),
        ...(v.roleIds?.length ? { roleIds: v.roleIds } : {}),
      });
      setDone({
        member: r.member,
        ...(r.invitation
          ? {
              link: `${globalThis.location.origin}/invite?token=${encodeURIComponent(r.invitation.token)}`,
              expiresAt: r.invitation.expiresAt,
            }
          : {}),
      });
      await props.onInvited();
    } catch (e) {
      if (!showFieldErrors(form, e, ['email', 'name', 'departmentIds', 'primaryDepartmentId', 'roleIds']))
        message.error(errorText(e, t('error')));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={t('people.invite')}
      onCancel={props.onClose}
      destroyOnHidden
      footer={
        done ? (
          <Button type="primary" onClick={props.onClose} data-testid="invite-close">
            {t('done')}
          </Button>
        ) : (
          <Space>
            <Button onClick={props.onClose}>{t('cancel')}</Button>
            <Button type="primary" loading={busy} onClick={() => form.submit()} data-testid="invite-submit">
              {t('people.sendInvite')}
            </Button>
          </Space>
        )
      }
    >
      {done ? (
        <div data-testid="invite-result">
          {done.link ? (
            <>
              <Alert
                type="success"
                showIcon
                title={t('people.invited', { email: done.member.email })}
                description={t('people.inviteLinkHint')}
                style={{ marginBottom: 12 }}
              />
              <Typography.Paragraph copyable={{ text: done.link }} code data-testid="invitation-link">
                {done.link}
              </Typography.Paragraph>
              {done.expiresAt && (
                <Typography.Text type="secondary">
                  {t('people.expires', { time: new Date(done.expiresAt).toLocaleString() })}
                </Typography.Text>
              )}
            </>
          ) : (
            <Alert type="success" showIcon title={t('people.addedExisting', { email: done.member.email })} />
          )}
        </div>
      ) : (
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={{
            departmentIds: props.defaultDepartment ? [props.defaultDepartment] : [],
            primaryDepartmentId: props.defaultDepartment,
            roleIds: [],
          }}
        >
          <Form.Item
            name="email"
            label={t('people.email')}
            rules={[
              { required: true, message: t('people.emailRequired') },
              { type: 'email', message: t('people.emailInvalid') },
            ]}
          >
            <Input type="email" autoComplete="off" autoFocus />
          </Form.Item>
          <Form.Item name="name" label={t('people.name')}>
            <Input maxLength={200} />
          </Form.Item>
          <MembershipFields form={form} />
        </Form>
      )}
    </Modal>
  );
}

function EditMemberModal(props: { member: Member; onClose(): void; onSaved(): Promise<void> }): ReactNode {
  const { t } = useTranslation('admin');
  const org = useOrg();
  const { message } = App.useApp();
  const [form] = Form.useForm<MembershipValues>();
  const [busy, setBusy] = useState(false);
  const m = props.member;
  const save = async (v: MembershipValues) => {
    setBusy(true);
    try {
      const membership = normaliseMembership(v.departmentIds ?? [], v.primaryDepartmentId);
      const deptChanged =
        JSON.stringify(membership.departmentIds) !== JSON.stringify(m.departmentIds) ||
        (membership.primaryDepartmentId ?? null) !== m.primaryDepartmentId;
      if (deptChanged) await org.api.members.update(m.userId, membership);
      const roles = [...(v.roleIds ?? [])].sort();
      if (JSON.stringify(roles) !== JSON.stringify([...m.roleIds].sort()))
        await org.api.members.setRoles(m.userId, roles);
      message.success(t('people.memberSaved', { name: m.name || m.email }));
      await props.onSaved();
    } catch (e) {
      if (!showFieldErrors(form, e, ['departmentIds', 'primaryDepartmentId', 'roleIds']))
        message.error(errorText(e, t('error')));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={t('people.editMember', { name: m.name || m.email })}
      okText={t('save')}
      cancelText={t('cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={props.onClose}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'member-save' } as never}
    >
      <Typography.Paragraph type="secondary">
        {m.email} · <StatusTag status={m.status} />
      </Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        onFinish={save}
        initialValues={{
          departmentIds: m.departmentIds,
          primaryDepartmentId: m.primaryDepartmentId,
          roleIds: m.roleIds,
        }}
      >
        <MembershipFields form={form} />
      </Form>
    </Modal>
  );
}

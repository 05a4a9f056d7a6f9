import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { type EntityDefinition, localize } from '@formwork/metadata';
import { formatDateTime } from '@formwork/ui/views';
import {
  App,
  Button,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../../context.js';
import { navigate, queryParam, useLocation } from '../../router.js';
import { errorText, textIn, useWorkflow } from './common.js';
import type { DefinitionKind, DefinitionSummary } from './flow-api.js';

const KEY = /^[a-z][a-zA-Z0-9_.-]{0,99}$/;
const TABS = ['flows', 'blueprints', 'automations'] as const;
type Tab = (typeof TABS)[number];
const KIND: Record<Tab, DefinitionKind> = {
  flows: 'flow',
  blueprints: 'blueprint',
  automations: 'automation',
};
const EDIT_PATH: Record<Tab, string> = {
  flows: '/admin/flows',
  blueprints: '/admin/blueprints',
  automations: '/admin/automations',
};

/** The single-select fields of an entity a blueprint can govern. */
export function stageFields(entity: EntityDefinition | undefined) {
  return (entity?.fields ?? []).filter((f) => f.type === 'select' && (f.options?.length ?? 0) > 0);
}

/** A blueprint to start from: the field's options as stages, each moving to the next. */
export function starterBlueprint(input: {
  key: string;
  entity: EntityDefinition;
  field: string;
  name?: unknown;
}) {
  const f = input.entity.fields.find((x) => x.key === input.field);
  const stages = (f?.options ?? []).map((o) => ({ key: o.value }));
  const transitions = stages.slice(1).map((s, i) => ({
    key: `to-${s.key}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 100),
    from: stages[i]?.key ?? '*',
    to: s.key,
  }));
  return {
    key: input.key,
    entity: input.entity.key,
    field: input.field,
    ...(input.name ? { name: input.name } : {}),
    stages,
    transitions,
  };
}

/** Administrators: the flows, blueprints and automations of the workspace, by form. */
export default function WorkflowAdminPage(): ReactNode {
  const app = useApp();
  const { t } = useTranslation('flows');
  const { message } = App.useApp();
  const wf = useWorkflow();
  const path = useLocation();
  const tab: Tab = (TABS as readonly string[]).includes(queryParam(path, 'tab') ?? '')
    ? (queryParam(path, 'tab') as Tab)
    : 'flows';
  const entityFilter = queryParam(path, 'entity') ?? undefined;
  const [items, setItems] = useState<DefinitionSummary[] | null>(null);
  const [creating, setCreating] = useState(false);

  const load = useCallback(async () => {
    try {
      setItems(await wf.definitions(KIND[tab]).list(entityFilter));
    } catch (e) {
      message.error(errorText(e));
      setItems([]);
    }
  }, [wf, tab, entityFilter, message]);
  useEffect(() => {
    setItems(null);
    void load();
  }, [load]);

  const go = (next: { tab?: Tab; entity?: string | undefined }) => {
    const q = new URLSearchParams();
    q.set('tab', next.tab ?? tab);
    const e = 'entity' in next ? next.entity : entityFilter;
    if (e) q.set('entity', e);
    navigate(`/admin/flows?${q.toString()}`, { replace: true });
  };
  const entityName = (key: string) => {
    const e = app.entities.find((x) => x.key === key);
    return e ? localize(e.label, app.locale, key) : key;
  };
  const open = (d: DefinitionSummary) => navigate(`${EDIT_PATH[tab]}/${encodeURIComponent(d.key)}`);

  const columns = [
    {
      key: 'name',
      title: t('admin.columns.name'),
      render: (_: unknown, d: DefinitionSummary) => (
        <Typography.Link onClick={() => open(d)} data-testid="definition-name">
          {textIn(d.name, app.locale, d.key)}
        </Typography.Link>
      ),
    },
    {
      key: 'key',
      title: t('admin.columns.key'),
      render: (_: unknown, d: DefinitionSummary) => <code>{d.key}</code>,
    },
    {
      key: 'entity',
      title: t('admin.columns.entity'),
      render: (_: unknown, d: DefinitionSummary) => entityName(d.entity),
    },
    {
      key: 'version',
      title: t('admin.columns.version'),
      render: (_: unknown, d: DefinitionSummary) => (
        <Space size={4} wrap>
          {d.publishedVersion !== null ? (
            <Tag color="success">{t('admin.published', { v: d.publishedVersion })}</Tag>
          ) : (
            <Tag>{t('admin.notPublished')}</Tag>
          )}
          {d.changed && d.publishedVersion !== null && <Tag color="warning">{t('admin.changed')}</Tag>}
        </Space>
      ),
    },
    ...(tab === 'automations'
      ? [
          {
            key: 'enabled',
            title: t('admin.columns.enabled'),
            render: (_: unknown, d: DefinitionSummary) => (
              <Switch
                checked={d.enabled}
                aria-label={t('automation.enabled')}
                data-testid="automation-enabled"
                onChange={async (on) => {
                  try {
                    await wf.setAutomationEnabled(d.key, on);
                    message.success(on ? t('automation.enabledOn') : t('automation.enabledOff'));
                    await load();
                  } catch (e) {
                    message.error(errorText(e));
                  }
                }}
              />
            ),
          },
        ]
      : []),
    {
      key: 'updated',
      title: t('admin.columns.updated'),
      render: (_: unknown, d: DefinitionSummary) => formatDateTime(d.updatedAt),
    },
    {
      key: 'actions',
      title: t('admin.columns.actions'),
      render: (_: unknown, d: DefinitionSummary) => (
        <Space>
          <Button size="small" onClick={() => open(d)} data-testid="definition-open">
            {tab === 'flows' ? t('admin.design') : t('admin.edit')}
          </Button>
          <Popconfirm
            title={t('admin.deleteConfirm', { name: textIn(d.name, app.locale, d.key) })}
            okButtonProps={{ danger: true }}
            okText={t('admin.delete')}
            cancelText={t('admin.cancel')}
            onConfirm={async () => {
              try {
                await wf.definitions(KIND[tab]).remove(d.key);
                message.success(t('admin.deleted'));
                await load();
              } catch (e) {
                message.error(errorText(e));
              }
            }}
          >
            <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('admin.delete')} />
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <div data-testid="workflow-admin">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('admin.title')}
        </Typography.Title>
        <Space wrap>
          <Select
            allowClear
            placeholder={t('admin.allEntities')}
            aria-label={t('admin.entity')}
            value={entityFilter}
            style={{ minWidth: 180 }}
            onChange={(v: string | undefined) => go({ entity: v })}
            options={app.entities.map((e) => ({ value: e.key, label: localize(e.label, app.locale, e.key) }))}
          />
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setCreating(true)}
            data-testid="definition-new"
          >
            {tab === 'flows'
              ? t('admin.newFlow')
              : tab === 'blueprints'
                ? t('admin.newBlueprint')
                : t('admin.newAutomation')}
          </Button>
        </Space>
      </Space>
      <Tabs
        activeKey={tab}
        onChange={(k) => go({ tab: k as Tab })}
        items={TABS.map((k) => ({
          key: k,
          label: <span data-testid={`workflow-tab-${k}`}>{t(`admin.tabs.${k}`)}</span>,
        }))}
      />
      <Table
        rowKey="key"
        loading={items === null}
        dataSource={items ?? []}
        columns={columns}
        pagination={false}
        locale={{ emptyText: t('admin.empty') }}
        scroll={{ x: true }}
      />
      {creating && (
        <CreateDialog
          tab={tab}
          {...(entityFilter ? { entity: entityFilter } : {})}
          onClose={() => setCreating(false)}
          onCreated={(key) => {
            setCreating(false);
            message.success(t('admin.created'));
            navigate(`${EDIT_PATH[tab]}/${encodeURIComponent(key)}`);
          }}
        />
      )}
    </div>
  );
}

function CreateDialog(props: {
  tab: Tab;
  entity?: string;
  onClose(): void;
  onCreated(key: string): void;
}): ReactNode {
  const app = useApp();
  const { t } = useTranslation('flows');
  const wf = useWorkflow();
  const [form] = Form.useForm<{
    entity: string;
    key: string;
    nameZh?: string;
    nameEn?: string;
    field?: string;
  }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const entityKey = Form.useWatch('entity', form);
  const entity = app.entities.find((e) => e.key === entityKey);
  const create = async () => {
    const v = await form.validateFields();
    const name =
      v.nameZh || v.nameEn
        ? { ...(v.nameZh ? { 'zh-CN': v.nameZh } : {}), ...(v.nameEn ? { en: v.nameEn } : {}) }
        : undefined;
    const ent = app.entities.find((e) => e.key === v.entity) as EntityDefinition;
    setBusy(true);
    setError(null);
    try {
      if (props.tab === 'flows') {
        const { newFlow } = await import('@formwork/ui/flow');
        await wf
          .definitions('flow')
          .create(newFlow({ key: v.key, entity: v.entity, ...(name ? { name } : {}) }));
      } else if (props.tab === 'blueprints') {
        await wf
          .definitions('blueprint')
          .create(starterBlueprint({ key: v.key, entity: ent, field: v.field ?? '', name }));
      } else {
        await wf.definitions('automation').create({
          key: v.key,
          entity: v.entity,
          ...(name ? { name } : {}),
          trigger: { type: 'created' },
          actions: [
            {
              type: 'notify',
              to: [{ type: 'submitter' }],
              channels: ['inApp'],
              title: { 'zh-CN': '新记录已创建', en: 'A new record was created' },
            },
          ],
        });
      }
      props.onCreated(v.key);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={
        props.tab === 'flows'
          ? t('admin.newFlow')
          : props.tab === 'blueprints'
            ? t('admin.newBlueprint')
            : t('admin.newAutomation')
      }
      onCancel={props.onClose}
      onOk={() => void create()}
      okText={t('admin.create')}
      cancelText={t('admin.cancel')}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'definition-create' } as never}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ entity: props.entity }}
        data-testid="definition-form"
      >
        <Form.Item
          name="entity"
          label={t('admin.entity')}
          rules={[{ required: true, message: t('admin.entityRequired') }]}
        >
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={app.entities.map((e) => ({ value: e.key, label: localize(e.label, app.locale, e.key) }))}
          />
        </Form.Item>
        {props.tab === 'blueprints' && (
          <Form.Item
            name="field"
            label={t('admin.stageField')}
            rules={[{ required: true, message: t('admin.noStageFields') }]}
            {...(entity && stageFields(entity).length === 0 ? { help: t('admin.noStageFields') } : {})}
          >
            <Select
              options={stageFields(entity).map((f) => ({
                value: f.key,
                label: localize(f.label, app.locale, f.key),
              }))}
            />
          </Form.Item>
        )}
        <Form.Item
          name="key"
          label={t('admin.key')}
          extra={t('admin.keyHint')}
          rules={[
            { required: true, message: t('admin.keyRequired') },
            { pattern: KEY, message: t('admin.keyInvalid') },
          ]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="nameZh" label={t('admin.nameZh')}>
          <Input />
        </Form.Item>
        <Form.Item name="nameEn" label={t('admin.nameEn')}>
          <Input />
        </Form.Item>
        {error && (
          <Typography.Text type="danger" data-testid="definition-error">
            {error}
          </Typography.Text>
        )}
      </Form>
    </Modal>
  );
}

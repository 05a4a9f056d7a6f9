import type { RecordData } from '@formwork/client';
import { localize } from '@formwork/metadata';
import { type HistoryItem, HistoryList } from '@formwork/ui/views';
import { Button, type ButtonProps, Popconfirm, Result, Space, Spin, Tabs, Typography } from 'antd';
import { lazy, type ReactNode, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, recordTitle } from '../api.js';
import { useAppApi } from '../components/LazyApp.js';
import { RecordDrawer } from '../components/RecordDrawer.js';
import { useApp } from '../context.js';
import { navigate } from '../router.js';
import { formServices } from '../services.js';
import { RecordFlowSection } from './flows/RecordFlowSection.js';

const FormRenderer = lazy(() => import('@formwork/ui/form').then((m) => ({ default: m.FormRenderer })));

/** One record: the form (read-only, edit in a drawer), its change history, delete. */
export function RecordPage(props: { entityKey: string; id: string }): ReactNode {
  const app = useApp();
  const { t } = useTranslation('web');
  const { message } = useAppApi();
  const entity = app.entities.find((e) => e.key === props.entityKey);
  const [record, setRecord] = useState<RecordData | null>(null);
  const [history, setHistory] = useState<HistoryItem[]>([]);
  const [missing, setMissing] = useState(false);
  const [editing, setEditing] = useState(false);
  const [tab, setTab] = useState('details');

  const load = useCallback(async () => {
    try {
      const [r, h] = await Promise.all([
        app.api.client.records.get(props.entityKey, props.id),
        app.api.client.records.history(props.entityKey, props.id),
      ]);
      setRecord(r);
      setHistory(h as HistoryItem[]);
    } catch (e) {
      if (e instanceof ApiError && (e.status === 404 || e.status === 400)) setMissing(true);
      else message.error(e instanceof Error ? e.message : String(e));
    }
  }, [app.api, props.entityKey, props.id, message]);
  useEffect(() => {
    void load();
  }, [load]);

  const services = useMemo(
    () =>
      entity
        ? formServices({
            api: app.api,
            entity,
            entities: app.entities,
            user: { id: app.session.user.id, name: app.session.user.name },
            names: app.names,
            users: app.users,
          })
        : null,
    [app, entity],
  );

  if (!entity || missing) {
    return (
      <Result
        status="404"
        title={t('records.notFound')}
        extra={
          <Button onClick={() => navigate(entity ? `/e/${entity.key}` : '/')}>
            {t('records.backToList')}
          </Button>
        }
      />
    );
  }
  if (!record || !services) return <Spin size="large" style={{ display: 'block', margin: '64px auto' }} />;

  const remove = async () => {
    await app.api.client.records.remove(entity.key, record.id);
    message.success(t('records.deleted', { count: 1 }));
    navigate(`/e/${entity.key}`);
  };

  return (
    <div data-testid="record-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <div>
          <Button type="link" style={{ paddingInline: 0 }} onClick={() => navigate(`/e/${entity.key}`)}>
            ← {localize(entity.label, app.locale, entity.key)}
          </Button>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="record-title">
            {recordTitle(entity, record)}
          </Typography.Title>
        </div>
        <Space>
          {app.can(entity.key, 'update') && (
            <Button type="primary" onClick={() => setEditing(true)} data-testid="edit-record">
              {t('records.edit')}
            </Button>
          )}
          {app.can(entity.key, 'delete') && (
            <Popconfirm
              title={t('records.deleteConfirm')}
              onConfirm={() => remove()}
              okButtonProps={{ danger: true, 'data-testid': 'confirm-delete' } as ButtonProps}
            >
              <Button danger data-testid="delete-record">
                {t('records.delete')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      </Space>
      <RecordFlowSection key={entity.key} entity={entity} record={record} onChanged={() => void load()} />
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          {
            key: 'details',
            label: t('records.details'),
            children: (
              <Suspense fallback={<Spin />}>
                <FormRenderer
                  key={record.version}
                  entity={entity}
                  value={record}
                  locale={app.locale}
                  services={services}
                  mode="view"
                  fieldAccess={app.fieldAccess(entity.key)}
                  onSubmit={() => undefined}
                />
              </Suspense>
            ),
          },
          {
            key: 'history',
            label: <span data-testid="history-tab">{t('records.history')}</span>,
            children: <HistoryList entity={entity} items={history} locale={app.locale} names={app.names} />,
          },
        ]}
      />
      {editing && (
        <RecordDrawer
          entity={entity}
          record={record}
          open={editing}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            void load();
          }}
        />
      )}
    </div>
  );
}

import { localize } from '@formwork/metadata';
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Drawer,
  Input,
  Radio,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../../context.js';
import type { AuditEvent } from './admin-api.js';
import {
  type AuditFilters,
  auditQuery,
  eventChanges,
  otherDetails,
  recordIdProblem,
  showValue,
} from './audit.js';
import { roleName, useOrg } from './org.js';
import { errorText } from './widgets.js';

const ACTIONS = [
  'auth',
  'auth.login',
  'auth.rejected',
  'auth.password',
  'access.denied',
  'member',
  'department',
  'permission',
  'schema',
  'export',
] as const;

/** The audit log: filters, newest first, "load more" by cursor, and a drawer with one event's details. */
export function AuditPage(): ReactNode {
  const { t } = useTranslation('admin');
  const app = useApp();
  const org = useOrg();
  const [filters, setFilters] = useState<AuditFilters>({ mode: 'system' });
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [items, setItems] = useState<AuditEvent[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<AuditEvent | null>(null);
  const generation = useRef(0);

  const names = useMemo(() => {
    const m = new Map(app.names);
    for (const x of org.members) m.set(x.userId, x.name || x.email);
    for (const d of org.departments) m.set(d.id, d.name);
    for (const r of org.roles) m.set(r.id, roleName(r, app.locale));
    return m;
  }, [app.names, org.members, org.departments, org.roles, app.locale]);
  const nameOf = (id: string | null | undefined) =>
    id ? (names.get(id) ?? id.slice(0, 8)) : t('audit.system');
  const entityLabel = (key: string) =>
    localize(app.entities.find((e) => e.key === key)?.label, app.locale, key);

  const load = useCallback(
    async (f: AuditFilters, after?: string) => {
      const q = auditQuery(f, after);
      const gen = ++generation.current;
      if (!q || recordIdProblem(f)) {
        setItems([]);
        setCursor(null);
        return;
      }
      setLoading(true);
      setError(null);
      try {
        const page = await org.api.audit(q);
        if (gen !== generation.current) return;
        setItems((prev) => (after ? [...prev, ...page.items] : page.items));
        setCursor(page.nextCursor);
      } catch (e) {
        if (gen === generation.current) setError(errorText(e, t('error')));
      } finally {
        if (gen === generation.current) setLoading(false);
      }
    },
    [org.api, t],
  );

  useEffect(() => {
    void load(filters);
  }, [filters, load]);

  const set = (patch: Partial<AuditFilters>) => setFilters((f) => ({ ...f, ...patch }));
  const actionLabel = (e: AuditEvent) => {
    const key = `audit.actions.${e.action.replaceAll('.', '_')}`;
    const label = t(key, { defaultValue: '' });
    return label || e.action;
  };
  const targetText = (e: AuditEvent) => {
    if (!e.targetId) return '—';
    if (e.action.startsWith('record.'))
      return `${entityLabel(e.targetType ?? '')} · ${e.targetId.slice(0, 8)}`;
    if (e.targetType === 'entity') return entityLabel(e.targetId);
    return names.get(e.targetId) ?? e.targetId;
  };

  return (
    <div data-testid="audit-page">
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('audit.title')}
      </Typography.Title>
      <Card style={{ marginBottom: 16 }}>
        <Space wrap size={12} align="start">
          <Radio.Group
            optionType="button"
            value={filters.mode}
            onChange={(e) => set({ mode: e.target.value, targetId: undefined })}
            options={[
              { value: 'system', label: t('audit.modeSystem') },
              { value: 'records', label: t('audit.modeRecords') },
            ]}
          />
          <DatePicker.RangePicker
            showTime
            aria-label={t('audit.time')}
            value={range}
            onChange={(v) => {
              const r = (v as [Dayjs | null, Dayjs | null] | null) ?? null;
              setRange(r);
              set({ from: r?.[0]?.toISOString(), to: r?.[1]?.toISOString() });
            }}
          />
          <Select
            aria-label={t('audit.actor')}
            data-testid="audit-actor"
            style={{ width: 220 }}
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('audit.actor')}
            value={filters.actor}
            onChange={(actor?: string) => set({ actor })}
            options={[
              ...org.members.map((m) => ({ value: m.userId, label: `${m.name || m.email} · ${m.email}` })),
              ...app.users
                .filter((u) => !org.members.some((m) => m.userId === u.id))
                .map((u) => ({ value: u.id, label: `${u.name || u.email} · ${u.email}` })),
            ]}
          />
          {filters.mode === 'system' ? (
            <>
              <Select
                aria-label={t('audit.action')}
                data-testid="audit-action"
                style={{ width: 200 }}
                allowClear
                placeholder={t('audit.action')}
                value={filters.action}
                onChange={(action?: string) => set({ action })}
                options={ACTIONS.map((a) => ({
                  value: a,
                  label: t(`audit.kinds.${a.replaceAll('.', '_')}`),
                }))}
              />
              <Select
                aria-label={t('audit.result')}
                style={{ width: 130 }}
                allowClear
                placeholder={t('audit.result')}
                value={filters.ok === undefined ? undefined : filters.ok ? 'ok' : 'failed'}
                onChange={(v?: string) => set({ ok: v === undefined ? undefined : v === 'ok' })}
                options={[
                  { value: 'ok', label: t('audit.ok') },
                  { value: 'failed', label: t('audit.failed') },
                ]}
              />
            </>
          ) : (
            <Select
              aria-label={t('audit.entity')}
              data-testid="audit-entity"
              style={{ width: 200 }}
              showSearch
              optionFilterProp="label"
              placeholder={t('audit.pickEntity')}
              value={filters.entity}
              onChange={(entity: string) => set({ entity })}
              options={app.entities.map((e) => ({
                value: e.key,
                label: localize(e.label, app.locale, e.key),
              }))}
            />
          )}
          <Input.Search
            aria-label={filters.mode === 'records' ? t('audit.recordId') : t('audit.targetId')}
            placeholder={filters.mode === 'records' ? t('audit.recordId') : t('audit.targetId')}
            allowClear
            style={{ width: 280 }}
            status={recordIdProblem(filters) ? 'error' : undefined}
            onSearch={(v) => set({ targetId: v.trim() || undefined })}
          />
        </Space>
        {recordIdProblem(filters) && (
          <Typography.Text type="danger" style={{ display: 'block', marginTop: 8 }}>
            {t('audit.recordIdInvalid')}
          </Typography.Text>
        )}
      </Card>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      {filters.mode === 'records' && !filters.entity ? (
        <Alert type="info" showIcon title={t('audit.pickEntityHint')} />
      ) : (
        <>
          <Table<AuditEvent>
            rowKey="id"
            size="middle"
            loading={loading && items.length === 0}
            dataSource={items}
            pagination={false}
            scroll={{ x: 960 }}
            locale={{ emptyText: t('audit.empty') }}
            onRow={(e) =>
              ({
                onClick: () => setOpen(e),
                style: { cursor: 'pointer' },
                'data-testid': `audit-row-${e.action}`,
              }) as never
            }
            columns={[
              {
                key: 'at',
                title: t('audit.time'),
                width: 180,
                render: (_, e) => new Date(e.at).toLocaleString(app.locale),
              },
              { key: 'actor', title: t('audit.actor'), width: 180, render: (_, e) => nameOf(e.actor) },
              {
                key: 'action',
                title: t('audit.action'),
                render: (_, e) => (
                  <Space size={4}>
                    <span>{actionLabel(e)}</span>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {e.action}
                    </Typography.Text>
                  </Space>
                ),
              },
              { key: 'target', title: t('audit.target'), render: (_, e) => targetText(e) },
              {
                key: 'ok',
                title: t('audit.result'),
                width: 90,
                render: (_, e) => (
                  <Tag color={e.ok ? 'green' : 'red'}>{e.ok ? t('audit.ok') : t('audit.failed')}</Tag>
                ),
              },
              { key: 'ip', title: 'IP', width: 140, render: (_, e) => e.ip ?? '—' },
            ]}
          />
          {cursor && (
            <div style={{ textAlign: 'center', marginTop: 16 }}>
              <Button loading={loading} onClick={() => load(filters, cursor)} data-testid="audit-more">
                {t('audit.loadMore')}
              </Button>
            </div>
          )}
        </>
      )}
      <Drawer
        open={open !== null}
        onClose={() => setOpen(null)}
        size={app.mobile ? '100%' : 640}
        title={open ? actionLabel(open) : ''}
        destroyOnHidden
      >
        {open && <EventDetail event={open} nameOf={nameOf} targetText={targetText} />}
      </Drawer>
    </div>
  );
}

function EventDetail(props: {
  event: AuditEvent;
  nameOf(id: string | null): string;
  targetText(e: AuditEvent): string;
}): ReactNode {
  const { t } = useTranslation('admin');
  const app = useApp();
  const e = props.event;
  const changes = eventChanges(e);
  const rest = otherDetails(e);
  return (
    <div data-testid="audit-detail">
      <Descriptions column={1} bordered size="small">
        <Descriptions.Item label={t('audit.time')}>
          {new Date(e.at).toLocaleString(app.locale)}
        </Descriptions.Item>
        <Descriptions.Item label={t('audit.action')}>{e.action}</Descriptions.Item>
        <Descriptions.Item label={t('audit.result')}>
          <Tag color={e.ok ? 'green' : 'red'}>{e.ok ? t('audit.ok') : t('audit.failed')}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t('audit.actor')}>
          {props.nameOf(e.actor)}
          {e.actor && (
            <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: 12 }}>
              {e.actor}
            </Typography.Text>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('audit.target')}>
          {props.targetText(e)}
          {e.targetId && (
            <Typography.Text type="secondary" copyable style={{ display: 'block', fontSize: 12 }}>
              {e.targetType ? `${e.targetType}: ` : ''}
              {e.targetId}
            </Typography.Text>
          )}
        </Descriptions.Item>
        <Descriptions.Item label="IP">
          <span data-testid="audit-ip">{e.ip ?? '—'}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('audit.userAgent')}>
          <span data-testid="audit-ua" style={{ wordBreak: 'break-all' }}>
            {e.userAgent ?? '—'}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('audit.token')}>
          {e.tokenId ? (
            <Typography.Text copyable>{e.tokenId}</Typography.Text>
          ) : (
            <Typography.Text type="secondary">{t('audit.noToken')}</Typography.Text>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('audit.requestId')}>{e.requestId ?? '—'}</Descriptions.Item>
        {typeof rest.source === 'string' && (
          <Descriptions.Item label={t('audit.source')}>
            {t(`audit.sources.${rest.source}`, { defaultValue: rest.source })}
          </Descriptions.Item>
        )}
      </Descriptions>
      {changes.length > 0 && (
        <>
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            {t('audit.changes')}
          </Typography.Title>
          <Table
            size="small"
            rowKey="field"
            pagination={false}
            dataSource={changes}
            data-testid="audit-changes"
            columns={[
              { key: 'field', title: t('audit.field'), dataIndex: 'field', width: '30%' },
              {
                key: 'before',
                title: t('audit.before'),
                render: (_, c) => <ValueText value={c.before} />,
              },
              {
                key: 'after',
                title: t('audit.after'),
                render: (_, c) => <ValueText value={c.after} />,
              },
            ]}
          />
        </>
      )}
      {Object.keys(rest).filter((k) => k !== 'source').length > 0 && (
        <>
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            {t('audit.details')}
          </Typography.Title>
          <pre
            style={{
              background: '#fafafa',
              padding: 12,
              borderRadius: 6,
              whiteSpace: 'pre-wrap',
              fontSize: 12,
            }}
            data-testid="audit-raw"
          >
            {JSON.stringify(
              Object.fromEntries(Object.entries(rest).filter(([k]) => k !== 'source')),
              null,
              2,
            )}
          </pre>
        </>
      )}
    </div>
  );
}

function ValueText(props: { value: unknown }): ReactNode {
  const text = showValue(props.value);
  return (
    <span style={{ wordBreak: 'break-word', color: text === '—' ? 'rgba(0,0,0,0.45)' : undefined }}>
      {text}
    </span>
  );
}

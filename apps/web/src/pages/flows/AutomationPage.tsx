import { type EntityDefinition, type FilterNode, localize } from '@formwork/metadata';
import {
  ActionsEditor,
  type Automation,
  type AutomationAction,
  type AutomationTrigger,
  DurationInput,
  FlowEditorsProvider,
  fieldLabel,
  LabelEditor,
  Prop,
} from '@formwork/ui/flow';
import { FilterBuilder, formatDateTime } from '@formwork/ui/views';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Input,
  Row,
  Select,
  Space,
  Spin,
  Switch,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { recordTitle } from '../../api.js';
import { type AppState, useApp } from '../../context.js';
import { navigate } from '../../router.js';
import { errorText, textIn, useWorkflow } from './common.js';
import { DefinitionHeader, DefinitionMissing, useDefinitionDraft } from './DefinitionEditor.js';
import { useDirectory } from './FlowDesignerPage.js';
import type { AutomationRun, DefinitionDetail } from './flow-api.js';
import { useFlowStrings } from './flow-strings.js';

/** One automation: trigger, condition and actions; enable/disable, run history and a dry run. */
export default function AutomationPage(props: { automationKey: string }): ReactNode {
  useFlowStrings();
  const app = useApp();
  const { t } = useTranslation('flows');
  const { message } = App.useApp();
  const wf = useWorkflow();
  const dir = useDirectory();
  const [json, setJson] = useState<string>('');
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [tab, setTab] = useState<'form' | 'json'>('form');
  const [runs, setRuns] = useState<AutomationRun[] | null>(null);
  const onLoad = useCallback(
    async (d: DefinitionDetail<Automation>) => {
      setJson(JSON.stringify(d.draft.actions, null, 2));
      setRuns(await wf.automationRuns(d.key));
    },
    [wf],
  );
  const canSave = useCallback(() => jsonError, [jsonError]);
  const state = useDefinitionDraft<Automation>('automation', props.automationKey, { onLoad, canSave });
  const { detail, setDetail, draft, setDraft, missing, fail } = state;

  if (missing) return <DefinitionMissing reason={missing} backTab="automations" />;
  const entity = detail ? app.entities.find((e) => e.key === detail.entity) : undefined;
  if (!detail || !draft || !entity)
    return <Spin size="large" style={{ display: 'block', margin: '64px auto' }} />;
  const set = (patch: Partial<Automation>) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    if (patch.actions) setJson(JSON.stringify(patch.actions, null, 2));
  };
  const fields = entity.fields.map((f) => ({ value: f.key, label: localize(f.label, app.locale, f.key) }));
  const dateFields = entity.fields
    .filter((f) => f.type === 'date' || f.type === 'datetime')
    .map((f) => ({ value: f.key, label: localize(f.label, app.locale, f.key) }));

  const trigger = draft.trigger;
  const setTrigger = (tr: AutomationTrigger) => set({ trigger: tr });

  return (
    <FlowEditorsProvider entity={entity} entities={app.entities} locale={app.locale} dir={dir}>
      <div data-testid="automation-page">
        <DefinitionHeader
          state={state}
          name={textIn(draft.name, app.locale, draft.key)}
          subtitle={localize(entity.label, app.locale, entity.key)}
          backTab="automations"
          saveLabel={t('automation.save')}
          testId="automation"
          extra={
            <Space size={4}>
              <Switch
                checked={detail.enabled}
                aria-label={t('automation.enabled')}
                onChange={async (on) => {
                  try {
                    setDetail(
                      (await wf.setAutomationEnabled(detail.key, on)) as DefinitionDetail<Automation>,
                    );
                    message.success(on ? t('automation.enabledOn') : t('automation.enabledOff'));
                  } catch (e) {
                    fail(e);
                  }
                }}
              />
              {t('automation.enabled')}
            </Space>
          }
        />
        <Row gutter={16}>
          <Col xs={24} lg={14}>
            <Card size="small" title={t('automation.trigger')} style={{ marginBottom: 12 }}>
              <Space orientation="vertical" style={{ width: '100%' }}>
                <LabelEditor
                  zhLabel={t('admin.nameZh')}
                  enLabel={t('admin.nameEn')}
                  value={draft.name}
                  onChange={(name) => {
                    const { name: _drop, ...rest } = draft;
                    setDraft(name ? { ...rest, name } : rest);
                  }}
                />
                <Select
                  aria-label={t('automation.trigger')}
                  value={trigger.type}
                  style={{ width: '100%' }}
                  data-testid="automation-trigger"
                  options={(['created', 'updated', 'fieldChanged', 'dateReached', 'schedule'] as const).map(
                    (x) => ({
                      value: x,
                      label: t(`automation.triggers.${x}`),
                    }),
                  )}
                  onChange={(type: AutomationTrigger['type']) =>
                    setTrigger(
                      type === 'fieldChanged'
                        ? { type, field: fields[0]?.value ?? '' }
                        : type === 'dateReached'
                          ? { type, field: dateFields[0]?.value ?? '' }
                          : type === 'schedule'
                            ? { type, cron: '0 9 * * 1', timeZone: 'Asia/Shanghai' }
                            : { type },
                    )
                  }
                />
                {trigger.type === 'updated' && (
                  <Prop label={t('automation.updatedFields')}>
                    {(id) => (
                      <Select
                        id={id}
                        mode="multiple"
                        value={trigger.fields ?? []}
                        options={fields}
                        style={{ width: '100%' }}
                        onChange={(v: string[]) =>
                          setTrigger(v.length > 0 ? { type: 'updated', fields: v } : { type: 'updated' })
                        }
                      />
                    )}
                  </Prop>
                )}
                {trigger.type === 'fieldChanged' && (
                  <>
                    <Prop label={t('automation.field')}>
                      {(id) => (
                        <Select
                          id={id}
                          value={trigger.field}
                          options={fields}
                          style={{ width: '100%' }}
                          onChange={(field: string) => setTrigger({ type: 'fieldChanged', field })}
                        />
                      )}
                    </Prop>
                    <Space wrap>
                      <Prop label={t('automation.from')}>
                        {(id) => (
                          <Input
                            id={id}
                            value={trigger.from === undefined ? '' : String(trigger.from)}
                            onChange={(e) => {
                              const { from: _drop, ...rest } = trigger;
                              setTrigger(e.target.value === '' ? rest : { ...rest, from: e.target.value });
                            }}
                          />
                        )}
                      </Prop>
                      <Prop label={t('automation.to')}>
                        {(id) => (
                          <Input
                            id={id}
                            value={trigger.to === undefined ? '' : String(trigger.to)}
                            onChange={(e) => {
                              const { to: _drop, ...rest } = trigger;
                              setTrigger(e.target.value === '' ? rest : { ...rest, to: e.target.value });
                            }}
                          />
                        )}
                      </Prop>
                    </Space>
                  </>
                )}
                {trigger.type === 'dateReached' && (
                  <>
                    <Prop label={t('automation.field')}>
                      {(id) => (
                        <Select
                          id={id}
                          value={trigger.field || undefined}
                          options={dateFields}
                          style={{ width: '100%' }}
                          onChange={(field: string) => setTrigger({ ...trigger, field })}
                        />
                      )}
                    </Prop>
                    <div className="fw-flow-prop-label">{t('automation.offset')}</div>
                    <DurationInput
                      label={t('automation.offset')}
                      value={trigger.offset}
                      onChange={(offset) => setTrigger({ ...trigger, offset })}
                    />
                    <Space wrap>
                      <Select
                        aria-label={t('automation.direction')}
                        value={trigger.direction ?? 'before'}
                        options={[
                          { value: 'before', label: t('automation.before') },
                          { value: 'after', label: t('automation.after') },
                        ]}
                        onChange={(direction: 'before' | 'after') => setTrigger({ ...trigger, direction })}
                      />
                      <Input
                        aria-label={t('automation.at')}
                        placeholder="09:00"
                        value={trigger.at ?? ''}
                        style={{ width: 100 }}
                        onChange={(e) => {
                          const { at: _drop, ...rest } = trigger;
                          setTrigger(e.target.value === '' ? rest : { ...rest, at: e.target.value });
                        }}
                      />
                    </Space>
                  </>
                )}
                {trigger.type === 'schedule' && (
                  <Space wrap>
                    <Prop label={t('automation.cron')} help={t('automation.cronHint')}>
                      {(id) => (
                        <Input
                          id={id}
                          value={trigger.cron}
                          onChange={(e) => setTrigger({ ...trigger, cron: e.target.value })}
                        />
                      )}
                    </Prop>
                    <Prop label={t('automation.timeZone')}>
                      {(id) => (
                        <Input
                          id={id}
                          value={trigger.timeZone ?? 'Asia/Shanghai'}
                          onChange={(e) => setTrigger({ ...trigger, timeZone: e.target.value })}
                        />
                      )}
                    </Prop>
                  </Space>
                )}
              </Space>
            </Card>
            {trigger.type !== 'schedule' && (
              <Card size="small" title={t('automation.condition')} style={{ marginBottom: 12 }}>
                <FilterBuilder
                  entity={entity}
                  value={draft.condition}
                  locale={app.locale}
                  members={dir.members}
                  departments={dir.departments ?? []}
                  onChange={(condition: FilterNode | undefined) => {
                    const { condition: _drop, ...rest } = draft;
                    setDraft(condition ? { ...rest, condition } : rest);
                  }}
                />
              </Card>
            )}
            <Card size="small" title={t('automation.actions')} style={{ marginBottom: 12 }}>
              <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                {t('automation.actionsHint')}
              </Typography.Paragraph>
              <Tabs
                activeKey={tab}
                onChange={(k) => setTab(k as 'form' | 'json')}
                items={[
                  {
                    key: 'form',
                    label: t('automation.structured'),
                    children: (
                      <ActionsEditor
                        for="automation"
                        value={draft.actions}
                        onChange={(actions) => set({ actions })}
                      />
                    ),
                  },
                  {
                    key: 'json',
                    label: t('automation.json'),
                    children: (
                      <Space orientation="vertical" style={{ width: '100%' }}>
                        <Input.TextArea
                          aria-label={t('automation.actionsJson')}
                          value={json}
                          autoSize={{ minRows: 8, maxRows: 30 }}
                          style={{ fontFamily: 'monospace' }}
                          data-testid="automation-actions-json"
                          onChange={(e) => {
                            setJson(e.target.value);
                            try {
                              const v = JSON.parse(e.target.value) as unknown;
                              if (!Array.isArray(v)) throw new Error('[ … ]');
                              setJsonError(null);
                              setDraft({ ...draft, actions: v as AutomationAction[] });
                            } catch (err) {
                              setJsonError(
                                t('automation.jsonInvalid', {
                                  message: err instanceof Error ? err.message : String(err),
                                }),
                              );
                            }
                          }}
                        />
                        {jsonError && <Alert type="error" showIcon title={jsonError} />}
                      </Space>
                    ),
                  },
                ]}
              />
            </Card>
          </Col>
          <Col xs={24} lg={10}>
            <DryRun automationKey={detail.key} entity={entity} />
            <Card
              size="small"
              title={t('automation.runs')}
              extra={
                <Button size="small" onClick={async () => setRuns(await wf.automationRuns(detail.key))}>
                  {t('tasks.refresh')}
                </Button>
              }
              data-testid="automation-runs"
            >
              {runs === null ? (
                <Spin />
              ) : runs.length === 0 ? (
                <Empty description={t('automation.noRuns')} />
              ) : (
                <Table
                  size="small"
                  rowKey="id"
                  dataSource={runs}
                  pagination={{ pageSize: 10 }}
                  expandable={{
                    expandedRowRender: (r) => <RunDetail run={r} entity={entity} />,
                  }}
                  columns={[
                    {
                      key: 'at',
                      title: t('automation.runAt'),
                      render: (_: unknown, r: AutomationRun) => formatDateTime(r.at),
                    },
                    {
                      key: 'status',
                      title: t('tasks.columns.status'),
                      render: (_: unknown, r: AutomationRun) => <RunStatus status={r.status} />,
                    },
                    { key: 'trigger', title: t('automation.trigger'), dataIndex: 'trigger' },
                    {
                      key: 'record',
                      title: t('automation.record'),
                      render: (_: unknown, r: AutomationRun) =>
                        r.recordId ? (
                          <Typography.Link onClick={() => navigate(`/e/${entity.key}/r/${r.recordId}`)}>
                            #{r.recordId.slice(0, 8)}
                          </Typography.Link>
                        ) : (
                          '—'
                        ),
                    },
                  ]}
                />
              )}
            </Card>
          </Col>
        </Row>
      </div>
    </FlowEditorsProvider>
  );
}

function RunStatus(props: { status: AutomationRun['status'] }): ReactNode {
  const { t } = useTranslation('flows');
  const color =
    props.status === 'ok'
      ? 'success'
      : props.status === 'failed'
        ? 'error'
        : props.status === 'partial'
          ? 'warning'
          : 'default';
  return <Tag color={color}>{t(`automation.runStatus.${props.status}`)}</Tag>;
}

function RunDetail(props: { run: AutomationRun; entity: EntityDefinition }): ReactNode {
  const app = useApp();
  const { t } = useTranslation('flows');
  const r = props.run;
  const skipped = (r.skipped ?? []).map((s) =>
    typeof s.message === 'string' ? s.message : (s.message?.[app.locale] ?? JSON.stringify(s)),
  );
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="run-detail">
      {r.error && <Alert type="error" showIcon title={`${t('automation.error')}: ${r.error}`} />}
      {skipped.length > 0 && (
        <Alert
          type="warning"
          showIcon
          title={t('automation.skipped')}
          description={
            <ul style={{ margin: 0 }}>
              {skipped.map((s) => (
                <li key={s}>{s}</li>
              ))}
            </ul>
          }
        />
      )}
      {r.effects.length > 0 ? (
        <>
          <ul style={{ margin: 0, paddingInlineStart: 18 }} data-testid="run-effects">
            {r.effects.map((e, i) => {
              const text = effectText(e, props.entity, app, t);
              // biome-ignore lint/suspicious/noArrayIndexKey: effects are a fixed list
              return text === null ? null : <li key={i}>{text}</li>;
            })}
          </ul>
          <details>
            <summary style={{ cursor: 'pointer', fontSize: 12 }}>JSON</summary>
            <pre style={{ fontSize: 12, maxHeight: 240, overflow: 'auto', margin: 0 }}>
              {JSON.stringify(r.effects, null, 2)}
            </pre>
          </details>
        </>
      ) : (
        <Typography.Text type="secondary">{t('automation.nothing')}</Typography.Text>
      )}
    </Space>
  );
}

/**
 * One planned effect in words: who is notified, which fields change, which address is called; null for the
 * runtime's own bookkeeping (the round-robin cursor).
 */
function effectText(
  e: Record<string, unknown>,
  entity: EntityDefinition,
  app: Pick<AppState, 'locale' | 'names' | 'entities'>,
  t: (k: string, o?: Record<string, unknown>) => string,
): string | null {
  const { locale, names } = app;
  const name = (v: unknown) => (typeof v === 'string' ? (names.get(v) ?? v) : JSON.stringify(v));
  const who = (ids: unknown) => (Array.isArray(ids) ? ids : []).map(name).join(locale === 'en' ? ', ' : '、');
  const msg = (m: unknown) =>
    m && typeof m === 'object' ? ((m as Record<string, string>)[locale] ?? '') : String(m ?? '');
  // Fields by their labels, members and departments by their names: 负责人 = 李经理, not ownerId = 0193….
  const set = (d: unknown, target: EntityDefinition | undefined) =>
    Object.entries((d ?? {}) as Record<string, unknown>)
      .map(([k, v]) => `${fieldLabel(target, k, locale)} = ${Array.isArray(v) ? who(v) : name(v)}`)
      .join(locale === 'en' ? ', ' : '，');
  const other = (key: unknown) => {
    const target = app.entities.find((x) => x.key === key);
    return { target, label: target ? localize(target.label, locale, target.key) : String(key) };
  };
  switch (e.type) {
    case 'notify':
      return t('automation.effect.notify', { who: who(e.to), title: msg(e.title) });
    case 'sendEmail':
      return t('automation.effect.sendEmail', { who: who(e.to), title: msg(e.subject) });
    case 'updateRecord':
      return t('automation.effect.updateRecord', { changes: set(e.changes, entity) });
    case 'createRecord':
    case 'upsertRecord': {
      const { target, label } = other(e.entity);
      return t(`automation.effect.${e.type}`, { entity: label, changes: set(e.data, target) });
    }
    case 'callWebhook':
      return t('automation.effect.callWebhook', { url: String(e.url) });
    case 'startFlow':
      return t('automation.effect.startFlow', { flow: String(e.flow) });
    case 'assignmentCursor':
      return null;
    default:
      return String(e.type);
  }
}

/** Plans the draft against a chosen record (optionally with "before" values) and shows what would happen. */
function DryRun(props: { automationKey: string; entity: EntityDefinition }): ReactNode {
  const app = useApp();
  const { t } = useTranslation('flows');
  const wf = useWorkflow();
  const entity = props.entity;
  const [options, setOptions] = useState<Array<{ value: string; label: string }>>([]);
  const [recordId, setRecordId] = useState<string | undefined>();
  const [before, setBefore] = useState('');
  const [result, setResult] = useState<(AutomationRun & { matched: boolean }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const search = useCallback(
    async (q: string) => {
      if (!entity) return;
      try {
        const page = await app.api.client.records.list(entity.key, {
          ...(q.trim() ? { q: q.trim() } : {}),
          limit: 20,
        });
        setOptions(page.items.map((r) => ({ value: r.id, label: recordTitle(entity, r) })));
      } catch {
        setOptions([]);
      }
    },
    [app.api, entity],
  );
  useEffect(() => {
    void search('');
  }, [search]);
  return (
    <Card size="small" title={t('admin.dryRun')} style={{ marginBottom: 12 }} data-testid="dry-run">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('automation.dryRunDraft')}
        </Typography.Text>
        <Select
          showSearch={{ filterOption: false, onSearch: (q) => void search(q) }}
          aria-label={t('automation.chooseRecord')}
          placeholder={t('automation.searchRecord')}
          value={recordId}
          options={options}
          style={{ width: '100%' }}
          onChange={(v: string) => setRecordId(v)}
          data-testid="dry-run-record"
        />
        <Input.TextArea
          aria-label={t('automation.beforeJson')}
          placeholder={t('automation.beforeJson')}
          value={before}
          autoSize={{ minRows: 2, maxRows: 6 }}
          onChange={(e) => setBefore(e.target.value)}
          style={{ fontFamily: 'monospace' }}
        />
        <Button
          type="primary"
          loading={busy}
          disabled={!recordId}
          data-testid="dry-run-go"
          onClick={async () => {
            setError(null);
            let parsed: Record<string, unknown> | undefined;
            if (before.trim()) {
              try {
                parsed = JSON.parse(before) as Record<string, unknown>;
              } catch (e) {
                setError(
                  t('automation.jsonInvalid', { message: e instanceof Error ? e.message : String(e) }),
                );
                return;
              }
            }
            setBusy(true);
            try {
              setResult(
                await wf.dryRun(props.automationKey, {
                  ...(recordId ? { recordId } : {}),
                  ...(parsed ? { before: parsed } : {}),
                }),
              );
            } catch (e) {
              setError(errorText(e));
            } finally {
              setBusy(false);
            }
          }}
        >
          {t('automation.runDry')}
        </Button>
        {error && <Alert type="error" showIcon title={error} />}
        {result && (
          <div data-testid="dry-run-result" data-matched={result.matched}>
            {result.matched ? (
              <>
                <Alert type="success" showIcon title={t('automation.matched')} style={{ marginBottom: 8 }} />
                <RunDetail run={result} entity={props.entity} />
              </>
            ) : (
              <Alert type="info" showIcon title={t('automation.notMatched')} />
            )}
          </div>
        )}
      </Space>
    </Card>
  );
}

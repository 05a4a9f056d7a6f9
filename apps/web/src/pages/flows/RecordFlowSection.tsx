import type { RecordData } from '@formwork/client';
import { type EntityDefinition, localize } from '@formwork/metadata';
import { formatDateTime } from '@formwork/ui/views';
import { Alert, App, Button, Card, Dropdown, Modal, Space, Spin, Tag, Tooltip, Typography } from 'antd';
import { lazy, type ReactNode, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api.js';
import { useApp } from '../../context.js';
import { navigate } from '../../router.js';
import { formServices } from '../../services.js';
import { announceTasksChanged, errorText, spanText, textIn, useTasksChanged, useWorkflow } from './common.js';
import type { DefinitionSummary, RecordInstance, StageHistory } from './flow-api.js';
import { instanceTone } from './inbox.js';

const FormRenderer = lazy(() => import('@formwork/ui/form').then((m) => ({ default: m.FormRenderer })));

interface BlueprintStage {
  key: string;
  label?: unknown;
  probability?: number;
  final?: boolean;
}

interface Blueprint {
  key: string;
  name?: unknown;
  field: string;
  stages: BlueprintStage[];
}

interface Refusal {
  stage: string;
  message: string;
  rule: string | null;
  missing: string[];
}

/**
 * The workflow part of a record page: "submit for approval" when the entity has a published flow, the
 * record's flow instances (each opens its 流转记录), and the stage bar of each published blueprint with
 * "move to stage" — a refused move says which rule refused it and asks for the missing fields.
 */
export function RecordFlowSection(props: {
  entity: EntityDefinition;
  record: RecordData;
  onChanged(): void;
}): ReactNode {
  const app = useApp();
  const { t } = useTranslation('flows');
  const { message } = App.useApp();
  const wf = useWorkflow();
  const { entity, record } = props;
  const [flows, setFlows] = useState<DefinitionSummary[]>([]);
  const [instances, setInstances] = useState<RecordInstance[] | null>(null);
  const [blueprints, setBlueprints] = useState<Blueprint[]>([]);
  const [busy, setBusy] = useState(false);

  const loadInstances = useCallback(async () => {
    try {
      setInstances(await wf.recordInstances(entity.key, record.id));
    } catch {
      setInstances([]);
    }
  }, [wf, entity.key, record.id]);

  useEffect(() => {
    let live = true;
    wf.definitions('flow')
      .list(entity.key)
      .then((list) => live && setFlows(list.filter((f) => f.publishedVersion !== null)))
      .catch(() => live && setFlows([]));
    wf.definitions('blueprint')
      .list(entity.key)
      .then(async (list) => {
        const on = list.filter((b) => b.publishedVersion !== null && b.enabled);
        const details = await Promise.all(on.map((b) => wf.definitions<Blueprint>('blueprint').get(b.key)));
        if (live) setBlueprints(details.map((d) => d.published).filter((b): b is Blueprint => b !== null));
      })
      .catch(() => live && setBlueprints([]));
    return () => {
      live = false;
    };
  }, [wf, entity.key]);
  useEffect(() => {
    void loadInstances();
  }, [loadInstances]);
  useTasksChanged(
    useCallback(() => {
      void loadInstances();
    }, [loadInstances]),
  );

  const start = async (key: string) => {
    setBusy(true);
    try {
      const inst = await wf.startFlow(key, record.id);
      message.success(t('record.submitted'));
      announceTasksChanged();
      await loadInstances();
      props.onChanged();
      navigate(`/tasks/${inst.id}`);
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const running = new Set((instances ?? []).filter((i) => i.status === 'active').map((i) => i.flow));
  const startable = flows.filter((f) => !running.has(f.key));
  const flowLabel = (key: string) => {
    const f = flows.find((x) => x.key === key);
    return textIn(f?.name, app.locale, key);
  };

  if (flows.length === 0 && blueprints.length === 0 && (instances?.length ?? 0) === 0) return null;

  return (
    <Space
      orientation="vertical"
      style={{ width: '100%', marginBottom: 12 }}
      data-testid="record-flow-section"
    >
      {blueprints.map((bp) => (
        <StageBar key={bp.key} blueprint={bp} entity={entity} record={record} onMoved={props.onChanged} />
      ))}
      {(flows.length > 0 || (instances?.length ?? 0) > 0) && (
        <Card
          size="small"
          title={t('record.approvals')}
          extra={
            startable.length === 1 ? (
              <Button
                type="primary"
                loading={busy}
                onClick={() => void start(startable[0]?.key ?? '')}
                data-testid="submit-for-approval"
              >
                {t('record.submit')}
              </Button>
            ) : startable.length > 1 ? (
              <Dropdown
                menu={{
                  items: startable.map((f) => ({ key: f.key, label: textIn(f.name, app.locale, f.key) })),
                  onClick: ({ key }) => void start(key),
                }}
              >
                <Button type="primary" loading={busy} data-testid="submit-for-approval">
                  {t('record.submit')}
                </Button>
              </Dropdown>
            ) : null
          }
        >
          {instances === null ? (
            <Spin />
          ) : instances.length === 0 ? (
            <Typography.Text type="secondary">{t('record.none')}</Typography.Text>
          ) : (
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {instances.map((i) => (
                <li key={i.id} data-testid="record-instance">
                  <Space wrap size={6}>
                    <Typography.Link onClick={() => navigate(`/tasks/${i.id}`)}>
                      {flowLabel(i.flow)}
                    </Typography.Link>
                    <Tag color={instanceTone(i.status)} data-testid="record-instance-status">
                      {t(`status.instance.${i.status}`)}
                    </Tag>
                    <Typography.Text type="secondary">
                      {formatDateTime(i.startedAt)} · {app.names.get(i.submitter) ?? ''}
                    </Typography.Text>
                  </Space>
                </li>
              ))}
            </ul>
          )}
        </Card>
      )}
    </Space>
  );
}

/** One blueprint's stages as a bar: the current stage marked, any other one a "move to" button. */
function StageBar(props: {
  blueprint: Blueprint;
  entity: EntityDefinition;
  record: RecordData;
  onMoved(): void;
}): ReactNode {
  const app = useApp();
  const { t } = useTranslation('flows');
  const { message } = App.useApp();
  const wf = useWorkflow();
  const { blueprint: bp, entity, record } = props;
  const [history, setHistory] = useState<StageHistory | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [moving, setMoving] = useState<string | null>(null);
  const current = typeof record[bp.field] === 'string' ? (record[bp.field] as string) : null;
  const field = entity.fields.find((f) => f.key === bp.field);
  const stageName = (key: string) => {
    const s = bp.stages.find((x) => x.key === key);
    const option = field?.options?.find((o) => o.value === key);
    return textIn(s?.label, app.locale, '') || localize(option?.label, app.locale, key);
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: the history changes with each saved version of the record
  useEffect(() => {
    let live = true;
    wf.stageHistory(bp.key, record.id)
      .then((h) => live && setHistory(h))
      .catch(() => live && setHistory(null));
    return () => {
      live = false;
    };
  }, [wf, bp.key, record.id, record.version]);

  const move = async (to: string, fields?: Record<string, unknown>) => {
    setMoving(to);
    try {
      await wf.moveStage(bp.key, { recordId: record.id, to, ...(fields ? { fields } : {}) });
      message.success(t('record.moved', { stage: stageName(to) }));
      setRefusal(null);
      props.onMoved();
    } catch (e) {
      if (e instanceof ApiError && (e.status === 422 || e.status === 403) && 'refusal' in e.details) {
        const missing = Array.isArray(e.details.missingFields) ? (e.details.missingFields as string[]) : [];
        setRefusal({
          stage: to,
          message: e.message,
          rule: typeof e.details.rule === 'string' ? e.details.rule : null,
          missing,
        });
      } else message.error(errorText(e));
    } finally {
      setMoving(null);
    }
  };

  const missingEntity = useMemo<EntityDefinition | null>(() => {
    if (!refusal || refusal.missing.length === 0) return null;
    const { layout: _drop, ...rest } = entity;
    return { ...rest, fields: entity.fields.filter((f) => refusal.missing.includes(f.key)) };
  }, [refusal, entity]);

  const since = history?.timeInStage.current;
  return (
    <Card
      size="small"
      title={`${t('record.stage')} · ${textIn(bp.name, app.locale, localize(field?.label, app.locale, bp.field))}`}
      data-testid={`stage-bar-${bp.key}`}
      extra={
        since && since.stage === current ? (
          <Typography.Text type="secondary" data-testid="time-in-stage">
            {t('record.timeIn', { d: spanText(since.ms, t) })}
          </Typography.Text>
        ) : null
      }
    >
      <div className="fw-stage-bar" style={{ display: 'flex', flexWrap: 'wrap', gap: 6 }}>
        {bp.stages.map((s) => {
          const here = s.key === current;
          const total = history?.timeInStage.totals[s.key];
          return (
            <Tooltip
              key={s.key}
              title={[
                s.probability !== undefined ? t('record.probability', { p: s.probability }) : '',
                total ? t('record.timeIn', { d: spanText(total, t) }) : '',
              ]
                .filter(Boolean)
                .join(' · ')}
            >
              <Button
                type={here ? 'primary' : 'default'}
                data-testid={`stage-${s.key}`}
                data-current={here}
                loading={moving === s.key}
                disabled={moving !== null && moving !== s.key}
                onClick={() => {
                  if (!here) void move(s.key);
                }}
                aria-label={
                  here
                    ? `${stageName(s.key)} (${t('record.current')})`
                    : t('record.moveDialog', { stage: stageName(s.key) })
                }
              >
                {stageName(s.key)}
              </Button>
            </Tooltip>
          );
        })}
      </div>
      {current === null && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('record.noStage')}
        </Typography.Text>
      )}
      {refusal && (
        <Alert
          type="error"
          showIcon
          style={{ marginTop: 8 }}
          data-testid="stage-refusal"
          closable={{ onClose: () => setRefusal(null) }}
          title={t('record.refused', { stage: stageName(refusal.stage) })}
          description={
            <Space orientation="vertical" size={2}>
              <span>{refusal.message}</span>
              {refusal.rule && (
                <span data-testid="stage-refusal-rule">{t('record.rule', { rule: refusal.rule })}</span>
              )}
              {refusal.missing.length > 0 && (
                <span data-testid="stage-refusal-missing">
                  {t('record.missing', {
                    fields: refusal.missing
                      .map((k) => localize(entity.fields.find((f) => f.key === k)?.label, app.locale, k))
                      .join('、'),
                  })}
                </span>
              )}
            </Space>
          }
        />
      )}
      {refusal && missingEntity && (
        <Modal
          open
          title={t('record.moveDialog', { stage: stageName(refusal.stage) })}
          footer={null}
          onCancel={() => setRefusal(null)}
          destroyOnHidden
        >
          <div data-testid="stage-fill">
            <Suspense fallback={<Spin />}>
              <FormRenderer
                entity={missingEntity}
                value={record}
                locale={app.locale}
                mode="edit"
                services={formServices({
                  api: app.api,
                  entity,
                  entities: app.entities,
                  user: { id: app.session.user.id, name: app.session.user.name },
                  names: app.names,
                  users: app.users,
                })}
                submitLabel={t('record.fillAndMove')}
                onSubmit={async (v) => {
                  const fields: Record<string, unknown> = {};
                  for (const k of refusal.missing) if (k in v) fields[k] = v[k];
                  await move(refusal.stage, fields);
                }}
              />
            </Suspense>
          </div>
        </Modal>
      )}
    </Card>
  );
}

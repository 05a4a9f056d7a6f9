import { type FilterNode, localize } from '@formwork/metadata';
import { FilterBuilder } from '@formwork/ui/views';
import {
  Alert,
  Button,
  Checkbox,
  Descriptions,
  Modal,
  Result,
  Space,
  Spin,
  Steps,
  Table,
  Tag,
  Typography,
} from 'antd';
import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../../context.js';
import type { HandoverPreview, HandoverResult, Member } from './admin-api.js';
import {
  back,
  canAdvance,
  deactivateBody,
  defaultTransfers,
  type HandoverState,
  hasConditions,
  initialState,
  next,
  plannedCounts,
  successorCandidates,
  totalRecords,
} from './handover.js';
import { useOrg } from './org.js';
import { errorText, MemberPicker } from './widgets.js';

/**
 * 离职交接: choose a successor → choose what to transfer (per entity, optionally filtered; open tasks
 * follow) → confirm → the server deactivates the member, hands everything over and revokes their
 * sessions and tokens in one transaction → a summary of what moved.
 */
export function HandoverWizard(props: {
  member: Member;
  onClose(): void;
  onDone(): Promise<void> | void;
}): ReactNode {
  const { t } = useTranslation('admin');
  const app = useApp();
  const org = useOrg();
  const m = props.member;
  const [state, setState] = useState<HandoverState>(initialState);
  const [preview, setPreview] = useState<HandoverPreview | null>(null);
  const [filtered, setFiltered] = useState<Record<string, number | undefined>>({});
  const [openFilter, setOpenFilter] = useState<string | null>(null);
  const [result, setResult] = useState<HandoverResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const counted = useRef(new Map<string, string>());

  useEffect(() => {
    let live = true;
    org.api.members.handoverPreview(m.userId).then(
      (p) => {
        if (!live) return;
        setPreview(p);
        setState((s) => ({ ...s, transfers: defaultTransfers(p) }));
      },
      (e: unknown) => live && setError(errorText(e, t('error'))),
    );
    return () => {
      live = false;
    };
  }, [org.api, m.userId, t]);

  // The count of a filtered transfer, asked again (debounced) whenever its filter changes.
  useEffect(() => {
    const timers: ReturnType<typeof setTimeout>[] = [];
    for (const [entity, choice] of Object.entries(state.transfers)) {
      const key = hasConditions(choice.filter) ? JSON.stringify(choice.filter) : '';
      if (counted.current.get(entity) === key) continue;
      counted.current.set(entity, key);
      if (!key) continue;
      setFiltered((f) => ({ ...f, [entity]: undefined }));
      timers.push(
        setTimeout(() => {
          org.api
            .countRecords(entity, {
              and: [{ field: 'ownerId', op: 'eq', value: m.userId }, choice.filter as FilterNode],
            })
            .then(
              (n) => counted.current.get(entity) === key && setFiltered((f) => ({ ...f, [entity]: n })),
              () =>
                counted.current.get(entity) === key && setFiltered((f) => ({ ...f, [entity]: undefined })),
            );
        }, 300),
      );
    }
    return () => {
      for (const x of timers) clearTimeout(x);
    };
  }, [state.transfers, org.api, m.userId]);

  const entityLabel = (key: string) => {
    const e = app.entities.find((x) => x.key === key);
    return e ? localize(e.label, app.locale, key) : key;
  };
  const candidates = useMemo(() => successorCandidates(org.members, m.userId), [org.members, m.userId]);
  const successor = org.members.find((x) => x.userId === state.successorId);
  const who = m.name || m.email;
  const successorName = successor ? successor.name || successor.email : '';
  const planned = preview ? plannedCounts(state, preview, filtered) : [];

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await org.api.members.deactivate(m.userId, deactivateBody(state));
      setResult(r);
      setState((s) => ({ ...s, step: 3 }));
      await props.onDone();
    } catch (e) {
      setError(errorText(e, t('error')));
    } finally {
      setBusy(false);
    }
  };

  const step = state.step;
  const footer =
    step === 3 ? (
      <Button type="primary" onClick={props.onClose} data-testid="handover-close">
        {t('done')}
      </Button>
    ) : (
      <Space>
        <Button onClick={props.onClose}>{t('cancel')}</Button>
        {step > 0 && (
          <Button onClick={() => setState(back)} disabled={busy}>
            {t('handover.back')}
          </Button>
        )}
        {step < 2 && (
          <Button
            type="primary"
            disabled={!canAdvance(state) || !preview}
            onClick={() => setState(next)}
            data-testid="handover-next"
          >
            {t('handover.next')}
          </Button>
        )}
        {step === 2 && (
          <Button type="primary" danger loading={busy} onClick={confirm} data-testid="handover-confirm">
            {t('handover.confirm')}
          </Button>
        )}
      </Space>
    );

  return (
    <Modal
      open
      width={820}
      title={t('handover.title', { name: who })}
      onCancel={props.onClose}
      footer={footer}
      mask={{ closable: false }}
      destroyOnHidden
    >
      <div data-testid="handover-wizard">
        <Steps
          size="small"
          current={step}
          style={{ marginBottom: 24 }}
          items={[
            { title: t('handover.stepSuccessor') },
            { title: t('handover.stepTransfer') },
            { title: t('handover.stepConfirm') },
            { title: t('handover.stepResult') },
          ]}
        />
        {error && (
          <Alert
            type="error"
            showIcon
            title={error}
            style={{ marginBottom: 16 }}
            data-testid="handover-error"
          />
        )}
        {step === 0 && (
          <div data-testid="handover-step-successor">
            <Typography.Paragraph>{t('handover.successorIntro', { name: who })}</Typography.Paragraph>
            <MemberPicker
              members={candidates}
              value={state.successorId}
              onChange={(successorId) => setState((s) => ({ ...s, successorId }))}
              placeholder={t('handover.pickSuccessor')}
              aria-label={t('handover.successor')}
              data-testid="handover-successor"
            />
            {candidates.length === 0 && (
              <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
                {t('handover.noCandidates')}
              </Typography.Paragraph>
            )}
            <Checkbox
              style={{ marginTop: 16 }}
              checked={state.noSuccessor}
              onChange={(e) =>
                setState((s) => ({
                  ...s,
                  noSuccessor: e.target.checked,
                  ...(e.target.checked ? { successorId: null } : {}),
                }))
              }
            >
              {t('handover.noSuccessor')}
            </Checkbox>
          </div>
        )}
        {step === 1 && preview && (
          <div data-testid="handover-step-transfer">
            <Typography.Paragraph>
              {t('handover.transferIntro', { name: who, successor: successorName })}
            </Typography.Paragraph>
            <Table
              rowKey="entity"
              size="small"
              pagination={false}
              dataSource={preview.records}
              locale={{ emptyText: t('handover.noEntities') }}
              expandable={{
                expandedRowKeys: openFilter ? [openFilter] : [],
                showExpandColumn: false,
                expandedRowRender: (r) => {
                  const def = app.entities.find((e) => e.key === r.entity);
                  if (!def) return null;
                  return (
                    <div data-testid={`handover-filter-${r.entity}`}>
                      <Typography.Text type="secondary">{t('handover.filterHint')}</Typography.Text>
                      <div style={{ marginTop: 8 }}>
                        <FilterBuilder
                          entity={def}
                          locale={app.locale}
                          value={state.transfers[r.entity]?.filter}
                          members={org.members.map((x) => ({ id: x.userId, name: x.name || x.email }))}
                          departments={org.departments.map((d) => ({ id: d.id, name: d.name }))}
                          onChange={(filter) =>
                            setState((s) => ({
                              ...s,
                              transfers: {
                                ...s.transfers,
                                [r.entity]: { on: true, ...(filter ? { filter } : {}) },
                              },
                            }))
                          }
                        />
                      </div>
                    </div>
                  );
                },
              }}
              onRow={(r) => ({ 'data-testid': `handover-row-${r.entity}` }) as never}
              columns={[
                {
                  key: 'on',
                  width: 48,
                  render: (_, r) => (
                    <Checkbox
                      aria-label={entityLabel(r.entity)}
                      checked={state.transfers[r.entity]?.on ?? false}
                      onChange={(e) =>
                        setState((s) => ({
                          ...s,
                          transfers: {
                            ...s.transfers,
                            [r.entity]: { ...s.transfers[r.entity], on: e.target.checked },
                          },
                        }))
                      }
                    />
                  ),
                },
                { key: 'entity', title: t('handover.entity'), render: (_, r) => entityLabel(r.entity) },
                {
                  key: 'owned',
                  title: t('handover.owned'),
                  width: 110,
                  render: (_, r) => <span data-testid="handover-owned">{r.count}</span>,
                },
                {
                  key: 'moving',
                  title: t('handover.moving'),
                  width: 130,
                  render: (_, r) => {
                    const c = state.transfers[r.entity];
                    if (!c?.on) return '—';
                    if (!hasConditions(c.filter)) return r.count;
                    const n = filtered[r.entity];
                    return n === undefined ? <Spin size="small" /> : n;
                  },
                },
                {
                  key: 'filter',
                  title: t('handover.filter'),
                  width: 150,
                  render: (_, r) => {
                    const c = state.transfers[r.entity];
                    const on = hasConditions(c?.filter);
                    return (
                      <Button
                        size="small"
                        type={on ? 'primary' : 'default'}
                        ghost={on}
                        disabled={!c?.on}
                        onClick={() => setOpenFilter((o) => (o === r.entity ? null : r.entity))}
                      >
                        {on ? t('handover.filterOn') : t('handover.addFilter')}
                      </Button>
                    );
                  },
                },
              ]}
            />
            <Alert
              style={{ marginTop: 16 }}
              type="info"
              showIcon
              title={t('handover.tasks', { count: preview.openTasks, successor: successorName })}
              description={t('handover.tasksHint')}
              data-testid="handover-tasks"
            />
          </div>
        )}
        {step === 2 && (
          <div data-testid="handover-step-confirm">
            <Descriptions column={1} bordered size="small">
              <Descriptions.Item label={t('handover.leaving')}>
                {who} <Typography.Text type="secondary">{m.email}</Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t('handover.successor')}>
                {state.noSuccessor ? t('handover.nobody') : successorName}
              </Descriptions.Item>
              {!state.noSuccessor && (
                <Descriptions.Item label={t('handover.records')}>
                  {planned.length === 0
                    ? t('handover.noRecords')
                    : planned.map((p) => (
                        <Tag key={p.entity} data-testid={`handover-plan-${p.entity}`}>
                          {entityLabel(p.entity)}: {p.count ?? '…'}
                          {p.filtered ? ` (${t('handover.filtered')})` : ''}
                        </Tag>
                      ))}
                </Descriptions.Item>
              )}
              {!state.noSuccessor && (
                <Descriptions.Item label={t('handover.openTasks')}>
                  {preview?.openTasks ?? 0}
                </Descriptions.Item>
              )}
              <Descriptions.Item label={t('handover.access')}>
                {t('handover.accessRevoked')}
              </Descriptions.Item>
            </Descriptions>
            <Alert
              style={{ marginTop: 16 }}
              type="warning"
              showIcon
              title={t('handover.warning', { name: who })}
              description={t('handover.warningHint')}
            />
          </div>
        )}
        {step === 3 && result && (
          <Result
            status="success"
            title={t('handover.doneTitle', { name: who })}
            subTitle={
              state.noSuccessor
                ? t('handover.doneNoSuccessor')
                : t('handover.doneSubtitle', { count: totalRecords(result), successor: successorName })
            }
            data-testid="handover-result"
          >
            <Descriptions
              size="small"
              bordered
              column={1}
              items={[
                ...result.transferred
                  .filter((x) => x.count > 0)
                  .map((x) => ({ key: `e:${x.entity}`, label: entityLabel(x.entity), count: x.count })),
                ...result.moved.map((x) => ({
                  key: `k:${x.kind}`,
                  label: t(`handover.kinds.${x.kind}`, { defaultValue: x.kind }),
                  count: x.count,
                })),
                { key: 'sessions', label: t('handover.revokedSessions'), count: result.revokedSessions },
                { key: 'tokens', label: t('handover.revokedTokens'), count: result.revokedTokens },
              ].map((x) => ({
                key: x.key,
                label: x.label,
                children: <strong data-testid={`handover-summary-${x.key}`}>{x.count}</strong>,
              }))}
            />
          </Result>
        )}
      </div>
    </Modal>
  );
}

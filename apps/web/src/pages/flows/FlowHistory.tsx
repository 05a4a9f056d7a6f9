import { type EntityDefinition, localize, resolveFilterField } from '@formwork/metadata';
import { formatDateTime, formatValue } from '@formwork/ui/views';
import { Empty, Timeline, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../../context.js';
import type { HistoryEntry } from './flow-api.js';
import { changeList, type FlowInfo, historyTone, nodeLabel } from './inbox.js';

/** 流转记录: who did what at which step, when, with the comment and the fields they changed. */
export function FlowHistory(props: {
  entries: readonly HistoryEntry[];
  flow: FlowInfo | undefined;
  entity: EntityDefinition | undefined;
}): ReactNode {
  const app = useApp();
  const { t } = useTranslation('flows');
  const shown = props.entries.filter((h) => h.action !== 'enter' || h.detail?.cc === true);
  if (shown.length === 0) return <Empty description={t('history.empty')} />;
  const name = (id: string | null) =>
    id ? (app.names.get(id) ?? `${id.slice(0, 8)}…`) : t('history.system');
  const value = (field: string, v: unknown) => {
    const f = props.entity ? resolveFilterField(props.entity, field) : undefined;
    return f
      ? formatValue(f, v, { locale: app.locale, names: app.names })
      : v === null || v === undefined
        ? ''
        : JSON.stringify(v);
  };
  return (
    <Timeline
      data-testid="flow-history"
      items={shown.map((h) => {
        const node = nodeLabel(props.flow, h.nodeId, app.locale);
        const outcome = h.action === 'end' ? (h.detail?.outcome as string | undefined) : undefined;
        const rejectedTo =
          h.action === 'reject' && typeof h.detail?.to === 'string' ? h.detail.to : undefined;
        const changes = changeList(h);
        const action = h.action === 'enter' ? 'cc' : h.action;
        return {
          key: String(h.id),
          color: outcome === 'rejected' ? 'red' : outcome === 'approved' ? 'green' : historyTone(h.action),
          content: (
            <div data-testid="flow-history-entry" data-action={action}>
              <div>
                <strong>
                  {h.action === 'end' || h.action === 'enter' ? t('history.system') : name(h.actor)}
                </strong>{' '}
                <span data-testid="flow-history-action">
                  {outcome
                    ? t(`history.outcome.${outcome}`, { defaultValue: outcome })
                    : t(`history.actions.${action}`, { defaultValue: action })}
                </span>
                {h.to && h.to.length > 0 && (
                  <span style={{ marginInlineStart: 6 }}>
                    {t('history.to', { names: h.to.map(name).join('、') })}
                  </span>
                )}
                <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>
                  {formatDateTime(h.at)}
                </Typography.Text>
              </div>
              {node && h.action !== 'end' && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('history.node', { node })}
                  {rejectedTo
                    ? ` · ${t('history.rejectedTo', {
                        target:
                          rejectedTo === 'end'
                            ? t('task.rejectTargets.end')
                            : rejectedTo === 'submitter'
                              ? t('task.rejectTargets.submitter')
                              : nodeLabel(props.flow, rejectedTo, app.locale),
                      })}`
                    : ''}
                </Typography.Text>
              )}
              {h.comment && (
                <blockquote className="fw-flow-comment" data-testid="flow-history-comment">
                  {h.comment}
                </blockquote>
              )}
              {changes.length > 0 && (
                <div style={{ fontSize: 12 }} data-testid="flow-history-changes">
                  {t('history.changes')}：
                  {changes.map(([field, v], i) => (
                    <span key={field}>
                      {i > 0 ? '；' : ''}
                      {props.entity
                        ? localize(resolveFilterField(props.entity, field)?.label, app.locale, field)
                        : field}{' '}
                      → {value(field, v) || '—'}
                    </span>
                  ))}
                </div>
              )}
            </div>
          ),
        };
      })}
    />
  );
}

import { type EntityDefinition, type Locale, localize, resolveFilterField } from '@formwork/metadata';
import { Empty, Timeline } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { type FormatContext, formatDateTime, formatValue } from './format.js';
import type { HistoryItem } from './types.js';

export interface HistoryListProps {
  entity: EntityDefinition;
  items: readonly HistoryItem[];
  locale: Locale;
  /** Names by id: the actors and any member/relation values. */
  names?: ReadonlyMap<string, string>;
}

const isEmpty = (v: unknown) =>
  v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
const ACTIONS = new Set(['create', 'update', 'delete', 'restore']);

/** The audit log of a record, newest first, each change field by field (before → after). */
export function HistoryList(p: HistoryListProps): ReactNode {
  const { t } = useTranslation('views');
  if (p.items.length === 0) return <Empty description={t('history.empty')} />;
  const ctx: FormatContext = { locale: p.locale, ...(p.names ? { names: p.names } : {}) };
  const show = (field: string, v: unknown) => {
    const f = resolveFilterField(p.entity, field);
    const text = f ? formatValue(f, v, ctx) : v === null || v === undefined ? '' : JSON.stringify(v);
    return text === '' ? <span style={{ color: '#bfbfbf' }}>{t('history.emptyValue')}</span> : text;
  };
  return (
    <Timeline
      data-testid="history"
      items={p.items.map((h) => {
        const actor = h.actor ? (p.names?.get(h.actor) ?? `${h.actor.slice(0, 8)}…`) : '—';
        const action = ACTIONS.has(h.action) ? t(`history.${h.action}`) : h.action;
        const source = h.source ? t(`history.source.${h.source}`, { defaultValue: h.source }) : '';
        return {
          key: String(h.id),
          color: h.action === 'delete' ? 'red' : h.action === 'create' ? 'green' : 'blue',
          children: (
            <div data-testid="history-entry">
              <div style={{ fontWeight: 600 }}>
                {action}
                <span style={{ fontWeight: 400, color: '#8c8c8c', marginInlineStart: 8 }}>
                  {t('history.by', { name: actor, time: formatDateTime(h.at) })}
                  {source ? ` · ${source}` : ''}
                </span>
              </div>
              {h.changes.length > 0 && (
                <table
                  style={{ borderCollapse: 'collapse', marginTop: 4, width: '100%', tableLayout: 'fixed' }}
                >
                  <thead>
                    <tr style={{ color: '#8c8c8c', fontSize: 12, textAlign: 'left' }}>
                      <th style={{ width: '30%' }}>{t('history.field')}</th>
                      <th>{t('history.before')}</th>
                      <th>{t('history.after')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {h.changes.map((c) => (
                      <tr key={c.field} data-testid="history-change" style={{ verticalAlign: 'top' }}>
                        <td>{localize(resolveFilterField(p.entity, c.field)?.label, p.locale, c.field)}</td>
                        <td
                          style={{
                            color: '#8c8c8c',
                            textDecoration: isEmpty(c.before) ? undefined : 'line-through',
                            wordBreak: 'break-word',
                          }}
                        >
                          {show(c.field, c.before)}
                        </td>
                        <td style={{ wordBreak: 'break-word' }}>{show(c.field, c.after)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
          ),
        };
      })}
    />
  );
}

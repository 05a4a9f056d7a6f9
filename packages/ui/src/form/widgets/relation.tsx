import { useCallback } from 'react';
import type { WidgetProps } from '../types.js';
import { fieldLabel, fieldOf, fwContext, groupThousands, useRuntime } from './common.js';
import { RemoteSelect } from './remote-select.js';

const TITLE_KEYS = ['name', 'title', 'label', 'subject', 'code', 'number'];
const UUIDISH = /^[0-9a-f]{8}-[0-9a-f]{4}-/i;

/** A readable title for a record of an unknown entity: its name/title field, else its first text value. */
export function recordLabel(record: Record<string, unknown>): string {
  for (const k of TITLE_KEYS) {
    const v = record[k];
    if (typeof v === 'string' && v.trim() !== '') return v;
  }
  for (const [k, v] of Object.entries(record)) {
    if (k === 'id' || k.endsWith('At') || k.endsWith('By') || k === 'ownerId') continue;
    if (typeof v === 'string' && v.trim() !== '' && !UUIDISH.test(v)) return v;
  }
  return typeof record.id === 'string' ? record.id : '';
}

/** Any value as short text (lookups, read-only views). */
export function displayText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number')
    return Number.isInteger(v) ? groupThousands(String(v)) : groupThousands(String(v));
  if (typeof v === 'boolean') return v ? '✓' : '✗';
  if (typeof v === 'string') return v;
  if (Array.isArray(v))
    return v
      .map(displayText)
      .filter((s) => s !== '')
      .join(', ');
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.address === 'string') return o.address;
    if (typeof o.name === 'string') return o.name;
  }
  return '';
}

/** Relation (关联数据): searches the related entity as you type; picking fills linked fields. */
export function RelationWidget(props: WidgetProps) {
  const { services } = fwContext(props);
  const field = fieldOf(props);
  const target = field.target ?? (props.options.target as string | undefined) ?? '';
  const multiple = field.multiple === true || props.options.multiple === true;
  const search = useCallback(
    async (q: string) =>
      (await services.searchRecords(target, q)).map((r) => ({
        value: r.id,
        label: r.label,
        record: r.record,
      })),
    [services, target],
  );
  const resolve = useCallback(
    async (id: string) => recordLabel(await services.getRecord(target, id)),
    [services, target],
  );
  return <RemoteSelect widget={props} multiple={multiple} search={search} resolve={resolve} />;
}

/** Lookup (引用): a field of the related record, refreshed when the relation changes. Read-only. */
export function LookupWidget(props: WidgetProps) {
  const ctx = fwContext(props);
  const field = fieldOf(props);
  const relationKey = field.relation ?? '';
  const targetField = field.targetField ?? '';
  const related = useRuntime(ctx.runtime, `related:${relationKey}`, () =>
    ctx.runtime.relatedRecord(relationKey),
  );
  let value: unknown = props.value;
  if (related !== undefined) {
    if (related === null) value = null;
    else if (Array.isArray(related)) value = related.map((r) => (r as Record<string, unknown>)[targetField]);
    else value = (related as Record<string, unknown>)[targetField];
  }
  const relation = ctx.entity.fields.find((f) => f.key === relationKey);
  const text = displayText(value);
  return (
    <output id={props.id} className="fw-readonly" aria-label={props.label}>
      {text === '' ? (
        <span className="fw-muted">
          {relation
            ? ctx.t('widget.lookupHint', { relation: fieldLabel(relation, ctx.locale) })
            : ctx.t('form.empty')}
        </span>
      ) : (
        text
      )}
    </output>
  );
}

/** Formula (公式): recomputed live by the same evaluator the server uses. Read-only. */
export function FormulaWidget(props: WidgetProps) {
  const ctx = fwContext(props);
  const field = fieldOf(props);
  const value = useRuntime(ctx.runtime, `computed:${field.key}`, () => ctx.runtime.computedValue(field.key));
  const precision = typeof field.precision === 'number' ? field.precision : undefined;
  const text =
    typeof value === 'number'
      ? groupThousands(precision === undefined ? String(value) : value.toFixed(precision))
      : displayText(value);
  return (
    <output
      id={props.id}
      className="fw-readonly fw-formula"
      aria-label={props.label}
      title={ctx.t('widget.computed')}
    >
      {text === '' ? <span className="fw-muted">{ctx.t('widget.computed')}</span> : text}
    </output>
  );
}

/** Auto number (流水号): assigned by the server when the record is saved. Read-only. */
export function AutoNumberWidget(props: WidgetProps) {
  const { t } = fwContext(props);
  const v = typeof props.value === 'string' ? props.value : '';
  return (
    <output id={props.id} className="fw-readonly" aria-label={props.label}>
      {v === '' ? <span className="fw-muted">{t('widget.autoNumber')}</span> : v}
    </output>
  );
}

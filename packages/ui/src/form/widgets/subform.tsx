import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  type FieldDefinition,
  getFieldType,
  type Issue,
  type JsonSchema,
  localize,
} from '@formwork/metadata';
import { Button } from 'antd';
import { useRef } from 'react';
import { browserTimeZone } from '../runtime.js';
import type { WidgetProps } from '../types.js';
import { emptyToUndefined, fieldOf, fwContext, groupThousands, isLocked, useRuntime } from './common.js';
import { displayText } from './relation.js';

type Row = Record<string, unknown>;

let rowSeq = 0;
/** A row id unique within the page (rows keep their identity while they are moved). */
export function newRowId(): string {
  rowSeq += 1;
  return `r${rowSeq.toString(36)}${Math.floor(Math.random() * 1e9).toString(36)}`;
}

function columnUi(child: FieldDefinition): { widget: string; options: WidgetProps['options'] } {
  const type = getFieldType(child.type);
  const ui = type ? type.ui(child) : {};
  const widget = typeof ui['ui:widget'] === 'string' ? (ui['ui:widget'] as string) : 'text';
  const options = {
    ...((ui['ui:options'] as object | undefined) ?? {}),
    fw: child,
  } as WidgetProps['options'];
  return { widget, options };
}

function columnSchema(child: FieldDefinition): JsonSchema {
  const type = getFieldType(child.type);
  return type ? type.valueSchema(child) : {};
}

/**
 * Subform (子表单): an editable table — add, remove and reorder rows, every cell a Formwork widget, row
 * formulas recomputed live, errors shown on the row and column they belong to. On phones each row is a card.
 */
export function SubformWidget(props: WidgetProps) {
  const ctx = fwContext(props);
  const { t, locale, runtime, services } = ctx;
  const field = fieldOf(props);
  const children = field.fields ?? [];
  const rows: Row[] = Array.isArray(props.value) ? (props.value as Row[]) : [];
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  const computedRows = useRuntime(runtime, `computed:${field.key}`, () => runtime.computedValue(field.key));
  const issues = useRuntime(runtime, `issues:${field.key}`, () => runtime.issuesFor(field.key));
  const locked = isLocked(props);
  const max = Math.min(field.max ?? 1000, 1000);
  const widgets = props.registry.widgets;

  const emit = (next: Row[]) => props.onChange(emptyToUndefined(next));

  const add = () => {
    const tz = services.timeZone ?? browserTimeZone();
    const defaults = runtime.logic.rowDefaults(
      field,
      { now: services.now(), timeZone: tz, user: services.currentUser },
      runtime.data,
    );
    emit([...rowsRef.current, { _id: newRowId(), ...defaults }]);
  };
  const remove = (i: number) => emit(rowsRef.current.filter((_, j) => j !== i));
  const move = (i: number, d: -1 | 1) => {
    const next = [...rowsRef.current];
    const j = i + d;
    if (j < 0 || j >= next.length) return;
    [next[i], next[j]] = [next[j] as Row, next[i] as Row];
    emit(next);
  };
  const setCell = (rowId: unknown, i: number, child: FieldDefinition, v: unknown) => {
    const current = rowsRef.current;
    const index = rowId === undefined ? i : current.findIndex((r) => r._id === rowId);
    if (index < 0) return;
    const next = current.map((r, j) => {
      if (j !== index) return r;
      const row: Row = { ...r };
      if (v === undefined) delete row[child.key];
      else row[child.key] = v;
      return row;
    });
    emit(next);
    if (child.type === 'relation' && child.fill && child.fill.length > 0 && child.target) {
      const target = child.target;
      const load = typeof v === 'string' ? services.getRecord(target, v) : Promise.resolve(null);
      void load
        .catch(() => null)
        .then((record) => {
          const latest = rowsRef.current;
          const k = rowId === undefined ? index : latest.findIndex((r) => r._id === rowId);
          if (k < 0 || latest[k]?.[child.key] !== v) return;
          const fills = runtime.logic.linkageValues(child, record);
          emit(latest.map((r, j) => (j === k ? { ...r, ...fills } : r)));
        });
    }
  };

  const cellIssues = (i: number, key: string): Issue[] =>
    issues.filter((x) => x.field === `${field.key}.${i}.${key}`);
  const rowIssues = (i: number): Issue[] => issues.filter((x) => x.field === `${field.key}.${i}`);

  return (
    <div className="fw-subform" id={props.id}>
      <table>
        <thead>
          <tr>
            <th scope="col" className="fw-subform-index">
              {t('widget.rowNumber')}
            </th>
            {children.map((c) => (
              <th key={c.key} scope="col">
                {localize(c.label, locale, c.key)}
                {c.required ? <span className="fw-required"> *</span> : null}
              </th>
            ))}
            {!locked && (
              <th scope="col" className="fw-subform-actions">
                {t('widget.actions')}
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={children.length + 2} className="fw-muted">
                {t('widget.noRows')}
              </td>
            </tr>
          )}
          {rows.map((row, i) => {
            const computed = Array.isArray(computedRows) ? (computedRows[i] as Row | undefined) : undefined;
            const rowKey = typeof row._id === 'string' ? row._id : `i${i}`;
            const rErr = rowIssues(i);
            return (
              <tr key={rowKey} data-row={i}>
                <td className="fw-subform-index" data-label={t('widget.rowNumber')}>
                  {i + 1}
                  {rErr.map((x) => (
                    <div key={x.code} className="fw-error" role="alert">
                      {x.message[locale]}
                    </div>
                  ))}
                </td>
                {children.map((c) => {
                  const errs = cellIssues(i, c.key);
                  const label = localize(c.label, locale, c.key);
                  const cellId = `${props.id}_${i}_${c.key}`;
                  let content: React.ReactNode;
                  if (c.type === 'formula') {
                    const v = computed?.[c.key];
                    content = (
                      <output className="fw-readonly fw-formula" aria-label={label}>
                        {typeof v === 'number'
                          ? groupThousands(c.precision === undefined ? String(v) : v.toFixed(c.precision))
                          : displayText(v)}
                      </output>
                    );
                  } else {
                    const { widget, options } = columnUi(c);
                    const Widget = widgets[widget] ?? widgets.TextWidget;
                    content = Widget ? (
                      <Widget
                        id={cellId}
                        name={c.key}
                        label={label}
                        hideLabel
                        value={row[c.key]}
                        required={c.required}
                        disabled={props.disabled}
                        readonly={props.readonly}
                        schema={columnSchema(c)}
                        uiSchema={{}}
                        options={options}
                        registry={props.registry}
                        rawErrors={errs.map((x) => x.message[locale])}
                        onChange={(v: unknown) => setCell(row._id, i, c, v)}
                        onBlur={() => undefined}
                        onFocus={() => undefined}
                      />
                    ) : null;
                  }
                  return (
                    <td
                      key={c.key}
                      data-label={label}
                      className={errs.length > 0 ? 'fw-cell-error' : undefined}
                    >
                      {content}
                      {errs.map((x) => (
                        <div key={x.code} className="fw-error" role="alert">
                          {x.message[locale]}
                        </div>
                      ))}
                    </td>
                  );
                })}
                {!locked && (
                  <td className="fw-subform-actions" data-label={t('widget.actions')}>
                    <Button
                      type="text"
                      icon={<ArrowUpOutlined />}
                      aria-label={t('widget.moveUp', { n: i + 1 })}
                      disabled={i === 0}
                      onClick={() => move(i, -1)}
                    />
                    <Button
                      type="text"
                      icon={<ArrowDownOutlined />}
                      aria-label={t('widget.moveDown', { n: i + 1 })}
                      disabled={i === rows.length - 1}
                      onClick={() => move(i, 1)}
                    />
                    <Button
                      type="text"
                      danger
                      icon={<DeleteOutlined />}
                      aria-label={t('widget.removeRow', { n: i + 1 })}
                      onClick={() => remove(i)}
                    />
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      {!locked && (
        <Button icon={<PlusOutlined />} onClick={add} disabled={rows.length >= max} className="fw-touch">
          {rows.length >= max ? t('widget.maxRows', { max }) : t('widget.addRow')}
        </Button>
      )}
    </div>
  );
}

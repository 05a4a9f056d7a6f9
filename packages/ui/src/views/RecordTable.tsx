// biome-ignore-all lint/a11y/useSemanticElements: virtualised rows are absolutely positioned divs; ARIA table roles keep them readable by screen readers
// biome-ignore-all lint/a11y/useFocusableInteractive: rows are focusable (tabIndex 0); header and cells are not interactive themselves
import {
  type EntityDefinition,
  type FieldDefinition,
  isSortable,
  type Locale,
  localize,
  resolveFilterField,
  type SortItem,
} from '@formwork/metadata';
import { useVirtualizer, type VirtualItem } from '@tanstack/react-virtual';
import { Checkbox, Tag } from 'antd';
import { type CSSProperties, memo, type ReactNode, useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { formatValue, optionColor } from './format.js';

export type RecordRow = { id: string } & Record<string, unknown>;

export interface RecordTableProps {
  entity: EntityDefinition;
  rows: readonly RecordRow[];
  /** Field keys (entity or system fields) in display order. */
  columns: readonly string[];
  locale: Locale;
  /** Names of members, departments and related records by id. */
  names?: ReadonlyMap<string, string>;
  sort?: readonly SortItem[];
  /** Click a header: ascending → descending → none; with Shift it adds a second or third key. */
  onSortChange?(sort: SortItem[]): void;
  selected?: ReadonlySet<string>;
  onSelectedChange?(ids: Set<string>): void;
  /** More rows exist after the last one (keyset paging); `onLoadMore` fetches them. */
  hasMore?: boolean;
  loading?: boolean;
  onLoadMore?(): void;
  onOpen?(row: RecordRow): void;
  /** Height of the scrolling area in px (default 560). */
  height?: number;
  /** One card per record instead of columns (phones). */
  cards?: boolean;
  /** Extra element at the end of each row (e.g. a restore button in the recycle bin). */
  rowActions?(row: RecordRow): ReactNode;
}

const ROW_HEIGHT = 44;
const CARD_HEIGHT = 96;
const CHECK_WIDTH = 44;
const COLUMN_WIDTH = 168;
const ACTIONS_WIDTH = 120;

function RowFrame(props: { deps: readonly unknown[]; render(): ReactNode }): ReactNode {
  return props.render();
}
/** Re-renders a row only when its record, position, selection or the layout changed. */
const Row = memo(
  RowFrame,
  (a, b) => a.deps.length === b.deps.length && a.deps.every((d, i) => Object.is(d, b.deps[i])),
);

/** Cycles a header's sort: none → asc → desc → none; `add` keeps the other keys (max 3). */
export function nextSort(sort: readonly SortItem[], field: string, add: boolean): SortItem[] {
  const current = sort.find((s) => s.field === field);
  const others = add ? sort.filter((s) => s.field !== field) : [];
  if (!current) return [...others, { field, direction: 'asc' as const }].slice(-3);
  if (current.direction === 'asc') {
    const at = sort.indexOf(current);
    const out = add ? [...sort] : [{ field, direction: 'desc' as const }];
    if (add) out[at] = { field, direction: 'desc' };
    return out;
  }
  return others;
}

/**
 * A virtualised table of records: only the rows in view are in the DOM, so 10,000 loaded rows scroll
 * as smoothly as 20. Reaching the end asks for the next page. Sorting, selection and opening a row are
 * the caller's (the table is controlled).
 */
export function RecordTable(p: RecordTableProps): ReactNode {
  const { t } = useTranslation('views');
  const scrollRef = useRef<HTMLDivElement>(null);
  // Memoised rows call the current callbacks through this ref.
  const latest = useRef(p);
  latest.current = p;
  const fields = useMemo(
    () =>
      p.columns
        .map((k) => resolveFilterField(p.entity, k))
        .filter((f): f is FieldDefinition => f !== undefined),
    [p.columns, p.entity],
  );
  const selectable = p.onSelectedChange !== undefined;
  const selected = p.selected ?? new Set<string>();
  const rowHeight = p.cards ? CARD_HEIGHT : ROW_HEIGHT;
  const height = p.height ?? 560;
  const virtualizer = useVirtualizer({
    count: p.rows.length + (p.hasMore ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 8,
    initialRect: { width: 1024, height },
  });
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1];

  const { hasMore, loading, onLoadMore } = p;
  const rowCount = p.rows.length;
  useEffect(() => {
    if (last && hasMore && !loading && last.index >= rowCount - 5) onLoadMore?.();
  }, [last, hasMore, loading, rowCount, onLoadMore]);

  const ctx = { locale: p.locale, ...(p.names ? { names: p.names } : {}) };
  const actionsWidth = p.rowActions ? ACTIONS_WIDTH : 0;
  const template = `${selectable ? `${CHECK_WIDTH}px ` : ''}repeat(${fields.length}, minmax(${COLUMN_WIDTH}px, 1fr))${actionsWidth ? ` ${actionsWidth}px` : ''}`;
  const minWidth = (selectable ? CHECK_WIDTH : 0) + fields.length * COLUMN_WIDTH + actionsWidth;
  const allSelected = rowCount > 0 && p.rows.every((r) => selected.has(r.id));
  const someSelected = !allSelected && p.rows.some((r) => selected.has(r.id));

  const toggle = (id: string, on: boolean) => {
    const next = new Set(latest.current.selected ?? []);
    if (on) next.add(id);
    else next.delete(id);
    latest.current.onSelectedChange?.(next);
  };

  const cell = (f: FieldDefinition, row: RecordRow): ReactNode => {
    const v = row[f.key];
    if ((f.type === 'select' || f.type === 'multiSelect') && v !== null && v !== undefined) {
      const list = Array.isArray(v) ? v : [v];
      return list.map((x) => (
        <Tag key={String(x)} color={optionColor(f, x)} style={{ marginInlineEnd: 4 }}>
          {formatValue({ ...f, type: 'select' }, x, ctx)}
        </Tag>
      ));
    }
    return formatValue(f, v, ctx);
  };

  const header = (
    <div
      role="row"
      className="fw-record-table-header"
      style={{
        display: 'grid',
        gridTemplateColumns: template,
        minWidth,
        position: 'sticky',
        top: 0,
        zIndex: 1,
        background: '#fafafa',
        borderBottom: '1px solid #f0f0f0',
        fontWeight: 600,
        height: ROW_HEIGHT,
        alignItems: 'center',
      }}
    >
      {selectable && (
        <div role="columnheader" style={{ paddingInline: 12 }}>
          <Checkbox
            aria-label={t('selectAll')}
            checked={allSelected}
            indeterminate={someSelected}
            onChange={(e) =>
              p.onSelectedChange?.(e.target.checked ? new Set(p.rows.map((r) => r.id)) : new Set())
            }
          />
        </div>
      )}
      {fields.map((f) => {
        const s = p.sort?.find((x) => x.field === f.key);
        const sortable = isSortable(f) && p.onSortChange !== undefined;
        const label = localize(f.label, p.locale, f.key);
        const ariaSort = s ? (s.direction === 'asc' ? 'ascending' : 'descending') : 'none';
        return (
          <div
            key={f.key}
            role="columnheader"
            aria-sort={sortable ? ariaSort : undefined}
            style={{ paddingInline: 12, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}
          >
            {sortable ? (
              <button
                type="button"
                data-testid={`sort-${f.key}`}
                onClick={(e) => p.onSortChange?.(nextSort(p.sort ?? [], f.key, e.shiftKey))}
                style={{
                  all: 'unset',
                  cursor: 'pointer',
                  display: 'inline-flex',
                  gap: 4,
                  alignItems: 'center',
                }}
                title={s ? (s.direction === 'asc' ? t('sortAsc') : t('sortDesc')) : t('sortNone')}
              >
                {label}
                <span aria-hidden style={{ color: s ? '#1677ff' : '#bfbfbf', fontSize: 11 }}>
                  {s ? (s.direction === 'asc' ? '▲' : '▼') : '⇅'}
                </span>
              </button>
            ) : (
              label
            )}
          </div>
        );
      })}
      {actionsWidth > 0 && <div role="columnheader" />}
    </div>
  );

  const rowStyle = (start: number, size: number, isSelected: boolean): CSSProperties => ({
    position: 'absolute',
    top: 0,
    left: 0,
    width: '100%',
    height: size,
    transform: `translateY(${start}px)`,
    borderBottom: '1px solid #f0f0f0',
    background: isSelected ? '#e6f4ff' : '#fff',
    cursor: p.onOpen ? 'pointer' : 'default',
  });

  /** One row (or the loading row after the last one); rows are memoised, so scrolling draws only new ones. */
  const renderRow = (vi: VirtualItem): ReactNode => {
    const row = p.rows[vi.index];
    if (!row) {
      return (
        <div
          key="more"
          style={{
            ...rowStyle(vi.start, vi.size, false),
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'center',
            color: '#8c8c8c',
          }}
        >
          {t('loading')}
        </div>
      );
    }
    const isSel = selected.has(row.id);
    const open = () => latest.current.onOpen?.(row);
    // A native checkbox: rows are drawn while scrolling, and it costs a fraction of antd's.
    const check = selectable && (
      <input
        type="checkbox"
        aria-label={t('selectRow')}
        checked={isSel}
        onClick={(e) => e.stopPropagation()}
        onChange={(e) => toggle(row.id, e.target.checked)}
        style={{ width: 18, height: 18, margin: 10, accentColor: '#1677ff', cursor: 'pointer' }}
      />
    );
    if (p.cards) {
      const [titleField, ...rest] = fields;
      return (
        <div
          key={row.id}
          role="row"
          data-testid="record-row"
          data-id={row.id}
          tabIndex={0}
          onClick={open}
          onKeyDown={(e) => e.key === 'Enter' && open()}
          style={{
            ...rowStyle(vi.start, vi.size, isSel),
            display: 'flex',
            gap: 4,
            padding: '8px 8px 8px 4px',
          }}
        >
          {check}
          <div style={{ minWidth: 0, flex: 1 }}>
            <div
              role="cell"
              style={{
                fontWeight: 600,
                fontSize: 16,
                overflow: 'hidden',
                textOverflow: 'ellipsis',
                whiteSpace: 'nowrap',
              }}
            >
              {titleField ? cell(titleField, row) : row.id}
            </div>
            {rest.slice(0, 3).map((f) => (
              <div
                role="cell"
                key={f.key}
                style={{
                  fontSize: 13,
                  color: '#595959',
                  overflow: 'hidden',
                  textOverflow: 'ellipsis',
                  whiteSpace: 'nowrap',
                }}
              >
                <span style={{ color: '#8c8c8c' }}>{localize(f.label, p.locale, f.key)}：</span>
                {cell(f, row)}
              </div>
            ))}
          </div>
          {p.rowActions && (
            // biome-ignore lint/a11y/noStaticElementInteractions: keeps a click on an action from opening the record
            <div onClick={(e) => e.stopPropagation()} onKeyDown={(e) => e.stopPropagation()}>
              {p.rowActions(row)}
            </div>
          )}
        </div>
      );
    }
    return (
      <div
        key={row.id}
        role="row"
        data-testid="record-row"
        data-id={row.id}
        tabIndex={0}
        onClick={open}
        onKeyDown={(e) => e.key === 'Enter' && open()}
        style={{
          ...rowStyle(vi.start, vi.size, isSel),
          display: 'grid',
          gridTemplateColumns: template,
          alignItems: 'center',
        }}
      >
        {selectable && (
          <div role="cell" style={{ paddingInline: 4 }}>
            {check}
          </div>
        )}
        {fields.map((f) => (
          <div
            role="cell"
            key={f.key}
            style={{
              paddingInline: 12,
              overflow: 'hidden',
              textOverflow: 'ellipsis',
              whiteSpace: 'nowrap',
            }}
          >
            {cell(f, row)}
          </div>
        ))}
        {p.rowActions && (
          <div
            role="cell"
            onClick={(e) => e.stopPropagation()}
            onKeyDown={(e) => e.stopPropagation()}
            style={{ paddingInline: 8 }}
          >
            {p.rowActions(row)}
          </div>
        )}
      </div>
    );
  };

  return (
    <div
      className="fw-record-table"
      role="table"
      aria-rowcount={rowCount}
      style={{ border: '1px solid #f0f0f0', borderRadius: 8 }}
    >
      <div
        ref={scrollRef}
        data-testid="record-table-scroll"
        style={{ height, overflow: 'auto', position: 'relative', WebkitOverflowScrolling: 'touch' }}
      >
        {!p.cards && header}
        <div
          style={{
            height: virtualizer.getTotalSize(),
            position: 'relative',
            minWidth: p.cards ? undefined : minWidth,
          }}
        >
          {items.map((vi) => {
            const row = p.rows[vi.index];
            if (!row) return renderRow(vi);
            const isSel = selected.has(row.id);
            return (
              <Row
                key={row.id}
                deps={[
                  row,
                  vi.start,
                  vi.size,
                  isSel,
                  fields,
                  template,
                  p.cards,
                  p.locale,
                  p.names,
                  p.rowActions,
                ]}
                render={() => renderRow(vi)}
              />
            );
          })}
        </div>
        {rowCount === 0 && !p.loading && (
          <div style={{ padding: 32, textAlign: 'center', color: '#8c8c8c' }}>{t('empty')}</div>
        )}
      </div>
    </div>
  );
}

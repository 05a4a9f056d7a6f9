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
import { Checkbox, theme } from 'antd';
import {
  type CSSProperties,
  memo,
  type ReactNode,
  useCallback,
  useEffect,
  useInsertionEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { flushSync } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { type FormatContext, formatValue, optionColor } from './format.js';

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
/** Rows drawn beyond each edge of the view: enough for a wheel step, few enough to keep a frame cheap. */
const OVERSCAN = 3;

/**
 * Rows and cells are styled by class (injected once), not inline. The drawn rows sit one under the other in a
 * window moved to the first of them (one style property changes per scroll, not one per row). A row is
 * `contain: strict` (its size is its own — full width, the row height): what changes inside a row is laid out
 * and painted within it, and the rows around it are left alone.
 */
const TABLE_CSS = `
.fw-rt-body { position: relative; }
.fw-rt-window { position: absolute; top: 0; left: 0; width: 100%; }
.fw-rt-row { position: relative; width: 100%; height: var(--fw-rt-h); box-sizing: border-box; border-bottom: 1px solid #f0f0f0; background: #fff; contain: strict; }
.fw-rt-row.fw-rt-selected { background: #e6f4ff; }
.fw-rt-row.fw-rt-clickable { cursor: pointer; }
.fw-rt-grid { display: grid; grid-template-columns: var(--fw-rt-cols); align-items: center; }
.fw-rt-card { display: flex; gap: 4px; padding: 8px 8px 8px 4px; }
.fw-rt-cell { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; padding-inline: 12px; }
.fw-rt-check-cell { padding-inline: 4px; }
.fw-rt-check { width: 18px; height: 18px; margin: 10px; accent-color: #1677ff; cursor: pointer; }
.fw-rt-card-main { min-width: 0; flex: 1; }
.fw-rt-card-title { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-weight: 600; font-size: 16px; }
.fw-rt-card-line { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-size: 13px; color: #595959; }
.fw-rt-card-label { color: #8c8c8c; }
.fw-rt-actions { padding-inline: 8px; }
.fw-rt-tag { display: inline-block; padding: 0 7px; margin-inline-end: 4px; font-size: 12px; line-height: 20px; border-radius: 4px; border: 1px solid; white-space: nowrap; }
.fw-rt-more { width: 100%; height: var(--fw-rt-h); display: flex; align-items: center; justify-content: center; color: #8c8c8c; }
`;
let cssInjected = false;
function injectTableCss(): void {
  if (cssInjected || typeof document === 'undefined') return;
  cssInjected = true;
  const style = document.createElement('style');
  style.dataset.formwork = 'record-table';
  style.textContent = TABLE_CSS;
  document.head.appendChild(style);
}

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

/** The rows to draw for a scroll position: the ones in view plus `OVERSCAN` on each side. */
export function visibleRange(
  scrollTop: number,
  viewport: number,
  rowHeight: number,
  count: number,
): { first: number; last: number } {
  if (count === 0) return { first: 0, last: -1 };
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.min(count - 1, Math.ceil((scrollTop + viewport) / rowHeight) + OVERSCAN);
  return { first, last: Math.max(first, last) };
}

type Token = ReturnType<typeof theme.useToken>['token'];
const STATUS: Record<string, string> = {
  success: 'Success',
  processing: 'Info',
  error: 'Error',
  warning: 'Warning',
};

/** Tag colours as antd's Tag draws them (preset palettes, status colours, or a custom colour), once per table. */
function tagStyler(token: Token): (color: string | undefined) => CSSProperties {
  const cache = new Map<string, CSSProperties>();
  const t = token as unknown as Record<string, string | undefined>;
  const base: CSSProperties = {
    borderColor: token.colorBorder,
    background: token.colorFillQuaternary,
    color: token.colorText,
  };
  return (color) => {
    const key = color ?? '';
    let style = cache.get(key);
    if (!style) {
      const status = color ? STATUS[color] : undefined;
      if (!color || color === 'default') style = base;
      else if (status)
        style = {
          ...base,
          color: t[`color${status}`],
          background: t[`color${status}Bg`],
          borderColor: t[`color${status}Border`],
        };
      else if (t[`${color}1`] && t[`${color}7`])
        style = { ...base, color: t[`${color}7`], background: t[`${color}1`], borderColor: t[`${color}3`] };
      else style = { ...base, color: '#fff', background: color, borderColor: 'transparent' };
      cache.set(key, style);
    }
    return style;
  };
}

interface Layout {
  fields: readonly FieldDefinition[];
  cards: boolean;
  selectable: boolean;
  clickable: boolean;
  ctx: FormatContext;
  tag(color: string | undefined): CSSProperties;
  rowActions: ((row: RecordRow) => ReactNode) | undefined;
  selectLabel: string;
  toggle(id: string, on: boolean): void;
}

const ellipsis: CSSProperties = { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' };
const stop = (e: { stopPropagation(): void }) => e.stopPropagation();

/** What a cell shows: a plain call rather than a component, one element and fiber fewer per cell drawn. */
function cellContent(f: FieldDefinition, row: RecordRow, layout: Layout): ReactNode {
  const v = row[f.key];
  if ((f.type === 'select' || f.type === 'multiSelect') && v !== null && v !== undefined) {
    const one = f.type === 'select' ? f : { ...f, type: 'select' as const };
    // Keyed by position: a row showing another record changes the tag's text and colour, not the element.
    return (Array.isArray(v) ? v : [v]).map((x, i) => (
      // biome-ignore lint/suspicious/noArrayIndexKey: the tags of a cell are replaced as a whole, never reordered.
      <span key={i} className="fw-rt-tag" style={layout.tag(optionColor(f, x))}>
        {formatValue(one, x, layout.ctx)}
      </span>
    ));
  }
  return formatValue(f, v, layout.ctx);
}

/**
 * One record: a grid row (or a card on phones). Memoised: while scrolling only the rows coming into view
 * render; a row re-renders when its record, position, selection or the table's layout changes. A press or
 * Enter on it opens the record through the table's one handler (no handlers made per row drawn).
 */
const RecordLine = memo(function RecordLine(props: {
  index: number;
  row: RecordRow;
  selected: boolean;
  layout: Layout;
}): ReactNode {
  const { row, selected, layout } = props;
  const className = `fw-rt-row ${layout.cards ? 'fw-rt-card' : 'fw-rt-grid'}${selected ? ' fw-rt-selected' : ''}${layout.clickable ? ' fw-rt-clickable' : ''}`;
  // A native checkbox: rows are drawn while scrolling, and it costs a fraction of antd's.
  const check = layout.selectable && (
    <input
      type="checkbox"
      className="fw-rt-check"
      aria-label={layout.selectLabel}
      checked={selected}
      onClick={stop}
      onChange={(e) => layout.toggle(row.id, e.target.checked)}
    />
  );
  // A click on an action must not open the record.
  const actions = layout.rowActions && (
    <div role="cell" className="fw-rt-actions" onClick={stop} onKeyDown={stop}>
      {layout.rowActions(row)}
    </div>
  );
  const common = {
    role: 'row',
    className,
    'data-testid': 'record-row',
    'data-id': row.id,
    'data-index': props.index,
    // Position among all the records (the rows drawn are a window of them); the header is row 1.
    'aria-rowindex': props.index + (layout.cards ? 1 : 2),
    tabIndex: 0,
  };
  if (layout.cards) {
    const [titleField, ...rest] = layout.fields;
    return (
      <div {...common}>
        {check}
        <div className="fw-rt-card-main">
          <div role="cell" className="fw-rt-card-title">
            {titleField ? cellContent(titleField, row, layout) : row.id}
          </div>
          {rest.slice(0, 3).map((f) => (
            <div role="cell" key={f.key} className="fw-rt-card-line">
              <span className="fw-rt-card-label">{localize(f.label, layout.ctx.locale, f.key)}：</span>
              {cellContent(f, row, layout)}
            </div>
          ))}
        </div>
        {actions}
      </div>
    );
  }
  return (
    <div {...common}>
      {layout.selectable && (
        <div role="cell" className="fw-rt-check-cell">
          {check}
        </div>
      )}
      {layout.fields.map((f) => (
        <div role="cell" key={f.key} className="fw-rt-cell">
          {cellContent(f, row, layout)}
        </div>
      ))}
      {actions}
    </div>
  );
});

/**
 * A virtualised table of records: only the rows in view (and a few beyond) are in the DOM, so 10,000 loaded
 * rows scroll as smoothly as 20. Rows have a fixed height, so the rows in view follow from the scroll
 * position alone — nothing is measured. Reaching the end asks for the next page. Sorting, selection and
 * opening a row are the caller's (the table is controlled).
 */
export function RecordTable(p: RecordTableProps): ReactNode {
  useInsertionEffect(injectTableCss, []);
  const { t } = useTranslation('views');
  const { token } = theme.useToken();
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
  const selected = p.selected ?? EMPTY;
  const cards = p.cards === true;
  const rowHeight = cards ? CARD_HEIGHT : ROW_HEIGHT;
  const height = p.height ?? 560;
  const rowCount = p.rows.length;
  const count = rowCount + (p.hasMore ? 1 : 0);

  // The body starts under the sticky header, so a scroll offset is also the body's first visible pixel.
  const [scrollTop, setScrollTop] = useState(0);
  const viewport = height - (cards ? 0 : ROW_HEIGHT);
  const range = visibleRange(scrollTop, viewport, rowHeight, count);

  // Draw the rows of the new position in the same frame as the scroll (no blank gap while scrolling); a
  // position that shows the same rows renders nothing.
  const geometry = useRef({ range, viewport, rowHeight, count });
  geometry.current = { range, viewport, rowHeight, count };
  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const onScroll = () => {
      const g = geometry.current;
      const top = el.scrollTop;
      const r = visibleRange(top, g.viewport, g.rowHeight, g.count);
      if (r.first === g.range.first && r.last === g.range.last) return;
      // The focus stays with its record: the elements of a row show another record after this render, so a
      // focused row (or its checkbox) hands the focus to the element now showing its record — or lets go of
      // it when that record is no longer drawn (as it did when rows scrolled out were removed).
      const active = document.activeElement as HTMLElement | null;
      const focusedRow = active?.closest?.<HTMLElement>('.fw-rt-row');
      const focused = focusedRow && el.contains(focusedRow) ? focusedRow.dataset.index : undefined;
      flushSync(() => setScrollTop(top));
      if (focused === undefined || !active || !focusedRow) return;
      const now = el.querySelector<HTMLElement>(`.fw-rt-row[data-index="${focused}"]`);
      if (now === focusedRow) return;
      const target = now && (active === focusedRow ? now : now.querySelector<HTMLElement>('.fw-rt-check'));
      if (target) target.focus({ preventScroll: true });
      else active.blur();
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, []);
  // A new list (another filter, sort or search) starts at the top.
  const firstId = p.rows[0]?.id;
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el || firstId === undefined) return;
    el.scrollTop = 0;
    setScrollTop(0);
  }, [firstId]);

  const { hasMore, loading, onLoadMore } = p;
  useEffect(() => {
    if (hasMore && !loading && range.last >= rowCount - 5) onLoadMore?.();
  }, [range.last, hasMore, loading, rowCount, onLoadMore]);

  const actionsWidth = p.rowActions ? ACTIONS_WIDTH : 0;
  const template = `${selectable ? `${CHECK_WIDTH}px ` : ''}repeat(${fields.length}, minmax(${COLUMN_WIDTH}px, 1fr))${actionsWidth ? ` ${actionsWidth}px` : ''}`;
  const minWidth = (selectable ? CHECK_WIDTH : 0) + fields.length * COLUMN_WIDTH + actionsWidth;
  const { allSelected, someSelected } = useMemo(() => {
    // Nothing selected (the common case, and every page loaded while scrolling): no pass over all the rows.
    if (selected.size === 0) return { allSelected: false, someSelected: false };
    let n = 0;
    for (const r of p.rows) if (selected.has(r.id)) n++;
    return { allSelected: n > 0 && n === p.rows.length, someSelected: n > 0 && n < p.rows.length };
  }, [p.rows, selected]);

  const toggle = useCallback((id: string, on: boolean) => {
    const next = new Set(latest.current.selected ?? []);
    if (on) next.add(id);
    else next.delete(id);
    latest.current.onSelectedChange?.(next);
  }, []);
  // Rows are opened from here: the row pressed (or focused, for Enter) is found by its place.
  const openRow = useCallback((e: React.MouseEvent | React.KeyboardEvent) => {
    if ('key' in e && e.key !== 'Enter') return;
    const el = (e.target as HTMLElement).closest<HTMLElement>('.fw-rt-row');
    const row = el ? latest.current.rows[Number(el.dataset.index)] : undefined;
    if (row) latest.current.onOpen?.(row);
  }, []);
  const tag = useMemo(() => tagStyler(token), [token]);
  const clickable = p.onOpen !== undefined;
  const names = p.names;
  const layout = useMemo<Layout>(
    () => ({
      fields,
      cards,
      selectable,
      clickable,
      ctx: { locale: p.locale, ...(names ? { names } : {}) },
      tag,
      rowActions: p.rowActions,
      selectLabel: t('selectRow'),
      toggle,
    }),
    [fields, cards, selectable, clickable, p.locale, names, tag, p.rowActions, t, toggle],
  );

  const onSortChange = p.onSortChange;
  const sort = p.sort;
  const header = useMemo(
    () =>
      cards ? null : (
        <div
          role="row"
          aria-rowindex={1}
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
                  latest.current.onSelectedChange?.(
                    e.target.checked ? new Set(latest.current.rows.map((r) => r.id)) : new Set(),
                  )
                }
              />
            </div>
          )}
          {fields.map((f) => {
            const s = sort?.find((x) => x.field === f.key);
            const sortable = isSortable(f) && onSortChange !== undefined;
            const label = localize(f.label, p.locale, f.key);
            const ariaSort = s ? (s.direction === 'asc' ? 'ascending' : 'descending') : 'none';
            return (
              <div
                key={f.key}
                role="columnheader"
                aria-sort={sortable ? ariaSort : undefined}
                style={{ ...ellipsis, paddingInline: 12 }}
              >
                {sortable ? (
                  <button
                    type="button"
                    data-testid={`sort-${f.key}`}
                    onClick={(e) => onSortChange?.(nextSort(sort ?? [], f.key, e.shiftKey))}
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
      ),
    [
      cards,
      template,
      minWidth,
      selectable,
      t,
      allSelected,
      someSelected,
      fields,
      sort,
      onSortChange,
      p.locale,
      actionsWidth,
    ],
  );

  // Rows are keyed by their place among the drawn rows, not by record: scrolling hands the same elements the
  // records now at their place, which only changes their texts and position. No elements are created, dropped
  // or moved while scrolling (creating them costs style and layout, moving them re-attaches them), and the
  // elements stay in the order of the rows.
  const lines: ReactNode[] = [];
  for (let i = range.first; i <= range.last; i++) {
    const row = p.rows[i];
    if (!row) {
      lines.push(
        <div key="more" className="fw-rt-more">
          {t('loading')}
        </div>,
      );
      continue;
    }
    lines.push(
      <RecordLine
        key={i - range.first}
        index={i}
        row={row}
        selected={selected.has(row.id)}
        layout={layout}
      />,
    );
  }

  return (
    <div
      className="fw-record-table"
      role="table"
      aria-rowcount={rowCount + (cards ? 0 : 1)}
      style={{ border: '1px solid #f0f0f0', borderRadius: 8 }}
    >
      <div
        ref={scrollRef}
        data-testid="record-table-scroll"
        style={{ height, overflow: 'auto', position: 'relative', WebkitOverflowScrolling: 'touch' }}
      >
        {header}
        <div
          className="fw-rt-body"
          style={
            {
              height: count * rowHeight,
              minWidth: cards ? undefined : minWidth,
              '--fw-rt-h': `${rowHeight}px`,
              '--fw-rt-cols': template,
            } as CSSProperties
          }
        >
          <div
            role="rowgroup"
            className="fw-rt-window"
            style={{ transform: `translateY(${range.first * rowHeight}px)` }}
            onClick={clickable ? openRow : undefined}
            onKeyDown={clickable ? openRow : undefined}
          >
            {lines}
          </div>
        </div>
        {rowCount === 0 && !p.loading && (
          <div style={{ padding: 32, textAlign: 'center', color: '#8c8c8c' }}>{t('empty')}</div>
        )}
      </div>
    </div>
  );
}

const EMPTY: ReadonlySet<string> = new Set();

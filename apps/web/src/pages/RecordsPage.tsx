import type { RecordData } from '@formwork/client';
import { type FilterNode, isSortable, localize, resolveFilterField, type SortItem } from '@formwork/metadata';
import {
  ColumnChooser,
  countConditions,
  DeferredSelect,
  defaultColumns,
  type RecordRow,
  RecordTable,
  type SavedView,
  SavedViewBar,
  toDraft,
  type ViewConfig,
} from '@formwork/ui/views';
import { Alert, Button, type ButtonProps, Drawer, Input, Popconfirm, Space, Spin } from 'antd';
import { lazy, type ReactNode, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.js';
import { useAppApi } from '../components/LazyApp.js';
import { LazyEmpty } from '../components/LazyEmpty.js';
import { PageTitle } from '../components/PageTitle.js';
import { preloadForm, RecordDrawer } from '../components/RecordDrawer.js';
import { useApp } from '../context.js';
import { navigate } from '../router.js';

const PAGE = 200;

// The filter builder is its own chunk, fetched when the filter panel first opens.
const FilterBuilder = lazy(() =>
  import('@formwork/ui/views/filter-builder').then((m) => ({ default: m.FilterBuilder })),
);

/** Work for when the browser is idle (or soon, where it cannot tell); returns the cancel. */
function whenIdle(run: () => void): () => void {
  if (typeof globalThis.requestIdleCallback === 'function') {
    const id = globalThis.requestIdleCallback(run, { timeout: 2000 });
    return () => globalThis.cancelIdleCallback(id);
  }
  const id = setTimeout(run, 300);
  return () => clearTimeout(id);
}

export function sortToString(sort: readonly SortItem[]): string {
  return sort.map((s) => (s.direction === 'desc' ? `-${s.field}` : s.field)).join(',');
}
export function sortFromString(s: string | undefined): SortItem[] {
  if (!s) return [];
  return s
    .split(',')
    .filter(Boolean)
    .map((p) =>
      p.startsWith('-') ? { field: p.slice(1), direction: 'desc' } : { field: p, direction: 'asc' },
    );
}

function useWindowHeight(): number {
  const [h, setH] = useState(() => globalThis.innerHeight || 800);
  useEffect(() => {
    const on = () => setH(globalThis.innerHeight);
    globalThis.addEventListener('resize', on);
    return () => globalThis.removeEventListener('resize', on);
  }, []);
  return h;
}

/** The records of an entity (or its recycle bin): saved views, filter, search, sort, columns, bulk delete. */
export function RecordsPage(props: { entityKey: string; trash?: boolean }): ReactNode {
  const app = useApp();
  const { t } = useTranslation('web');
  const { t: tv } = useTranslation('views');
  const { message } = useAppApi();
  const found = app.entities.find((e) => e.key === props.entityKey);
  // The list, its columns and its filters never offer a field the member's roles hide (the server
  // refuses filtering on one and never sends its values); the form applies field access itself.
  const entity = useMemo(() => {
    if (!found) return undefined;
    const access = app.fieldAccess(found.key);
    return { ...found, fields: found.fields.filter((f) => access[f.key] !== 'hidden') };
  }, [found, app]);
  const trash = props.trash === true;

  const [views, setViews] = useState<SavedView[]>([]);
  const [viewId, setViewId] = useState<string | null>(null);
  const [columns, setColumns] = useState<string[]>(() => (entity ? defaultColumns(entity) : []));
  const [filter, setFilter] = useState<FilterNode | undefined>(undefined);
  const [filterKey, setFilterKey] = useState(0);
  const [sort, setSort] = useState<SortItem[]>([]);
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [rows, setRows] = useState<RecordRow[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [filterOpen, setFilterOpen] = useState(false);
  const [drawer, setDrawer] = useState(false);
  const generation = useRef(0);
  const height = useWindowHeight();

  const key = props.entityKey;
  useEffect(() => {
    if (!trash) app.api.views.list(key).then(setViews, () => setViews([]));
  }, [app.api, key, trash]);
  // From a list the next step is a record or a new one, and both show the form: fetch its code meanwhile.
  useEffect(
    () => (trash ? undefined : whenIdle(() => preloadForm(app.locale, found))),
    [trash, app.locale, found],
  );

  // The request for the next page while it is on its way. A ref, not state: the page is drawn when the next
  // page arrives, not also when it is asked for (the table's last row already reads "loading").
  const loadingMore = useRef<object | null>(null);
  const load = useCallback(
    async (after: string | null) => {
      const gen = after ? generation.current : ++generation.current;
      const mine = {};
      loadingMore.current = after ? mine : null; // a new list forgets the last one's next page
      if (!after) setLoading(true);
      setError(null);
      try {
        const page = await app.api.client.records.list(key, {
          ...(filter ? { filter } : {}),
          ...(sort.length ? { sort } : {}),
          ...(q ? { q } : {}),
          ...(after ? { cursor: after } : {}),
          ...(trash ? { deleted: true } : {}),
          limit: PAGE,
        });
        if (gen !== generation.current) return; // a newer query started meanwhile
        setRows((prev) => (after ? [...prev, ...(page.items as RecordRow[])] : (page.items as RecordRow[])));
        setCursor(page.nextCursor);
        setTotal(page.total);
      } catch (e) {
        if (gen === generation.current) setError(e instanceof Error ? e.message : String(e));
      } finally {
        if (loadingMore.current === mine) loadingMore.current = null;
        if (gen === generation.current) setLoading(false);
      }
    },
    [app.api, key, filter, sort, q, trash],
  );

  useEffect(() => {
    setSelected(new Set());
    void load(null);
  }, [load]);

  const loadMore = useCallback(() => {
    if (cursor && !loading && loadingMore.current === null) void load(cursor);
  }, [cursor, loading, load]);

  const currentConfig: ViewConfig = useMemo(
    () => ({
      columns,
      ...(filter ? { filter } : {}),
      ...(sort.length ? { sort: sortToString(sort) } : {}),
      ...(q ? { q } : {}),
    }),
    [columns, filter, sort, q],
  );
  const current = views.find((v) => v.id === viewId);
  const dirty = current
    ? JSON.stringify(normal(current.config)) !== JSON.stringify(normal(currentConfig))
    : false;

  const applyView = (id: string | null) => {
    setViewId(id);
    const v = views.find((x) => x.id === id);
    const cfg: ViewConfig = v?.config ?? {};
    setColumns(cfg.columns ?? (entity ? defaultColumns(entity) : []));
    setFilter(cfg.filter);
    setFilterKey((k) => k + 1);
    setSort(sortFromString(cfg.sort));
    setQ(cfg.q ?? '');
    setSearch(cfg.q ?? '');
  };

  if (!entity) return <LazyEmpty description={t('records.notFound')} style={{ marginTop: 64 }} />;
  const label = localize(entity.label, app.locale, entity.key);
  const conditions = filter ? countConditions(entity, toDraft(filter)) : 0;

  const bulkDelete = async () => {
    const ids = [...selected];
    const results = await Promise.allSettled(ids.map((id) => app.api.client.records.remove(key, id)));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    const ok = ids.length - failed.length;
    if (ok > 0) message.success(t('records.deleted', { count: ok }));
    if (failed.length > 0) {
      const reason = failed[0]?.reason;
      message.error(
        t('records.partialDelete', {
          failed: failed.length,
          message: reason instanceof ApiError ? reason.message : String(reason),
        }),
      );
    }
    setSelected(new Set());
    void load(null);
  };

  const restore = async (row: RecordRow) => {
    try {
      await app.api.client.records.restore(key, row.id);
      message.success(t('records.restored'));
      setRows((prev) => prev.filter((r) => r.id !== row.id));
      setTotal((n) => (n === null ? n : n - 1));
    } catch (e) {
      message.error(e instanceof Error ? e.message : String(e));
    }
  };

  const filterPanel = (
    <div>
      <Suspense fallback={<Spin />}>
        <FilterBuilder
          key={filterKey}
          entity={entity}
          value={filter}
          locale={app.locale}
          members={app.users.map((u) => ({ id: u.id, name: u.name || u.email }))}
          onChange={setFilter}
        />
      </Suspense>
      <Space style={{ marginTop: 12 }}>
        <Button
          onClick={() => {
            setFilter(undefined);
            setFilterKey((k) => k + 1);
          }}
        >
          {tv('clear')}
        </Button>
        <Button type="primary" onClick={() => setFilterOpen(false)} data-testid="filter-done">
          {tv('apply')}
        </Button>
      </Space>
    </div>
  );

  const tableHeight = Math.max(320, height - (app.mobile ? 250 : 280));
  return (
    <div data-testid="records-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <PageTitle>{trash ? `${label} · ${t('records.trash')}` : label}</PageTitle>
        <Space wrap>
          {trash ? (
            <Button onClick={() => navigate(`/e/${key}`)}>{t('records.backToList')}</Button>
          ) : (
            <>
              {app.can(key, 'delete') && (
                <Button onClick={() => navigate(`/e/${key}/trash`)} data-testid="trash-link">
                  {t('records.trash')}
                </Button>
              )}
              {app.can(key, 'create') && (
                <Button type="primary" onClick={() => setDrawer(true)} data-testid="new-record">
                  + {t('records.new')}
                </Button>
              )}
            </>
          )}
        </Space>
      </Space>

      <Space wrap style={{ marginBottom: 12 }} size={8}>
        {!trash && (
          <SavedViewBar
            views={views}
            current={viewId}
            dirty={dirty}
            canShare={app.isAdmin}
            onSelect={applyView}
            onSaveAs={async ({ name, shared }) => {
              const v = await app.api.views.create(key, { name, shared, config: currentConfig });
              setViews((prev) => [...prev, v].sort((a, b) => Number(b.shared) - Number(a.shared)));
              setViewId(v.id);
              message.success(tv('viewSaved'));
            }}
            onUpdate={async (id) => {
              const v = await app.api.views.update(key, id, { config: currentConfig });
              setViews((prev) => prev.map((x) => (x.id === id ? v : x)));
              message.success(tv('viewSaved'));
            }}
            onDelete={async (id) => {
              await app.api.views.remove(key, id);
              setViews((prev) => prev.filter((x) => x.id !== id));
              applyView(null);
              message.success(tv('viewDeleted'));
            }}
          />
        )}
        <Input.Search
          allowClear
          aria-label={tv('search')}
          placeholder={tv('searchPlaceholder')}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onSearch={(v) => setQ(v.trim())}
          style={{ width: app.mobile ? '100%' : 240 }}
          data-testid="search"
        />
        <Button onClick={() => setFilterOpen(true)} data-testid="filter-button">
          {tv('filter')}
          {conditions > 0 && <span className="fw-count">{conditions}</span>}
        </Button>
        {app.mobile && (
          // Cards have no column headers: sort with a picker instead (on phones only: fetched when shown).
          <DeferredSelect
            aria-label={tv('sort')}
            data-testid="sort-select"
            showSearch
            optionFilterProp="label"
            style={{ minWidth: 180 }}
            value={sort[0] ? sortToString(sort.slice(0, 1)) : ''}
            onChange={(v: string) => setSort(sortFromString(v))}
            options={[
              { value: '', label: tv('sortNone') },
              ...columns
                .map((k) => resolveFilterField(entity, k))
                .filter((f) => f !== undefined && isSortable(f))
                .flatMap((f) => {
                  const name = localize(f?.label, app.locale, f?.key ?? '');
                  return [
                    { value: f?.key ?? '', label: `${name} ↑` },
                    { value: `-${f?.key ?? ''}`, label: `${name} ↓` },
                  ];
                }),
            ]}
          />
        )}
        {!app.mobile && (
          <ColumnChooser entity={entity} columns={columns} locale={app.locale} onChange={setColumns} />
        )}
        {selected.size > 0 && !trash && (
          <Popconfirm
            title={t('records.bulkDeleteConfirm', { count: selected.size })}
            onConfirm={() => bulkDelete()}
            okButtonProps={{ danger: true, 'data-testid': 'confirm-bulk-delete' } as ButtonProps}
          >
            <Button danger data-testid="bulk-delete">
              {t('records.bulkDelete')} ({selected.size})
            </Button>
          </Popconfirm>
        )}
      </Space>

      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <div style={{ marginBottom: 8, color: '#8c8c8c' }} data-testid="total">
        {total !== null && tv('total', { count: total })}
        {selected.size > 0 && ` · ${tv('selected', { count: selected.size })}`}
      </div>
      <RecordTable
        entity={entity}
        rows={rows}
        columns={columns}
        locale={app.locale}
        names={app.names}
        sort={sort}
        onSortChange={setSort}
        selected={selected}
        onSelectedChange={trash || !app.can(key, 'delete') ? undefined : setSelected}
        hasMore={cursor !== null}
        loading={loading}
        onLoadMore={loadMore}
        onOpen={trash ? undefined : (row) => navigate(`/e/${key}/r/${row.id}`)}
        height={tableHeight}
        cards={app.mobile}
        rowActions={
          trash
            ? (row) => (
                <Button size="small" onClick={() => void restore(row)} data-testid="restore">
                  {t('records.restore')}
                </Button>
              )
            : undefined
        }
      />

      <Drawer
        open={filterOpen}
        onClose={() => setFilterOpen(false)}
        title={tv('filter')}
        width={app.mobile ? '100%' : 640}
        data-testid="filter-drawer"
      >
        {filterPanel}
      </Drawer>
      {drawer && (
        <RecordDrawer
          entity={found as NonNullable<typeof found>}
          open={drawer}
          onClose={() => setDrawer(false)}
          onSaved={(r: RecordData) => {
            setDrawer(false);
            setRows((prev) => [r as RecordRow, ...prev.filter((x) => x.id !== r.id)]);
            setTotal((n) => (n === null ? 1 : n + 1));
            void load(null);
          }}
        />
      )}
    </div>
  );
}

function normal(c: ViewConfig): ViewConfig {
  return {
    ...(c.columns ? { columns: c.columns } : {}),
    ...(c.filter ? { filter: c.filter } : {}),
    ...(c.sort ? { sort: c.sort } : {}),
    ...(c.q ? { q: c.q } : {}),
  };
}

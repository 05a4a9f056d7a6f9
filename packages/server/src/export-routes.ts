/**
 * Exporting records: the same filter, sort and search as a list, answered as CSV (UTF-8 with BOM, so
 * Excel opens Chinese text correctly) or JSON. The store checks the `export` action and applies the
 * caller's scope and field permissions; every export is audited with its size.
 */
import { DomainError, type Locale, toMessage } from '@formwork/metadata';
import { type AnyRoute, defineRoute } from './route.js';
import type { RouteDeps } from './routes.js';
import { parseJsonSafe } from './safe-json.js';
import { entityParams, ref } from './schemas.js';

const SYSTEM_COLUMNS: { key: string; label: Record<Locale, string> }[] = [
  { key: 'id', label: { 'zh-CN': '记录 ID', en: 'Record ID' } },
  { key: 'createdAt', label: { 'zh-CN': '创建时间', en: 'Created at' } },
  { key: 'updatedAt', label: { 'zh-CN': '更新时间', en: 'Updated at' } },
  { key: 'createdBy', label: { 'zh-CN': '创建人', en: 'Created by' } },
  { key: 'ownerId', label: { 'zh-CN': '负责人', en: 'Owner' } },
];

/** One CSV cell: quoted when needed; a leading =, +, -, @ is defused so spreadsheets do not run it. */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s =
    typeof v === 'string'
      ? v
      : typeof v === 'number' || typeof v === 'boolean'
        ? String(v)
        : JSON.stringify(v);
  if (/^[=+\-@\t\r]/.test(s) && typeof v === 'string') s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function buildExportRoutes(deps: RouteDeps): AnyRoute[] {
  const { store, security } = deps;
  return [
    defineRoute<{ entity: string }, { filter?: string; sort?: string; q?: string; format?: 'csv' | 'json' }>({
      method: 'GET',
      path: '/api/entities/{entity}/export',
      operationId: 'exportRecords',
      summary: { en: 'Export records (CSV or JSON)', 'zh-CN': '导出记录（CSV 或 JSON）' },
      description:
        'Needs the `export` permission. Same `filter`, `sort` and `q` as the list; at most 100,000 records ' +
        '(`X-Export-Truncated: true` when there were more). Hidden fields are left out. Audited (`export.records`).',
      tags: ['records'],
      auth: 'user',
      workspace: true,
      params: entityParams,
      query: {
        type: 'object',
        properties: {
          filter: { type: 'string', maxLength: 50000 },
          sort: { type: 'string', maxLength: 200 },
          q: { type: 'string', maxLength: 200 },
          format: { enum: ['csv', 'json'], default: 'csv' },
        },
        additionalProperties: false,
      },
      responses: {
        '200': {
          description: 'The records: text/csv, or JSON `{ items }` with `format=json`',
          schema: { type: 'object', properties: { items: { type: 'array', items: ref('Record') } } },
        },
      },
      async handler({ c, ws, principal, params, query, locale }) {
        if (!store.records.exportRows) throw new DomainError('NOT_FOUND', { path: c.req.path });
        const filter = query.filter === undefined ? undefined : parseJsonSafe(query.filter, 'filter');
        const out = await store.records.exportRows(ws, principal, params.entity, {
          ...(filter !== undefined ? { filter } : {}),
          ...(query.sort !== undefined ? { sort: query.sort } : {}),
          ...(query.q !== undefined ? { q: query.q } : {}),
        });
        await security.audit(c, principal, {
          workspace: ws,
          action: 'export.records',
          targetType: 'entity',
          targetId: params.entity,
          details: {
            count: out.items.length,
            truncated: out.truncated,
            format: query.format ?? 'csv',
            ...(query.filter !== undefined ? { filter: query.filter } : {}),
            ...(query.q !== undefined ? { q: query.q } : {}),
          },
        });
        c.header('X-Export-Truncated', String(out.truncated));
        if (query.format === 'json') return { body: { items: out.items } };
        const cols = [
          ...SYSTEM_COLUMNS.map((s) => ({ key: s.key, label: s.label[locale] })),
          ...out.fields
            .filter((f) => f.type !== 'subform')
            .map((f) => ({ key: f.key, label: toMessage(f.label, f.key)[locale] })),
        ];
        const lines = [cols.map((col) => csvCell(col.label)).join(',')];
        for (const r of out.items) lines.push(cols.map((col) => csvCell(r[col.key])).join(','));
        return c.body(`\uFEFF${lines.join('\r\n')}\r\n`, 200, {
          'Content-Type': 'text/csv; charset=utf-8',
          'Content-Disposition': `attachment; filename="${params.entity}.csv"`,
        });
      },
    }),
  ];
}

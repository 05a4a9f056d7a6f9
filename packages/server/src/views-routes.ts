import {
  DomainError,
  type EntityDefinition,
  type FilterNode,
  type Issue,
  isSystemFieldKey,
  parseSort,
  validateFilter,
} from '@formwork/metadata';
import { workspaceSchema } from '@formwork/store';
import { type AnyRoute, defineRoute, type JsonSchema } from './route.js';
import { ENTITY_KEY_PATTERN, entityParams, noQuery } from './schemas.js';
import type { DbPort, Principal, StorePort } from './types.js';

/**
 * Saved views of an entity's records (列表视图): the columns shown, a filter AST, a sort and a text search.
 * A view is private to its owner, or shared with everyone in the workspace (administrators only).
 * Owners change and delete their own views; administrators change and delete shared ones too.
 */

export const VIEW_MAX_COLUMNS = 200;
export const VIEWS_PER_USER_MAX = 200;

export interface ViewConfig {
  columns?: string[];
  filter?: FilterNode;
  sort?: string;
  q?: string;
}

export interface SavedView {
  id: string;
  entity: string;
  name: string;
  shared: boolean;
  ownerId: string;
  position: number;
  config: ViewConfig;
  /** Whether the caller may change or delete it. */
  canEdit: boolean;
  createdAt: string;
  updatedAt: string;
}

interface ViewRow {
  id: string;
  entity: string;
  name: string;
  shared: boolean;
  owner_id: string;
  position: number;
  config: ViewConfig;
  created_at: Date;
  updated_at: Date;
}

const m = (zh: string, en: string) => ({ 'zh-CN': zh, en });

const configSchema: JsonSchema = {
  type: 'object',
  properties: {
    columns: {
      type: 'array',
      maxItems: VIEW_MAX_COLUMNS,
      items: { type: 'string', minLength: 1, maxLength: 64 },
      description: 'Field keys (entity or system fields) shown as columns, in order',
    },
    filter: { type: 'object', description: 'The filter AST (same as `filter` of listRecords)' },
    sort: { type: 'string', maxLength: 300, description: '`-amount,name`' },
    q: { type: 'string', maxLength: 200 },
  },
  additionalProperties: false,
};

/** A saved view as the API answers it. */
export const savedViewSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    entity: { type: 'string' },
    name: { type: 'string' },
    shared: { type: 'boolean' },
    ownerId: { type: 'string', format: 'uuid' },
    position: { type: 'integer' },
    config: configSchema,
    canEdit: { type: 'boolean' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
  required: ['id', 'entity', 'name', 'shared', 'ownerId', 'position', 'config', 'canEdit'],
};

const viewParams: JsonSchema = {
  type: 'object',
  properties: {
    entity: { type: 'string', pattern: ENTITY_KEY_PATTERN },
    id: { type: 'string', format: 'uuid' },
  },
  required: ['entity', 'id'],
  additionalProperties: false,
};

const createBody: JsonSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    shared: { type: 'boolean' },
    position: { type: 'integer', minimum: 0, maximum: 100000 },
    config: configSchema,
  },
  required: ['name', 'config'],
  additionalProperties: false,
};

const patchBody: JsonSchema = {
  type: 'object',
  properties: createBody.properties,
  minProperties: 1,
  additionalProperties: false,
};

interface ViewInput {
  name?: string;
  shared?: boolean;
  position?: number;
  config?: ViewConfig;
}

/** Checks a view's config against the entity; returns it normalised (filter operands canonical). */
export function checkViewConfig(entity: EntityDefinition, config: ViewConfig): ViewConfig {
  const issues: Issue[] = [];
  const out: ViewConfig = {};
  if (config.columns !== undefined) {
    const seen = new Set<string>();
    config.columns.forEach((key, i) => {
      const known = isSystemFieldKey(key) || entity.fields.some((f) => f.key === key);
      if (!known) {
        issues.push({
          field: `config.columns.${i}`,
          code: 'unknownField',
          message: m(`未知字段 ${key}`, `Unknown field ${key}`),
          params: { field: key },
        });
      } else if (seen.has(key)) {
        issues.push({
          field: `config.columns.${i}`,
          code: 'duplicate',
          message: m(`列 ${key} 重复`, `Column ${key} appears twice`),
        });
      }
      seen.add(key);
    });
    out.columns = config.columns;
  }
  if (config.filter !== undefined) {
    const r = validateFilter(entity, config.filter);
    if (r.ok) out.filter = r.value;
    else
      for (const i of r.issues)
        issues.push({ ...i, field: i.field ? `config.filter.${i.field}` : 'config.filter' });
  }
  if (config.sort !== undefined && config.sort !== '') {
    const r = parseSort(entity, config.sort);
    if (r.ok) out.sort = config.sort;
    else for (const i of r.issues) issues.push({ ...i, field: 'config.sort' });
  }
  if (config.q !== undefined && config.q.trim() !== '') out.q = config.q.trim();
  if (issues.length > 0) throw new DomainError('VALIDATION_FAILED', {}, issues);
  return out;
}

function toView(r: ViewRow, principal: Principal): SavedView {
  return {
    id: r.id,
    entity: r.entity,
    name: r.name,
    shared: r.shared,
    ownerId: r.owner_id,
    position: r.position,
    config: r.config,
    canEdit: r.owner_id === principal.userId || (r.shared && principal.isAdmin),
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

function sharingForbidden(): DomainError {
  return new DomainError('FORBIDDEN', {}, [
    {
      field: 'shared',
      code: 'forbidden',
      message: m('只有管理员可以共享视图', 'Only administrators can share a view'),
    },
  ]);
}

const viewNotFound = (id: string) =>
  new DomainError('NOT_FOUND', { view: id }, [], m('视图不存在', 'View not found'));

export function buildViewRoutes(deps: { store: StorePort; db: DbPort }): AnyRoute[] {
  const { store, db } = deps;
  const cols = 'id, entity, name, shared, owner_id, position, config, created_at, updated_at';

  async function visible(ws: string, principal: Principal, entity: string, id: string): Promise<ViewRow> {
    const rows = await db.query<ViewRow>(
      `SELECT ${cols} FROM ${workspaceSchema(ws)}._views
        WHERE id = $1 AND entity = $2 AND (shared OR owner_id = $3)`,
      [id, entity, principal.userId],
    );
    const row = rows[0];
    if (!row) throw viewNotFound(id);
    return row;
  }

  function assertCanEdit(row: ViewRow, principal: Principal): void {
    if (row.owner_id === principal.userId) return;
    if (row.shared && principal.isAdmin) return;
    throw new DomainError(
      'FORBIDDEN',
      { view: row.id },
      [],
      m('只有创建者或管理员可以修改此视图', 'Only its creator or an administrator can change this view'),
    );
  }

  return [
    defineRoute<{ entity: string }>({
      method: 'GET',
      path: '/api/entities/{entity}/views',
      operationId: 'listViews',
      summary: { en: 'Saved views of an entity (mine and shared)', 'zh-CN': '表单的视图（我的和共享的）' },
      tags: ['views'],
      auth: 'user',
      workspace: true,
      params: entityParams,
      query: noQuery,
      responses: {
        '200': {
          description: 'Shared views first, then mine; each by position, then name',
          schema: {
            type: 'object',
            properties: { items: { type: 'array', items: savedViewSchema } },
            required: ['items'],
          },
        },
      },
      async handler({ ws, principal, params }) {
        await store.entities.get(ws, params.entity);
        const rows = await db.query<ViewRow>(
          `SELECT ${cols} FROM ${workspaceSchema(ws)}._views
            WHERE entity = $1 AND (shared OR owner_id = $2)
            ORDER BY shared DESC, position, name, id`,
          [params.entity, principal.userId],
        );
        return { body: { items: rows.map((r) => toView(r, principal)) } };
      },
    }),

    defineRoute<{ entity: string }, unknown, ViewInput & { name: string; config: ViewConfig }>({
      method: 'POST',
      path: '/api/entities/{entity}/views',
      operationId: 'createView',
      summary: { en: 'Save a view', 'zh-CN': '保存视图' },
      description:
        'The filter, sort and columns are checked against the entity (422 naming `config.filter…`, ' +
        '`config.sort` or `config.columns.N`). Only administrators may create a shared view.',
      tags: ['views'],
      auth: 'user',
      workspace: true,
      params: entityParams,
      query: noQuery,
      body: createBody,
      responses: { '201': { description: 'The view', schema: savedViewSchema } },
      async handler({ ws, principal, params, body }) {
        if (body.shared && !principal.isAdmin) throw sharingForbidden();
        const entity = await store.entities.get(ws, params.entity);
        const config = checkViewConfig(entity, body.config);
        const [count] = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM ${workspaceSchema(ws)}._views WHERE owner_id = $1`,
          [principal.userId],
        );
        if ((count?.n ?? 0) >= VIEWS_PER_USER_MAX) {
          throw new DomainError('VALIDATION_FAILED', {}, [
            {
              field: 'name',
              code: 'tooMany',
              message: m(
                `每人最多保存 ${VIEWS_PER_USER_MAX} 个视图`,
                `You can save at most ${VIEWS_PER_USER_MAX} views`,
              ),
            },
          ]);
        }
        const rows = await db.query<ViewRow>(
          `INSERT INTO ${workspaceSchema(ws)}._views (entity, name, owner_id, shared, position, config)
           VALUES ($1, $2, $3, $4, $5, $6::jsonb) RETURNING ${cols}`,
          [
            params.entity,
            body.name.trim(),
            principal.userId,
            body.shared === true,
            body.position ?? 0,
            config,
          ],
        );
        const row = rows[0];
        if (!row) throw new DomainError('INTERNAL');
        return { status: 201, body: toView(row, principal) };
      },
    }),

    defineRoute<{ entity: string; id: string }, unknown, ViewInput>({
      method: 'PATCH',
      path: '/api/entities/{entity}/views/{id}',
      operationId: 'updateView',
      summary: { en: 'Change a saved view', 'zh-CN': '修改视图' },
      tags: ['views'],
      auth: 'user',
      workspace: true,
      params: viewParams,
      query: noQuery,
      body: patchBody,
      responses: { '200': { description: 'The view', schema: savedViewSchema } },
      async handler({ ws, principal, params, body }) {
        const row = await visible(ws, principal, params.entity, params.id);
        assertCanEdit(row, principal);
        if (body.shared !== undefined && body.shared !== row.shared && !principal.isAdmin)
          throw sharingForbidden();
        const entity = await store.entities.get(ws, params.entity);
        const config = body.config !== undefined ? checkViewConfig(entity, body.config) : row.config;
        const rows = await db.query<ViewRow>(
          `UPDATE ${workspaceSchema(ws)}._views
              SET name = $2, shared = $3, position = $4, config = $5::jsonb, updated_at = now()
            WHERE id = $1 RETURNING ${cols}`,
          [
            row.id,
            body.name !== undefined ? body.name.trim() : row.name,
            body.shared ?? row.shared,
            body.position ?? row.position,
            config,
          ],
        );
        const updated = rows[0];
        if (!updated) throw viewNotFound(params.id);
        return { body: toView(updated, principal) };
      },
    }),

    defineRoute<{ entity: string; id: string }>({
      method: 'DELETE',
      path: '/api/entities/{entity}/views/{id}',
      operationId: 'deleteView',
      summary: { en: 'Delete a saved view', 'zh-CN': '删除视图' },
      tags: ['views'],
      auth: 'user',
      workspace: true,
      params: viewParams,
      query: noQuery,
      responses: { '204': { description: 'Deleted' } },
      async handler({ ws, principal, params }) {
        const row = await visible(ws, principal, params.entity, params.id);
        assertCanEdit(row, principal);
        await db.query(`DELETE FROM ${workspaceSchema(ws)}._views WHERE id = $1`, [row.id]);
        return { status: 204 };
      },
    }),
  ];
}

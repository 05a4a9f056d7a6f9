import { DomainError, isValidTimeZone } from '@formwork/metadata';
import { m, type StoreContext } from './context.js';
import { isWorkspaceKey } from './ident.js';
import { ensureWorkspace } from './migrate.js';

export interface Workspace {
  key: string;
  name: string;
  settings: { timeZone: string } & Record<string, unknown>;
  createdAt: string;
}

type Row = { key: string; name: string; settings: Record<string, unknown>; created_at: Date };

function toWorkspace(r: Row, fallbackTz: string): Workspace {
  const tz = typeof r.settings?.timeZone === 'string' ? r.settings.timeZone : fallbackTz;
  return {
    key: r.key,
    name: r.name,
    settings: { ...r.settings, timeZone: tz },
    createdAt: r.created_at.toISOString(),
  };
}

export const DEFAULT_WORKSPACE = 'default';

export function workspacesApi(ctx: StoreContext) {
  const get = async (key: string): Promise<Workspace> => {
    if (!isWorkspaceKey(key)) throw new DomainError('WORKSPACE_NOT_FOUND', { workspace: key });
    const rows = await ctx.db.query<Row>(
      'SELECT key, name, settings, created_at FROM formwork.workspaces WHERE key = $1',
      [key],
    );
    if (!rows[0]) throw new DomainError('WORKSPACE_NOT_FOUND', { workspace: key });
    return toWorkspace(rows[0], ctx.timeZone);
  };

  return {
    async list(): Promise<Workspace[]> {
      const rows = await ctx.db.query<Row>(
        'SELECT key, name, settings, created_at FROM formwork.workspaces ORDER BY key',
      );
      return rows.map((r) => toWorkspace(r, ctx.timeZone));
    },

    get,

    /** Creates a workspace: its row, its schema `ws_<key>` and the schema's tables. */
    async create(input: unknown): Promise<Workspace> {
      const o = (typeof input === 'object' && input !== null && !Array.isArray(input) ? input : {}) as Record<
        string,
        unknown
      >;
      const issues = [];
      if (!isWorkspaceKey(o.key)) {
        issues.push({
          field: 'key',
          code: 'pattern',
          message: m(
            '工作区标识须以小写字母开头，只含小写字母、数字和下划线，最多 31 个字符',
            'The workspace key must start with a lower-case letter and contain only a-z, 0-9 and _ (at most 31 characters)',
          ),
        });
      }
      const name = o.name === undefined ? o.key : o.name;
      if (typeof name !== 'string' || name.trim() === '' || name.length > 100) {
        issues.push({
          field: 'name',
          code: 'type',
          message: m('名称须为 1 到 100 个字符', 'The name must be 1 to 100 characters'),
        });
      }
      const tz = o.timeZone ?? ctx.timeZone;
      if (typeof tz !== 'string' || !isValidTimeZone(tz)) {
        issues.push({ field: 'timeZone', code: 'timeZone', message: m('时区无效', 'Invalid time zone') });
      }
      if (issues.length > 0) throw new DomainError('VALIDATION_FAILED', {}, issues);
      const key = o.key as string;
      const created = await ensureWorkspace(ctx.db, {
        key,
        name: (name as string).trim(),
        settings: { timeZone: tz },
      });
      if (!created) throw new DomainError('WORKSPACE_EXISTS', { workspace: key });
      return get(key);
    },

    /** The `default` workspace, created on first use. */
    async ensureDefault(): Promise<Workspace> {
      await ensureWorkspace(ctx.db, {
        key: DEFAULT_WORKSPACE,
        name: 'Default',
        settings: { timeZone: ctx.timeZone },
      });
      return get(DEFAULT_WORKSPACE);
    },
  };
}

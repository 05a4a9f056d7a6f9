/**
 * Shared state of one store: the Db, the clock, and the entity-definition cache. The cache is only an
 * optimisation that is safe to lose and safe with many processes: while the cache bus is live, a
 * definition is served from memory until a committed change to `_entities` (from any process) drops
 * it; otherwise every use asks the database for the current version with one primary-key query, and
 * the definition travels only when it changed.
 */
import { DomainError, type EntityDefinition, type Message } from '@formwork/metadata';
import { type CacheBus, noCacheBus } from './cache-bus.js';
import { type Db, pgErrorInfo } from './db.js';
import { isEntityKey, isWorkspaceKey, workspaceSchema } from './ident.js';
import type { SqlParams } from './query/params.js';
import type { Principal } from './types.js';

/**
 * The permission hook: an SQL predicate over the record alias `t` limiting what `principal` may see
 * and change. Every record read and write applies it. Today it is TRUE for everyone; the permissions
 * issue supplies a real one through `createStore(db, { scope })`.
 */
export type ScopeFn = (principal: Principal, entity: EntityDefinition, p: SqlParams) => string;

export const everyone: ScopeFn = () => 'TRUE';

export interface StoreOptions {
  now?: () => Date;
  /** Time zone of new workspaces (and the fallback of old ones). Default Asia/Shanghai. */
  timeZone?: string;
  scope?: ScopeFn;
  /** Lets entity definitions be served from memory while the bus is live (see cache-bus.ts). */
  cacheBus?: CacheBus;
  /** Another store's definition cache (from `createEntityCache` with the same `cacheBus`). */
  entityCache?: EntityCache;
}

export interface LoadedEntity {
  def: EntityDefinition;
  version: number;
  /** The workspace time zone. */
  timeZone: string;
  /** The published, enabled blueprints governing a stage field of this entity. */
  blueprints: readonly GoverningBlueprint[];
}

/** A blueprint as a record write sees it: which field it governs and where a new record starts. */
export interface GoverningBlueprint {
  key: string;
  field: string;
  /** The initial stage (the blueprint's `initial`, else its first stage). */
  initial: string | null;
}

export interface StoreContext {
  db: Db;
  now: () => Date;
  timeZone: string;
  scope: ScopeFn;
  loadEntity(db: Db, ws: string, key: string): Promise<LoadedEntity>;
  forget(ws: string, key: string): void;
}

export function m(zh: string, en: string): Message {
  return { 'zh-CN': zh, en };
}

/** Maps "schema does not exist" to WORKSPACE_NOT_FOUND; rethrows anything else. */
export function mapMissingWorkspace(e: unknown, ws: string): never {
  const info = pgErrorInfo(e);
  if (info && (info.code === '3F000' || info.code === '42P01'))
    throw new DomainError('WORKSPACE_NOT_FOUND', { workspace: ws });
  throw e;
}

type CachedEntity = {
  version: number;
  def: EntityDefinition;
  tz: string;
  blueprints: GoverningBlueprint[];
  at: number;
};

/** Entity definitions by `workspace:entity`, dropped when the cache bus announces a change. */
export type EntityCache = Map<string, CachedEntity>;

/**
 * A definition cache kept current by `bus`. Create one per process part and share it with the stores
 * bound to a transaction (`StoreOptions.entityCache`), so a transaction does not reload definitions.
 */
export function createEntityCache(bus: CacheBus): EntityCache {
  const cache: EntityCache = new Map();
  bus.on('entity', (schema) => {
    if (schema === '*') return cache.clear();
    for (const k of cache.keys()) if (`ws_${k.slice(0, k.indexOf(':'))}` === schema) cache.delete(k);
  });
  return cache;
}

export function createContext(db: Db, opts: StoreOptions): StoreContext {
  const timeZone = opts.timeZone ?? 'Asia/Shanghai';
  const bus = opts.cacheBus ?? noCacheBus;
  const cache = opts.entityCache ?? createEntityCache(bus);
  return {
    db,
    now: opts.now ?? (() => new Date()),
    timeZone,
    scope: opts.scope ?? everyone,
    forget: (ws, key) => cache.delete(`${ws}:${key}`),
    async loadEntity(q: Db, ws: string, key: string): Promise<LoadedEntity> {
      if (!isWorkspaceKey(ws)) throw new DomainError('WORKSPACE_NOT_FOUND', { workspace: ws });
      if (!isEntityKey(key)) throw new DomainError('ENTITY_NOT_FOUND', { entity: key });
      const ck = `${ws}:${key}`;
      const cached = cache.get(ck);
      if (cached && bus.live && performance.now() - cached.at < bus.maxAgeMs) {
        return {
          def: cached.def,
          version: cached.version,
          timeZone: cached.tz,
          blueprints: cached.blueprints,
        };
      }
      const at = performance.now();
      let rows: {
        version: number;
        definition: EntityDefinition | null;
        tz: string | null;
        blueprints: GoverningBlueprint[] | null;
      }[];
      const s = workspaceSchema(ws);
      try {
        rows = await q.query(
          `SELECT e.version, CASE WHEN e.version = $2 THEN NULL ELSE e.definition END AS definition,
                  w.settings->>'timeZone' AS tz,
                  (SELECT jsonb_agg(jsonb_build_object(
                            'key', d.key, 'field', v.definition->>'field',
                            'initial', coalesce(v.definition->>'initial', v.definition->'stages'->0->>'key'))
                          ORDER BY d.key)
                     FROM ${s}._wf_definitions d
                     JOIN ${s}._wf_versions v ON v.kind = d.kind AND v.key = d.key AND v.version = d.published_version
                    WHERE d.kind = 'blueprint' AND d.entity = $1 AND d.enabled AND d.deleted_at IS NULL) AS blueprints
             FROM ${s}._entities e JOIN formwork.workspaces w ON w.key = $3
            WHERE e.key = $1 AND e.deleted_at IS NULL`,
          [key, cached?.version ?? -1, ws],
        );
      } catch (e) {
        mapMissingWorkspace(e, ws);
      }
      const row = rows[0];
      if (!row) {
        cache.delete(ck);
        throw new DomainError('ENTITY_NOT_FOUND', { entity: key });
      }
      const def = row.definition === null && cached ? cached.def : (row.definition as EntityDefinition);
      const tz = row.tz ?? timeZone;
      const blueprints = row.blueprints ?? [];
      cache.set(ck, { version: row.version, def, tz, blueprints, at });
      return { def, version: row.version, timeZone: tz, blueprints };
    },
  };
}

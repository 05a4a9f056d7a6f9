import type { EntityDefinition, Locale } from '@formwork/metadata';
import type { Access } from '@formwork/store';

/**
 * What the server needs from its surroundings, as small structural interfaces ("ports"). `@formwork/store`'s
 * `Db` and `Store` satisfy them; keeping them here lets the server be tested and typechecked on its own.
 */

/** The acting user, as passed to every store call. */
export interface Principal {
  userId: string;
  isAdmin: boolean;
  roles: string[];
  departmentIds: string[];
  /** Set when the request authenticated with an API token. */
  tokenId?: string;
  /** The access to the request's workspace (roles, departments, scopes), loaded once per request. */
  access?: Access;
  /** Where the request came from (audit rows of record changes carry it). */
  origin?: { ip?: string; userAgent?: string };
}

export interface DbPort {
  kind: 'postgres' | 'pglite';
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  transaction<T>(fn: (tx: DbPort) => Promise<T>): Promise<T>;
}

export type WriteSource = 'api' | 'form' | 'import' | 'workflow' | 'automation';
export interface WriteOptions {
  source?: WriteSource;
  requestId?: string;
}

export interface ListOptions {
  filter?: unknown;
  sort?: string;
  limit?: number;
  cursor?: string;
  q?: string;
  deleted?: boolean;
  /** 'exact' counts every match even when there are many (slower on large lists). */
  total?: 'auto' | 'exact';
}

export interface ListResult {
  items: unknown[];
  nextCursor: string | null;
  total: number;
  /** false when `total` is the database's estimate (many matches; ask `total: 'exact'` to count). */
  totalExact: boolean;
}

/** An entity as the store returns it: the definition itself, possibly with version/timestamps alongside. */
export type StoredEntity = EntityDefinition & { version?: number };

export interface StorePort {
  db?: DbPort;
  workspaces: {
    list(): Promise<unknown[]>;
    get(key: string): Promise<unknown>;
    create(input: { key: string; name: string }): Promise<unknown>;
  };
  entities: {
    list(ws: string): Promise<StoredEntity[]>;
    get(ws: string, key: string): Promise<StoredEntity>;
    create(ws: string, principal: Principal, input: unknown): Promise<unknown>;
    analyse(ws: string, key: string, input: unknown): Promise<unknown>;
    update(
      ws: string,
      principal: Principal,
      key: string,
      input: unknown,
      opts: { confirm?: boolean },
    ): Promise<unknown>;
    remove(ws: string, principal: Principal, key: string): Promise<unknown>;
  };
  records: {
    list(ws: string, principal: Principal, entity: string, opts: ListOptions): Promise<ListResult>;
    get(
      ws: string,
      principal: Principal,
      entity: string,
      id: string,
      opts?: { includeDeleted?: boolean },
    ): Promise<Record<string, unknown>>;
    create(
      ws: string,
      principal: Principal,
      entity: string,
      input: unknown,
      opts?: WriteOptions,
    ): Promise<Record<string, unknown>>;
    update(
      ws: string,
      principal: Principal,
      entity: string,
      id: string,
      patch: unknown,
      opts: WriteOptions & { version?: number },
    ): Promise<Record<string, unknown>>;
    remove(
      ws: string,
      principal: Principal,
      entity: string,
      id: string,
      opts?: WriteOptions,
    ): Promise<unknown>;
    restore(
      ws: string,
      principal: Principal,
      entity: string,
      id: string,
      opts?: WriteOptions,
    ): Promise<unknown>;
    history(ws: string, principal: Principal, entity: string, id: string): Promise<unknown>;
    bulkCreate(
      ws: string,
      principal: Principal,
      entity: string,
      rows: unknown[],
      opts?: WriteOptions,
    ): Promise<unknown>;
    duplicates(ws: string, principal: Principal, entity: string, candidate: unknown): Promise<unknown>;
    /** Grouped counts and sums of the records the caller may read. */
    aggregate(
      ws: string,
      principal: Principal,
      entity: string,
      opts: Record<string, unknown>,
    ): Promise<{ items: Record<string, unknown>[]; truncated: boolean }>;
    /** Records for an export (needs the `export` action); see docs/permissions.md. */
    exportRows?(
      ws: string,
      principal: Principal,
      entity: string,
      opts: { filter?: unknown; sort?: string; q?: string },
    ): Promise<{ fields: EntityDefinition['fields']; items: Record<string, unknown>[]; truncated: boolean }>;
  };
}

/** Per-request values the middleware puts on the Hono context. */
export type AppEnv = {
  Variables: {
    requestId: string;
    locale: Locale;
    principal?: Principal;
    /** The session id when authenticated with a session token (logout revokes it). */
    sessionId?: string;
  };
};

/**
 * The one small database interface both drivers implement. Everything above it (migrations, the
 * store, the server) runs the same SQL on PostgreSQL (postgres.js) and on PGlite.
 *
 * Parameter conventions (identical on both drivers):
 * - a `jsonb` parameter is the JS value itself (object, array, string, number, null); the driver
 *   serialises it with JSON.stringify — never pre-stringify it;
 * - `int8` results come back as JS numbers, `numeric` as strings (exact), `timestamptz` as `Date`,
 *   `jsonb` as parsed values, arrays as JS arrays.
 */
export interface Db {
  readonly kind: 'postgres' | 'pglite';
  /** One parameterised statement. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /**
   * Several statements without parameters (DDL scripts). Runs on the current transaction when
   * called on a transaction handle.
   */
  exec(sql: string): Promise<void>;
  /**
   * Runs `fn` in a transaction: COMMIT when it resolves, ROLLBACK when it throws. Called on a
   * transaction handle it opens a SAVEPOINT instead. Use only the handle given to `fn` inside it: on
   * PGlite (one session) a query on the outer handle waits until the transaction ends.
   *
   * Statements on the handle may be sent without waiting for their answers: the session runs them in
   * the order sent, the transaction (or savepoint) ends only once every one is answered, and it fails with
   * the first statement that failed even when `fn` resolved or caught that failure. On PostgreSQL BEGIN
   * goes out with the first statement and COMMIT right behind the last ones.
   */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /**
   * Subscribes to a NOTIFY channel. `onReady` runs once the subscription is established and again after
   * every reconnect: notifications sent while it was down are lost, so a caller that caches flushes
   * there. Resolves to the unsubscribe function. Not available on a transaction handle.
   */
  listen(
    channel: string,
    onNotify: (payload: string) => void,
    onReady: () => void,
  ): Promise<() => Promise<void>>;
  /** Closes the pool / the embedded database and releases the data directory lock. */
  close(): Promise<void>;
}

export interface OpenDbOptions {
  /** A PostgreSQL URL: use postgres.js. Without it, PGlite. */
  databaseUrl?: string | undefined;
  /** PGlite data directory (default `./data`); ignored with `databaseUrl` or `memory`. */
  dataDir?: string | undefined;
  /** PGlite in memory (tests). */
  memory?: boolean | undefined;
  /** PGlite: start from a `dumpDataDir` tarball (tests; only with `memory`). */
  loadDataDir?: Blob | undefined;
  /** postgres.js pool size (default 20). */
  poolSize?: number | undefined;
}

/**
 * PostgreSQL connections per process unless told otherwise: the driver's own default. More connections
 * than the server has cores to run them only make their transactions wait on each other — on the 2-core
 * benchmark machine 10 connections did 10–25 % more approvals per second than 20, at less CPU per approval.
 */
const DEFAULT_POOL_SIZE = 10;

/** Opens the database the options describe. */
export async function openDb(opts: OpenDbOptions = {}): Promise<Db> {
  if (opts.databaseUrl) {
    const { openPostgres } = await import('./drivers/postgres.js');
    return openPostgres(opts.databaseUrl, { poolSize: opts.poolSize ?? DEFAULT_POOL_SIZE });
  }
  const { openPglite } = await import('./drivers/pglite.js');
  return openPglite({
    dataDir: opts.memory ? undefined : (opts.dataDir ?? './data'),
    loadDataDir: opts.loadDataDir,
  });
}

/** The SQLSTATE and constraint of a database error, from either driver; null for other errors. */
export function pgErrorInfo(e: unknown): { code: string; constraint: string | undefined } | null {
  if (typeof e !== 'object' || e === null) return null;
  const r = e as Record<string, unknown>;
  if (typeof r.code !== 'string' || !/^[0-9A-Z]{5}$/.test(r.code)) return null;
  const constraint =
    typeof r.constraint_name === 'string'
      ? r.constraint_name
      : typeof r.constraint === 'string'
        ? r.constraint
        : undefined;
  return { code: r.code, constraint };
}

/** Splits a DDL script into statements (no semicolons inside literals or bodies in our scripts). */
export function splitStatements(script: string): string[] {
  return script
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && !/^(--[^\n]*\n?)+$/.test(s));
}

import type { Db } from './db.js';
import { workspaceSchema } from './ident.js';
import { migrations as allMigrations, type Migration } from './migrations/index.js';

/** Advisory lock key: `hashtext('formwork.migrate')` computed once, so processes agree. */
const MIGRATE_LOCK = 'formwork.migrate';

async function lock(tx: Db): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [MIGRATE_LOCK]);
}

export interface MigrateResult {
  /** Ids of the migrations applied now (empty when the database was up to date). */
  applied: string[];
}

/**
 * Applies pending migrations in order, in ONE transaction, holding an advisory lock so that two
 * processes starting together do not race (the second waits, then finds nothing to do).
 */
export async function migrate(db: Db, list: readonly Migration[] = allMigrations): Promise<MigrateResult> {
  return db.transaction(async (tx) => {
    await lock(tx);
    await tx.exec(`
CREATE SCHEMA IF NOT EXISTS formwork;
CREATE TABLE IF NOT EXISTS formwork.migrations (
  id text PRIMARY KEY,
  applied_at timestamptz NOT NULL DEFAULT now()
);`);
    const done = new Set(
      (await tx.query<{ id: string }>('SELECT id FROM formwork.migrations')).map((r) => r.id),
    );
    const applied: string[] = [];
    for (const m of list) {
      if (done.has(m.id)) continue;
      if (m.system) await tx.exec(m.system);
      await tx.query('INSERT INTO formwork.migrations (id) VALUES ($1)', [m.id]);
      applied.push(m.id);
    }
    const workspaces = await tx.query<{ key: string; schema_version: number }>(
      'SELECT key, schema_version FROM formwork.workspaces ORDER BY key',
    );
    for (const w of workspaces) await upgradeWorkspace(tx, w.key, w.schema_version, list);
    return { applied };
  });
}

async function upgradeWorkspace(
  tx: Db,
  key: string,
  from: number,
  list: readonly Migration[],
): Promise<void> {
  const schema = workspaceSchema(key);
  await tx.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  for (let i = from; i < list.length; i++) {
    const sql = list[i]?.workspace?.(schema);
    if (sql) await tx.exec(sql);
  }
  if (from !== list.length) {
    await tx.query('UPDATE formwork.workspaces SET schema_version = $2 WHERE key = $1', [key, list.length]);
  }
}

/**
 * Creates a workspace (row + schema + its tables) if it does not exist, or brings its schema up to
 * date. Returns true when it was created now. `key` must match /^[a-z][a-z0-9_]{0,30}$/.
 */
export async function ensureWorkspace(
  db: Db,
  ws: { key: string; name?: string; settings?: Record<string, unknown> },
  list: readonly Migration[] = allMigrations,
): Promise<boolean> {
  workspaceSchema(ws.key); // validates
  return db.transaction(async (tx) => {
    await lock(tx);
    const inserted = await tx.query<{ key: string }>(
      `INSERT INTO formwork.workspaces (key, name, settings) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (key) DO NOTHING RETURNING key`,
      [ws.key, ws.name ?? ws.key, ws.settings ?? {}],
    );
    const row = await tx.query<{ schema_version: number }>(
      'SELECT schema_version FROM formwork.workspaces WHERE key = $1',
      [ws.key],
    );
    await upgradeWorkspace(tx, ws.key, row[0]?.schema_version ?? 0, list);
    return inserted.length > 0;
  });
}

/** A stable hash input of every migration's SQL (keys test fixture caches). */
export function migrationsFingerprint(list: readonly Migration[] = allMigrations): string {
  return list.map((m) => `${m.id}\n${m.system ?? ''}\n${m.workspace?.('"ws_x"') ?? ''}`).join('\n--\n');
}

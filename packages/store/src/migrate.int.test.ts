import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from './db.js';
import { ensureWorkspace, migrate } from './migrate.js';
import type { Migration } from './migrations/index.js';
import { migrations } from './migrations/index.js';
import { createTestDb } from './testing.js';

describe('migrations', () => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('has applied every migration on a test database and applies nothing twice', async () => {
    const rows = await db.query<{ id: string }>('SELECT id FROM formwork.migrations ORDER BY id');
    expect(rows.map((r) => r.id)).toEqual(migrations.map((m) => m.id));
    expect(await migrate(db)).toEqual({ applied: [] });
  });

  it('creates the system tables', async () => {
    const rows = await db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'formwork' ORDER BY 1`,
    );
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['api_tokens', 'migrations', 'rate_limits', 'sessions', 'users', 'workspaces']),
    );
  });

  it('makes user e-mails unique regardless of case', async () => {
    await db.query(`INSERT INTO formwork.users (email) VALUES ('Ann@Example.com')`);
    await expect(db.query(`INSERT INTO formwork.users (email) VALUES ('ann@example.COM')`)).rejects.toThrow();
  });

  it('creates a workspace schema with its tables once', async () => {
    expect(await ensureWorkspace(db, { key: 'mig_a', name: 'A' })).toBe(true);
    expect(await ensureWorkspace(db, { key: 'mig_a', name: 'A' })).toBe(false);
    const rows = await db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'ws_mig_a' ORDER BY 1`,
    );
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining([
        '_audit',
        '_autonumber',
        '_departments',
        '_entities',
        '_entity_versions',
        '_member_departments',
        '_member_roles',
        '_members',
        '_roles',
      ]),
    );
  });

  it('rejects an invalid workspace key before touching the database', async () => {
    await expect(ensureWorkspace(db, { key: 'Bad-Key"; drop' })).rejects.toThrow('invalid workspace key');
  });

  it('applies a new migration to the system and to every existing workspace', async () => {
    await ensureWorkspace(db, { key: 'mig_b' });
    const extra: Migration = {
      id: '9999-test-extra',
      system: 'CREATE TABLE formwork.test_extra (id int)',
      workspace: (s) => `CREATE TABLE ${s}.test_extra (id int)`,
    };
    const list = [...migrations, extra];
    expect(await migrate(db, list)).toEqual({ applied: ['9999-test-extra'] });
    expect(await migrate(db, list)).toEqual({ applied: [] });
    const rows = await db.query<{ s: string }>(
      `SELECT table_schema AS s FROM information_schema.tables WHERE table_name = 'test_extra' ORDER BY 1`,
    );
    expect(rows.map((r) => r.s)).toEqual(['formwork', 'ws_mig_a', 'ws_mig_b']);
    // a workspace created afterwards gets it too
    await ensureWorkspace(db, { key: 'mig_c' }, list);
    const c = await db.query(
      `SELECT 1 FROM information_schema.tables WHERE table_schema = 'ws_mig_c' AND table_name = 'test_extra'`,
    );
    expect(c).toHaveLength(1);
  });

  it('runs concurrent migrations and workspace creations without racing', async () => {
    const results = await Promise.all([
      ensureWorkspace(db, { key: 'mig_race' }),
      ensureWorkspace(db, { key: 'mig_race' }),
      ensureWorkspace(db, { key: 'mig_race' }),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('rolls back a failing migration entirely', async () => {
    const bad: Migration = { id: '9998-bad', system: 'CREATE TABLE formwork.half (id int); SELECT 1/0;' };
    await expect(migrate(db, [...migrations, bad])).rejects.toThrow();
    const rows = await db.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'half'`);
    expect(rows).toHaveLength(0);
    const m = await db.query(`SELECT 1 FROM formwork.migrations WHERE id = '9998-bad'`);
    expect(m).toHaveLength(0);
  });

  it('stores instance snapshots with lz4 where the server has it, and leaves room for HOT updates', async () => {
    await ensureWorkspace(db, { key: 'mig_lz4', name: 'L' });
    const [col] = await db.query<{ compression: string; options: string[] | null }>(
      `SELECT a.attcompression AS compression, c.reloptions AS options FROM pg_attribute a
         JOIN pg_class c ON c.oid = a.attrelid
        WHERE a.attrelid = 'ws_mig_lz4._wf_instances'::regclass AND a.attname = 'snapshot'`,
    );
    // PostgreSQL here is built with lz4; PGlite is not, and keeps the default ('' = pglz).
    expect(col?.compression).toBe(process.env.FORMWORK_TEST_DB === 'postgres' ? 'l' : '');
    expect(col?.options).toEqual(['fillfactor=70']);
  });
});

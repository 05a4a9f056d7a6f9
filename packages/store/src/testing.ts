/**
 * Test harness (`@formwork/store/testing`): a fresh, migrated database per call, following
 * `FORMWORK_TEST_DB` ('pglite' by default, or 'postgres' on DATABASE_URL's server).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import postgres from 'postgres';
import { type Db, openDb } from './db.js';
import { isPgliteDb } from './drivers/pglite.js';
import { migrate, migrationsFingerprint } from './migrate.js';
import type { Principal } from './types.js';

export type TestDb = Db & { url?: string };

const CACHE_DIR = resolve(import.meta.dirname, '../node_modules/.cache/formwork');

/** Which database the tests run on: `FORMWORK_TEST_DB` = 'pglite' (default) or 'postgres'. */
export function testDbKind(): 'pglite' | 'postgres' {
  return process.env.FORMWORK_TEST_DB === 'postgres' ? 'postgres' : 'pglite';
}

export async function createTestDb(): Promise<TestDb> {
  return testDbKind() === 'postgres' ? createPostgresTestDb() : createPgliteTestDb();
}

function serverUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('FORMWORK_TEST_DB=postgres needs DATABASE_URL');
  return url;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function createPostgresTestDb(): Promise<TestDb> {
  const base = serverUrl();
  const name = `fw_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(base, name);
  const db = await openDb({ databaseUrl: url, poolSize: 20 });
  await migrate(db);
  let closed = false;
  return {
    kind: db.kind,
    url,
    query: (sql, params) => db.query(sql, params),
    exec: (sql) => db.exec(sql),
    transaction: (fn) => db.transaction(fn),
    listen: (channel, onNotify, onReady) => db.listen(channel, onNotify, onReady),
    async close() {
      if (closed) return;
      closed = true;
      await db.close();
      const a = postgres(base, { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}

let fixture: Promise<Blob> | undefined;

/** The migrated PGlite data directory as a tarball, cached on disk keyed by the migrations' hash. */
function pgliteFixture(): Promise<Blob> {
  fixture ??= (async () => {
    const hash = createHash('sha256').update(migrationsFingerprint()).digest('hex').slice(0, 16);
    const file = join(CACHE_DIR, `pglite-${hash}.tar`);
    try {
      return new Blob([readFileSync(file)]);
    } catch {
      // not cached yet
    }
    const db = await openDb({ memory: true });
    try {
      await migrate(db);
      if (!isPgliteDb(db)) throw new Error('expected PGlite');
      const blob = await db.dump();
      const bytes = new Uint8Array(await blob.arrayBuffer());
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      writeFileSync(tmp, bytes);
      renameSync(tmp, file); // atomic: concurrent workers never read a half-written file
      return new Blob([bytes]);
    } finally {
      await db.close();
    }
  })();
  return fixture;
}

async function createPgliteTestDb(): Promise<TestDb> {
  const db = await openDb({ memory: true, loadDataDir: await pgliteFixture() });
  await migrate(db); // no-op on the fixture; proves the fixture is current
  return db;
}

/** A principal for tests: a fresh user id, admin unless told otherwise. */
export function testPrincipal(overrides: Partial<Principal> = {}): Principal {
  return { userId: randomUUID(), isAdmin: true, roles: [], departmentIds: [], ...overrides };
}

import { describe, expect, it } from 'vitest';
import { type CacheBus, startCacheBus } from './cache-bus.js';
import type { Db } from './db.js';
import { openDb } from './db.js';
import { createStore } from './store.js';
import { customerDef, useStore } from './test-support.js';
import type { TestDb } from './testing.js';
import { createWorkflowRuntime } from './workflow/runtime.js';

/** Waits until `check` passes (notifications arrive asynchronously after COMMIT). */
async function eventually(check: () => void | Promise<void>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > end) throw e;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** Counts the statements a store sends. */
function counting(db: Db): Db & { count: number } {
  const c = Object.create(db) as Db & { count: number };
  c.count = 0;
  c.query = (sql, params) => {
    c.count++;
    return db.query(sql, params);
  };
  return c;
}

describe('cache bus', () => {
  const env = useStore();

  /** A second "process": its own connection pool on PostgreSQL; the same session on PGlite. */
  async function otherProcess(): Promise<{ db: Db; close(): Promise<void> }> {
    const url = (env.db as TestDb).url;
    if (!url) return { db: env.db, close: async () => {} };
    const db = await openDb({ databaseUrl: url, poolSize: 2 });
    return { db, close: () => db.close() };
  }

  it('serves a cached definition without a query, and drops it when another process changes it', async () => {
    const ws = await env.ws();
    await env.store.entities.create(ws, env.p, customerDef);
    const bus: CacheBus = await startCacheBus(env.db);
    const db = counting(env.db);
    const cached = createStore(db, { cacheBus: bus });
    try {
      expect(bus.live).toBe(true);
      await cached.records.list(ws, env.p, 'customer');
      const before = db.count;
      await cached.records.list(ws, env.p, 'customer');
      expect(db.count - before).toBe(1); // the list itself, no definition lookup

      const other = await otherProcess();
      try {
        const writer = createStore(other.db);
        await writer.entities.update(ws, env.p, 'customer', {
          ...customerDef,
          fields: [...customerDef.fields, { key: 'city', type: 'text' }],
        });
      } finally {
        await other.close();
      }
      await eventually(async () => {
        const r = await cached.records.create(ws, env.p, 'customer', { name: 'Acme', city: '上海' });
        expect(r.city).toBe('上海');
      });
    } finally {
      await bus.close();
    }
  });

  it('drops a cached definition when a blueprint of the entity is published', async () => {
    const ws = await env.ws();
    await env.store.entities.create(ws, env.p, customerDef);
    const bus: CacheBus = await startCacheBus(env.db);
    const cached = createStore(env.db, { cacheBus: bus });
    try {
      expect(
        (await cached.records.create(ws, env.p, 'customer', { name: 'Before' })).grade ?? null,
      ).toBeNull();
      const other = await otherProcess();
      try {
        const rt = createWorkflowRuntime(other.db);
        await rt.definitions.create(ws, env.p, 'blueprint', {
          key: 'grades',
          entity: 'customer',
          field: 'grade',
          stages: [{ key: 'B' }, { key: 'A' }],
          transitions: [{ key: 'up', from: 'B', to: 'A' }],
        });
        await rt.definitions.publish(ws, env.p, 'blueprint', 'grades');
      } finally {
        await other.close();
      }
      await eventually(async () => {
        expect((await cached.records.create(ws, env.p, 'customer', { name: 'After' })).grade).toBe('B');
      });
    } finally {
      await bus.close();
    }
  });

  it('announces credential changes on commit only', async () => {
    const bus = await startCacheBus(env.db);
    const seen: string[] = [];
    bus.on('auth', (schema) => seen.push(schema));
    try {
      await env.db
        .transaction(async (tx) => {
          await tx.query(`UPDATE formwork.users SET name = name WHERE false`);
          throw new Error('roll back');
        })
        .catch(() => {});
      await env.db.query(`UPDATE formwork.sessions SET revoked_at = now() WHERE false`);
      await eventually(() => expect(seen).toEqual(['formwork']));
    } finally {
      await bus.close();
    }
  });

  it('reads through while no bus is live', async () => {
    const ws = await env.ws();
    await env.store.entities.create(ws, env.p, customerDef);
    const db = counting(env.db);
    const store = createStore(db);
    await store.records.list(ws, env.p, 'customer');
    const before = db.count;
    await store.records.list(ws, env.p, 'customer');
    expect(db.count - before).toBe(2);
  });
});

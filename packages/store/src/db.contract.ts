/**
 * The contract every `Db` driver fulfils. `db.int.test.ts` runs it on the driver the test project
 * selects (PGlite, and PostgreSQL when DATABASE_URL is set).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, pgErrorInfo } from './db.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function runDbContract(name: string, open: () => Promise<Db>): void {
  describe(`Db contract: ${name}`, () => {
    let db: Db;
    const t = `contract_${Math.random().toString(36).slice(2, 10)}`;

    beforeAll(async () => {
      db = await open();
      await db.exec(`CREATE TABLE ${t} (id int PRIMARY KEY, v text UNIQUE, n int NOT NULL DEFAULT 0);
                     CREATE TABLE ${t}_j (id int PRIMARY KEY, j jsonb, a text[])`);
    });
    afterAll(async () => {
      await db?.close();
    });

    it('runs parameterised queries and returns rows as objects', async () => {
      await db.query(`INSERT INTO ${t} (id, v) VALUES ($1, $2), ($3, $4)`, [
        1,
        'a',
        2,
        "b'; DROP TABLE x; --",
      ]);
      const rows = await db.query<{ id: number; v: string }>(`SELECT id, v FROM ${t} ORDER BY id`);
      expect(rows).toEqual([
        { id: 1, v: 'a' },
        { id: 2, v: "b'; DROP TABLE x; --" },
      ]);
      await db.query(`DELETE FROM ${t}`);
    });

    it('maps types the same way: int8 → number, numeric → string, jsonb → value, arrays, timestamptz → Date', async () => {
      const [row] = await db.query<Record<string, unknown>>(
        `SELECT 12345678901::int8 AS b, count(*) AS c, 1.50::numeric AS n, '{"a":[1,"x"]}'::jsonb AS j,
                ARRAY['x','y"z']::text[] AS arr, '2024-05-01T10:00:00.123Z'::timestamptz AS ts, true AS ok`,
      );
      expect(row).toEqual({
        b: 12345678901,
        c: 1,
        n: '1.50',
        j: { a: [1, 'x'] },
        arr: ['x', 'y"z'],
        ts: new Date('2024-05-01T10:00:00.123Z'),
        ok: true,
      });
    });

    it('takes jsonb parameters as JS values, strings included', async () => {
      const values: unknown[] = [{ a: 1, b: ['x', null] }, 'just a string', 42, [1, 2], null, true];
      for (const [i, v] of values.entries()) {
        await db.query(`INSERT INTO ${t}_j (id, j, a) VALUES ($1, $2::jsonb, $3::text[])`, [
          i,
          v,
          ['p', 'q'],
        ]);
      }
      const rows = await db.query<{ j: unknown; a: string[] }>(`SELECT j, a FROM ${t}_j ORDER BY id`);
      expect(rows.map((r) => r.j)).toEqual(values);
      expect(rows[0]?.a).toEqual(['p', 'q']);
      const [kind] = await db.query<{ k: string }>(`SELECT jsonb_typeof(j) AS k FROM ${t}_j WHERE id = 1`);
      expect(kind?.k).toBe('string');
    });

    it('runs multi-statement scripts with exec', async () => {
      await db.exec(
        `CREATE TABLE ${t}_x (a int); INSERT INTO ${t}_x VALUES (1); INSERT INTO ${t}_x VALUES (2);`,
      );
      const rows = await db.query<{ s: number }>(`SELECT sum(a)::int AS s FROM ${t}_x`);
      expect(rows[0]?.s).toBe(3);
    });

    it('commits a transaction and returns its result', async () => {
      const r = await db.transaction(async (tx) => {
        await tx.query(`INSERT INTO ${t} (id, v) VALUES (10, 'ten')`);
        return 'done';
      });
      expect(r).toBe('done');
      expect(await db.query(`SELECT id FROM ${t} WHERE id = 10`)).toHaveLength(1);
    });

    it('rolls back everything when the transaction throws', async () => {
      await expect(
        db.transaction(async (tx) => {
          await tx.query(`INSERT INTO ${t} (id, v) VALUES (11, 'eleven')`);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await db.query(`SELECT id FROM ${t} WHERE id = 11`)).toHaveLength(0);
    });

    it('rolls back a failed savepoint but keeps the outer transaction', async () => {
      await db.transaction(async (tx) => {
        await tx.query(`INSERT INTO ${t} (id, v) VALUES (20, 'outer')`);
        await expect(
          tx.transaction(async (sp) => {
            await sp.query(`INSERT INTO ${t} (id, v) VALUES (21, 'inner')`);
            await sp.query(`INSERT INTO ${t} (id, v) VALUES (22, 'outer')`); // unique violation
          }),
        ).rejects.toThrow();
        await tx.transaction(async (sp) => {
          await sp.query(`INSERT INTO ${t} (id, v) VALUES (23, 'inner ok')`);
          await sp.transaction(async (sp2) => sp2.query(`INSERT INTO ${t} (id, v) VALUES (24, 'deep')`));
        });
      });
      const ids = (await db.query<{ id: number }>(`SELECT id FROM ${t} WHERE id >= 20 ORDER BY id`)).map(
        (r) => r.id,
      );
      expect(ids).toEqual([20, 23, 24]);
    });

    it('commits statements sent without waiting for their answers, in the order sent', async () => {
      await db.transaction(async (tx) => {
        void tx.query(`INSERT INTO ${t} (id, v, n) VALUES (60, 'pipelined', 1)`);
        void tx.query(`UPDATE ${t} SET n = n + 1 WHERE id = 60`);
        void tx.query(`UPDATE ${t} SET n = n * 10 WHERE id = 60`);
      });
      const [row] = await db.query<{ n: number }>(`SELECT n FROM ${t} WHERE id = 60`);
      expect(row?.n).toBe(20);
    });

    it('keeps nothing and fails with the first failure when a statement sent without waiting fails', async () => {
      await db.query(`INSERT INTO ${t} (id, v) VALUES (61, 'taken')`);
      const err = await db
        .transaction(async (tx) => {
          void tx.query(`INSERT INTO ${t} (id, v) VALUES (62, 'fine')`);
          void tx.query(`INSERT INTO ${t} (id, v) VALUES (63, 'taken')`); // unique violation
          void tx.query(`INSERT INTO ${t} (id, v) VALUES (64, 'after')`); // refused: transaction aborted
          return 'returned';
        })
        .catch((e: unknown) => e);
      expect(pgErrorInfo(err)).toEqual({ code: '23505', constraint: `${t}_v_key` });
      expect(await db.query(`SELECT id FROM ${t} WHERE id IN (62, 63, 64)`)).toHaveLength(0);
    });

    it('answers a statement sent after a failure with that first failure', async () => {
      await db.query(`INSERT INTO ${t} (id, v) VALUES (65, 'first')`);
      const errors: unknown[] = [];
      const outcome = await db
        .transaction(async (tx) => {
          const a = tx.query(`INSERT INTO ${t} (id, v) VALUES (66, 'first')`).catch((e: unknown) => e);
          const b = tx.query(`SELECT 1`).catch((e: unknown) => e);
          errors.push(...(await Promise.all([a, b])));
        })
        .catch((e: unknown) => e);
      expect(errors.map((e) => pgErrorInfo(e)?.code)).toEqual(['23505', '23505']);
      // The transaction fails with it too, though the caller caught it: PostgreSQL rolled it back.
      expect(pgErrorInfo(outcome)?.code).toBe('23505');
      expect(await db.query(`SELECT id FROM ${t} WHERE id = 66`)).toHaveLength(0);
    });

    it('reports SQLSTATE and constraint of a unique violation', async () => {
      await db.query(`INSERT INTO ${t} (id, v) VALUES (30, 'dup')`);
      const err = await db.query(`INSERT INTO ${t} (id, v) VALUES (31, 'dup')`).catch((e: unknown) => e);
      expect(pgErrorInfo(err)).toEqual({ code: '23505', constraint: `${t}_v_key` });
      expect(pgErrorInfo(new Error('plain'))).toBeNull();
    });

    it('refuses a transaction handle used after its transaction ended', async () => {
      let leaked: Db | undefined;
      await db.transaction(async (tx) => {
        leaked = tx;
      });
      await expect(leaked!.query('SELECT 1')).rejects.toThrow();
    });

    it('never lets a query outside a transaction see its uncommitted work', async () => {
      // Caught at once: the outside query may wait for a new connection longer than the transaction lives.
      const tx = db
        .transaction(async (trx) => {
          await trx.query(`INSERT INTO ${t} (id, v) VALUES (40, 'uncommitted')`);
          await sleep(50);
          throw new Error('rollback');
        })
        .catch((e: unknown) => e);
      await sleep(10);
      const seen = await db.query(`SELECT id FROM ${t} WHERE id = 40`);
      expect(await tx).toEqual(new Error('rollback'));
      expect(seen).toHaveLength(0);
    });

    it('runs concurrent transactions without losing updates', async () => {
      await db.query(`INSERT INTO ${t} (id, v, n) VALUES (50, 'counter', 0)`);
      await Promise.all(
        Array.from({ length: 10 }, () =>
          db.transaction(async (trx) => {
            const [row] = await trx.query<{ n: number }>(`SELECT n FROM ${t} WHERE id = 50 FOR UPDATE`);
            await sleep(2);
            await trx.query(`UPDATE ${t} SET n = $1 WHERE id = 50`, [(row?.n ?? 0) + 1]);
          }),
        ),
      );
      const [row] = await db.query<{ n: number }>(`SELECT n FROM ${t} WHERE id = 50`);
      expect(row?.n).toBe(10);
    });
  });
}

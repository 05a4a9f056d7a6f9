import postgres from 'postgres';
import type { Db } from '../db.js';
import { InFlight } from './in-flight.js';

type Param = postgres.ParameterOrJSON<never>;

const int8 = {
  to: 20,
  from: [20],
  serialize: (x: unknown) => String(x),
  parse: (x: string) => Number(x),
};

/**
 * PostgreSQL through postgres.js: a pool. A transaction reserves one connection and sends BEGIN with its
 * first statement and COMMIT right behind its last ones (pipelined: a short transaction is two round trips,
 * a lock and its writes).
 */
export function openPostgres(url: string, opts: { poolSize: number }): Db {
  const sql = postgres(url, {
    max: opts.poolSize,
    onnotice: () => {},
    types: { int8 },
    connection: { application_name: 'formwork' },
  });
  return new PostgresDb(sql);
}

/**
 * postgres.js infers the parameter type of a JS boolean as `bool`, which breaks `$1::jsonb`; let the
 * server decide (the value is then serialised for the type the statement declares).
 */
function toParams(root: postgres.Sql, params: readonly unknown[]): Param[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < params.length; i++) {
    const v = params[i];
    if (typeof v === 'boolean') {
      out ??= [...params];
      out[i] = root.typed(v as never, 0);
    }
  }
  return (out ?? params) as Param[];
}

class PostgresDb implements Db {
  readonly kind = 'postgres' as const;
  constructor(private readonly sql: postgres.Sql) {}

  async query<T>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    // Named prepared statements: parsed and planned once per connection and SQL text.
    const rows = await this.sql.unsafe(text, toParams(this.sql, params), { prepare: true });
    return rows as unknown as T[];
  }

  async exec(script: string): Promise<void> {
    await this.sql.unsafe(script).simple();
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const conn = await this.sql.reserve();
    const session = { conn, begun: false };
    const tx = new PostgresTx(this.sql, session, 1);
    try {
      let result: T;
      try {
        result = await fn(tx);
      } catch (e) {
        if (session.begun) {
          await tx.statements.drain();
          await conn.unsafe('ROLLBACK').catch(() => undefined); // a broken connection has rolled back
        }
        throw e;
      }
      if (session.begun) {
        // Sent before the statements still in flight are answered; should one of them fail, PostgreSQL
        // answers this COMMIT with a rollback and the transaction fails with that statement's error.
        const commit = conn.unsafe('COMMIT').then(
          (r) => ({ command: r.command as string }),
          (error: unknown) => ({ error }),
        );
        await tx.statements.settle();
        const outcome = await commit;
        if ('error' in outcome) throw outcome.error;
        if (outcome.command !== 'COMMIT') throw new Error(`the transaction ended with ${outcome.command}`);
      }
      return result;
    } finally {
      tx.ended = true;
      conn.release();
    }
  }

  async listen(
    channel: string,
    onNotify: (payload: string) => void,
    onReady: () => void,
  ): Promise<() => Promise<void>> {
    // postgres.js keeps one dedicated connection for LISTEN, reconnects it and calls onlisten again.
    const sub = await this.sql.listen(channel, onNotify, onReady);
    return () => sub.unlisten();
  }

  async close(): Promise<void> {
    await this.sql.end({ timeout: 5 });
  }
}

/** A transaction (depth 1) or a savepoint in it, on the transaction's reserved connection. */
class PostgresTx implements Db {
  readonly kind = 'postgres' as const;
  ended = false;
  readonly statements = new InFlight();
  constructor(
    private readonly root: postgres.Sql,
    private readonly session: { conn: postgres.ReservedSql; begun: boolean },
    private readonly depth: number,
  ) {}

  /** Sends `run`'s statement, preceded by BEGIN when it is the transaction's first. */
  private send<R>(run: (conn: postgres.ReservedSql) => Promise<R>): Promise<R> {
    if (this.ended) return Promise.reject(new Error('transaction handle used after its transaction ended'));
    const { conn } = this.session;
    if (!this.session.begun) {
      this.session.begun = true;
      // Not awaited: the connection runs it before the statement behind it. BEGIN itself cannot fail but
      // on a broken connection, where the statement fails as well.
      void this.statements.track(conn.unsafe('BEGIN').then(() => undefined));
    }
    return this.statements.track(run(conn));
  }

  // The statement's own promise (not an async wrapper): a caller that sends without waiting leaves no
  // unhandled rejection behind, the transaction reports the failure.
  query<T>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.send(
      (c) => c.unsafe(text, toParams(this.root, params), { prepare: true }) as unknown as Promise<T[]>,
    );
  }

  exec(script: string): Promise<void> {
    return this.send((c) =>
      c
        .unsafe(script)
        .simple()
        .then(() => undefined),
    );
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const name = `fw_sp_${this.depth}`;
    await this.query(`SAVEPOINT ${name}`);
    const inner = new PostgresTx(this.root, this.session, this.depth + 1);
    try {
      const result = await fn(inner);
      await inner.statements.settle();
      await this.query(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (e) {
      await inner.statements.drain();
      await this.query(`ROLLBACK TO SAVEPOINT ${name}`);
      throw e;
    } finally {
      inner.ended = true;
    }
  }

  async listen(): Promise<() => Promise<void>> {
    throw new Error('listen() is not available on a transaction handle');
  }

  async close(): Promise<void> {
    throw new Error('close() is not available on a transaction handle');
  }
}

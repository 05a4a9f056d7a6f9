import postgres from 'postgres';
import type { Db } from '../db.js';

type Sql = postgres.Sql | postgres.TransactionSql;
type Param = postgres.ParameterOrJSON<never>;

const int8 = {
  to: 20,
  from: [20],
  serialize: (x: unknown) => String(x),
  parse: (x: string) => Number(x),
};

/** PostgreSQL through postgres.js: a pool; transactions pin one connection. */
export function openPostgres(url: string, opts: { poolSize: number }): Db {
  const sql = postgres(url, {
    max: opts.poolSize,
    onnotice: () => {},
    types: { int8 },
    connection: { application_name: 'formwork' },
  });
  return new PostgresDb(sql, sql, 0);
}

class PostgresDb implements Db {
  readonly kind = 'postgres' as const;
  ended = false;
  constructor(
    private readonly root: postgres.Sql,
    private readonly sql: Sql,
    private readonly depth: number,
  ) {}

  private check() {
    if (this.ended) throw new Error('transaction handle used after its transaction ended');
  }

  /**
   * postgres.js infers the parameter type of a JS boolean as `bool`, which breaks `$1::jsonb`; let
   * the server decide (the value is then serialised for the type the statement declares).
   */
  private params(params: readonly unknown[]): Param[] {
    let out: unknown[] | undefined;
    for (let i = 0; i < params.length; i++) {
      const v = params[i];
      if (typeof v === 'boolean') {
        out ??= [...params];
        out[i] = this.root.typed(v as never, 0);
      }
    }
    return (out ?? params) as Param[];
  }

  async query<T>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    this.check();
    // Named prepared statements: parsed and planned once per connection and SQL text.
    const rows = await this.sql.unsafe(text, this.params(params), { prepare: true });
    return rows as unknown as T[];
  }

  async exec(script: string): Promise<void> {
    this.check();
    await this.sql.unsafe(script).simple();
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    this.check();
    let inner: PostgresDb | undefined;
    try {
      if (this.depth === 0) {
        return (await this.root.begin((tx) => {
          inner = new PostgresDb(this.root, tx, 1);
          return fn(inner);
        })) as T;
      }
      const tx = this.sql as postgres.TransactionSql;
      return (await tx.savepoint((sp) => {
        inner = new PostgresDb(this.root, sp, this.depth + 1);
        return fn(inner);
      })) as T;
    } finally {
      if (inner) inner.ended = true;
    }
  }

  async listen(
    channel: string,
    onNotify: (payload: string) => void,
    onReady: () => void,
  ): Promise<() => Promise<void>> {
    if (this.depth > 0) throw new Error('listen() is not available on a transaction handle');
    // postgres.js keeps one dedicated connection for LISTEN, reconnects it and calls onlisten again.
    const sub = await this.root.listen(channel, onNotify, onReady);
    return () => sub.unlisten();
  }

  async close(): Promise<void> {
    if (this.depth > 0) throw new Error('close() is not available on a transaction handle');
    await this.root.end({ timeout: 5 });
  }
}

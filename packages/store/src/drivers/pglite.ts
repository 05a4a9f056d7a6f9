import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Db } from '../db.js';
import { InFlight } from './in-flight.js';
import { lockDataDir } from './lock.js';

const JSON_OID = 114;
const JSONB_OID = 3802;
/** Like postgres.js: a jsonb parameter is always a JS value to stringify (PGlite passes strings raw). */
const serializeJson = (x: unknown) => JSON.stringify(x);

/**
 * PGlite: PostgreSQL in-process, one session. PGlite's own mutex serialises work: a query outside a
 * transaction waits until the open transaction ends, so statements never interleave with it.
 */
export async function openPglite(opts: {
  dataDir?: string | undefined;
  loadDataDir?: Blob | undefined;
}): Promise<Db> {
  const release = opts.dataDir ? lockDataDir(opts.dataDir) : () => {};
  try {
    const pg = await PGlite.create({
      ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
      ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
      serializers: { [JSON_OID]: serializeJson, [JSONB_OID]: serializeJson },
      // initdb's 128 MB of shared buffers live in the WebAssembly heap and are zeroed page by page at every
      // start (~0.9 s of 1.5 s here). One embedded session reads its files through the OS page cache, so
      // 32 MB of buffers are plenty: the start takes ~0.5 s less and the process ~110 MB less memory.
      startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'],
    });
    return new PgliteDb(pg, release);
  } catch (e) {
    release();
    throw e;
  }
}

type Runner = Pick<Transaction, 'query' | 'exec'>;

class PgliteDb implements Db {
  readonly kind = 'pglite' as const;
  constructor(
    readonly pg: PGlite,
    private readonly release: () => void,
  ) {}

  async query<T>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.pg.query<T>(text, params as unknown[])).rows;
  }

  async exec(script: string): Promise<void> {
    await this.pg.exec(script);
  }

  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return this.pg.transaction((tx) => new PgliteTxDb(tx, 1).run(fn));
  }

  async listen(
    channel: string,
    onNotify: (payload: string) => void,
    onReady: () => void,
  ): Promise<() => Promise<void>> {
    // In-process: the subscription cannot drop, so onReady runs once.
    const unsubscribe = await this.pg.listen(channel, onNotify);
    onReady();
    return () => unsubscribe();
  }

  /** A tarball of the data directory (test fixtures). */
  dump(): Promise<Blob> {
    return this.pg.dumpDataDir('none');
  }

  async close(): Promise<void> {
    try {
      if (!this.pg.closed) await this.pg.close();
    } finally {
      this.release();
    }
  }
}

class PgliteTxDb implements Db {
  readonly kind = 'pglite' as const;
  private closed = false;
  private readonly statements = new InFlight();
  constructor(
    private readonly tx: Runner,
    private readonly depth: number,
  ) {}

  /** `fn` on this handle; then every statement it sent is answered, and the first failure fails it. */
  async run<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    try {
      const result = await fn(this);
      await this.statements.settle();
      return result;
    } catch (e) {
      await this.statements.drain();
      throw e;
    } finally {
      this.closed = true;
    }
  }

  // The statement's own promise (not an async wrapper): a caller that sends without waiting leaves no
  // unhandled rejection behind, the transaction reports the failure.
  private send<R>(run: () => Promise<R>): Promise<R> {
    if (this.closed) return Promise.reject(new Error('transaction handle used after its transaction ended'));
    return this.statements.track(run());
  }

  query<T>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.send(() => this.tx.query<T>(text, params as unknown[]).then((r) => r.rows));
  }

  exec(script: string): Promise<void> {
    return this.send(() => this.tx.exec(script).then(() => undefined));
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const name = `fw_sp_${this.depth}`;
    await this.query(`SAVEPOINT ${name}`);
    try {
      const result = await new PgliteTxDb(this.tx, this.depth + 1).run(fn);
      await this.query(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (e) {
      await this.query(`ROLLBACK TO SAVEPOINT ${name}`);
      throw e;
    }
  }

  async listen(): Promise<() => Promise<void>> {
    throw new Error('listen() is not available on a transaction handle');
  }

  async close(): Promise<void> {
    throw new Error('close() is not available on a transaction handle');
  }
}

export function isPgliteDb(db: Db): db is Db & { dump(): Promise<Blob> } {
  return db instanceof PgliteDb;
}

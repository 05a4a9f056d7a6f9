import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { backoffMs, type Db, type Job, type JobHandler, type JobRow, toJob } from '@formwork/store';
import { type Logger, silentLogger } from '../logger.js';

/**
 * The job runner inside `formwork start`. Jobs are rows of `formwork.jobs`; any number of processes on
 * one database may run a runner.
 *
 * - Database jobs (timers, automation runs, sub-flow events) are claimed with `FOR UPDATE SKIP LOCKED`
 *   and run inside the claiming transaction: the job is marked done in the same transaction as its
 *   effects. Two runners never run the same job; a process killed mid-job rolls back and the row lock
 *   is released, so another runner runs it again — never half, never twice.
 * - Outbox jobs (e-mail, webhooks) talk to the outside world and must not hold a transaction open: they
 *   are leased (`status = 'running'`, `locked_until`) in a short transaction, delivered, then finished.
 *   A lease that expires (its process died) is put back in the queue: delivery is at least once, and each
 *   delivery carries the job id so receivers can drop duplicates.
 *
 * A failing job is retried with exponential backoff; after `max_attempts` it stays `failed` with its last
 * error, visible through the API (and can be retried there).
 */

export type ExternalHandler = (job: Job) => Promise<unknown>;

/** Thrown by a handler when retrying cannot help (the job fails at once, with this reason). */
export class PermanentJobError extends Error {}

export interface JobRunnerOptions {
  db: Db;
  /** Database jobs by kind: run inside the job's transaction. */
  handlers: Record<string, JobHandler>;
  /** Outbox jobs by kind: leased, run outside any transaction. */
  external?: Record<string, ExternalHandler>;
  /** Identifies this runner in `locked_by` (default host:pid:random). */
  id?: string;
  /** How often an idle runner looks for due jobs (default 250 ms). */
  pollMs?: number;
  /** Parallel workers in this process (default 2 on PostgreSQL, 1 on PGlite). */
  concurrency?: number;
  /** Lease of an outbox job (default 60 s). */
  leaseMs?: number;
  /** First retry delay (default 2 s), doubled on every attempt. */
  backoffBaseMs?: number;
  /** Finished (done / cancelled) jobs are deleted after this long (default 7 days); failed ones stay. */
  retentionMs?: number;
  now?: () => Date;
  logger?: Logger;
}

const MAX_ERROR = 2000;

function errorText(e: unknown): string {
  if (e && typeof e === 'object' && 'userMessage' in e && 'code' in e) {
    const d = e as {
      code: string;
      userMessage: { en: string };
      issues?: Array<{ field: string; message: { en: string } }>;
    };
    const issues = d.issues?.length
      ? ` (${d.issues.map((i) => `${i.field}: ${i.message.en}`).join('; ')})`
      : '';
    return `${d.code}: ${d.userMessage.en}${issues}`.slice(0, MAX_ERROR);
  }
  return (e instanceof Error ? e.message : String(e)).slice(0, MAX_ERROR);
}

export class JobRunner {
  readonly id: string;
  private readonly o: Required<Omit<JobRunnerOptions, 'external' | 'id' | 'logger' | 'now'>> & {
    external: Record<string, ExternalHandler>;
    logger: Logger;
    now: () => Date;
  };
  private stopping = false;
  private loops: Promise<void>[] = [];
  private wake: Array<() => void> = [];
  private lastRecover = 0;

  constructor(opts: JobRunnerOptions) {
    this.id = opts.id ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.o = {
      db: opts.db,
      handlers: opts.handlers,
      external: opts.external ?? {},
      pollMs: opts.pollMs ?? 250,
      concurrency: opts.concurrency ?? (opts.db.kind === 'pglite' ? 1 : 2),
      leaseMs: opts.leaseMs ?? 60_000,
      backoffBaseMs: opts.backoffBaseMs ?? 2000,
      retentionMs: opts.retentionMs ?? 7 * 24 * 3_600_000,
      now: opts.now ?? (() => new Date()),
      logger: opts.logger ?? silentLogger,
    };
  }

  get running(): boolean {
    return this.loops.length > 0 && !this.stopping;
  }

  start(): void {
    if (this.loops.length > 0) return;
    this.stopping = false;
    for (let i = 0; i < this.o.concurrency; i++) this.loops.push(this.loop());
  }

  /** Finishes the jobs in progress, then returns. No new job is claimed once called. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const w of this.wake.splice(0)) w();
    await Promise.allSettled(this.loops);
    this.loops = [];
  }

  /** Runs due jobs until none is left (tests and the benchmark); returns how many ran. */
  async drain(max = Number.POSITIVE_INFINITY): Promise<number> {
    let n = 0;
    while (n < max) {
      const done = await this.tick();
      if (done === 0) break;
      n += done;
    }
    return n;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let done = 0;
      try {
        done = await this.tick();
      } catch (e) {
        this.o.logger.error({ msg: 'job runner error', runner: this.id, error: errorText(e) });
      }
      if (done === 0 && !this.stopping) await this.sleep(this.o.pollMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake.push(done);
    });
  }

  /** One round: put back expired leases and delete old finished jobs (every lease/4), run one database job, run one batch of outbox jobs. */
  async tick(): Promise<number> {
    const now = this.o.now();
    if (now.getTime() - this.lastRecover > this.o.leaseMs / 4) {
      this.lastRecover = now.getTime();
      await this.o.db.query(
        `UPDATE formwork.jobs SET status = 'pending', locked_by = NULL, locked_until = NULL, updated_at = $1
          WHERE status = 'running' AND locked_until < $1`,
        [now.toISOString()],
      );
      await this.o.db.query(
        `DELETE FROM formwork.jobs WHERE id IN (
           SELECT id FROM formwork.jobs WHERE status IN ('done', 'cancelled') AND finished_at < $1 LIMIT 1000)`,
        [new Date(now.getTime() - this.o.retentionMs).toISOString()],
      );
    }
    let n = 0;
    if (Object.keys(this.o.handlers).length > 0 && (await this.runDatabaseJob())) n += 1;
    if (!this.stopping && Object.keys(this.o.external).length > 0) n += await this.runOutboxJobs();
    return n;
  }

  private async runDatabaseJob(): Promise<boolean> {
    const kinds = Object.keys(this.o.handlers);
    return this.o.db.transaction(async (tx) => {
      const now = this.o.now();
      const [row] = await tx.query<JobRow>(
        `SELECT * FROM formwork.jobs WHERE status = 'pending' AND run_at <= $1 AND kind = ANY($2::text[])
          ORDER BY run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [now.toISOString(), kinds],
      );
      if (!row) return false;
      const job = toJob(row);
      const handler = this.o.handlers[job.kind] as JobHandler;
      await tx.query(
        `UPDATE formwork.jobs SET status = 'done', attempts = attempts + 1, locked_by = $2, updated_at = $3, finished_at = $3
          WHERE id = $1`,
        [job.id, this.id, now.toISOString()],
      );
      try {
        // A savepoint: a failing handler's writes are undone, the failure itself is recorded below.
        const result = await tx.transaction((sp) => handler({ ...job, attempts: job.attempts + 1 }, sp));
        await tx.query('UPDATE formwork.jobs SET result = $2::jsonb, last_error = NULL WHERE id = $1', [
          job.id,
          result ?? null,
        ]);
      } catch (e) {
        await this.recordFailure(tx, job, e);
      }
      return true;
    });
  }

  private async recordFailure(q: Db, job: Job, e: unknown, lease = false): Promise<void> {
    const attempts = job.attempts + 1;
    const permanent = e instanceof PermanentJobError;
    const failed = permanent || attempts >= job.maxAttempts;
    const now = this.o.now();
    const runAt = new Date(now.getTime() + backoffMs(attempts, this.o.backoffBaseMs));
    const error = errorText(e);
    await q.query(
      `UPDATE formwork.jobs SET status = $2, run_at = $3, last_error = $4, updated_at = $5, locked_until = NULL,
              finished_at = CASE WHEN $2 = 'failed' THEN $5::timestamptz ELSE NULL END
        WHERE id = $1${lease ? ' AND locked_by = $6 AND status = $7' : ''}`,
      [
        job.id,
        failed ? 'failed' : 'pending',
        runAt.toISOString(),
        error,
        now.toISOString(),
        ...(lease ? [this.id, 'running'] : []),
      ],
    );
    this.o.logger[failed ? 'error' : 'warn']({
      msg: failed ? 'job failed' : 'job will be retried',
      job: job.id,
      kind: job.kind,
      attempts,
      error,
    });
  }

  private async runOutboxJobs(): Promise<number> {
    const now = this.o.now();
    const rows = await this.o.db.query<JobRow>(
      `UPDATE formwork.jobs SET status = 'running', locked_by = $3, locked_until = $4, attempts = attempts + 1, updated_at = $1
        WHERE id IN (SELECT id FROM formwork.jobs WHERE status = 'pending' AND run_at <= $1 AND kind = ANY($2::text[])
                      ORDER BY run_at, id LIMIT 5 FOR UPDATE SKIP LOCKED)
        RETURNING *`,
      [
        now.toISOString(),
        Object.keys(this.o.external),
        this.id,
        new Date(now.getTime() + this.o.leaseMs).toISOString(),
      ],
    );
    for (const row of rows) {
      const job = toJob(row);
      const handler = this.o.external[job.kind] as ExternalHandler;
      try {
        const result = await handler(job);
        const t = this.o.now().toISOString();
        await this.o.db.query(
          `UPDATE formwork.jobs SET status = 'done', result = $3::jsonb, last_error = NULL, locked_until = NULL, updated_at = $4, finished_at = $4
            WHERE id = $1 AND locked_by = $2 AND status = 'running'`,
          [job.id, this.id, result ?? null, t],
        );
      } catch (e) {
        // attempts was already counted by the lease
        await this.recordFailure(this.o.db, { ...job, attempts: job.attempts - 1 }, e, true);
      }
    }
    return rows.length;
  }
}

import type { Db } from '../db.js';
import { iso } from './shared.js';

/**
 * Jobs: durable timers, automation runs and the outbox (e-mail, webhooks) as rows of `formwork.jobs`.
 * They are written in the transaction that decides them, so a rolled-back step leaves no job behind and
 * a committed one never loses its job. A job with a `key` is unique among the live (pending/running)
 * jobs of its workspace: scheduling the same key again moves it; cancelling it is a status change.
 */

export type JobStatus = 'pending' | 'running' | 'done' | 'failed' | 'cancelled';

export interface Job {
  id: number;
  workspace: string | null;
  kind: string;
  key: string | null;
  payload: Record<string, unknown>;
  status: JobStatus;
  runAt: string;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  result: unknown;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface JobRow {
  id: number;
  workspace: string | null;
  kind: string;
  key: string | null;
  payload: Record<string, unknown>;
  status: JobStatus;
  run_at: Date;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  result: unknown;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

export function toJob(r: JobRow): Job {
  return {
    id: Number(r.id),
    workspace: r.workspace,
    kind: r.kind,
    key: r.key,
    payload: r.payload,
    status: r.status,
    runAt: iso(r.run_at) as string,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    lastError: r.last_error,
    result: r.result ?? null,
    createdAt: iso(r.created_at) as string,
    updatedAt: iso(r.updated_at) as string,
    finishedAt: iso(r.finished_at),
  };
}

export interface EnqueueInput {
  workspace: string | null;
  kind: string;
  payload: Record<string, unknown>;
  runAt?: Date | string;
  /** Unique among live jobs of the workspace; enqueueing an existing key moves its time. */
  key?: string;
  maxAttempts?: number;
}

/** Adds a job on `q` (call it with the transaction that decided it). */
export async function enqueueJob(q: Db, job: EnqueueInput, now: Date): Promise<void> {
  const runAt = job.runAt === undefined ? now.toISOString() : iso(job.runAt);
  const params = [job.workspace, job.kind, job.key ?? null, job.payload, runAt, job.maxAttempts ?? 8];
  if (job.key === undefined) {
    await q.query(
      `INSERT INTO formwork.jobs (workspace, kind, key, payload, run_at, max_attempts)
       VALUES ($1, $2, $3, $4::jsonb, $5::timestamptz, $6)`,
      params,
    );
    return;
  }
  await q.query(
    `INSERT INTO formwork.jobs (workspace, kind, key, payload, run_at, max_attempts)
     VALUES ($1, $2, $3, $4::jsonb, $5::timestamptz, $6)
     ON CONFLICT (workspace, key) WHERE key IS NOT NULL AND status IN ('pending', 'running')
     DO UPDATE SET payload = EXCLUDED.payload, run_at = EXCLUDED.run_at, updated_at = now(), attempts = 0,
                   last_error = NULL`,
    params,
  );
}

/** Cancels the pending job with `key` (a stale timer); true when there was one. */
export async function cancelJob(q: Db, workspace: string, key: string): Promise<boolean> {
  const rows = await q.query(
    `UPDATE formwork.jobs SET status = 'cancelled', updated_at = now(), finished_at = now()
      WHERE workspace = $1 AND key = $2 AND status = 'pending' RETURNING id`,
    [workspace, key],
  );
  return rows.length > 0;
}

/** Delay before retry `attempt` (1-based): 2 s, 4 s, 8 s … capped at one hour, with ±20 % jitter. */
export function backoffMs(attempt: number, baseMs = 2000, random: () => number = Math.random): number {
  const raw = Math.min(3_600_000, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (0.8 + 0.4 * random()));
}

export interface JobListOptions {
  status?: JobStatus;
  kind?: string;
  limit?: number;
}

/** Jobs of a workspace, newest first (failed ones carry their last error). */
export async function listJobs(q: Db, workspace: string, opts: JobListOptions = {}): Promise<Job[]> {
  const rows = await q.query<JobRow>(
    `SELECT * FROM formwork.jobs WHERE workspace = $1 AND ($2::text IS NULL OR status = $2)
        AND ($3::text IS NULL OR kind = $3) ORDER BY updated_at DESC, id DESC LIMIT $4`,
    [workspace, opts.status ?? null, opts.kind ?? null, Math.min(Math.max(opts.limit ?? 50, 1), 500)],
  );
  return rows.map(toJob);
}

/** Puts a failed job back in the queue now (attempts restart). */
export async function retryJob(q: Db, workspace: string, id: number): Promise<Job | null> {
  const rows = await q.query<JobRow>(
    `UPDATE formwork.jobs SET status = 'pending', attempts = 0, run_at = now(), updated_at = now(), finished_at = NULL
      WHERE workspace = $1 AND id = $2 AND status = 'failed' RETURNING *`,
    [workspace, id],
  );
  return rows[0] ? toJob(rows[0]) : null;
}

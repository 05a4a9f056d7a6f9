import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createWorkflowRuntime, type Db, openDb } from '@formwork/store';
import { testDbKind } from '@formwork/store/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createWorkflowRunner, JobRunner } from './index.js';
import { approvalFlow, jobCounts, publishFlow, useWorkflow } from './workflow-support.js';

/** Several runner processes on one PostgreSQL database (PGlite is one process: the other tests cover it). */
describe.skipIf(testDbKind() !== 'postgres')('job runners on one PostgreSQL database', () => {
  const env = useWorkflow();
  const extra: Db[] = [];
  afterAll(async () => {
    for (const d of extra) await d.close();
  });

  async function pool(): Promise<Db> {
    const d = await openDb({ databaseUrl: env.db.url, poolSize: 4 });
    extra.push(d);
    return d;
  }

  async function settle(ws: string) {
    for (let i = 0; i < 600; i++) {
      const c = await jobCounts(env.db, ws);
      if (!c.pending && !c.running) return c;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('jobs never settled');
  }

  it('three runners with their own pools run each automation and timer exactly once', async () => {
    const ws = await env.ws();
    await env.rt.definitions.create(ws, env.admin, 'automation', {
      key: 'copy',
      entity: 'order',
      trigger: { type: 'created' },
      actions: [{ type: 'createRecord', entity: 'log', set: { message: { field: 'title' } } }],
    });
    await env.rt.definitions.publish(ws, env.admin, 'automation', 'copy');
    const approver = randomUUID();
    await publishFlow(
      env,
      ws,
      approvalFlow('timed', [approver], {
        deadline: { after: { minutes: 5 }, onTimeout: { action: 'approve' } },
      }),
    );
    const instances: string[] = [];
    for (let i = 0; i < 40; i++) {
      const rec = await env.store.records.create(ws, env.admin, 'order', { title: `o${i}` });
      if (i < 20)
        instances.push(
          (await env.rt.instances.start(ws, env.admin, { flow: 'timed', recordId: String(rec.id) })).id,
        );
    }
    env.clock.advance(6 * 60_000);
    const runners = await Promise.all(
      [0, 1, 2].map(async () => {
        const rt = createWorkflowRuntime(await pool(), { now: env.clock.now });
        return createWorkflowRunner(rt, { mail: null, now: env.clock.now, pollMs: 10, concurrency: 2 });
      }),
    );
    for (const r of runners) r.start();
    const counts = await settle(ws);
    await Promise.all(runners.map((r) => r.stop()));
    expect(counts).toEqual({ done: 60 }); // 40 automation runs + 20 timers
    const logs = await env.store.records.list(ws, env.admin, 'log', { limit: 200 });
    expect(logs.total).toBe(40);
    expect(new Set(logs.items.map((r) => r.message)).size).toBe(40);
    expect(await env.rt.automations.runs(ws, 'copy', { limit: 200 })).toHaveLength(40);
    for (const id of instances) {
      const h = await env.rt.instances.history(ws, env.admin, id);
      expect(h.filter((x) => x.action === 'timeout')).toHaveLength(1);
      expect((await env.rt.instances.get(ws, env.admin, id)).status).toBe('approved');
    }
    const [attempts] = await env.db.query<{ max: number }>(
      'SELECT max(attempts)::int AS max FROM formwork.jobs WHERE workspace = $1',
      [ws],
    );
    expect(attempts?.max).toBe(1);
  });

  it('loses and doubles nothing when a runner process is killed with SIGKILL mid-job', async () => {
    await env.db.exec(
      'CREATE TABLE IF NOT EXISTS public.kill_log (job_id bigint NOT NULL, pid int NOT NULL)',
    );
    const ws = await env.ws();
    for (let i = 0; i < 3; i++)
      await env.db.query(
        `INSERT INTO formwork.jobs (workspace, kind, payload) VALUES ($1, 'test.slow', '{}'::jsonb)`,
        [ws],
      );
    const fixture = fileURLToPath(new URL('./kill-child.fixture.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
      env: { ...process.env, CHILD_DATABASE_URL: env.db.url },
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stderr.on('data', (d) => {
      out += d;
    });
    const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_c, signal) => r(signal)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        if (/running \d+/.test(out)) resolve();
      });
      child.once('exit', () => reject(new Error(`child exited early: ${out}`)));
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    // Another runner (this process) picks up everything, including the job the killed one was running.
    const survivor = new JobRunner({
      db: env.db,
      handlers: {
        async 'test.slow'(job, tx) {
          await tx.query('INSERT INTO public.kill_log (job_id, pid) VALUES ($1, $2)', [job.id, process.pid]);
          return null;
        },
      },
    });
    for (let i = 0; i < 400 && (await jobCounts(env.db, ws)).pending; i++) {
      await survivor.drain();
      await new Promise((r) => setTimeout(r, 50)); // the killed session's locks go when PostgreSQL notices
    }
    const rows = await env.db.query<{ job_id: number; n: number; pids: number[] }>(
      `SELECT l.job_id, count(*)::int AS n, array_agg(l.pid) AS pids FROM public.kill_log l
         JOIN formwork.jobs j ON j.id = l.job_id WHERE j.workspace = $1 GROUP BY l.job_id`,
      [ws],
    );
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.n === 1 && r.pids[0] === process.pid)).toBe(true);
    expect(await jobCounts(env.db, ws)).toEqual({ done: 3 });
  });
});

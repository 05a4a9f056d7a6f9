/**
 * Workflow benchmarks (issue 4) — hooks `run.ts` can call; each takes an open, migrated `Db`.
 *
 * - `benchApprovals`: approval actions persisted per second on PostgreSQL, each its own transaction (lock
 *   the instance, step, store snapshot, tasks, history, notifications). Target ≥ 1,000/s.
 * - `benchTimerPrecision`: how late due timers fire while 10,000 other timers are pending, with the real
 *   job runner polling. Target: within 1 s.
 * - `benchAutomationOverhead`: record-create latency with a published "record created" automation (its
 *   effect is an outbox job, run later) against the same creates without one. Target ≤ 10 %.
 * - `benchWorkflow`: all three, once autovacuum is done with what earlier benchmarks wrote.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { JobRunner } from '@formwork/server';
import { createStore, createWorkflowRuntime, type Db, type Principal, startCacheBus } from '@formwork/store';
import { quiet } from './quiet.js';

type Figures = Record<string, number>;
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
const admin: Principal = { userId: randomUUID(), isAdmin: true, roles: [], departmentIds: [] };

const ENTITY = {
  key: 'bench_order',
  fields: [
    { key: 'title', type: 'text', required: true },
    { key: 'amount', type: 'amount' },
  ],
};

async function workspace(db: Db): Promise<string> {
  const store = createStore(db);
  const ws = `bwf${randomBytes(4).toString('hex')}`;
  await store.workspaces.create({ key: ws, name: ws });
  await store.entities.create(ws, admin, ENTITY);
  return ws;
}

function flow(key: string, members: string[]) {
  return {
    key,
    entity: ENTITY.key,
    nodes: [
      { id: 'start', type: 'start', position: { x: 0, y: 0 }, data: {} },
      {
        id: 'a',
        type: 'approval',
        position: { x: 1, y: 0 },
        data: { mode: 'and', assignees: [{ type: 'member', members }] },
      },
      { id: 'end', type: 'end', position: { x: 2, y: 0 }, data: { outcome: 'approved' } },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'a' },
      { id: 'e2', source: 'a', target: 'end' },
    ],
  };
}

/** The three workflow benchmarks on a migrated PostgreSQL database, after `quiet`. */
export async function benchWorkflow(db: Db, log: (msg: string) => void): Promise<Figures> {
  const quietWaitS = await quiet(db, log);
  return {
    quietWaitS,
    ...(await benchApprovals(db)),
    ...(await benchTimerPrecision(db)),
    ...(await benchAutomationOverhead(db)),
  };
}

/** Approval actions per second: `instances` instances × `signers` countersigners, `concurrency` workers. */
export async function benchApprovals(
  db: Db,
  opts: { instances?: number; signers?: number; concurrency?: number } = {},
): Promise<Figures> {
  const instances = opts.instances ?? 500;
  const signers = opts.signers ?? 10;
  const concurrency = opts.concurrency ?? 16;
  const ws = await workspace(db);
  // As in `formwork start`: definitions and the directory are served from memory while the bus is live.
  const bus = await startCacheBus(db);
  const rt = createWorkflowRuntime(db, { cacheBus: bus });
  const store = createStore(db, { cacheBus: bus });
  const members: string[] = Array.from({ length: signers }, () => randomUUID());
  await rt.definitions.create(ws, admin, 'flow', flow('bench', members));
  await rt.definitions.publish(ws, admin, 'flow', 'bench');
  const queue: Array<{ task: string; member: string }> = [];
  for (let i = 0; i < instances; i++) {
    const rec = await store.records.create(ws, admin, ENTITY.key, { title: `o${i}`, amount: i });
    const inst = await rt.instances.start(ws, admin, { flow: 'bench', recordId: String(rec.id) });
    for (const t of inst.tasks) queue.push({ task: t.id, member: t.assignee });
  }
  // Interleave instances so concurrent workers rarely wait on the same instance row.
  queue.sort((a, b) => members.indexOf(a.member) - members.indexOf(b.member));
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < queue.length) {
        const job = queue[next++] as { task: string; member: string };
        await rt.instances.act(
          ws,
          { userId: job.member, isAdmin: false, roles: [], departmentIds: [] },
          job.task,
          { type: 'approve' },
        );
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  await bus.close();
  return {
    approvalActions: queue.length,
    approvalSeconds: round(seconds, 2),
    approvalsPerSecond: round(queue.length / seconds),
  };
}

/** Lateness of due timers with `pending` timers waiting, fired by the real runner. */
export async function benchTimerPrecision(
  db: Db,
  opts: { pending?: number; probes?: number } = {},
): Promise<Figures> {
  const pending = opts.pending ?? 10_000;
  const probes = opts.probes ?? 20;
  const ws = await workspace(db);
  await db.query(
    `INSERT INTO formwork.jobs (workspace, kind, key, payload, run_at)
     SELECT $1, 'bench.timer', 'far:' || i, '{}'::jsonb, now() + interval '1 day' + i * interval '1 second' FROM generate_series(1, $2::int) AS i`,
    [ws, pending],
  );
  const lateness: number[] = [];
  const runner = new JobRunner({
    db,
    handlers: {
      async 'bench.timer'(job) {
        lateness.push(Date.now() - Date.parse(job.runAt));
        return null;
      },
    },
  });
  const start = Date.now() + 1000;
  await db.query(
    `INSERT INTO formwork.jobs (workspace, kind, key, payload, run_at)
     SELECT $1, 'bench.timer', 'probe:' || i, '{}'::jsonb, $2::timestamptz + i * interval '250 milliseconds' FROM generate_series(0, $3::int - 1) AS i`,
    [ws, new Date(start).toISOString(), probes],
  );
  runner.start();
  const deadline = start + probes * 250 + 10_000;
  while (lateness.length < probes && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await runner.stop();
  await db.query(`DELETE FROM formwork.jobs WHERE workspace = $1`, [ws]);
  const sorted = [...lateness].sort((a, b) => a - b);
  return {
    timersPending: pending,
    timerProbesFired: lateness.length,
    timerLateP50Ms: pct(sorted, 50),
    timerLateP99Ms: pct(sorted, 99),
    timerLateMaxMs: sorted[sorted.length - 1] ?? -1,
  };
}

/**
 * Create latency (sequential) without and with a record-created automation. The two workspaces take turns
 * in blocks of 100 creates (A B, then B A, …), so a machine that speeds up or slows down during the run
 * weighs on both alike; each figure is the median of its blocks' mean latency.
 */
export async function benchAutomationOverhead(
  db: Db,
  opts: { blocks?: number; perBlock?: number } = {},
): Promise<Figures> {
  const blocks = opts.blocks ?? 10;
  const perBlock = opts.perBlock ?? 100;
  const store = createStore(db);
  const rt = createWorkflowRuntime(db);
  let n = 0;
  const block = async (ws: string, count: number) => {
    const t0 = performance.now();
    for (let i = 0; i < count; i++)
      await store.records.create(ws, admin, ENTITY.key, { title: `r${n++}`, amount: i });
    return (performance.now() - t0) / count;
  };
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 0;
  const plain = await workspace(db);
  const withAuto = await workspace(db);
  await rt.definitions.create(withAuto, admin, 'automation', {
    key: 'onCreate',
    entity: ENTITY.key,
    trigger: { type: 'created' },
    actions: [{ type: 'updateRecord', set: { amount: { value: 1 } } }],
  });
  await rt.definitions.publish(withAuto, admin, 'automation', 'onCreate');
  await block(plain, 50);
  await block(withAuto, 50);
  const without: number[] = [];
  const withOne: number[] = [];
  for (let i = 0; i < blocks; i++) {
    const order = i % 2 === 0 ? [plain, withAuto] : [withAuto, plain];
    for (const ws of order) (ws === plain ? without : withOne).push(await block(ws, perBlock));
  }
  const a = median(without);
  const b = median(withOne);
  await db.query(`DELETE FROM formwork.jobs WHERE workspace = ANY($1::text[])`, [[plain, withAuto]]);
  return {
    createMsWithout: round(a, 3),
    createMsWithAutomation: round(b, 3),
    automationOverheadPct: round(((b - a) / a) * 100),
  };
}

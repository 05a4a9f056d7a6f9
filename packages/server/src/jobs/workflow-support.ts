/** Shared fixtures of the workflow runtime tests (not exported from the package). */
import { randomBytes, randomUUID } from 'node:crypto';
import type { EntityDefinition } from '@formwork/metadata';
import {
  createStore,
  createWorkflowRuntime,
  type Db,
  type Principal,
  type Store,
  type WorkflowRuntime,
} from '@formwork/store';
import { createTestDb, type TestDb } from '@formwork/store/testing';
import { afterAll, beforeAll } from 'vitest';
import { createWorkflowRunner, type JobRunner, type WorkflowRunnerOptions } from './index.js';

export const orderDef: EntityDefinition = {
  key: 'order',
  fields: [
    { key: 'title', type: 'text', required: true },
    { key: 'amount', type: 'amount' },
    { key: 'note', type: 'longText' },
    { key: 'stage', type: 'select', options: [{ value: 'new' }, { value: 'won' }, { value: 'lost' }] },
    { key: 'lostReason', type: 'text' },
    { key: 'approved', type: 'boolean' },
    { key: 'dueAt', type: 'datetime' },
  ],
};

export const logDef: EntityDefinition = {
  key: 'log',
  fields: [
    { key: 'message', type: 'text' },
    { key: 'source', type: 'text' },
  ],
};

export const person = (userId: string = randomUUID()): Principal => ({
  userId,
  isAdmin: false,
  roles: [],
  departmentIds: [],
});
export const admin = (): Principal => ({ userId: randomUUID(), isAdmin: true, roles: [], departmentIds: [] });

/** Real time, moved forward by `advance` (rows the database stamps with now() stay due). */
export class Clock {
  offset = 0;
  now = () => new Date(Date.now() + this.offset);
  advance(ms: number) {
    this.offset += ms;
  }
}

let n = 0;
export function approvalFlow(key: string, members: string[], data: Record<string, unknown> = {}) {
  n += 1;
  return {
    key,
    entity: 'order',
    nodes: [
      { id: 'start', type: 'start', position: { x: 0, y: n }, data: {} },
      {
        id: 'a',
        type: 'approval',
        position: { x: 100, y: 0 },
        data: { assignees: [{ type: 'member', members }], ...data },
      },
      { id: 'ok', type: 'end', position: { x: 200, y: 0 }, data: { outcome: 'approved' } },
      { id: 'no', type: 'end', position: { x: 200, y: 100 }, data: { outcome: 'rejected' } },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'a' },
      { id: 'e2', source: 'a', target: 'ok', sourceHandle: 'approved' },
      { id: 'e3', source: 'a', target: 'no', sourceHandle: 'rejected' },
    ],
  };
}

export interface WorkflowEnv {
  db: TestDb;
  store: Store;
  rt: WorkflowRuntime;
  clock: Clock;
  admin: Principal;
  /** A fresh workspace with the order and log entities. */
  ws(): Promise<string>;
  runner(opts?: WorkflowRunnerOptions): JobRunner;
}

export function useWorkflow(): WorkflowEnv {
  const env = {} as WorkflowEnv;
  const runners: JobRunner[] = [];
  beforeAll(async () => {
    env.db = await createTestDb();
    env.clock = new Clock();
    env.store = createStore(env.db, { now: env.clock.now });
    env.rt = createWorkflowRuntime(env.db, { now: env.clock.now });
    env.admin = admin();
    env.ws = async () => {
      const key = `w${randomBytes(5).toString('hex')}`;
      await env.store.workspaces.create({ key, name: key });
      await env.store.entities.create(key, env.admin, orderDef);
      await env.store.entities.create(key, env.admin, logDef);
      return key;
    };
    env.runner = (opts = {}) => {
      const r = createWorkflowRunner(env.rt, {
        mail: null,
        now: env.clock.now,
        backoffBaseMs: 1,
        pollMs: 20,
        ...opts,
      });
      runners.push(r);
      return r;
    };
  });
  afterAll(async () => {
    for (const r of runners) await r.stop();
    await env.db?.close();
  });
  return env;
}

export async function publishFlow(env: WorkflowEnv, ws: string, def: unknown) {
  const key = (def as { key: string }).key;
  const exists = await env.rt.definitions.list(ws, 'flow');
  if (exists.some((d) => d.key === key)) await env.rt.definitions.update(ws, env.admin, 'flow', key, def);
  else await env.rt.definitions.create(ws, env.admin, 'flow', def);
  return env.rt.definitions.publish(ws, env.admin, 'flow', key);
}

export async function jobCounts(db: Db, ws: string) {
  const rows = await db.query<{ status: string; n: number }>(
    'SELECT status, count(*)::int AS n FROM formwork.jobs WHERE workspace = $1 GROUP BY status',
    [ws],
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

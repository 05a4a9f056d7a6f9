import { randomUUID } from 'node:crypto';
import { DomainError } from '@formwork/metadata';
import { describe, expect, it } from 'vitest';
import { approvalFlow, jobCounts, person, publishFlow, useWorkflow } from './workflow-support.js';

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('workflow runtime', () => {
  const env = useWorkflow();

  async function order(ws: string, data: Record<string, unknown> = { title: 'Order', amount: 100 }) {
    return env.store.records.create(ws, env.admin, 'order', data);
  }

  it('converges when 50 approvers of a countersign node approve at the same time', async () => {
    const ws = await env.ws();
    const members = Array.from({ length: 50 }, () => randomUUID());
    await publishFlow(env, ws, approvalFlow('big', members, { mode: 'and' }));
    const rec = await order(ws);
    const submitter = person(env.admin.userId);
    const inst = await env.rt.instances.start(ws, env.admin, { flow: 'big', recordId: String(rec.id) });
    expect(inst.tasks.filter((t) => t.status === 'open')).toHaveLength(50);
    const byMember = new Map(inst.tasks.map((t) => [t.assignee, t.id]));
    const results = await Promise.allSettled(
      members.map((m) => env.rt.instances.act(ws, person(m), byMember.get(m) as string, { type: 'approve' })),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const after = await env.rt.instances.get(ws, submitter, inst.id);
    expect(after.status).toBe('approved');
    expect(after.tasks.every((t) => t.status === 'approved')).toBe(true);
    const history = await env.rt.instances.history(ws, env.admin, inst.id);
    expect(history.filter((h) => h.action === 'approve')).toHaveLength(50);
    expect(history.filter((h) => h.action === 'end')).toHaveLength(1);
  });

  it('answers every action with the instance as a fresh read shows it', async () => {
    // The answer is built from the statement that wrote the step (tasks as read before its writes, with
    // the step's creates and closes applied): it must equal what a later read returns.
    const ws = await env.ws();
    const [a, b, c, d, e] = Array.from({ length: 5 }, () => randomUUID()) as [
      string,
      string,
      string,
      string,
      string,
    ];
    await publishFlow(env, ws, approvalFlow('seq', [a, b, c], { mode: 'sequential' }));
    const rec = await order(ws);
    const inst = await env.rt.instances.start(ws, env.admin, { flow: 'seq', recordId: String(rec.id) });
    const open = (v: { tasks: Array<{ id: string; status: string; assignee: string }> }, who: string) =>
      v.tasks.find((t) => t.status === 'open' && t.assignee === who)?.id as string;
    const steps: Array<[string, Parameters<typeof env.rt.instances.act>[3]]> = [
      [a, { type: 'transfer', to: d }],
      [d, { type: 'addSigner', members: [e], position: 'after' }],
      [e, { type: 'comment', comment: 'ok' }],
      [e, { type: 'approve' }],
      [b, { type: 'approve' }],
    ];
    let view = inst;
    for (const [who, action] of steps) {
      const task = open(view, who);
      expect(task, `${who} has an open task before ${action.type}`).toBeDefined();
      const answer = await env.rt.instances.act(ws, person(who), task, action);
      const fresh = await env.rt.instances.get(ws, person(who), inst.id);
      expect(answer, action.type).toEqual(fresh);
      view = fresh;
    }
    expect(view.tasks.filter((t) => t.status === 'open').map((t) => t.assignee)).toEqual([c]);
    // The last approval writes two history lines in one step: they keep their order.
    await env.rt.instances.act(ws, person(c), open(view, c), { type: 'approve' });
    const history = await env.rt.instances.history(ws, env.admin, inst.id);
    expect(history.slice(-2).map((h) => h.action)).toEqual(['approve', 'end']);
  });

  it('applies an event sent twice with the same idempotency key once', async () => {
    const ws = await env.ws();
    const [a, b] = [randomUUID(), randomUUID()];
    await publishFlow(env, ws, approvalFlow('two', [a, b], { mode: 'and' }));
    const rec = await order(ws);
    const inst = await env.rt.instances.start(ws, env.admin, { flow: 'two', recordId: String(rec.id) });
    const task = inst.tasks.find((t) => t.assignee === a)?.id as string;
    const first = await env.rt.instances.act(ws, person(a), task, { type: 'approve', idempotencyKey: 'k1' });
    const again = await env.rt.instances.act(ws, person(a), task, { type: 'approve', idempotencyKey: 'k1' });
    expect(first.replayed).toBeUndefined();
    expect(again.replayed).toBe(true);
    const history = await env.rt.instances.history(ws, env.admin, inst.id);
    expect(history.filter((h) => h.action === 'approve')).toHaveLength(1);
    // Without the key the second approval is refused: the task is closed.
    const e = await refusal(env.rt.instances.act(ws, person(a), task, { type: 'approve' }));
    expect(e.code).toBe('VERSION_CONFLICT');
    expect(e.issues[0]?.code).toBe('taskClosed');
  });

  it('refuses actions of someone who is not the assignee and writes nothing', async () => {
    const ws = await env.ws();
    const a = randomUUID();
    await publishFlow(env, ws, approvalFlow('one', [a]));
    const rec = await order(ws);
    const inst = await env.rt.instances.start(ws, env.admin, { flow: 'one', recordId: String(rec.id) });
    const task = inst.tasks[0]?.id as string;
    const e = await refusal(env.rt.instances.act(ws, person(), task, { type: 'approve' }));
    expect(e.code).toBe('FORBIDDEN');
    expect(e.issues[0]?.code).toBe('notAssignee');
    expect(e.userMessage.en).toMatch(/\w/);
    expect(e.userMessage['zh-CN']).toMatch(/\S/);
    const r = await refusal(env.rt.instances.act(ws, person(a), task, { type: 'reject' }));
    expect(r.issues[0]).toMatchObject({ field: 'comment', code: 'commentRequired' });
    const still = await env.rt.instances.get(ws, env.admin, inst.id);
    expect(still.status).toBe('active');
    expect(still.tasks[0]?.status).toBe('open');
  });

  it('writes field edits allowed by the node through the store, and refuses the others', async () => {
    const ws = await env.ws();
    const a = randomUUID();
    await publishFlow(env, ws, approvalFlow('edit', [a], { fields: { note: 'editable' } }));
    const rec = await order(ws);
    const inst = await env.rt.instances.start(ws, env.admin, { flow: 'edit', recordId: String(rec.id) });
    const task = inst.tasks[0]?.id as string;
    expect(inst.myTasks).toEqual([]);
    const mine = await env.rt.instances.get(ws, person(a), inst.id);
    expect(mine.myTasks[0]?.fields.note).toBe('editable');
    expect(mine.myTasks[0]?.fields.amount).toBe('readOnly');
    const bad = await refusal(
      env.rt.instances.act(ws, person(a), task, { type: 'approve', fields: { amount: 1 } }),
    );
    expect(bad.issues[0]).toMatchObject({ field: 'fields', code: 'fieldNotEditable' });
    await env.rt.instances.act(ws, person(a), task, { type: 'approve', fields: { note: 'checked' } });
    const r = await env.store.records.get(ws, env.admin, 'order', String(rec.id));
    expect(r.note).toBe('checked');
    const audit = (await env.store.records.history(ws, env.admin, 'order', String(rec.id))) as Array<{
      source: string;
      actor: string;
    }>;
    expect(audit.some((h) => h.source === 'workflow' && h.actor === a)).toBe(true);
  });

  it("shows an approver the instance's record outside their data scope, without the fields the node hides", async () => {
    const ws = await env.ws();
    const a = randomUUID();
    await publishFlow(env, ws, approvalFlow('peek', [a], { fields: { amount: 'hidden' } }));
    const rec = await order(ws, { title: 'Secret deal', amount: 999, note: 'n' });
    const inst = await env.rt.instances.start(ws, env.admin, { flow: 'peek', recordId: String(rec.id) });
    // The approver has no role that reads orders…
    expect((await refusal(env.store.records.get(ws, person(a), 'order', String(rec.id)))).code).toMatch(
      /FORBIDDEN|RECORD_NOT_FOUND/,
    );
    // …yet sees what the flow asks them to judge, minus the field the node hides.
    const seen = await env.rt.instances.record(ws, person(a), inst.id);
    expect(seen).toMatchObject({ id: rec.id, title: 'Secret deal', note: 'n' });
    expect(seen).not.toHaveProperty('amount');
    // The submitter (an administrator here) sees every field; a stranger sees nothing.
    expect(await env.rt.instances.record(ws, env.admin, inst.id)).toMatchObject({ amount: 999 });
    expect((await refusal(env.rt.instances.record(ws, person(randomUUID()), inst.id))).code).toBe(
      'FORBIDDEN',
    );
  });

  it('lets running instances finish on their own version after a new one is published', async () => {
    const ws = await env.ws();
    const [a, b] = [randomUUID(), randomUUID()];
    await publishFlow(env, ws, approvalFlow('ver', [a]));
    const rec = await order(ws);
    const old = await env.rt.instances.start(ws, env.admin, { flow: 'ver', recordId: String(rec.id) });
    const v2 = await publishFlow(env, ws, approvalFlow('ver', [b]));
    expect(v2.publishedVersion).toBe(2);
    expect(v2.versions.map((v) => v.version)).toEqual([2, 1]);
    const fresh = await env.rt.instances.start(ws, env.admin, { flow: 'ver', recordId: String(rec.id) });
    expect(old.version).toBe(1);
    expect(fresh.version).toBe(2);
    expect(fresh.tasks[0]?.assignee).toBe(b);
    const done = await env.rt.instances.act(ws, person(a), old.tasks[0]?.id as string, { type: 'approve' });
    expect(done.status).toBe('approved');
  });

  it('fires a deadline timer from the job runner, and ignores it once the node was left', async () => {
    const ws = await env.ws();
    const [a, b] = [randomUUID(), randomUUID()];
    await publishFlow(
      env,
      ws,
      approvalFlow('sla', [a], { deadline: { after: { minutes: 30 }, onTimeout: { action: 'approve' } } }),
    );
    const rec = await order(ws);
    const timed = await env.rt.instances.start(ws, env.admin, { flow: 'sla', recordId: String(rec.id) });
    const runner = env.runner();
    expect(await runner.drain()).toBe(0); // not due yet
    env.clock.advance(31 * 60_000);
    expect(await runner.drain()).toBeGreaterThan(0);
    expect((await env.rt.instances.get(ws, env.admin, timed.id)).status).toBe('approved');
    // A second instance decided before its deadline: its timer is cancelled, nothing fires.
    const early = await env.rt.instances.start(ws, env.admin, { flow: 'sla', recordId: String(rec.id) });
    await env.rt.instances.act(ws, person(a), early.tasks[0]?.id as string, { type: 'approve' });
    env.clock.advance(31 * 60_000);
    await runner.drain();
    const history = await env.rt.instances.history(ws, env.admin, early.id);
    expect(history.some((h) => h.action === 'timeout')).toBe(false);
    expect((await jobCounts(env.db, ws)).pending ?? 0).toBe(0);
    void b;
  });

  it('runs an automation on record create from the job runner, once', async () => {
    const ws = await env.ws();
    await env.rt.definitions.create(ws, env.admin, 'automation', {
      key: 'logNew',
      entity: 'order',
      trigger: { type: 'created' },
      actions: [
        {
          type: 'createRecord',
          entity: 'log',
          set: { message: { formula: 'title' }, source: { value: 'auto' } },
        },
      ],
    });
    await env.rt.definitions.publish(ws, env.admin, 'automation', 'logNew');
    await order(ws, { title: 'First' });
    await order(ws, { title: 'Second' });
    expect((await env.store.records.list(ws, env.admin, 'log')).total).toBe(0); // not slowed: runs later
    await env.runner().drain();
    const logs = await env.store.records.list(ws, env.admin, 'log', { sort: 'message' });
    expect(logs.items.map((r) => r.message)).toEqual(['First', 'Second']);
    const runs = await env.rt.automations.runs(ws, 'logNew');
    expect(runs.map((r) => r.status)).toEqual(['ok', 'ok']);
    // The automation's own writes do not trigger automations again.
    expect((await jobCounts(env.db, ws)).pending ?? 0).toBe(0);
  });

  it('fires "date reached" automations for existing and new records, and moves them when the date changes', async () => {
    const ws = await env.ws();
    const inHour = (h: number) => new Date(env.clock.now().getTime() + h * 3_600_000).toISOString();
    const old = await order(ws, { title: 'Existing', dueAt: inHour(2) });
    await env.rt.definitions.create(ws, env.admin, 'automation', {
      key: 'due',
      entity: 'order',
      trigger: { type: 'dateReached', field: 'dueAt', offset: { hours: 1 }, direction: 'before' },
      actions: [{ type: 'createRecord', entity: 'log', set: { message: { field: 'title' } } }],
    });
    await env.rt.definitions.publish(ws, env.admin, 'automation', 'due');
    const runner = env.runner();
    await runner.drain(); // the backfill schedules the existing record
    const moved = await order(ws, { title: 'Moved', dueAt: inHour(3) });
    await runner.drain();
    await env.store.records.update(ws, env.admin, 'order', String(moved.id), { dueAt: inHour(30) });
    await runner.drain();
    env.clock.advance(2.5 * 3_600_000);
    await runner.drain();
    const logs = await env.store.records.list(ws, env.admin, 'log');
    expect(logs.items.map((r) => r.message)).toEqual(['Existing']);
    expect((await env.rt.automations.runs(ws, 'due')).map((r) => r.trigger)).toEqual(['dateReached']);
    void old;
  });

  it('runs a cron automation at its time and schedules the next run', async () => {
    const ws = await env.ws();
    await env.rt.definitions.create(ws, env.admin, 'automation', {
      key: 'tick',
      entity: 'order',
      trigger: { type: 'schedule', cron: '*/10 * * * *' },
      actions: [{ type: 'createRecord', entity: 'log', set: { message: { value: 'tick' } } }],
    });
    await env.rt.definitions.publish(ws, env.admin, 'automation', 'tick');
    const runner = env.runner();
    await runner.drain();
    expect((await env.store.records.list(ws, env.admin, 'log')).total).toBe(0);
    env.clock.advance(11 * 60_000);
    await runner.drain();
    expect((await env.store.records.list(ws, env.admin, 'log')).total).toBe(1);
    const pending = await env.rt.jobs.list(ws, { status: 'pending', kind: 'automation.schedule' });
    expect(pending).toHaveLength(1);
    expect(Date.parse(pending[0]?.runAt as string)).toBeGreaterThan(env.clock.now().getTime());
    await env.rt.definitions.setEnabled(ws, 'automation', 'tick', false);
    expect(await env.rt.jobs.list(ws, { status: 'pending', kind: 'automation.schedule' })).toEqual([]);
  });

  it("hands a departing member's open tasks over to the successor", async () => {
    const ws = await env.ws();
    const [leaving, successor] = [randomUUID(), randomUUID()];
    await publishFlow(env, ws, approvalFlow('hand', [leaving]));
    const rec = await order(ws);
    const inst = await env.rt.instances.start(ws, env.admin, { flow: 'hand', recordId: String(rec.id) });
    await env.rt.definitions.create(ws, person(leaving), 'automation', {
      key: 'theirs',
      entity: 'order',
      trigger: { type: 'created' },
      actions: [{ type: 'updateRecord', set: { note: { value: 'x' } } }],
    });
    const moved = await env.db.transaction((tx) =>
      env.rt.handoverHook(tx, { workspace: ws, from: leaving, to: successor, actor: null, at: new Date() }),
    );
    expect(moved).toEqual([
      { kind: 'workflowTasks', count: 1 },
      { kind: 'automations', count: 1 },
    ]);
    expect((await env.rt.definitions.get(ws, 'automation', 'theirs')).owner).toBe(successor);
    const after = await env.rt.instances.get(ws, env.admin, inst.id);
    expect(after.tasks.map((t) => [t.assignee, t.status])).toEqual([
      [leaving, 'transferred'],
      [successor, 'open'],
    ]);
    const open = after.tasks.find((t) => t.status === 'open')?.id as string;
    expect((await env.rt.instances.act(ws, person(successor), open, { type: 'approve' })).status).toBe(
      'approved',
    );
  });

  it('escalates a stage SLA from the job runner, unless the record left the stage', async () => {
    const ws = await env.ws();
    await env.rt.definitions.create(ws, env.admin, 'blueprint', {
      key: 'sla',
      entity: 'order',
      field: 'stage',
      stages: [
        { key: 'new' },
        { key: 'won', sla: { after: { hours: 1 }, escalate: { set: { note: { value: 'late' } } } } },
        { key: 'lost', final: true },
      ],
      transitions: [
        { key: 'win', from: 'new', to: 'won' },
        { key: 'lose', from: '*', to: 'lost' },
      ],
    });
    await env.rt.definitions.publish(ws, env.admin, 'blueprint', 'sla');
    const slow = await order(ws, { title: 'Slow', stage: 'new' });
    const quick = await order(ws, { title: 'Quick', stage: 'new' });
    for (const r of [slow, quick])
      await env.rt.blueprints.moveStage(ws, env.admin, {
        blueprint: 'sla',
        recordId: String(r.id),
        to: 'won',
      });
    await env.rt.blueprints.moveStage(ws, env.admin, {
      blueprint: 'sla',
      recordId: String(quick.id),
      to: 'lost',
    });
    env.clock.advance(61 * 60_000);
    await env.runner().drain();
    expect((await env.store.records.get(ws, env.admin, 'order', String(slow.id))).note).toBe('late');
    expect((await env.store.records.get(ws, env.admin, 'order', String(quick.id))).note).toBeNull();
    const inbox = await env.rt.notifications.list(ws, env.admin);
    expect(inbox.items.filter((n) => n.kind === 'timeout')).toHaveLength(1);
  });

  it("puts a new record in the blueprint's initial stage, with its history, on-enter actions and SLA", async () => {
    const ws = await env.ws();
    await env.rt.definitions.create(ws, env.admin, 'blueprint', {
      key: 'intake',
      entity: 'order',
      field: 'stage',
      initial: 'new',
      stages: [
        {
          key: 'new',
          onEnter: [{ type: 'updateRecord', set: { note: { value: 'welcome' } } }],
          sla: { after: { hours: 2 }, escalate: { set: { note: { value: 'late' } } } },
        },
        { key: 'won', final: true },
      ],
      transitions: [{ key: 'win', from: 'new', to: 'won' }],
    });
    await env.rt.definitions.publish(ws, env.admin, 'blueprint', 'intake');
    // Through the API or a form a new record cannot start past the initial stage...
    const e = await refusal(order(ws, { title: 'Skip', stage: 'won' }));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.issues[0]).toMatchObject({ field: 'stage', code: 'stageMove', params: { initial: 'new' } });
    expect((await env.store.records.list(ws, env.admin, 'order', {})).items).toHaveLength(0);
    // ...it starts in it, whether the stage is left out or named; an import may bring any stage in.
    const fresh = await order(ws, { title: 'Fresh' });
    const named = await order(ws, { title: 'Named', stage: 'new' });
    const imported = await env.store.records.create(
      ws,
      env.admin,
      'order',
      { title: 'Old', stage: 'won' },
      { source: 'import' },
    );
    expect([fresh.stage, named.stage, imported.stage]).toEqual(['new', 'new', 'won']);
    await env.runner().drain();
    expect((await env.store.records.get(ws, env.admin, 'order', String(fresh.id))).note).toBe('welcome');
    const h = await env.rt.blueprints.stageHistory(ws, env.admin, 'intake', String(fresh.id));
    expect(h.entries).toMatchObject([{ from: null, stage: 'new', transition: null }]);
    // The initial stage's SLA runs from the creation.
    await env.rt.blueprints.moveStage(ws, env.admin, {
      blueprint: 'intake',
      recordId: String(named.id),
      to: 'won',
    });
    env.clock.advance(2 * 60 * 60_000 + 1000);
    await env.runner().drain();
    expect((await env.store.records.get(ws, env.admin, 'order', String(fresh.id))).note).toBe('late');
    expect((await env.store.records.get(ws, env.admin, 'order', String(named.id))).note).toBe('welcome');
    const moved = await env.rt.blueprints.stageHistory(ws, env.admin, 'intake', String(named.id));
    expect(moved.entries.map((x) => x.stage)).toEqual(['new', 'won']);
  });

  it("starts a flow from an automation on behalf of the record's creator", async () => {
    const ws = await env.ws();
    const approver = randomUUID();
    await publishFlow(env, ws, approvalFlow('auto', [approver]));
    await env.rt.definitions.create(ws, env.admin, 'automation', {
      key: 'startIt',
      entity: 'order',
      trigger: { type: 'created' },
      actions: [{ type: 'startFlow', flow: 'auto' }],
    });
    await env.rt.definitions.publish(ws, env.admin, 'automation', 'startIt');
    const rec = await order(ws, { title: 'Auto' });
    await env.runner().drain();
    const list = await env.rt.instances.ofRecord(ws, env.admin, 'order', String(rec.id));
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ flow: 'auto', status: 'active', submitter: env.admin.userId });
    const todo = await env.rt.tasks.list(ws, person(approver), { view: 'todo' });
    expect(todo.items.map((t) => t.recordId)).toEqual([rec.id]);
  });

  it('dry-runs an automation against a chosen record without writing', async () => {
    const ws = await env.ws();
    await env.rt.definitions.create(ws, env.admin, 'automation', {
      key: 'bump',
      entity: 'order',
      trigger: { type: 'fieldChanged', field: 'amount' },
      actions: [{ type: 'updateRecord', set: { note: { field: 'title' } } }],
    });
    const rec = await order(ws, { title: 'X', amount: 5 });
    const dry = await env.rt.automations.dryRun(ws, env.admin, 'bump', {
      recordId: String(rec.id),
      before: { amount: 1 },
    });
    expect(dry.matched).toBe(true);
    expect(dry.dryRun).toBe(true);
    expect(dry.effects[0]).toMatchObject({ type: 'updateRecord', changes: { note: 'X' } });
    expect((await env.store.records.get(ws, env.admin, 'order', String(rec.id))).note).toBeNull();
  });

  it('refuses a stage move naming the rule and the missing fields', async () => {
    const ws = await env.ws();
    await env.rt.definitions.create(ws, env.admin, 'blueprint', {
      key: 'pipe',
      entity: 'order',
      field: 'stage',
      stages: [{ key: 'new' }, { key: 'won', final: true }, { key: 'lost', final: true }],
      transitions: [
        { key: 'win', from: 'new', to: 'won' },
        { key: 'lose', from: 'new', to: 'lost', requiredFields: ['lostReason'] },
      ],
    });
    await env.rt.definitions.publish(ws, env.admin, 'blueprint', 'pipe');
    const rec = await order(ws, { title: 'Deal', stage: 'new' });
    const e = await refusal(
      env.rt.blueprints.moveStage(ws, env.admin, { blueprint: 'pipe', recordId: String(rec.id), to: 'lost' }),
    );
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.details).toMatchObject({ rule: 'lose', missingFields: ['lostReason'] });
    expect(e.issues[0]).toMatchObject({ field: 'lostReason', code: 'required' });
    expect((await env.store.records.get(ws, env.admin, 'order', String(rec.id))).stage).toBe('new');
    const moved = await env.rt.blueprints.moveStage(ws, env.admin, {
      blueprint: 'pipe',
      recordId: String(rec.id),
      to: 'lost',
      fields: { lostReason: 'price' },
    });
    expect(moved.record).toMatchObject({ stage: 'lost', lostReason: 'price' });
    const h = await env.rt.blueprints.stageHistory(ws, env.admin, 'pipe', String(rec.id));
    expect(h.entries).toMatchObject([{ from: 'new', stage: 'lost', transition: 'lose' }]);
  });

  it('keeps a failing job with its error after the last retry, visible in the job list', async () => {
    const ws = await env.ws();
    await env.db.query(
      `INSERT INTO formwork.jobs (workspace, kind, payload, max_attempts) VALUES ($1, 'flow.event', $2::jsonb, 2)`,
      [ws, { instanceId: randomUUID(), event: { type: 'urge', actor: randomUUID() } }],
    );
    const runner = env.runner();
    await runner.drain();
    env.clock.advance(60_000);
    await runner.drain();
    const failed = await env.rt.jobs.list(ws, { status: 'failed' });
    expect(failed).toHaveLength(1);
    expect(failed[0]?.attempts).toBe(2);
    expect(failed[0]?.lastError).toMatch(/NOT_FOUND/);
    const retried = await env.rt.jobs.retry(ws, failed[0]?.id as number);
    expect(retried?.status).toBe('pending');
  });
});

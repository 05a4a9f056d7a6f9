import { describe, expect, it } from 'vitest';
import { activeNodes, fieldAccessAt, RECORD_NOT_LOADED, RecordNotLoaded } from './step.js';
import { compile, edge, flow, node, Run, simpleFlow } from './test-fixtures.js';

const HOUR = 3_600_000;

describe('approval modes', () => {
  it('or-sign: the first approval passes the node and cancels the other tasks', () => {
    const run = new Run(
      compile(simpleFlow({ assignees: [{ type: 'member', members: ['a1', 'a2'] }], mode: 'or' })),
    );
    expect(run.open().map((t) => t.assignee)).toEqual(['a1', 'a2']);
    const effects = run.approve('a2');
    expect(run.effectsOf('closeTask', effects).map((e) => e.status)).toEqual(['approved', 'cancelled']);
    expect(run.ended()?.outcome).toBe('approved');
  });

  it('countersign: passes only when all approve', () => {
    const run = new Run(
      compile(simpleFlow({ assignees: [{ type: 'member', members: ['a1', 'a2', 'a3'] }], mode: 'and' })),
    );
    run.approve('a1');
    run.approve('a3');
    expect(run.ended()).toBeUndefined();
    expect(run.open().map((t) => t.assignee)).toEqual(['a2']);
    run.approve('a2');
    expect(run.ended()?.outcome).toBe('approved');
  });

  it('countersign with a rejection ends rejected and closes the other tasks', () => {
    const run = new Run(
      compile(simpleFlow({ assignees: [{ type: 'member', members: ['a1', 'a2', 'a3'] }], mode: 'and' })),
    );
    run.approve('a1');
    run.reject('a2');
    expect(run.ended()?.outcome).toBe('rejected');
    expect(run.open()).toEqual([]);
    expect(Object.values(run.snapshot.context.tasks).map((t) => [t.assignee, t.status])).toEqual([
      ['a1', 'approved'],
      ['a2', 'rejected'],
      ['a3', 'cancelled'],
    ]);
  });

  it('sequential: one signer at a time, in order', () => {
    const run = new Run(
      compile(simpleFlow({ assignees: [{ type: 'member', members: ['a1', 'a2'] }], mode: 'sequential' })),
    );
    expect(run.open().map((t) => t.assignee)).toEqual(['a1']);
    run.approve('a1');
    expect(run.open().map((t) => t.assignee)).toEqual(['a2']);
    run.approve('a2');
    expect(run.ended()?.outcome).toBe('approved');
  });

  it('threshold: passes at 60% of five', () => {
    const run = new Run(
      compile(
        simpleFlow({
          assignees: [{ type: 'member', members: ['a1', 'a2', 'a3', 'a4', 'a5'] }],
          mode: 'threshold',
          threshold: 0.6,
        }),
      ),
    );
    run.approve('a1');
    run.reject('a2');
    run.approve('a3');
    expect(run.ended()).toBeUndefined();
    run.approve('a4');
    expect(run.ended()?.outcome).toBe('approved');
    expect(run.open()).toEqual([]);
  });

  it('threshold: rejects as soon as the threshold can no longer be reached', () => {
    const run = new Run(
      compile(
        simpleFlow({
          assignees: [{ type: 'member', members: ['a1', 'a2', 'a3', 'a4', 'a5'] }],
          mode: 'threshold',
          threshold: 0.6,
        }),
      ),
    );
    run.reject('a1');
    run.reject('a2');
    expect(run.ended()).toBeUndefined();
    run.reject('a3');
    expect(run.ended()?.outcome).toBe('rejected');
  });
});

describe('approval actions', () => {
  it('transfer hands the task to another member', () => {
    const run = new Run(compile(simpleFlow()));
    const taskId = run.taskOf('a1');
    run.ok({ type: 'transfer', taskId, actor: 'a1', to: 'a2', comment: 'on leave' });
    expect(run.snapshot.context.tasks[taskId]?.status).toBe('transferred');
    const t = run.open()[0];
    expect(t).toMatchObject({ assignee: 'a2', origin: 'transfer', from: 'a1' });
    run.approve('a2');
    expect(run.ended()?.outcome).toBe('approved');
  });

  it("an administrator reassigns a leaving member's task without counting as an action", () => {
    const run = new Run(compile(simpleFlow()));
    const taskId = run.taskOf('a1');
    const same = run.send({ type: 'reassign', taskId, actor: 'admin', to: 'a1' });
    expect(same.ok === false && same.refusal.code).toBe('alreadySigner');
    run.ok({ type: 'reassign', taskId, actor: 'admin', to: 'a2' });
    expect(run.open()[0]).toMatchObject({ assignee: 'a2', from: 'a1' });
    expect(run.effectsOf('history')[0]).toMatchObject({ action: 'reassign', actor: 'admin', to: ['a2'] });
    // The submitter can still withdraw: no one has acted on the request.
    run.ok({ type: 'withdraw', actor: 'sub' });
    expect(run.ended()?.outcome).toBe('cancelled');
  });

  it('add signer before: the added member signs first, then the original signer again', () => {
    const run = new Run(compile(simpleFlow()));
    run.ok({
      type: 'addSigner',
      taskId: run.taskOf('a1'),
      actor: 'a1',
      members: ['fin1'],
      position: 'before',
    });
    expect(run.open().map((t) => t.assignee)).toEqual(['fin1']);
    run.approve('fin1');
    expect(run.open().map((t) => t.assignee)).toEqual(['a1']);
    run.approve('a1');
    expect(run.ended()?.outcome).toBe('approved');
  });

  it('add signer after: the signer approves and the node waits for the added member', () => {
    const run = new Run(compile(simpleFlow()));
    run.ok({
      type: 'addSigner',
      taskId: run.taskOf('a1'),
      actor: 'a1',
      members: ['boss'],
      position: 'after',
    });
    expect(run.ended()).toBeUndefined();
    expect(run.open().map((t) => t.assignee)).toEqual(['boss']);
    run.approve('boss');
    expect(run.ended()?.outcome).toBe('approved');
  });

  it('reject back to the submitter opens a resubmit task; resubmitting runs the flow again', () => {
    const run = new Run(compile(simpleFlow({ rejectTo: ['submitter', 'end'] })));
    run.reject('a1', 'submitter');
    expect(run.open().map((t) => [t.assignee, t.kind])).toEqual([['sub', 'resubmit']]);
    run.ok({ type: 'submit', taskId: run.taskOf('sub'), actor: 'sub', fields: { title: 'Order 1 (fixed)' } });
    expect(run.effectsOf('updateRecord')[0]?.changes).toEqual({ title: 'Order 1 (fixed)' });
    expect(run.open().map((t) => t.assignee)).toEqual(['a1']);
    run.approve('a1');
    expect(run.ended()?.outcome).toBe('approved');
  });

  it('reject back to a chosen earlier node re-opens that node', () => {
    const def = flow(
      [
        node('start', 'start', {}),
        node('n1', 'approval', { assignees: [{ type: 'member', members: ['a1'] }] }),
        node('n2', 'approval', {
          assignees: [{ type: 'member', members: ['a2'] }],
          rejectTo: ['end', 'node'],
        }),
        node('end', 'end', { outcome: 'approved' }),
      ],
      [edge('start', 'n1'), edge('n1', 'n2'), edge('n2', 'end')],
    );
    const run = new Run(compile(def));
    run.approve('a1');
    run.reject('a2', 'n1');
    expect(activeNodes(run.compiled, run.snapshot)).toEqual(['n1']);
    expect(run.open().map((t) => [t.assignee, t.round])).toEqual([['a1', 2]]);
    run.approve('a1');
    run.approve('a2');
    expect(run.ended()?.outcome).toBe('approved');
  });

  it('a rejected edge routes the rejection through other nodes', () => {
    const def = flow(
      [
        node('start', 'start', {}),
        node('a', 'approval', { assignees: [{ type: 'member', members: ['a1'] }] }),
        node('note', 'action', {
          actions: [{ type: 'updateRecord', set: { status: { value: 'rejected' } } }],
        }),
        node('ok', 'end', { outcome: 'approved' }),
        node('no', 'end', { outcome: 'rejected' }),
      ],
      [
        edge('start', 'a'),
        edge('a', 'ok'),
        edge('a', 'note', { sourceHandle: 'rejected' }),
        edge('note', 'no'),
      ],
    );
    const run = new Run(compile(def));
    run.reject('a1');
    expect(run.record.status).toBe('rejected');
    expect(run.ended()).toMatchObject({ outcome: 'rejected', nodeId: 'no' });
  });

  it('withdraw by the submitter while no one has acted cancels the instance', () => {
    const run = new Run(compile(simpleFlow()));
    const r = run.send({ type: 'withdraw', actor: 'a1' });
    expect(r.ok === false && r.refusal.code).toBe('notSubmitter');
    run.ok({ type: 'withdraw', actor: 'sub', comment: 'typo' });
    expect(run.ended()?.outcome).toBe('cancelled');
    expect(run.effectsOf('closeTask').map((e) => e.status)).toEqual(['cancelled']);
  });

  it('withdraw is refused once someone acted', () => {
    const run = new Run(
      compile(simpleFlow({ assignees: [{ type: 'member', members: ['a1', 'a2'] }], mode: 'and' })),
    );
    run.approve('a1');
    const r = run.send({ type: 'withdraw', actor: 'sub' });
    expect(r.ok === false && r.refusal.code).toBe('alreadyActed');
  });

  it('urge notifies the open tasks; comment adds a history line', () => {
    const run = new Run(compile(simpleFlow()));
    const effects = run.ok({ type: 'urge', actor: 'sub' });
    expect(run.effectsOf('notify', effects)).toMatchObject([{ to: ['a1'], kind: 'urge' }]);
    const c = run.ok({ type: 'comment', actor: 'a1', comment: 'looking' });
    expect(run.effectsOf('history', c)).toMatchObject([
      { action: 'comment', actor: 'a1', comment: 'looking' },
    ]);
    const r = run.send({ type: 'comment', actor: 'x', comment: 'hi' });
    expect(r.ok === false && r.refusal.code).toBe('notParticipant');
  });
});

describe('refusals', () => {
  it('refuses a closed task, a wrong actor, a missing comment, an uneditable field, a bad reject target', () => {
    const run = new Run(
      compile(
        simpleFlow({
          assignees: [{ type: 'member', members: ['a1', 'a2'] }],
          mode: 'and',
          fields: { note: 'editable' },
        }),
      ),
    );
    const t1 = run.taskOf('a1');
    const codes = [
      run.send({ type: 'approve', taskId: t1, actor: 'a2' }),
      run.send({ type: 'reject', taskId: t1, actor: 'a1' }),
      run.send({ type: 'approve', taskId: t1, actor: 'a1', fields: { amount: 1 } }),
      run.send({ type: 'reject', taskId: t1, actor: 'a1', comment: 'x', to: 'submitter' }),
      run.send({ type: 'approve', taskId: 'nope', actor: 'a1' }),
      run.send({ type: 'transfer', taskId: t1, actor: 'a1', to: 'a2' }),
      run.send({ type: 'transfer', taskId: t1, actor: 'a1', to: 'ghost' }),
      run.send({ type: 'submit', taskId: t1, actor: 'a1' }),
      run.send({ type: 'timer', key: 'nope' }),
      run.send({ type: 'approve', actor: 'a1' } as never),
    ].map((r) => (r.ok ? 'ok' : r.refusal.code));
    expect(codes).toEqual([
      'notAssignee',
      'commentRequired',
      'fieldNotEditable',
      'invalidRejectTarget',
      'unknownTask',
      'alreadySigner',
      'unknownMember',
      'wrongTaskKind',
      'staleTimer',
      'invalidEvent',
    ]);
    run.ok({ type: 'approve', taskId: t1, actor: 'a1', fields: { note: 'fine' } });
    const again = run.send({ type: 'approve', taskId: t1, actor: 'a1' });
    expect(again.ok === false && again.refusal).toMatchObject({
      code: 'taskClosed',
      message: { 'zh-CN': '该待办已处理' },
    });
  });

  it('refuses everything after the end', () => {
    const run = new Run(compile(simpleFlow()));
    run.approve('a1');
    const r = run.send({ type: 'urge', actor: 'sub' });
    expect(r.ok === false && r.refusal.code).toBe('instanceEnded');
  });
});

describe('deadlines and timers', () => {
  const deadline = (onTimeout: object) =>
    compile(
      simpleFlow({
        assignees: [{ type: 'member', members: ['a1'] }],
        deadline: {
          after: { hours: 24 },
          reminders: { first: { hours: 4 }, every: { hours: 4 }, max: 2 },
          onTimeout,
        } as never,
      }),
    );

  it('schedules the deadline and repeatable reminders, and ignores stale timers', () => {
    const run = new Run(deadline({ action: 'approve' }));
    expect(run.open()[0]?.dueAt).toBe('2026-03-03T01:00:00.000Z');
    const timers = run.effectsOf('scheduleTimer', run.all);
    expect(timers.map((t) => [t.purpose, t.at])).toEqual([
      ['deadline', '2026-03-03T01:00:00.000Z'],
      ['reminder', '2026-03-02T05:00:00.000Z'],
    ]);
    run.advance(4 * HOUR);
    const e1 = run.ok({ type: 'timer', key: timers[1]?.key as string });
    expect(run.effectsOf('notify', e1)).toMatchObject([{ kind: 'reminder', to: ['a1'] }]);
    const next = run.effectsOf('scheduleTimer', e1);
    expect(next.map((t) => t.at)).toEqual(['2026-03-02T09:00:00.000Z']);
    const e2 = run.ok({ type: 'timer', key: next[0]?.key as string });
    expect(run.effectsOf('scheduleTimer', e2)).toEqual([]);
    const stale = run.send({ type: 'timer', key: timers[1]?.key as string });
    expect(stale.ok === false && stale.refusal.code).toBe('staleTimer');
  });

  it('timeout approve passes the node', () => {
    const run = new Run(deadline({ action: 'approve' }));
    const key = run.effectsOf('scheduleTimer', run.all)[0]?.key as string;
    run.ok({ type: 'timer', key });
    expect(run.ended()?.outcome).toBe('approved');
    expect(run.effectsOf('cancelTimer').length).toBeGreaterThan(0);
  });

  it('a deadline without a timeout action notifies the assignees and the submitter', () => {
    const run = new Run(deadline({ action: 'notify' }));
    const effects = run.ok({ type: 'timer', key: run.effectsOf('scheduleTimer', run.all)[0]?.key as string });
    expect(run.effectsOf('notify', effects)).toMatchObject([{ kind: 'timeout', to: ['a1', 'sub'] }]);
    expect(run.open().map((t) => t.assignee)).toEqual(['a1']);
  });

  it('timeout reject ends rejected', () => {
    const run = new Run(deadline({ action: 'reject' }));
    run.ok({ type: 'timer', key: run.effectsOf('scheduleTimer', run.all)[0]?.key as string });
    expect(run.ended()?.outcome).toBe('rejected');
  });

  it('timeout escalate moves the task to the escalation target', () => {
    const run = new Run(deadline({ action: 'escalate', to: [{ type: 'departmentHead', levels: 2 }] }));
    run.ok({ type: 'timer', key: run.effectsOf('scheduleTimer', run.all)[0]?.key as string });
    expect(run.open().map((t) => [t.assignee, t.origin])).toEqual([['mgr', 'escalation']]);
    expect(run.effectsOf('closeTask').map((e) => e.status)).toEqual(['escalated']);
    run.approve('mgr');
    expect(run.ended()?.outcome).toBe('approved');
  });
});

describe('node kinds', () => {
  it('condition branches on record values, with the default branch otherwise', () => {
    const def = flow(
      [
        node('start', 'start', {}),
        node('c', 'condition', {}),
        node('big', 'approval', { assignees: [{ type: 'role', roles: ['boss'] }] }),
        node('small', 'approval', { assignees: [{ type: 'departmentHead' }] }),
        node('end', 'end', { outcome: 'approved' }),
      ],
      [
        edge('start', 'c'),
        edge('c', 'big', { data: { condition: { filter: { field: 'amount', op: 'gte', value: 10000 } } } }),
        edge('c', 'small', { data: { default: true } }),
        edge('big', 'end'),
        edge('small', 'end'),
      ],
    );
    const c = compile(def);
    expect(new Run(c, { title: 'x', amount: 50000 }).open().map((t) => t.assignee)).toEqual(['boss']);
    expect(new Run(c, { title: 'x', amount: 500 }).open().map((t) => t.assignee)).toEqual(['lead']);
  });

  it('condition on the submitter and on a formula', () => {
    const def = flow(
      [
        node('start', 'start', {}),
        node('c', 'condition', {}),
        node('x', 'approval', { assignees: [{ type: 'member', members: ['a1'] }] }),
        node('y', 'approval', { assignees: [{ type: 'member', members: ['a2'] }] }),
        node('z', 'approval', { assignees: [{ type: 'member', members: ['a3'] }] }),
        node('end', 'end', { outcome: 'approved' }),
      ],
      [
        edge('start', 'c'),
        edge('c', 'x', { data: { condition: { submitter: { departments: ['sales'] } }, priority: 2 } }),
        edge('c', 'y', { data: { condition: { formula: 'amount * discount > 100' }, priority: 1 } }),
        edge('c', 'z', { data: { default: true } }),
        edge('x', 'end'),
        edge('y', 'end'),
        edge('z', 'end'),
      ],
    );
    const c = compile(def);
    expect(new Run(c, { title: 't', amount: 1000, discount: 0.5 }).open()[0]?.assignee).toBe('a2');
    expect(new Run(c, { title: 't', amount: 10, discount: 0.5 }).open()[0]?.assignee).toBe('a1');
    expect(new Run(c, { title: 't', amount: 10 }, 'boss').open()[0]?.assignee).toBe('a3');
  });

  it('parallel split and join: the join waits for every branch', () => {
    const def = flow(
      [
        node('start', 'start', {}),
        node('s', 'parallelSplit', {}),
        node('p1', 'approval', { assignees: [{ type: 'member', members: ['a1'] }] }),
        node('p2', 'fillIn', {
          assignees: [{ type: 'member', members: ['a2'] }],
          fields: { note: 'editable' },
          defaultAccess: 'readOnly',
        }),
        node('j', 'parallelJoin', {}),
        node('final', 'approval', { assignees: [{ type: 'member', members: ['boss'] }] }),
        node('end', 'end', { outcome: 'approved' }),
      ],
      [
        edge('start', 's'),
        edge('s', 'p1'),
        edge('s', 'p2'),
        edge('p1', 'j'),
        edge('p2', 'j'),
        edge('j', 'final'),
        edge('final', 'end'),
      ],
    );
    const run = new Run(compile(def));
    expect(activeNodes(run.compiled, run.snapshot).sort()).toEqual(['p1', 'p2']);
    const access = fieldAccessAt(run.compiled, run.snapshot, 'p2');
    expect(access).toMatchObject({ active: true, fields: { note: 'editable', amount: 'readOnly' } });
    run.approve('a1');
    expect(run.open().map((t) => t.assignee)).toEqual(['a2']);
    const denied = run.send({ type: 'submit', taskId: run.taskOf('a2'), actor: 'a2', fields: { amount: 5 } });
    expect(denied.ok === false && denied.refusal.code).toBe('fieldNotEditable');
    run.ok({ type: 'submit', taskId: run.taskOf('a2'), actor: 'a2', fields: { note: 'done' } });
    expect(run.open().map((t) => t.assignee)).toEqual(['boss']);
    expect(fieldAccessAt(run.compiled, run.snapshot, 'p2').fields.note).toBe('readOnly');
    run.approve('boss');
    expect(run.ended()?.outcome).toBe('approved');
  });

  it('nested splits and an empty branch', () => {
    const def = flow(
      [
        node('start', 'start', {}),
        node('s', 'parallelSplit', {}),
        node('s2', 'parallelSplit', {}),
        node('x', 'approval', { assignees: [{ type: 'member', members: ['a1'] }] }),
        node('y', 'approval', { assignees: [{ type: 'member', members: ['a2'] }] }),
        node('j2', 'parallelJoin', {}),
        node('z', 'approval', { assignees: [{ type: 'member', members: ['a3'] }] }),
        node('j', 'parallelJoin', {}),
        node('end', 'end', { outcome: 'approved' }),
      ],
      [
        edge('start', 's'),
        edge('s', 's2'),
        edge('s', 'z'),
        edge('s', 'j'),
        edge('s2', 'x'),
        edge('s2', 'y'),
        edge('x', 'j2'),
        edge('y', 'j2'),
        edge('j2', 'j'),
        edge('z', 'j'),
        edge('j', 'end'),
      ],
    );
    const run = new Run(compile(def));
    expect(activeNodes(run.compiled, run.snapshot).sort()).toEqual(['x', 'y', 'z']);
    run.approve('a3');
    run.approve('a1');
    expect(run.ended()).toBeUndefined();
    run.approve('a2');
    expect(run.ended()?.outcome).toBe('approved');
  });

  it('a rejection inside a parallel branch ends the instance and closes the other branch', () => {
    const def = flow(
      [
        node('start', 'start', {}),
        node('s', 'parallelSplit', {}),
        node('p1', 'approval', { assignees: [{ type: 'member', members: ['a1'] }] }),
        node('p2', 'approval', { assignees: [{ type: 'member', members: ['a2'] }] }),
        node('j', 'parallelJoin', {}),
        node('end', 'end', { outcome: 'approved' }),
      ],
      [
        edge('start', 's'),
        edge('s', 'p1'),
        edge('s', 'p2'),
        edge('p1', 'j'),
        edge('p2', 'j'),
        edge('j', 'end'),
      ],
    );
    const run = new Run(compile(def));
    run.reject('a2');
    expect(run.ended()?.outcome).toBe('rejected');
    expect(run.open()).toEqual([]);
  });

  it('cc, action, wait (duration and date field), sub-flow and end outcomes', () => {
    const def = flow(
      [
        node('start', 'start', {}),
        node('cc', 'cc', { to: [{ type: 'role', roles: ['finance'] }] }),
        node('act', 'action', {
          actions: [
            { type: 'updateRecord', set: { status: { value: 'waiting' }, note: { formula: 'title & "!"' } } },
            { type: 'notify', to: [{ type: 'submitter' }], title: '{{title}} is waiting' },
            { type: 'webhook', url: 'https://example.com/hook' },
          ],
        }),
        node('w1', 'wait', { duration: { hours: 2 } }),
        node('w2', 'wait', { untilField: 'dueDate', offset: { days: 1 }, direction: 'before' }),
        node('sf', 'subFlow', { flow: 'child' }),
        node('end', 'end', { outcome: 'cancelled' }),
      ],
      [
        edge('start', 'cc'),
        edge('cc', 'act'),
        edge('act', 'w1'),
        edge('w1', 'w2'),
        edge('w2', 'sf'),
        edge('sf', 'end'),
      ],
    );
    const run = new Run(compile(def), { title: 'Order 9', dueDate: '2026-03-10' });
    expect(run.effectsOf('cc', run.all)).toMatchObject([{ to: ['fin1', 'fin2'], nodeId: 'cc' }]);
    expect(run.record).toMatchObject({ status: 'waiting', note: 'Order 9!' });
    expect(run.effectsOf('notify', run.all).find((n) => n.kind === 'custom')?.title.en).toBe(
      'Order 9 is waiting',
    );
    expect(run.effectsOf('callWebhook', run.all)[0]).toMatchObject({
      url: 'https://example.com/hook',
      method: 'POST',
    });
    const w1 = run.effectsOf('scheduleTimer', run.all)[0];
    expect(w1).toMatchObject({ purpose: 'wait', at: '2026-03-02T03:00:00.000Z' });
    const e = run.ok({ type: 'timer', key: w1?.key as string });
    // 2026-03-10 00:00 Asia/Shanghai minus one day = 2026-03-08T16:00Z
    expect(run.effectsOf('scheduleTimer', e)[0]?.at).toBe('2026-03-08T16:00:00.000Z');
    const sub = run.effectsOf(
      'startSubFlow',
      run.ok({ type: 'timer', key: run.effectsOf('scheduleTimer', e)[0]?.key as string }),
    )[0];
    expect(sub).toMatchObject({ flow: 'child', wait: true });
    const stale = run.send({ type: 'subFlowEnded', key: 'other', outcome: 'approved' });
    expect(stale.ok).toBe(false);
    run.ok({ type: 'subFlowEnded', key: sub?.key as string, outcome: 'approved' });
    expect(run.ended()).toMatchObject({ outcome: 'cancelled', nodeId: 'end' });
  });

  it('a sub-flow that is rejected rejects the parent', () => {
    const def = flow(
      [
        node('start', 'start', {}),
        node('sf', 'subFlow', { flow: 'child' }),
        node('end', 'end', { outcome: 'approved' }),
      ],
      [edge('start', 'sf'), edge('sf', 'end')],
    );
    const run = new Run(compile(def));
    const key = run.effectsOf('startSubFlow', run.all)[0]?.key as string;
    run.ok({ type: 'subFlowEnded', key, outcome: 'rejected' });
    expect(run.ended()?.outcome).toBe('rejected');
  });

  it('fill-in: the assignee edits the record and submits', () => {
    const def = flow(
      [
        node('start', 'start', {}),
        node('f', 'fillIn', {
          assignees: [{ type: 'field', field: 'approver' }],
          fields: { amount: 'hidden' },
        }),
        node('end', 'end', { outcome: 'approved' }),
      ],
      [edge('start', 'f'), edge('f', 'end')],
    );
    const run = new Run(compile(def), { title: 't', approver: 'a3' });
    const created = run.effectsOf('createTask', run.all)[0];
    expect(created).toMatchObject({
      task: { assignee: 'a3', kind: 'fillIn' },
      fieldAccess: { amount: 'hidden' },
      defaultAccess: 'editable',
    });
    run.ok({ type: 'submit', taskId: run.taskOf('a3'), actor: 'a3', fields: { note: 'x' } });
    expect(run.ended()?.outcome).toBe('approved');
  });

  it('assignees that resolve to no one are auto-approved or reassigned', () => {
    const empty = new Run(
      compile(
        simpleFlow({
          assignees: [{ type: 'field', field: 'approver' }],
          emptyAssignee: { action: 'autoApprove' },
        }),
      ),
    );
    expect(empty.ended()?.outcome).toBe('approved');
    expect(empty.effectsOf('history', empty.all).some((h) => h.action === 'autoApprove')).toBe(true);
    const assigned = new Run(
      compile(
        simpleFlow({
          assignees: [{ type: 'field', field: 'approver' }],
          emptyAssignee: { action: 'assign', to: [{ type: 'role', roles: ['boss'] }] },
        }),
      ),
    );
    expect(assigned.open().map((t) => t.assignee)).toEqual(['boss']);
  });

  it('a loop that never waits is stopped instead of hanging', () => {
    const def = flow(
      [
        node('start', 'start', {}),
        node('c', 'condition', {}),
        node('fix', 'approval', {
          assignees: [{ type: 'field', field: 'approver' }],
          emptyAssignee: { action: 'autoApprove' },
        }),
        node('end', 'end', { outcome: 'approved' }),
      ],
      [
        edge('start', 'c'),
        edge('c', 'fix', { data: { condition: { filter: { field: 'amount', op: 'gt', value: 1 } } } }),
        edge('c', 'end', { data: { default: true } }),
        edge('fix', 'c'),
      ],
    );
    const c = compile(def);
    expect(() => new Run(c, { title: 'x', amount: 5 })).toThrowError(/VALIDATION_FAILED/);
    // With an approver the same flow waits on each pass.
    const run = new Run(c, { title: 'x', amount: 5, approver: 'a1' });
    run.approve('a1');
    expect(run.open().map((t) => [t.assignee, t.round])).toEqual([['a1', 2]]);
    // Clearing the approver makes the next approval loop: refused, nothing changes.
    run.record = { ...run.record, approver: null };
    const before = JSON.stringify(run.snapshot);
    const r = run.send({ type: 'approve', taskId: run.taskOf('a1'), actor: 'a1' });
    expect(r.ok === false && r.refusal.code).toBe('loopDetected');
    expect(JSON.stringify(run.snapshot)).toBe(before);
  });

  it('department head rules walk up the tree and skip the submitter', () => {
    const c = compile(simpleFlow({ assignees: [{ type: 'departmentHead', levels: 1 }] }));
    expect(new Run(c, {}, 'sub').open()[0]?.assignee).toBe('lead');
    expect(new Run(c, {}, 'lead').open()[0]?.assignee).toBe('mgr');
    const two = compile(simpleFlow({ assignees: [{ type: 'departmentHead', levels: 3 }] }));
    expect(new Run(two, {}, 'sub').open()[0]?.assignee).toBe('boss');
  });
});

describe('stepping before the record is read', () => {
  it('an approval among countersigners and a comment step without it; reaching a condition needs it', () => {
    const def = flow(
      [
        node('start', 'start', {}),
        node('a', 'approval', { assignees: [{ type: 'member', members: ['a1', 'a2'] }], mode: 'and' }),
        node('c', 'condition', {}),
        node('big', 'approval', { assignees: [{ type: 'member', members: ['boss'] }] }),
        node('end', 'end', { outcome: 'approved' }),
      ],
      [
        edge('start', 'a'),
        edge('a', 'c'),
        edge('c', 'big', { data: { condition: { filter: { field: 'amount', op: 'gte', value: 10000 } } } }),
        edge('c', 'end', { data: { default: true } }),
        edge('big', 'end'),
      ],
    );
    const run = new Run(compile(def), { title: 'x', amount: 50000 });
    run.approve('a1');
    run.ok({ type: 'comment', actor: 'a2', comment: 'looking' });
    expect([run.deferredHits, run.deferredMisses]).toEqual([2, 0]);
    // The last countersigner passes the node: the condition reads `amount`.
    run.approve('a2');
    expect([run.deferredHits, run.deferredMisses]).toEqual([2, 1]);
    expect(run.open().map((t) => t.assignee)).toEqual(['boss']);
  });

  it('any use of the stand-in throws RecordNotLoaded', () => {
    expect(() => RECORD_NOT_LOADED.amount).toThrow(RecordNotLoaded);
    expect(() => ({ ...RECORD_NOT_LOADED })).toThrow(RecordNotLoaded);
    expect(() => 'amount' in RECORD_NOT_LOADED).toThrow(RecordNotLoaded);
    expect(() => Object.keys(RECORD_NOT_LOADED)).toThrow(RecordNotLoaded);
  });
});

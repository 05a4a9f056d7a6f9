import type { EntityDefinition } from '@formwork/metadata';
import { describe, expect, it } from 'vitest';
import type { HistoryEntry, Instance, Task } from './flow-api.js';
import {
  badgeText,
  changedFields,
  commentRequired,
  dueState,
  type FlowInfo,
  instanceActions,
  nodeLabel,
  othersActedSinceSubmission,
  parseView,
  rejectOptions,
  taskActions,
  taskFieldAccess,
} from './inbox.js';

const ME = 'u-submitter';
const BOSS = 'u-boss';

function task(p: Partial<Task> & Pick<Task, 'id' | 'nodeId'>): Task {
  return {
    instanceId: 'i1',
    kind: 'approval',
    assignee: BOSS,
    status: 'open',
    round: 1,
    createdAt: '2026-11-01T01:00:00.000Z',
    closedAt: null,
    ...p,
  };
}

function line(action: string, actor: string | null, i: number): HistoryEntry {
  return {
    id: i,
    action,
    nodeId: null,
    actor,
    taskId: null,
    comment: null,
    to: null,
    changes: null,
    detail: null,
    at: `2026-11-01T0${i}:00:00.000Z`,
  };
}

const flow: FlowInfo = {
  key: 'order.approval',
  name: { 'zh-CN': '订单审批', en: 'Order approval' },
  nodes: [
    { id: 'start', type: 'start', data: {} },
    { id: 'fill', type: 'fillIn', data: { label: { 'zh-CN': '补充资料', en: 'Details' } } },
    { id: 'copy', type: 'cc', data: {} },
    {
      id: 'mgr',
      type: 'approval',
      data: { label: '经理审批', rejectTo: ['submitter', 'node', 'end'], allowAddSigner: false },
    },
  ],
};
const mgr = flow.nodes[3];

describe('task inbox logic', () => {
  it('reads the tab from the address, to do by default', () => {
    expect(parseView('ccMe')).toBe('ccMe');
    expect(parseView('nonsense')).toBe('todo');
    expect(parseView(null)).toBe('todo');
  });

  it('shows a badge only for pending tasks and caps it at 99+', () => {
    expect(badgeText(0)).toBe('');
    expect(badgeText(7)).toBe('7');
    expect(badgeText(100)).toBe('99+');
  });

  it('offers the actions the node allows', () => {
    expect(taskActions({ kind: 'approval', status: 'open' }, mgr)).toEqual([
      'approve',
      'reject',
      'transfer',
      'comment',
    ]);
    expect(
      taskActions({ kind: 'approval', status: 'open' }, { id: 'x', type: 'approval', data: {} }),
    ).toEqual(['approve', 'reject', 'transfer', 'addSigner', 'comment']);
    expect(
      taskActions(
        { kind: 'fillIn', status: 'open' },
        { id: 'f', type: 'fillIn', data: { allowTransfer: false } },
      ),
    ).toEqual(['submit', 'comment']);
    expect(taskActions({ kind: 'resubmit', status: 'open' }, undefined)).toEqual(['submit', 'comment']);
    expect(taskActions({ kind: 'approval', status: 'approved' }, mgr)).toEqual([]);
  });

  it('asks for a comment when rejecting unless the node says otherwise', () => {
    expect(commentRequired('reject', mgr)).toBe(true);
    expect(commentRequired('reject', { id: 'x', type: 'approval', data: { commentOnReject: false } })).toBe(
      false,
    );
    expect(commentRequired('approve', mgr)).toBe(false);
    expect(commentRequired('approve', { id: 'x', type: 'approval', data: { commentOnApprove: true } })).toBe(
      true,
    );
    expect(commentRequired('comment', mgr)).toBe(true);
  });

  it('expands "an earlier node" into the approval and fill-in nodes this instance visited', () => {
    const instance = {
      tasks: [
        task({ id: 't3', nodeId: 'mgr', createdAt: '2026-11-01T03:00:00.000Z' }),
        task({
          id: 't1',
          nodeId: 'fill',
          kind: 'fillIn',
          status: 'submitted',
          createdAt: '2026-11-01T01:00:00.000Z',
        }),
        task({
          id: 't0',
          nodeId: 'start',
          kind: 'resubmit',
          status: 'submitted',
          createdAt: '2026-11-01T00:30:00.000Z',
        }),
        task({
          id: 't2',
          nodeId: 'fill',
          kind: 'fillIn',
          status: 'submitted',
          createdAt: '2026-11-01T02:00:00.000Z',
        }),
      ],
    };
    expect(rejectOptions(mgr, instance, flow)).toEqual([
      { value: 'submitter', kind: 'submitter' },
      { value: 'fill', kind: 'node', nodeId: 'fill' },
      { value: 'end', kind: 'end' },
    ]);
    // Without settings a rejection ends the flow.
    expect(rejectOptions(undefined, instance, flow)).toEqual([{ value: 'end', kind: 'end' }]);
  });

  it('lets the submitter withdraw until someone else acts, and urge while others have open tasks', () => {
    const open: Pick<Instance, 'status' | 'submitter' | 'tasks'> = {
      status: 'active',
      submitter: ME,
      tasks: [task({ id: 't1', nodeId: 'mgr' })],
    };
    const started = [line('start', ME, 1), line('enter', null, 2)];
    expect(instanceActions(open, ME, started)).toEqual(['withdraw', 'urge', 'comment']);
    const acted = [...started, line('transfer', BOSS, 3)];
    expect(othersActedSinceSubmission(acted, ME)).toBe(true);
    expect(instanceActions(open, ME, acted)).toEqual(['urge', 'comment']);
    // Resubmitting starts the count again.
    expect(othersActedSinceSubmission([...acted, line('resubmit', ME, 4)], ME)).toBe(false);
    // Returned to the submitter: withdrawing is allowed again, nothing to urge.
    const returned = {
      ...open,
      tasks: [task({ id: 't2', nodeId: 'start', kind: 'resubmit', assignee: ME })],
    };
    expect(instanceActions(returned, ME, [...acted, line('reject', BOSS, 5)])).toEqual([
      'withdraw',
      'comment',
    ]);
    // Someone else only comments; an ended instance takes nothing.
    expect(instanceActions(open, BOSS, started)).toEqual(['comment']);
    expect(instanceActions({ ...open, status: 'approved' }, ME, started)).toEqual([]);
  });

  it('combines the node’s field access with the viewer’s own, the stricter winning', () => {
    const entity: EntityDefinition = {
      key: 'order',
      fields: [
        { key: 'title', type: 'text' },
        { key: 'amount', type: 'amount' },
        { key: 'discount', type: 'percent' },
        { key: 'cost', type: 'amount' },
      ],
    };
    const r = taskFieldAccess(
      entity,
      { fields: { amount: 'editable', discount: 'editable', cost: 'hidden' }, defaultAccess: 'readOnly' },
      { discount: 'readOnly' },
    );
    expect(r.access).toEqual({ title: 'readOnly', amount: 'editable', discount: 'readOnly', cost: 'hidden' });
    expect(r.editable).toEqual(['amount']);
    // Without a task nothing is editable.
    expect(taskFieldAccess(entity, undefined).editable).toEqual([]);
  });

  it('sends only the editable fields that changed', () => {
    const before = { title: 'A', amount: 100, discount: 0.1, tags: ['x'] };
    const after = { title: 'B', amount: 120, discount: 0.1, tags: ['x'] };
    expect(changedFields(before, after, ['amount', 'discount', 'tags'])).toEqual({ amount: 120 });
    expect(changedFields(before, { ...after, amount: undefined }, ['amount'])).toEqual({ amount: null });
  });

  it('says when a task is overdue or due soon', () => {
    const now = new Date('2026-11-02T00:00:00.000Z');
    expect(dueState({ status: 'open', dueAt: '2026-11-01T23:00:00.000Z' }, now)).toBe('overdue');
    expect(dueState({ status: 'open', dueAt: '2026-11-02T12:00:00.000Z' }, now)).toBe('soon');
    expect(dueState({ status: 'open', dueAt: '2026-11-05T00:00:00.000Z' }, now)).toBeNull();
    expect(dueState({ status: 'approved', dueAt: '2026-11-01T00:00:00.000Z' }, now)).toBeNull();
  });

  it('names nodes by their label in the reader’s language, else by their kind', () => {
    expect(nodeLabel(flow, 'fill', 'en')).toBe('Details');
    expect(nodeLabel(flow, 'mgr', 'en')).toBe('经理审批');
    expect(nodeLabel(flow, 'start', 'zh-CN')).toBe('发起');
    expect(nodeLabel(flow, 'copy', 'en')).toBe('Carbon copy');
    expect(nodeLabel(flow, 'gone', 'zh-CN')).toBe('gone');
  });
});

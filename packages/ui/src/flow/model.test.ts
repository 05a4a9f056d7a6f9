import type { EntityDefinition } from '@formwork/metadata';
import { type FlowDefinition, orderApprovalFlow, parseFlowDefinition } from '@formwork/workflow';
import { describe, expect, it } from 'vitest';
import {
  canConnect,
  canRedo,
  canUndo,
  type FlowCommand,
  type FlowDesignerState,
  flowProblems,
  flowReducer,
  indexIssues,
  initialFlowState,
  isDirty,
  layoutFlow,
  NODE_HEIGHT,
  NODE_WIDTH,
  newFlow,
  outgoing,
  paletteItemOf,
  placeServerIssues,
  toDefinition,
} from './model.js';

const order: EntityDefinition = {
  key: 'order',
  label: { 'zh-CN': '订单', en: 'Order' },
  fields: [
    { key: 'title', type: 'text', label: { 'zh-CN': '标题', en: 'Title' } },
    { key: 'amount', type: 'amount', label: { 'zh-CN': '金额', en: 'Amount' } },
    { key: 'discount', type: 'percent' },
    { key: 'signDate', type: 'date' },
    { key: 'approver', type: 'member' },
  ],
};

const run = (state: FlowDesignerState, ...cmds: FlowCommand[]) => cmds.reduce(flowReducer, state);

function fresh(): FlowDesignerState {
  return initialFlowState(newFlow({ key: 'order.approval', entity: 'order', name: '订单审批' }));
}

describe('flow designer model', () => {
  it('starts a new flow as start → department head approval → approved end, laid out top-down', () => {
    const s = fresh();
    expect(s.def.nodes.map((n) => n.type)).toEqual(['start', 'approval', 'end']);
    const ys = s.def.nodes.map((n) => n.position.y);
    expect(ys[0]).toBeLessThan(ys[1] as number);
    expect(ys[1]).toBeLessThan(ys[2] as number);
    expect(parseFlowDefinition(toDefinition(s)).ok).toBe(true);
    expect(flowProblems(s.def, { entity: order })).toEqual([]);
    expect(isDirty(s)).toBe(false);
  });

  it('adds a node from the palette with a fresh id, selects it and makes it one undo step', () => {
    let s = fresh();
    s = run(s, { type: 'addNode', item: { kind: 'approval' }, position: { x: 10.4, y: 300.6 } });
    const added = s.def.nodes.at(-1);
    expect(added).toMatchObject({ id: 'approval2', type: 'approval', position: { x: 10, y: 301 } });
    expect(s.selection).toEqual({ kind: 'node', id: 'approval2' });
    expect(canUndo(s)).toBe(true);
    expect(isDirty(s)).toBe(true);
    s = run(s, { type: 'addNode', item: { kind: 'end', outcome: 'rejected' } });
    expect(s.def.nodes.at(-1)).toMatchObject({ id: 'rejected1', type: 'end', data: { outcome: 'rejected' } });
    s = run(s, { type: 'undo' }, { type: 'undo' });
    expect(s.def.nodes).toHaveLength(3);
    expect(s.selection).toEqual({ kind: 'flow' });
    expect(isDirty(s)).toBe(false);
    s = run(s, { type: 'redo' });
    expect(s.def.nodes.map((n) => n.id)).toContain('approval2');
    expect(canRedo(s)).toBe(true);
  });

  it('refuses a second start node and never deletes the start', () => {
    let s = fresh();
    const same = run(s, { type: 'addNode', item: { kind: 'start' } });
    expect(same.def.nodes.filter((n) => n.type === 'start')).toHaveLength(1);
    s = run(s, { type: 'removeNodes', ids: ['start', 'approval1'] });
    expect(s.def.nodes.map((n) => n.id)).toEqual(['start', 'approved']);
    // The edges of the removed node went with it.
    expect(s.def.edges).toEqual([]);
  });

  it('connects nodes with new edges, refusing self loops, edges into the start and duplicates', () => {
    let s = fresh();
    s = run(s, { type: 'addNode', item: { kind: 'end', outcome: 'rejected' } });
    expect(canConnect(s.def, 'approval1', 'approval1')).toBe(false);
    expect(canConnect(s.def, 'approval1', 'start')).toBe(false);
    expect(canConnect(s.def, 'approved', 'rejected1')).toBe(false);
    expect(canConnect(s.def, 'start', 'approval1')).toBe(false); // already there
    expect(canConnect(s.def, 'start', 'rejected1', 'rejected')).toBe(false); // only approvals have it
    s = run(s, { type: 'connect', source: 'approval1', target: 'rejected1', sourceHandle: 'rejected' });
    expect(s.def.edges.at(-1)).toEqual({
      id: 'e3',
      source: 'approval1',
      target: 'rejected1',
      sourceHandle: 'rejected',
    });
    expect(s.selection).toEqual({ kind: 'edge', id: 'e3' });
    expect(flowProblems(s.def, { entity: order })).toEqual([]);
    const again = run(s, {
      type: 'connect',
      source: 'approval1',
      target: 'rejected1',
      sourceHandle: 'rejected',
    });
    expect(again.def.edges).toHaveLength(3);
  });

  it('makes the first branch of a condition the default one and numbers the others', () => {
    let s = fresh();
    s = run(
      s,
      { type: 'removeEdges', ids: ['e2'] },
      { type: 'addNode', item: { kind: 'condition' }, id: 'route' },
      { type: 'addNode', item: { kind: 'end', outcome: 'rejected' } },
      { type: 'connect', source: 'approval1', target: 'route' },
      { type: 'connect', source: 'route', target: 'approved' },
      { type: 'connect', source: 'route', target: 'rejected1' },
    );
    const branches = outgoing(s.def, 'route');
    expect(branches.map((e) => e.data)).toEqual([{ priority: 0 }, { default: true }]);
    // The second branch has no condition yet: the check says so on that edge.
    const issues = indexIssues(flowProblems(s.def, { entity: order }));
    const edgeId = branches[0]?.id as string;
    expect(
      issues.edges.get(edgeId)?.map((i) => i.code) ?? issues.nodes.get('route')?.map((i) => i.code),
    ).toContain('conditionMissing');
    s = run(s, {
      type: 'setEdgeData',
      id: edgeId,
      data: { priority: 0, condition: { filter: { field: 'amount', op: 'gte', value: 100000 } } },
    });
    expect(flowProblems(s.def, { entity: order })).toEqual([]);
    // Making the other branch the default takes it away from the first.
    const other = branches[1]?.id as string;
    s = run(s, { type: 'setEdgeData', id: edgeId, data: { default: true } });
    expect(s.def.edges.find((e) => e.id === other)?.data).toBeUndefined();
  });

  it('places a dangling node’s problems on that node, and clears them once it is connected', () => {
    let s = fresh();
    s = run(s, { type: 'addNode', item: { kind: 'cc' }, id: 'copy' });
    let idx = indexIssues(flowProblems(s.def, { entity: order }));
    const codes = (idx.nodes.get('copy') ?? []).map((i) => i.code);
    expect(codes).toEqual(expect.arrayContaining(['assigneesMissing', 'unreachable']));
    expect(idx.errors).toBeGreaterThanOrEqual(2);
    // A missing recipient blocks saving (the server refuses such a draft); being unreachable does not.
    const blocking = flowProblems(s.def, { entity: order }).filter((i) => i.blocksSave);
    expect(blocking.map((i) => i.code)).toEqual(['assigneesMissing']);
    s = run(
      s,
      { type: 'setNodeData', id: 'copy', data: { to: [{ type: 'submitter' }] } },
      { type: 'removeEdges', ids: ['e2'] },
      { type: 'connect', source: 'approval1', target: 'copy' },
      { type: 'connect', source: 'copy', target: 'approved' },
    );
    idx = indexIssues(flowProblems(s.def, { entity: order }));
    expect(idx.errors).toBe(0);
  });

  it('names incomplete assignee rules and unknown fields precisely', () => {
    let s = fresh();
    s = run(s, {
      type: 'setNodeData',
      id: 'approval1',
      data: {
        assignees: [
          { type: 'role', roles: [] },
          { type: 'field', field: 'nope' },
        ],
        fields: { amount: 'editable' },
      },
    });
    const issues = flowProblems(s.def, { entity: order, roles: ['sales'] });
    expect(issues.map((i) => [i.node, i.code])).toEqual(
      expect.arrayContaining([
        ['approval1', 'ruleIncomplete'],
        ['approval1', 'unknownField'],
      ]),
    );
    expect(issues.find((i) => i.code === 'ruleIncomplete')?.message.en).toContain('rule 1 has no roles');
  });

  it('says plainly what an action node and an escalation are missing, and blocks saving until they are set', () => {
    let s = fresh();
    s = run(
      s,
      { type: 'addNode', item: { kind: 'action' }, id: 'act' },
      {
        type: 'setNodeData',
        id: 'approval1',
        data: {
          assignees: [{ type: 'submitter' }],
          emptyAssignee: { action: 'assign', to: [] },
          deadline: { after: { days: 1 }, onTimeout: { action: 'escalate', to: [] } },
        },
      },
    );
    const issues = flowProblems(s.def, { entity: order });
    const en = issues.filter((i) => i.blocksSave).map((i) => [i.node, i.message.en]);
    expect(en).toEqual(
      expect.arrayContaining([
        ['act', 'Action node act has no actions yet'],
        ['approval1', 'Node approval1: nobody to assign to when no one is found'],
        ['approval1', 'Node approval1: nobody to escalate to'],
      ]),
    );
    s = run(s, {
      type: 'setNodeData',
      id: 'act',
      data: {
        actions: [
          { type: 'updateRecord', set: {} },
          { type: 'notify', to: [{ type: 'member', members: [] }], title: '' },
          { type: 'webhook', url: 'ftp://x' },
        ],
      },
    });
    const codes = flowProblems(s.def, { entity: order })
      .filter((i) => i.node === 'act')
      .map((i) => i.code);
    expect(codes).toEqual(
      expect.arrayContaining(['setMissing', 'ruleIncomplete', 'titleMissing', 'urlInvalid']),
    );
  });

  it('treats "assignees may be empty" as a warning, not an error', () => {
    let s = fresh();
    s = run(s, {
      type: 'setNodeData',
      id: 'approval1',
      data: { assignees: [{ type: 'departmentHead', levels: 1 }] },
    });
    const idx = indexIssues(flowProblems(s.def, { entity: order }));
    expect(idx.errors).toBe(0);
    expect(idx.warnings).toBe(1);
    expect(idx.nodes.get('approval1')?.[0]?.code).toBe('assigneesMayBeEmpty');
  });

  it('coalesces typing into one undo step per group', () => {
    let s = fresh();
    for (const text of ['经', '经理', '经理审']) {
      s = run(s, {
        type: 'setNodeData',
        id: 'approval1',
        data: { assignees: [{ type: 'submitter' }], label: text },
        group: 'label:approval1',
      });
    }
    expect(s.past).toHaveLength(1);
    s = run(s, { type: 'undo' });
    expect(s.def.nodes[1]?.data.label).toEqual({ 'zh-CN': '部门主管审批', en: 'Department head' });
  });

  it('moves nodes as one undo step and ignores moves that change nothing', () => {
    let s = fresh();
    const before = s.def.nodes[1]?.position;
    s = run(s, {
      type: 'moveNodes',
      positions: { approval1: { x: 500, y: 40 }, approved: { x: 500, y: 240 } },
    });
    expect(s.def.nodes[1]?.position).toEqual({ x: 500, y: 40 });
    expect(s.past).toHaveLength(1);
    const same = run(s, { type: 'moveNodes', positions: { approval1: { x: 500, y: 40 } } });
    expect(same).toBe(s);
    s = run(s, { type: 'undo' });
    expect(s.def.nodes[1]?.position).toEqual(before);
  });

  it('reorders condition branches', () => {
    const s0 = initialFlowState(orderApprovalFlow as unknown as FlowDefinition);
    expect(outgoing(s0.def, 'route').map((e) => e.id)).toEqual(['big', 'discount', 'plain']);
    const s1 = run(s0, { type: 'moveBranch', id: 'discount', step: -1 });
    expect(outgoing(s1.def, 'route').map((e) => e.id)).toEqual(['discount', 'big', 'plain']);
    // The default branch stays last and cannot move.
    expect(run(s1, { type: 'moveBranch', id: 'plain', step: -1 })).toBe(s1);
  });

  it('round-trips a definition through the designer and parseFlowDefinition unchanged', () => {
    const withRf = {
      ...orderApprovalFlow,
      viewport: { x: 1, y: 2, zoom: 1 },
      nodes: orderApprovalFlow.nodes.map((n) => ({
        ...n,
        measured: { width: 200, height: 64 },
        selected: false,
      })),
      edges: orderApprovalFlow.edges.map((e) => ({ ...e, type: 'smoothstep', animated: false })),
    } as unknown as FlowDefinition;
    const s = initialFlowState(withRf);
    const out = toDefinition(s);
    const parsed = parseFlowDefinition(JSON.parse(JSON.stringify(out)));
    expect(parsed.ok).toBe(true);
    expect(out).toEqual(JSON.parse(JSON.stringify(orderApprovalFlow)));
    // Edited, saved and loaded again: the same JSON.
    const edited = run(s, {
      type: 'updateFlow',
      patch: { name: { 'zh-CN': '订单审批 2', en: 'Order approval 2' } },
    });
    const reloaded = initialFlowState(JSON.parse(JSON.stringify(toDefinition(edited))));
    expect(toDefinition(reloaded)).toEqual(toDefinition(edited));
    expect(isDirty(run(edited, { type: 'markSaved', def: toDefinition(edited) }))).toBe(false);
  });

  it('lays out a branching flow without overlapping nodes, each below its predecessors', () => {
    const def = layoutFlow(orderApprovalFlow as unknown as FlowDefinition);
    const pos = new Map(def.nodes.map((n) => [n.id, n.position]));
    for (const e of def.edges) {
      expect((pos.get(e.target)?.y ?? 0) > (pos.get(e.source)?.y ?? 0)).toBe(true);
    }
    for (const a of def.nodes) {
      for (const b of def.nodes) {
        if (a.id >= b.id) continue;
        const overlap =
          Math.abs(a.position.x - b.position.x) < NODE_WIDTH &&
          Math.abs(a.position.y - b.position.y) < NODE_HEIGHT;
        expect(overlap, `${a.id} overlaps ${b.id}`).toBe(false);
      }
    }
    // The three branches of the condition sit side by side on one row.
    expect(new Set(['board', 'manager', 'plan'].map((id) => pos.get(id)?.y)).size).toBe(2);
    expect(pos.get('board')?.y).toBe(pos.get('manager')?.y);
  });

  it('places the server’s issues on the nodes and edges they name', () => {
    const def = orderApprovalFlow as unknown as FlowDefinition;
    const placed = placeServerIssues(def, [
      { field: 'nodes.2.data.assignees', code: 'assigneesEmpty', message: { 'zh-CN': 'x', en: 'x' } },
      { field: 'edges.1.data.condition.filter', code: 'unknownField', message: { 'zh-CN': 'y', en: 'y' } },
      { field: 'entity', code: 'unknownEntity', message: { 'zh-CN': 'z', en: 'z' } },
    ]);
    expect(placed.map((i) => [i.node, i.edge])).toEqual([
      ['manager', undefined],
      [undefined, 'big'],
      [undefined, undefined],
    ]);
  });

  it('reads palette keys', () => {
    expect(paletteItemOf('end:cancelled')).toEqual({ kind: 'end', outcome: 'cancelled' });
    expect(paletteItemOf('approval')).toEqual({ kind: 'approval' });
    expect(paletteItemOf('end:maybe')).toBeNull();
    expect(paletteItemOf('nothing')).toBeNull();
  });
});

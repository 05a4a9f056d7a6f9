import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { checkFlow } from './check-flow.js';
import { compileFlow } from './compile.js';
import { parseFlowDefinition } from './parse-flow.js';
import { automationSchema, blueprintSchema, flowDefinitionSchema } from './schema.js';
import { directory, edge, flow, node, orderEntity, simpleFlow } from './test-fixtures.js';
import type { FlowDefinition } from './types.js';

const ctx = {
  entity: orderEntity,
  roles: Object.keys(directory.roles),
  departments: Object.keys(directory.departments),
  members: directory.members ?? [],
  flows: ['child'],
  directory,
};

const codes = (def: unknown) => {
  const p = parseFlowDefinition(def);
  if (!p.ok) return p.issues.map((i) => i.code);
  return checkFlow(p.value, ctx).map((i) => i.code);
};

describe('parseFlowDefinition', () => {
  it('accepts a valid definition and reports shape errors with paths in both languages', () => {
    expect(parseFlowDefinition(simpleFlow()).ok).toBe(true);
    const bad = parseFlowDefinition({
      key: 'f',
      entity: 'order',
      nodes: [{ id: 'a', type: 'teleport', position: { x: 0, y: 0 }, data: {} }],
      edges: [],
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      const typeIssue = bad.issues.find((i) => i.field === 'nodes.0.type');
      expect(typeIssue).toMatchObject({ code: 'enum' });
      expect(typeIssue?.message['zh-CN']).toContain('nodes.0');
      expect(bad.issues.find((i) => i.field === 'nodes')?.message.en).toBe('nodes needs at least 2 items');
    }
  });

  it('rejects malformed and over-deep condition filters before anything runs', () => {
    const withFilter = (filter: unknown) =>
      flow(
        [node('start', 'start', {}), node('c', 'condition', {}), node('end', 'end', { outcome: 'approved' })],
        [
          edge('start', 'c'),
          edge('c', 'end', { data: { condition: { filter } as never } }),
          edge('c', 'end', { id: 'd', data: { default: true } }),
        ],
      );
    const bad = parseFlowDefinition(withFilter({ and: [{ field: 'amount', op: 'bigger', value: 1 }] }));
    expect(bad.ok).toBe(false);
    let deep: unknown = { field: 'amount', op: 'eq', value: 1 };
    for (let i = 0; i < 50; i++) deep = { not: deep };
    const tooDeep = parseFlowDefinition(withFilter(deep));
    expect(tooDeep.ok === false && tooDeep.issues.map((i) => i.code)).toEqual(['tooDeep']);
    expect(parseFlowDefinition(withFilter({ or: [{ field: 'amount', op: 'eq', value: 1 }] })).ok).toBe(true);
  });

  it('rejects duplicate ids, dangling edges and a missing start', () => {
    const def = flow(
      [
        node('a', 'approval', { assignees: [{ type: 'submitter' }] }),
        node('a', 'end', { outcome: 'approved' }),
      ],
      [edge('a', 'zz')],
    );
    expect(codes(def)).toEqual(['duplicateId', 'unknownNode', 'noStart']);
  });
});

describe('checkFlow', () => {
  it('passes a sound flow', () => {
    expect(codes(simpleFlow())).toEqual([]);
  });

  it('reports unreachable nodes and paths that never end', () => {
    const def = flow(
      [
        node('start', 'start', {}),
        node('a', 'approval', { assignees: [{ type: 'submitter' }] }),
        node('b', 'approval', { assignees: [{ type: 'submitter' }] }),
        node('orphan', 'cc', { to: [{ type: 'submitter' }] }),
        node('end', 'end', { outcome: 'approved' }),
      ],
      [edge('start', 'a'), edge('a', 'b'), edge('b', 'a', { id: 'back' }), edge('orphan', 'end')],
    );
    const p = parseFlowDefinition(def);
    const issues = p.ok ? checkFlow(p.value, ctx) : [];
    expect(issues.map((i) => [i.code, i.params?.node])).toEqual(
      expect.arrayContaining([
        ['neverEnds', 'a'],
        ['neverEnds', 'b'],
        ['unreachable', 'orphan'],
      ]),
    );
    expect(issues.find((i) => i.code === 'unreachable')?.message.en).toBe(
      'Node orphan cannot be reached from the start',
    );
  });

  it('reports a loop of nodes that never wait', () => {
    const def = flow(
      [
        node('start', 'start', {}),
        node('c', 'condition', {}),
        node('copy', 'cc', { to: [{ type: 'submitter' }] }),
        node('end', 'end', { outcome: 'approved' }),
      ],
      [
        edge('start', 'c'),
        edge('c', 'copy', { data: { condition: { filter: { field: 'amount', op: 'gt', value: 1 } } } }),
        edge('c', 'end', { data: { default: true } }),
        edge('copy', 'c'),
      ],
    );
    expect(codes(def)).toEqual(['loopWithoutWait']);
    // The same loop through an approval is fine: it waits for people.
    const ok = flow(
      [
        node('start', 'start', {}),
        node('c', 'condition', {}),
        node('fix', 'approval', { assignees: [{ type: 'submitter' }] }),
        node('end', 'end', { outcome: 'approved' }),
      ],
      [
        edge('start', 'c'),
        edge('c', 'fix', { data: { condition: { filter: { field: 'amount', op: 'gt', value: 1 } } } }),
        edge('c', 'end', { data: { default: true } }),
        edge('fix', 'c'),
      ],
    );
    expect(codes(ok)).toEqual([]);
  });

  it('reports a join without its split and a condition without a default branch', () => {
    const def = flow(
      [
        node('start', 'start', {}),
        node('c', 'condition', {}),
        node('j', 'parallelJoin', {}),
        node('end', 'end', { outcome: 'approved' }),
      ],
      [
        edge('start', 'c'),
        edge('c', 'j', { data: { condition: { filter: { field: 'amount', op: 'gt', value: 1 } } } }),
        edge('c', 'end', { data: { condition: { filter: { field: 'amount', op: 'lte', value: 1 } } } }),
        edge('j', 'end'),
      ],
    );
    expect(codes(def)).toEqual(expect.arrayContaining(['joinWithoutSplit', 'noDefaultBranch']));
  });

  it('reports branches that merge before the join and ends inside a branch', () => {
    const def = flow(
      [
        node('start', 'start', {}),
        node('s', 'parallelSplit', {}),
        node('x', 'approval', { assignees: [{ type: 'submitter' }] }),
        node('y', 'approval', { assignees: [{ type: 'submitter' }] }),
        node('end', 'end', { outcome: 'approved' }),
      ],
      [edge('start', 's'), edge('s', 'x'), edge('s', 'y'), edge('x', 'y'), edge('y', 'end')],
    );
    expect(codes(def)).toEqual(expect.arrayContaining(['branchesMerge', 'branchWithoutJoin']));
  });

  it('reports unknown fields, roles, members, departments and flows', () => {
    const def = flow(
      [
        node('start', 'start', {}),
        node('c', 'condition', {}),
        node('a', 'approval', {
          assignees: [
            { type: 'role', roles: ['ghosts'] },
            { type: 'member', members: ['nobody'] },
            { type: 'field', field: 'title' },
          ],
          fields: { nope: 'hidden' },
          emptyAssignee: { action: 'autoApprove' },
        }),
        node('sf', 'subFlow', { flow: 'missing' }),
        node('end', 'end', { outcome: 'approved' }),
      ],
      [
        edge('start', 'c'),
        edge('c', 'a', {
          data: {
            condition: {
              filter: { field: 'colour', op: 'eq', value: 'red' },
              submitter: { departments: ['mars'] },
            },
          },
        }),
        edge('c', 'sf', { data: { default: true } }),
        edge('a', 'end'),
        edge('sf', 'end'),
      ],
    );
    expect(codes(def).sort()).toEqual(
      [
        'unknownDepartment',
        'unknownField',
        'unknownField',
        'unknownFlow',
        'unknownMember',
        'unknownRole',
        'wrongFieldType',
      ].sort(),
    );
  });

  it('reports assignee rules that resolve, or may resolve, to no one', () => {
    expect(codes(simpleFlow({ assignees: [{ type: 'role', roles: ['empty'] }] }))).toEqual([
      'assigneesEmpty',
    ]);
    expect(codes(simpleFlow({ assignees: [{ type: 'field', field: 'approver' }] }))).toEqual([
      'assigneesMayBeEmpty',
    ]);
    expect(
      codes(
        simpleFlow({ assignees: [{ type: 'departmentHead' }], emptyAssignee: { action: 'autoApprove' } }),
      ),
    ).toEqual([]);
  });

  it('compileFlow refuses an unsound structure with the issues', () => {
    const def = flow([node('start', 'start', {}), node('end', 'end', { outcome: 'approved' })], []);
    expect(() => compileFlow(def as FlowDefinition)).toThrowError(/VALIDATION_FAILED/);
  });

  it('compileFlow names only implemented guards and actions', () => {
    const c = compileFlow(simpleFlow() as FlowDefinition);
    expect(c.guardNames).toEqual(['isDecided', 'isRejectedTo', 'taskAtNode', 'timerAtNode']);
    expect(c.actionNames).toContain('enterApproval');
    expect(c.machine.implementations.guards).toHaveProperty('edgeMatches');
  });
});

describe('exported JSON Schemas', () => {
  const ajv = new Ajv2020({ strict: false, discriminator: true });
  addFormats(ajv);

  it('validate example definitions, and reject broken ones', () => {
    const validFlow = ajv.compile(flowDefinitionSchema);
    expect(
      validFlow(
        simpleFlow({
          mode: 'threshold',
          threshold: 0.6,
          deadline: { after: { days: 1 }, onTimeout: { action: 'approve' } },
        }),
      ),
    ).toBe(true);
    expect(validFlow({ key: 'f', entity: 'order', nodes: [], edges: [] })).toBe(false);
    const validBp = ajv.compile(blueprintSchema);
    expect(
      validBp({
        key: 'opp',
        entity: 'opportunity',
        field: 'stage',
        stages: [{ key: 'a' }, { key: 'b' }],
        transitions: [{ key: 't', from: 'a', to: 'b' }],
      }),
    ).toBe(true);
    const validAuto = ajv.compile(automationSchema);
    expect(
      validAuto({
        key: 'a',
        entity: 'lead',
        trigger: { type: 'created' },
        actions: [{ type: 'startFlow', flow: 'f' }],
      }),
    ).toBe(true);
    expect(validAuto({ key: 'a', entity: 'lead', trigger: { type: 'sometimes' }, actions: [] })).toBe(false);
  });
});

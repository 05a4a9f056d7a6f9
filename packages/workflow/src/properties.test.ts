import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkFlow } from './check-flow.js';
import { compileFlow } from './compile.js';
import { parseFlowDefinition } from './parse-flow.js';
import { activeNodes, step } from './step.js';
import { edge, node, orderEntity, Run } from './test-fixtures.js';
import type { ApprovalMode, FlowDefinition, FlowEdge, FlowEvent, FlowNode } from './types.js';

/**
 * Random valid flows (a chain of segments: approvals in every mode, fill-ins, conditions, parallel
 * blocks, waits, cc and actions) driven by random action sequences. Whatever happens, the instance is
 * either ended or waits on an open task or a live timer, every open task belongs to an active node, and
 * the snapshot survives a JSON round trip (the driver re-parses it after every step).
 */

const PEOPLE = ['a1', 'a2', 'a3', 'fin1', 'boss'];

type Seg =
  | {
      kind: 'approval';
      mode: ApprovalMode;
      people: string[];
      reject: ('end' | 'submitter' | 'node')[];
      deadline: boolean;
    }
  | { kind: 'fillIn'; people: string[] }
  | { kind: 'condition' }
  | { kind: 'parallel' }
  | { kind: 'wait' }
  | { kind: 'cc' };

const people = fc.subarray(PEOPLE, { minLength: 1, maxLength: 3 });
const seg: fc.Arbitrary<Seg> = fc.oneof(
  fc.record({
    kind: fc.constant('approval' as const),
    mode: fc.constantFrom<ApprovalMode>('or', 'and', 'sequential', 'threshold'),
    people,
    reject: fc.constantFrom<('end' | 'submitter' | 'node')[]>(
      ['end'],
      ['submitter', 'end'],
      ['node', 'end'],
      ['end', 'node', 'submitter'],
    ),
    deadline: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('fillIn' as const), people }),
  fc.record({ kind: fc.constant('condition' as const) }),
  fc.record({ kind: fc.constant('parallel' as const) }),
  fc.record({ kind: fc.constant('wait' as const) }),
  fc.record({ kind: fc.constant('cc' as const) }),
);

function build(segs: Seg[]): FlowDefinition {
  const nodes: FlowNode[] = [node('start', 'start', {})];
  const edges: FlowEdge[] = [];
  let prev = 'start';
  let seenHuman = false;
  const link = (from: string, to: string, extra: Partial<FlowEdge> = {}) =>
    edges.push(edge(from, to, { id: `e${edges.length}`, ...extra }));
  const approval = (id: string, s: Extract<Seg, { kind: 'approval' }>) => {
    const reject = seenHuman ? s.reject : s.reject.filter((r) => r !== 'node');
    nodes.push(
      node(id, 'approval', {
        assignees: [{ type: 'member', members: s.people }],
        mode: s.mode,
        ...(s.mode === 'threshold' ? { threshold: 0.5 } : {}),
        rejectTo: reject.length ? reject : ['end'],
        commentOnReject: false,
        ...(s.deadline
          ? {
              deadline: {
                after: { hours: 1 },
                reminders: { every: { minutes: 20 }, max: 2 },
                onTimeout: { action: 'approve' },
              },
            }
          : {}),
      }),
    );
    seenHuman = true;
  };
  segs.forEach((s, i) => {
    const id = `n${i}`;
    switch (s.kind) {
      case 'approval':
        approval(id, s);
        link(prev, id);
        prev = id;
        break;
      case 'fillIn':
        nodes.push(node(id, 'fillIn', { assignees: [{ type: 'member', members: s.people }] }));
        seenHuman = true;
        link(prev, id);
        prev = id;
        break;
      case 'cc':
        nodes.push(node(id, 'cc', { to: [{ type: 'role', roles: ['finance'] }] }));
        link(prev, id);
        prev = id;
        break;
      case 'wait':
        nodes.push(node(id, 'wait', { duration: { minutes: 30 } }));
        link(prev, id);
        prev = id;
        break;
      case 'condition': {
        nodes.push(
          node(id, 'condition', {}),
          node(`${id}x`, 'cc', { to: [{ type: 'submitter' }] }),
          node(`${id}m`, 'cc', { to: [{ type: 'role', roles: ['boss'] }] }),
        );
        link(prev, id);
        link(id, `${id}x`, { data: { condition: { filter: { field: 'amount', op: 'gt', value: 500 } } } });
        link(id, `${id}m`, { data: { default: true } });
        link(`${id}x`, `${id}m`);
        prev = `${id}m`;
        break;
      }
      case 'parallel': {
        nodes.push(
          node(id, 'parallelSplit', {}),
          node(`${id}a`, 'approval', {
            assignees: [{ type: 'member', members: ['a1'] }],
            commentOnReject: false,
          }),
          node(`${id}b`, 'approval', {
            assignees: [{ type: 'member', members: ['a2', 'a3'] }],
            mode: 'and',
            commentOnReject: false,
          }),
          node(`${id}j`, 'parallelJoin', {}),
        );
        link(prev, id);
        link(id, `${id}a`);
        link(id, `${id}b`);
        link(`${id}a`, `${id}j`);
        link(`${id}b`, `${id}j`);
        prev = `${id}j`;
        break;
      }
    }
  });
  nodes.push(node('end', 'end', { outcome: 'approved' }));
  link(prev, 'end');
  return { key: 'random', entity: 'order', nodes, edges };
}

function counter(): () => string {
  let n = 0;
  return () => `p${++n}`;
}

const action = fc.record({
  pick: fc.nat(),
  kind: fc.constantFrom(
    'approve',
    'reject',
    'transfer',
    'addBefore',
    'addAfter',
    'submit',
    'timer',
    'withdraw',
    'urge',
    'comment',
    'reassign',
    'stranger',
  ),
  target: fc.constantFrom(...PEOPLE, 'a4', 'a5'),
});

describe('random flows and action sequences', () => {
  it('never reach an impossible state', () => {
    fc.assert(
      fc.property(
        fc.array(seg, { minLength: 1, maxLength: 6 }),
        fc.array(action, { maxLength: 40 }),
        fc.integer({ min: 0, max: 2000 }),
        (segs, actions, amount) => {
          const def = build(segs);
          const parsed = parseFlowDefinition(def);
          expect(parsed.ok).toBe(true);
          expect(checkFlow(def, { entity: orderEntity })).toEqual([]);
          const run = new Run(compileFlow(def, { entity: orderEntity }), { title: 't', amount });
          for (const a of actions) {
            const c = run.snapshot.context;
            if (run.snapshot.status === 'done') {
              expect(run.send({ type: 'urge', actor: 'sub' }).ok).toBe(false);
              break;
            }
            const open = run.open();
            const task = open[a.pick % Math.max(open.length, 1)];
            const timers = Object.keys(c.timers);
            let event: FlowEvent;
            switch (a.kind) {
              case 'approve':
              case 'submit':
                if (!task) continue;
                event = {
                  type: task.kind === 'approval' ? 'approve' : 'submit',
                  taskId: task.id,
                  actor: task.assignee,
                };
                break;
              case 'reject': {
                if (!task) continue;
                const earlier = Object.keys(c.rounds).filter((id) => id !== task.nodeId);
                const to = [undefined, 'submitter', 'end', earlier[a.pick % Math.max(earlier.length, 1)]][
                  a.pick % 4
                ];
                event = { type: 'reject', taskId: task.id, actor: task.assignee, ...(to ? { to } : {}) };
                break;
              }
              case 'transfer':
                if (!task) continue;
                event = { type: 'transfer', taskId: task.id, actor: task.assignee, to: a.target };
                break;
              case 'addBefore':
              case 'addAfter':
                if (!task) continue;
                event = {
                  type: 'addSigner',
                  taskId: task.id,
                  actor: task.assignee,
                  members: [a.target],
                  position: a.kind === 'addBefore' ? 'before' : 'after',
                };
                break;
              case 'reassign':
                if (!task) continue;
                event = { type: 'reassign', taskId: task.id, actor: 'admin', to: a.target };
                break;
              case 'timer':
                if (timers.length === 0) continue;
                event = { type: 'timer', key: timers[a.pick % timers.length] as string };
                break;
              case 'withdraw':
                event = { type: 'withdraw', actor: 'sub' };
                break;
              case 'urge':
                event = { type: 'urge', actor: 'sub' };
                break;
              case 'comment':
                event = { type: 'comment', actor: a.target, comment: 'note' };
                break;
              default:
                if (!task) continue;
                event = { type: 'approve', taskId: task.id, actor: 'x' };
            }
            const before = JSON.stringify(run.snapshot);
            const direct = step(run.compiled, run.snapshot, event, { ...run.env(), ids: counter() });
            if (direct.ok) {
              // The snapshot is plain JSON: its round trip is strictly equal, and stepping from the
              // restored copy gives the same result.
              expect(JSON.parse(JSON.stringify(direct.snapshot))).toStrictEqual(direct.snapshot);
            }
            const restored = step(run.compiled, JSON.parse(before), event, { ...run.env(), ids: counter() });
            expect(restored).toStrictEqual(direct);
            const r = run.send(event);
            if (!r.ok) {
              expect(JSON.stringify(run.snapshot)).toBe(before);
              expect(r.refusal.message.en.length).toBeGreaterThan(0);
            }
            // Invariants after every step.
            const snap = run.snapshot;
            const ctx = snap.context;
            if (snap.status === 'done') {
              expect(run.ended()).toBeDefined();
              expect(run.open()).toEqual([]);
              expect(ctx.timers).toEqual({});
            } else {
              const active = activeNodes(run.compiled, snap);
              expect(active.length).toBeGreaterThan(0);
              const waiting =
                run.open().length + Object.keys(ctx.timers).length + Object.keys(ctx.subFlows).length;
              expect(waiting).toBeGreaterThan(0);
              for (const t of run.open()) expect(active).toContain(t.nodeId);
              for (const t of Object.values(ctx.timers)) expect(active).toContain(t.nodeId);
            }
            expect(ctx.outbox).toEqual([]);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('every instance ends when everyone approves and every timer fires', () => {
    fc.assert(
      fc.property(fc.array(seg, { minLength: 1, maxLength: 6 }), (segs) => {
        const run = new Run(compileFlow(build(segs), { entity: orderEntity }), { title: 't', amount: 10 });
        for (let i = 0; i < 200 && run.snapshot.status !== 'done'; i++) {
          const task = run.open()[0];
          if (task) {
            run.ok({
              type: task.kind === 'approval' ? 'approve' : 'submit',
              taskId: task.id,
              actor: task.assignee,
            });
            continue;
          }
          const key = Object.keys(run.snapshot.context.timers)[0];
          expect(key).toBeDefined();
          run.ok({ type: 'timer', key: key as string });
        }
        expect(run.ended()?.outcome).toBe('approved');
      }),
      { numRuns: 100 },
    );
  });
});

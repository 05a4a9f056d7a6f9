import type { EntityDefinition } from '@formwork/metadata';
import { expect } from 'vitest';
import { type CompiledFlow, compileFlow } from './compile.js';
import { parseFlowDefinition } from './parse-flow.js';
import {
  type InstanceSnapshot,
  RECORD_NOT_LOADED,
  RecordNotLoaded,
  type StepResult,
  startInstance,
  step,
} from './step.js';
import type { Directory, Effect, FlowEdge, FlowEvent, FlowNode, RecordData } from './types.js';

/** Shared fixtures for the workflow tests: a small organisation, an order entity, a flow builder. */

export const directory: Directory = {
  roles: { finance: ['fin1', 'fin2'], boss: ['boss'], empty: [] },
  departments: {
    hq: { parent: null, heads: ['boss'] },
    sales: { parent: 'hq', heads: ['mgr'] },
    east: { parent: 'sales', heads: ['lead'] },
  },
  memberDepartments: {
    sub: ['east'],
    lead: ['east'],
    mgr: ['sales'],
    boss: ['hq'],
    a1: ['sales'],
    a2: ['sales'],
    a3: ['sales'],
  },
  members: ['sub', 'lead', 'mgr', 'boss', 'fin1', 'fin2', 'a1', 'a2', 'a3', 'a4', 'a5', 'x'],
};

export const orderEntity: EntityDefinition = {
  key: 'order',
  fields: [
    { key: 'title', type: 'text', required: true },
    { key: 'amount', type: 'amount' },
    { key: 'discount', type: 'percent' },
    { key: 'region', type: 'select', options: [{ value: 'east' }, { value: 'west' }] },
    { key: 'approver', type: 'member' },
    { key: 'dueDate', type: 'date' },
    { key: 'note', type: 'longText' },
    { key: 'status', type: 'text' },
  ],
};

let pos = 0;
export function node<T extends FlowNode['type']>(
  id: string,
  type: T,
  data: Extract<FlowNode, { type: T }>['data'],
): FlowNode {
  pos += 1;
  return { id, type, position: { x: pos * 10, y: 0 }, data } as FlowNode;
}

export function edge(source: string, target: string, extra: Partial<FlowEdge> = {}): FlowEdge {
  return {
    id: extra.id ?? `${source}-${target}${extra.sourceHandle ? `-${extra.sourceHandle}` : ''}`,
    source,
    target,
    ...extra,
  };
}

export function flow(nodes: FlowNode[], edges: FlowEdge[], key = 'f') {
  return { key, entity: 'order', nodes, edges };
}

/** Parse and compile, failing loudly. */
export function compile(def: unknown): CompiledFlow {
  const parsed = parseFlowDefinition(def);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues.map((i) => i.message.en)));
  return compileFlow(parsed.value, { entity: orderEntity });
}

export const T0 = new Date('2026-03-02T01:00:00.000Z');

/** A small driver that keeps the snapshot, checks the JSON round trip and counts ids. */
export class Run {
  snapshot: InstanceSnapshot;
  effects: Effect[] = [];
  all: Effect[] = [];
  now = T0;
  record: RecordData;
  private seq = 0;
  /** Events stepped without the record / events that needed it (see `send`). */
  deferredHits = 0;
  deferredMisses = 0;
  constructor(
    readonly compiled: CompiledFlow,
    record: RecordData = { title: 'Order 1', amount: 1000 },
    readonly submitter = 'sub',
  ) {
    this.record = record;
    const r = startInstance(compiled, { ...this.env(), submitter });
    this.snapshot = JSON.parse(JSON.stringify(r.snapshot));
    this.effects = r.effects;
    this.all.push(...r.effects);
    for (const e of r.effects) if (e.type === 'updateRecord') this.record = { ...this.record, ...e.changes };
  }
  env() {
    return { record: this.record, directory, now: this.now, ids: () => `t${++this.seq}` };
  }
  /**
   * Every event is also stepped with the record not loaded (as the runtime does first): that either
   * throws RecordNotLoaded or gives exactly what stepping with the record gives.
   */
  send(event: FlowEvent): StepResult {
    const seq = this.seq;
    let deferred: StepResult | undefined;
    try {
      deferred = step(this.compiled, this.snapshot, event, { ...this.env(), record: RECORD_NOT_LOADED });
    } catch (e) {
      if (!(e instanceof RecordNotLoaded)) throw e;
      this.deferredMisses++;
    }
    this.seq = seq;
    const r = step(this.compiled, this.snapshot, event, this.env());
    if (deferred) {
      this.deferredHits++;
      expect(deferred).toEqual(r);
    }
    if (r.ok) {
      const json = JSON.stringify(r.snapshot);
      this.snapshot = JSON.parse(json);
      this.effects = r.effects;
      this.all.push(...r.effects);
      for (const e of r.effects)
        if (e.type === 'updateRecord') this.record = { ...this.record, ...e.changes };
    }
    return r;
  }
  /** Send and fail the test on a refusal. */
  ok(event: FlowEvent): Effect[] {
    const r = this.send(event);
    if (!r.ok) throw new Error(`refused: ${r.refusal.code} ${r.refusal.message.en}`);
    return r.effects;
  }
  open(nodeId?: string) {
    return Object.values(this.snapshot.context.tasks).filter(
      (t) => t.status === 'open' && (!nodeId || t.nodeId === nodeId),
    );
  }
  taskOf(assignee: string, nodeId?: string) {
    const t = this.open(nodeId).find((x) => x.assignee === assignee);
    if (!t)
      throw new Error(
        `no open task for ${assignee} (open: ${this.open()
          .map((x) => `${x.assignee}@${x.nodeId}`)
          .join(', ')})`,
      );
    return t.id;
  }
  approve(assignee: string, nodeId?: string, comment?: string) {
    return this.ok({
      type: 'approve',
      taskId: this.taskOf(assignee, nodeId),
      actor: assignee,
      ...(comment ? { comment } : {}),
    });
  }
  reject(assignee: string, to?: string, nodeId?: string) {
    return this.ok({
      type: 'reject',
      taskId: this.taskOf(assignee, nodeId),
      actor: assignee,
      comment: 'no',
      ...(to ? { to } : {}),
    });
  }
  ended() {
    return this.all.find((e): e is Extract<Effect, { type: 'instanceEnded' }> => e.type === 'instanceEnded');
  }
  effectsOf<K extends Effect['type']>(type: K, list = this.effects): Extract<Effect, { type: K }>[] {
    return list.filter((e): e is Extract<Effect, { type: K }> => e.type === type);
  }
  advance(ms: number) {
    this.now = new Date(this.now.getTime() + ms);
  }
}

/** start → approval(a) → end(approved). */
export function simpleFlow(data: Partial<Extract<FlowNode, { type: 'approval' }>['data']> = {}) {
  return flow(
    [
      node('start', 'start', {}),
      node('a', 'approval', { assignees: [{ type: 'member', members: ['a1'] }], ...data }),
      node('end', 'end', { outcome: 'approved' }),
    ],
    [edge('start', 'a'), edge('a', 'end')],
  );
}

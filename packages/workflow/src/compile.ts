import {
  DomainError,
  type EntityDefinition,
  evaluateRule,
  type FilterNode,
  type Issue,
  validateFilter,
} from '@formwork/metadata';
import { type AnyStateMachine, assign, setup } from 'xstate';
import { inDepartment } from './assignees.js';
import { checkFlow } from './check-flow.js';
import { cloneJson } from './clone.js';
import {
  addComment,
  applyTaskEvent,
  cancel,
  type EngineEvent,
  type EngineInput,
  endInstance,
  enterHuman,
  enterStart,
  enterSubFlow,
  enterWait,
  envOf,
  type FlowContext,
  handleSubFlowEnded,
  handleTimer,
  leaveNode,
  type RunEnv,
  runActions,
  sendCc,
  urge,
  withdraw,
} from './engine.js';
import {
  analyseGraph,
  earlierNodes,
  type FlowGraph,
  nextOf,
  type RegionPath,
  rejectedEdgeOf,
} from './graph.js';
import { matchFilter } from './match-filter.js';
import type { EdgeCondition, FlowDefinition, FlowEdge, FlowNode, NodeOf } from './types.js';

/**
 * Compilation of a flow definition to an XState v5 machine. Every node becomes a state whose id is the
 * node id; a parallel split becomes a parallel state with one region per branch, its join the state
 * after it. Guards and actions are named and implemented once in `setup`; the machine config refers to
 * them by name with params (`{ type: 'isDecided', params: { node, decision } }`), and every name the
 * config uses is checked against the implementations before the machine is created.
 */

export interface CompiledFlow {
  definition: FlowDefinition;
  graph: FlowGraph;
  machine: AnyStateMachine;
  entity?: EntityDefinition;
  /** Names of the guards and actions the machine uses (all implemented). */
  guardNames: string[];
  actionNames: string[];
  /** Condition filters normalised against the entity (when it was given). */
  filters: Map<string, FilterNode>;
  /**
   * The env of the step being computed (set by `step`/`startInstance` for the duration of one synchronous
   * transition), for internal events such as a parallel state's done event that carry none.
   */
  current: { env: RunEnv | null };
}

export interface CompileOptions {
  entity?: EntityDefinition;
}

const WORKSPACE_CODES = new Set(['assigneesMayBeEmpty', 'assigneesEmpty']);

const REJECTED = '$rejected';
const CANCELLED = '$cancelled';

type Params = { node: string };
type NamedRef = { type: string; params?: Record<string, unknown> };
type Json = Record<string, unknown>;

function nodeFrom(def: FlowDefinition, id: string): FlowNode {
  const n = def.nodes.find((x) => x.id === id);
  if (!n) throw new Error(`workflow: unknown node ${id}`);
  return n;
}

function submitterMatches(c: FlowContext, env: RunEnv, s: NonNullable<EdgeCondition['submitter']>): boolean {
  const who = c.submitter;
  if (s.members && !s.members.includes(who)) return false;
  if (s.roles && !s.roles.some((r) => (env.directory.roles[r] ?? []).includes(who))) return false;
  if (s.departments) {
    const mine = env.directory.memberDepartments[who] ?? [];
    if (!s.departments.some((d) => mine.some((x) => inDepartment(env.directory, x, d)))) return false;
  }
  return true;
}

/** The context to change: the step's own copy once it made one, a new copy before that. */
function ownDraft(context: FlowContext, env: RunEnv): FlowContext {
  if (env.draft !== context) env.draft = cloneJson(context);
  return env.draft;
}

function makeImplementations(
  def: FlowDefinition,
  filters: Map<string, FilterNode>,
  current: { env: RunEnv | null },
) {
  const node = (id: string) => nodeFrom(def, id);
  const edge = (id: string): FlowEdge | undefined => def.edges.find((e) => e.id === id);
  const mutate =
    (fn: (c: FlowContext, env: RunEnv, event: EngineEvent, params: Params) => void) =>
    ({ context, event }: { context: FlowContext; event: EngineEvent }, params: Params): FlowContext => {
      const env = envOf(event, current);
      const draft = ownDraft(context, env);
      fn(draft, env, event, params);
      return draft;
    };
  const actions = {
    enterStart: assign(mutate((c, env, _e, p) => enterStart(c, env, node(p.node) as NodeOf<'start'>))),
    enterApproval: assign(mutate((c, env, _e, p) => enterHuman(c, env, node(p.node) as NodeOf<'approval'>))),
    enterFillIn: assign(mutate((c, env, _e, p) => enterHuman(c, env, node(p.node) as NodeOf<'fillIn'>))),
    enterWait: assign(mutate((c, env, _e, p) => enterWait(c, env, node(p.node) as NodeOf<'wait'>))),
    enterSubFlow: assign(mutate((c, env, _e, p) => enterSubFlow(c, env, node(p.node) as NodeOf<'subFlow'>))),
    sendCc: assign(mutate((c, env, _e, p) => sendCc(c, env, node(p.node) as NodeOf<'cc'>))),
    runActions: assign(mutate((c, env, _e, p) => runActions(c, env, node(p.node) as NodeOf<'action'>))),
    leaveNode: assign(mutate((c, env, _e, p) => leaveNode(c, env, p.node))),
    applyTaskEvent: assign(mutate((c, env, e, p) => applyTaskEvent(c, env, node(p.node), e))),
    handleTimer: assign(
      mutate((c, env, e, p) => {
        if (e.type === 'timer') handleTimer(c, env, node(p.node), e.key);
      }),
    ),
    handleSubFlowEnded: assign(
      mutate((c, env, e, p) => {
        if (e.type === 'subFlowEnded') handleSubFlowEnded(c, env, node(p.node), e.key, e.outcome);
      }),
    ),
    endInstance: assign(
      (
        { context, event }: { context: FlowContext; event: EngineEvent },
        params: { node: string | null; outcome: 'approved' | 'rejected' | 'cancelled' },
      ) => {
        const env = envOf(event, current);
        const draft = ownDraft(context, env);
        endInstance(draft, env, params.node, params.outcome);
        return draft;
      },
    ),
    withdrawInstance: assign(
      mutate((c, env, e) => {
        if (e.type === 'withdraw') withdraw(c, env, e.actor, e.comment);
      }),
    ),
    cancelInstance: assign(
      mutate((c, env, e) => {
        if (e.type === 'cancel') cancel(c, env, e.actor, e.comment);
      }),
    ),
    urgeTasks: assign(
      mutate((c, env, e) => {
        if (e.type === 'urge') urge(c, env, e.actor, e.comment);
      }),
    ),
    addComment: assign(
      mutate((c, env, e) => {
        if (e.type === 'comment') addComment(c, env, e.actor, e.comment, e.taskId);
      }),
    ),
  };
  const guards = {
    isDecided: ({ context }: { context: FlowContext }, params: { node: string; decision: string }) =>
      context.runs[params.node]?.decision === params.decision,
    isRejectedTo: ({ context }: { context: FlowContext }, params: { node: string; target: string }) => {
      const run = context.runs[params.node];
      return run?.decision === 'rejected' && (run.rejectTo ?? 'end') === params.target;
    },
    edgeMatches: (
      { context, event }: { context: FlowContext; event: EngineEvent },
      params: { edge: string },
    ) => {
      const cond = edge(params.edge)?.data?.condition;
      if (!cond) return false;
      const env = envOf(event, current);
      const filter = filters.get(params.edge) ?? cond.filter;
      if (filter !== undefined && !matchFilter(filter, env.record, { now: env.now, timeZone: env.timeZone }))
        return false;
      if (cond.formula !== undefined) {
        const ok = evaluateRule(
          { key: 'flow', fields: [] },
          { key: params.edge, formula: cond.formula, message: '' },
          env.record,
          {
            now: env.now,
            timeZone: env.timeZone,
          },
        );
        if (ok !== true) return false;
      }
      if (cond.submitter && !submitterMatches(context, env, cond.submitter)) return false;
      return true;
    },
    taskAtNode: ({ context, event }: { context: FlowContext; event: EngineEvent }, params: Params) =>
      'taskId' in event &&
      typeof event.taskId === 'string' &&
      context.tasks[event.taskId]?.nodeId === params.node,
    timerAtNode: ({ context, event }: { context: FlowContext; event: EngineEvent }, params: Params) =>
      event.type === 'timer' && context.timers[event.key]?.nodeId === params.node,
    subFlowAtNode: ({ context, event }: { context: FlowContext; event: EngineEvent }, params: Params) =>
      event.type === 'subFlowEnded' && context.subFlows[event.key]?.nodeId === params.node,
  };
  return { actions, guards };
}

class ConfigBuilder {
  readonly guardNames = new Set<string>();
  readonly actionNames = new Set<string>();
  constructor(
    readonly def: FlowDefinition,
    readonly g: FlowGraph,
  ) {}

  guard(type: string, params: Record<string, unknown>): NamedRef {
    this.guardNames.add(type);
    return { type, params };
  }

  action(type: string, params?: Record<string, unknown>): NamedRef {
    this.actionNames.add(type);
    return params ? { type, params } : { type };
  }

  /** The transition target for going from a node in `region` to `targetId`. */
  target(region: RegionPath, targetId: string): string {
    const split = this.g.splitOf.get(targetId);
    const last = region[region.length - 1];
    if (split !== undefined && last?.startsWith(`${split}#`)) {
      const i = last.slice(split.length + 1);
      return `#${split}$b${i}$arrived`;
    }
    return `#${targetId}`;
  }

  regionStates(region: RegionPath): Json {
    const states: Json = {};
    for (const n of this.def.nodes) {
      const r = this.g.regionOf.get(n.id);
      if (r === undefined || r.join('/') !== region.join('/')) continue;
      states[n.id] = this.nodeState(n, region);
    }
    return states;
  }

  next(n: FlowNode, region: RegionPath): string {
    const e = nextOf(this.g, n.id);
    if (!e) throw new Error(`workflow: node ${n.id} has no outgoing edge`);
    return this.target(region, e.target);
  }

  /** The always-transitions of a node that waits for a decision (human, wait, sub-flow). */
  decisionTransitions(n: FlowNode, region: RegionPath): Json[] {
    const out: Json[] = [
      { guard: this.guard('isDecided', { node: n.id, decision: 'approved' }), target: this.next(n, region) },
    ];
    const rejected = rejectedEdgeOf(this.g, n.id);
    out.push({
      guard: this.guard('isRejectedTo', { node: n.id, target: 'end' }),
      target: rejected ? this.target(region, rejected.target) : `#${REJECTED}`,
    });
    if (n.type === 'approval') {
      const allowed = n.data.rejectTo ?? ['end'];
      const start = this.g.start;
      if (allowed.includes('submitter') && start) {
        out.push({
          guard: this.guard('isRejectedTo', { node: n.id, target: 'submitter' }),
          target: `#${start.id}`,
        });
      }
      if (allowed.includes('node')) {
        for (const id of earlierNodes(this.g, n.id)) {
          out.push({ guard: this.guard('isRejectedTo', { node: n.id, target: id }), target: `#${id}` });
        }
      }
    }
    return out;
  }

  taskHandlers(n: FlowNode): Json {
    const handler = {
      guard: this.guard('taskAtNode', { node: n.id }),
      actions: [this.action('applyTaskEvent', { node: n.id })],
    };
    return {
      approve: handler,
      reject: handler,
      submit: handler,
      transfer: handler,
      reassign: handler,
      addSigner: handler,
      timer: {
        guard: this.guard('timerAtNode', { node: n.id }),
        actions: [this.action('handleTimer', { node: n.id })],
      },
    };
  }

  nodeState(n: FlowNode, region: RegionPath): Json {
    const p = { node: n.id };
    switch (n.type) {
      case 'start':
        return {
          id: n.id,
          entry: [this.action('enterStart', p)],
          exit: [this.action('leaveNode', p)],
          on: this.taskHandlers(n),
          always: [
            {
              guard: this.guard('isDecided', { node: n.id, decision: 'approved' }),
              target: this.next(n, region),
            },
          ],
        };
      case 'approval':
      case 'fillIn':
        return {
          id: n.id,
          entry: [this.action(n.type === 'approval' ? 'enterApproval' : 'enterFillIn', p)],
          exit: [this.action('leaveNode', p)],
          on: this.taskHandlers(n),
          always: this.decisionTransitions(n, region),
        };
      case 'wait':
        return {
          id: n.id,
          entry: [this.action('enterWait', p)],
          exit: [this.action('leaveNode', p)],
          on: { timer: { guard: this.guard('timerAtNode', p), actions: [this.action('handleTimer', p)] } },
          always: this.decisionTransitions(n, region),
        };
      case 'subFlow':
        return {
          id: n.id,
          entry: [this.action('enterSubFlow', p)],
          exit: [this.action('leaveNode', p)],
          on: {
            subFlowEnded: {
              guard: this.guard('subFlowAtNode', p),
              actions: [this.action('handleSubFlowEnded', p)],
            },
          },
          always: this.decisionTransitions(n, region),
        };
      case 'cc':
        return { id: n.id, entry: [this.action('sendCc', p)], always: { target: this.next(n, region) } };
      case 'action':
        return { id: n.id, entry: [this.action('runActions', p)], always: { target: this.next(n, region) } };
      case 'parallelJoin':
        return { id: n.id, always: { target: this.next(n, region) } };
      case 'condition': {
        const outs = (this.g.out.get(n.id) ?? []).map((e, i) => ({ e, i }));
        const guarded = outs
          .filter(({ e }) => !e.data?.default)
          .sort((a, b) => (a.e.data?.priority ?? a.i) - (b.e.data?.priority ?? b.i) || a.i - b.i);
        const fallback = outs.find(({ e }) => e.data?.default);
        const always: Json[] = guarded.map(({ e }) => ({
          guard: this.guard('edgeMatches', { edge: e.id }),
          target: this.target(region, e.target),
        }));
        if (fallback) always.push({ target: this.target(region, fallback.e.target) });
        return { id: n.id, always };
      }
      case 'parallelSplit': {
        const join = this.g.joinOf.get(n.id);
        if (join === undefined) throw new Error(`workflow: split ${n.id} has no join`);
        const states: Json = {};
        (this.g.out.get(n.id) ?? []).forEach((e, i) => {
          const branch = [...region, `${n.id}#${i}`];
          states[`b${i}`] = {
            initial: e.target === join ? '$arrived' : e.target,
            states: {
              ...this.regionStates(branch),
              $arrived: { id: `${n.id}$b${i}$arrived`, type: 'final' },
            },
          };
        });
        return { id: n.id, type: 'parallel', states, onDone: { target: `#${join}` } };
      }
      case 'end':
        return {
          id: n.id,
          type: 'final',
          entry: [this.action('endInstance', { node: n.id, outcome: n.data.outcome })],
        };
    }
  }

  machineConfig(): Json {
    const start = this.g.start;
    if (!start) throw new Error('workflow: no start node');
    return {
      id: '$flow',
      initial: start.id,
      context: ({ input }: { input: EngineInput }) => input.context,
      states: {
        ...this.regionStates([]),
        [REJECTED]: {
          id: REJECTED,
          type: 'final',
          entry: [this.action('endInstance', { node: null, outcome: 'rejected' })],
        },
        [CANCELLED]: {
          id: CANCELLED,
          type: 'final',
          entry: [this.action('endInstance', { node: null, outcome: 'cancelled' })],
        },
      },
      on: {
        withdraw: { target: `#${CANCELLED}`, actions: [this.action('withdrawInstance')] },
        cancel: { target: `#${CANCELLED}`, actions: [this.action('cancelInstance')] },
        urge: { actions: [this.action('urgeTasks')] },
        comment: { actions: [this.action('addComment')] },
      },
    };
  }
}

/**
 * Compile a parsed flow to an XState machine. Throws `DomainError('VALIDATION_FAILED')` with the issues
 * of `checkFlow` when the definition's structure is not sound (run `checkFlow` with the workspace
 * context before publishing to also catch unknown fields and roles).
 */
export function compileFlow(def: FlowDefinition, options: CompileOptions = {}): CompiledFlow {
  // The structure must be sound; workspace facts (fields, roles, who the rules find) are checkFlow's with
  // its context, before publishing — at run time an empty assignee list falls back to `emptyAssignee`.
  const issues: Issue[] = checkFlow(def).filter((i) => !WORKSPACE_CODES.has(i.code));
  if (issues.length > 0) throw new DomainError('VALIDATION_FAILED', { flow: def.key }, issues);
  const graph = analyseGraph(def);
  const filters = new Map<string, FilterNode>();
  if (options.entity) {
    for (const e of def.edges) {
      const f = e.data?.condition?.filter;
      if (f === undefined) continue;
      const r = validateFilter(options.entity, f);
      if (r.ok) filters.set(e.id, r.value);
    }
  }
  const builder = new ConfigBuilder(def, graph);
  const config = builder.machineConfig();
  const current: { env: RunEnv | null } = { env: null };
  const impl = makeImplementations(def, filters, current);
  const missing = [
    ...[...builder.guardNames].filter((n) => !Object.hasOwn(impl.guards, n)).map((n) => `guard ${n}`),
    ...[...builder.actionNames].filter((n) => !Object.hasOwn(impl.actions, n)).map((n) => `action ${n}`),
  ];
  if (missing.length > 0) throw new Error(`workflow: the machine names unimplemented ${missing.join(', ')}`);
  const machine = setup({
    types: {} as { context: FlowContext; events: EngineEvent; input: EngineInput },
    guards: impl.guards,
    actions: impl.actions as never,
  }).createMachine(config as never);
  return {
    definition: def,
    graph,
    machine: machine as unknown as AnyStateMachine,
    ...(options.entity ? { entity: options.entity } : {}),
    guardNames: [...builder.guardNames].sort(),
    actionNames: [...builder.actionNames].sort(),
    filters,
    current,
  };
}

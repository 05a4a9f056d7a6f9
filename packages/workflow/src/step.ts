import { DomainError, type Message } from '@formwork/metadata';
import { type AnyActorScope, type AnyMachineSnapshot, createActor, initialTransition } from 'xstate';
import { isActiveMember } from './assignees.js';
import type { CompiledFlow } from './compile.js';
import {
  accessOf,
  type EngineInput,
  type FlowContext,
  FlowLoopError,
  initialContext,
  isParticipant,
  openTasksOf,
  type RunEnv,
} from './engine.js';
import { earlierNodes } from './graph.js';
import { REFUSAL_MESSAGES } from './messages.js';
import type {
  Effect,
  FieldAccess,
  FlowEvent,
  RecordData,
  Refusal,
  RefusalCode,
  StepEnv,
  Task,
} from './types.js';

/**
 * The pure step of an instance: `(compiled flow, snapshot, event, env) → (next snapshot, effects)` with
 * XState's pure `initialTransition` / `transition`. The snapshot is plain JSON (the runtime stores it in
 * PostgreSQL); effects are plain data the runtime carries out in the same transaction or from its outbox.
 * An event that does not apply is refused with a typed reason, and nothing changes.
 */

export const SNAPSHOT_VERSION = 1;

/** Thrown by `step` when the event needed the record and `env.record` was {@link RECORD_NOT_LOADED}. */
export class RecordNotLoaded extends Error {
  constructor() {
    super('workflow: this step reads the record; load it and step again');
    this.name = 'RecordNotLoaded';
  }
}

const notLoaded = (): never => {
  throw new RecordNotLoaded();
};

/**
 * A stand-in for `env.record` when reading the record would cost the caller a query: most events (an
 * approval among several countersigners, a comment, an urge) never look at it. Any use of it — a
 * property read, a spread, a key test — throws {@link RecordNotLoaded}; the caller then reads the record
 * and steps again, which is safe because `step` is pure.
 */
export const RECORD_NOT_LOADED: RecordData = new Proxy(Object.freeze({}), {
  get: notLoaded,
  has: notLoaded,
  ownKeys: notLoaded,
  getOwnPropertyDescriptor: notLoaded,
});

export interface InstanceSnapshot {
  version: typeof SNAPSHOT_VERSION;
  /** XState state value (node ids; parallel splits nest their branches `b0`, `b1`…). */
  value: unknown;
  status: 'active' | 'done';
  context: FlowContext;
}

export type StepResult =
  | { ok: true; snapshot: InstanceSnapshot; effects: Effect[] }
  | { ok: false; refusal: Refusal };

export interface StartOptions extends StepEnv {
  submitter: string;
}

const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

function runEnv(env: StepEnv, record = env.record): RunEnv {
  if (!(env.now instanceof Date) || !Number.isFinite(env.now.getTime()))
    throw new TypeError('workflow: env.now must be a valid Date');
  return {
    visits: 0,
    record,
    directory: env.directory,
    now: env.now,
    nowIso: env.now.toISOString(),
    ids: env.ids,
    timeZone: env.timeZone ?? DEFAULT_TIME_ZONE,
  };
}

function persist(next: AnyMachineSnapshot): { snapshot: InstanceSnapshot; effects: Effect[] } {
  // initialTransition reports an exception in an action as an error snapshot; transition throws it.
  if (next.status === 'error') {
    if (next.error instanceof FlowLoopError || next.error instanceof RecordNotLoaded) throw next.error;
    throw new Error(`workflow: the machine failed: ${String(next.error)}`);
  }
  const context = next.context as FlowContext;
  const effects = context.outbox;
  const snapshot: InstanceSnapshot = {
    version: SNAPSHOT_VERSION,
    value: next.value,
    status: next.status === 'done' ? 'done' : 'active',
    context: { ...context, outbox: [] },
  };
  // Every action builds the context from JSON-safe data only, so the snapshot is JSON as it is (a
  // property test checks that its JSON round trip is strictly equal).
  return { snapshot, effects };
}

/** Start an instance for `submitter`: the start node is passed and the first nodes entered. */
export function startInstance(
  compiled: CompiledFlow,
  options: StartOptions,
): { snapshot: InstanceSnapshot; effects: Effect[] } {
  const env = runEnv(options);
  const input: EngineInput = {
    context: initialContext(compiled.definition.key, options.submitter, env.nowIso),
    $env: env,
  };
  compiled.current.env = env;
  try {
    const [next] = initialTransition(compiled.machine, input);
    return persist(next);
  } catch (e) {
    if (e instanceof FlowLoopError) {
      throw new DomainError(
        'VALIDATION_FAILED',
        { code: 'loopDetected', node: e.nodeId },
        [],
        REFUSAL_MESSAGES.loopDetected,
      );
    }
    throw e;
  } finally {
    compiled.current.env = null;
  }
}

function refuse(code: RefusalCode, details?: Record<string, unknown>, message?: Message): StepResult {
  return {
    ok: false,
    refusal: { code, message: message ?? REFUSAL_MESSAGES[code], ...(details ? { details } : {}) },
  };
}

const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 200;
const optStr = (v: unknown) => v === undefined || (typeof v === 'string' && v.length <= 5000);
const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The event's shape; a message naming the bad property, or null when it is well-formed. */
function malformed(event: unknown): string | null {
  if (!isObj(event) || typeof event.type !== 'string') return 'type';
  const e = event;
  const task = () => (str(e.taskId) ? (str(e.actor) ? null : 'actor') : 'taskId');
  switch (e.type) {
    case 'approve':
    case 'submit':
      return (
        task() ??
        (optStr(e.comment) ? null : 'comment') ??
        (e.fields === undefined || isObj(e.fields) ? null : 'fields')
      );
    case 'reject':
      return (
        task() ??
        (optStr(e.comment) ? null : 'comment') ??
        (e.to === undefined || str(e.to) ? null : 'to') ??
        (e.fields === undefined || isObj(e.fields) ? null : 'fields')
      );
    case 'transfer':
    case 'reassign':
      return task() ?? (str(e.to) ? null : 'to') ?? (optStr(e.comment) ? null : 'comment');
    case 'addSigner':
      return (
        task() ??
        (Array.isArray(e.members) && e.members.length > 0 && e.members.length <= 50 && e.members.every(str)
          ? null
          : 'members') ??
        (e.position === 'before' || e.position === 'after' ? null : 'position') ??
        (optStr(e.comment) ? null : 'comment')
      );
    case 'withdraw':
    case 'urge':
    case 'cancel':
      return str(e.actor) ? (optStr(e.comment) ? null : 'comment') : 'actor';
    case 'comment':
      return str(e.actor)
        ? typeof e.comment === 'string' && e.comment.trim() !== '' && e.comment.length <= 5000
          ? e.taskId === undefined || str(e.taskId)
            ? null
            : 'taskId'
          : 'comment'
        : 'actor';
    case 'timer':
      return str(e.key) ? null : 'key';
    case 'subFlowEnded':
      return str(e.key)
        ? ['approved', 'rejected', 'cancelled'].includes(String(e.outcome))
          ? null
          : 'outcome'
        : 'key';
    default:
      return 'type';
  }
}

function openTask(c: FlowContext, taskId: string, actor: string): { task: Task } | StepResult {
  const task = c.tasks[taskId];
  if (!task) return refuse('unknownTask', { taskId });
  if (task.status !== 'open') return refuse('taskClosed', { taskId, status: task.status });
  if (task.assignee !== actor) return refuse('notAssignee', { taskId, actor });
  return { task };
}

/** Refuse an event that does not apply to the instance as it is; null when it may go ahead. */
function precheck(compiled: CompiledFlow, c: FlowContext, event: FlowEvent, env: StepEnv): StepResult | null {
  const nodeOf = (id: string) => compiled.graph.nodes.get(id);
  switch (event.type) {
    case 'approve':
    case 'reject':
    case 'submit':
    case 'transfer':
    case 'addSigner': {
      const r = openTask(c, event.taskId, event.actor);
      if (!('task' in r)) return r;
      const task = r.task;
      const node = nodeOf(task.nodeId);
      if (!node) return refuse('unknownTask', { taskId: task.id });
      const kindOk =
        event.type === 'submit'
          ? task.kind === 'fillIn' || task.kind === 'resubmit'
          : event.type === 'transfer'
            ? task.kind === 'approval' || task.kind === 'fillIn'
            : task.kind === 'approval';
      if (!kindOk) return refuse('wrongTaskKind', { taskId: task.id, kind: task.kind, action: event.type });
      if ('fields' in event && event.fields) {
        const access = accessOf(node);
        const denied = Object.keys(event.fields).filter(
          (k) => (access.fields[k] ?? access.defaultAccess) !== 'editable',
        );
        if (denied.length > 0) return refuse('fieldNotEditable', { fields: denied, node: node.id });
      }
      if (node.type === 'approval') {
        const comment = 'comment' in event ? (event.comment ?? '').trim() : '';
        if (event.type === 'reject' && (node.data.commentOnReject ?? true) && comment === '') {
          return refuse('commentRequired', { action: 'reject' });
        }
        if (event.type === 'approve' && node.data.commentOnApprove === true && comment === '') {
          return refuse('commentRequired', { action: 'approve' });
        }
        if (event.type === 'reject') {
          const allowed = node.data.rejectTo ?? ['end'];
          const to = event.to;
          if (to !== undefined) {
            const ok =
              (to === 'end' && allowed.includes('end')) ||
              (to === 'submitter' && allowed.includes('submitter')) ||
              (to !== 'end' &&
                to !== 'submitter' &&
                allowed.includes('node') &&
                earlierNodes(compiled.graph, node.id).includes(to) &&
                (c.rounds[to] ?? 0) > 0);
            if (!ok) return refuse('invalidRejectTarget', { to, allowed });
          } else if (!allowed.includes('end') && !allowed.includes('submitter')) {
            // Only "an earlier node" is allowed: the rejecter has to choose which.
            return refuse('invalidRejectTarget', { to: null, allowed });
          }
        }
        if (event.type === 'addSigner' && node.data.allowAddSigner === false)
          return refuse('actionNotAllowed', { action: 'addSigner' });
      }
      if (event.type === 'transfer') {
        if ((node.type === 'approval' || node.type === 'fillIn') && node.data.allowTransfer === false) {
          return refuse('actionNotAllowed', { action: 'transfer' });
        }
        if (event.to === event.actor) return refuse('alreadySigner', { member: event.to });
        if (!isActiveMember(env.directory, event.to)) return refuse('unknownMember', { member: event.to });
        if (openTasksOf(c, node.id).some((t) => t.assignee === event.to))
          return refuse('alreadySigner', { member: event.to });
      }
      if (event.type === 'addSigner') {
        for (const member of event.members) {
          if (!isActiveMember(env.directory, member)) return refuse('unknownMember', { member });
          if (member === event.actor || openTasksOf(c, node.id).some((t) => t.assignee === member)) {
            return refuse('alreadySigner', { member });
          }
        }
      }
      return null;
    }
    case 'reassign': {
      const task = c.tasks[event.taskId];
      if (!task) return refuse('unknownTask', { taskId: event.taskId });
      if (task.status !== 'open') return refuse('taskClosed', { taskId: task.id, status: task.status });
      if (task.kind === 'resubmit')
        return refuse('wrongTaskKind', { taskId: task.id, kind: task.kind, action: 'reassign' });
      if (!isActiveMember(env.directory, event.to)) return refuse('unknownMember', { member: event.to });
      if (openTasksOf(c, task.nodeId).some((t) => t.assignee === event.to)) {
        return refuse('alreadySigner', { member: event.to });
      }
      return null;
    }
    case 'withdraw': {
      if (event.actor !== c.submitter) return refuse('notSubmitter', { actor: event.actor });
      const returned = openTasksOf(c).some((t) => t.kind === 'resubmit');
      if (c.acted && !returned) return refuse('alreadyActed');
      return null;
    }
    case 'urge':
      if (event.actor !== c.submitter) return refuse('notSubmitter', { actor: event.actor });
      if (openTasksOf(c).filter((t) => t.kind !== 'resubmit').length === 0) return refuse('nothingToUrge');
      return null;
    case 'comment':
      if (!isParticipant(c, event.actor)) return refuse('notParticipant', { actor: event.actor });
      if (event.taskId !== undefined && !c.tasks[event.taskId])
        return refuse('unknownTask', { taskId: event.taskId });
      return null;
    case 'timer':
      if (!c.timers[event.key]) return refuse('staleTimer', { key: event.key });
      return null;
    case 'subFlowEnded':
      if (!c.subFlows[event.key]) return refuse('unknownSubFlow', { key: event.key });
      return null;
    case 'cancel':
      return null;
  }
}

/**
 * XState's `transition(machine, …)` builds a throwaway actor — and with it the machine's initial snapshot —
 * on every call, a sixth of an approval's CPU time. A compiled flow keeps one inert scope instead: its
 * machine only assigns, so no action is ever executed through the scope, and nothing in it changes.
 */
const inertScopes = new WeakMap<CompiledFlow, AnyActorScope>();

function inertScope(compiled: CompiledFlow): AnyActorScope {
  let scope = inertScopes.get(compiled);
  if (!scope) {
    const self = createActor(compiled.machine);
    const none = () => {};
    scope = {
      self,
      id: '',
      sessionId: '',
      system: self.system,
      logger: none,
      defer: none,
      emit: none,
      stopChild: none,
      actionExecutor: none,
    };
    inertScopes.set(compiled, scope);
  }
  return scope;
}

/** Restore the XState snapshot of a stored instance snapshot. */
export function restoreSnapshot(compiled: CompiledFlow, snapshot: InstanceSnapshot): AnyMachineSnapshot {
  return compiled.machine.resolveState({
    value: snapshot.value as never,
    context: snapshot.context,
    status: snapshot.status,
  } as never);
}

/**
 * Apply one event. The env's `record` is the record as stored now; field edits carried by the event are
 * merged into it for conditions evaluated in the same step (and come back as an `updateRecord` effect).
 */
export function step(
  compiled: CompiledFlow,
  snapshot: InstanceSnapshot,
  event: FlowEvent,
  env: StepEnv,
): StepResult {
  const bad = malformed(event);
  if (bad !== null) {
    return refuse(
      'invalidEvent',
      { property: bad },
      { 'zh-CN': `事件格式不正确：${bad}`, en: `The event is malformed: ${bad}` },
    );
  }
  const c = snapshot.context;
  if (snapshot.status === 'done' || c.status === 'ended') return refuse('instanceEnded');
  const refusal = precheck(compiled, c, event, env);
  if (refusal) return refusal;
  const fields = 'fields' in event && event.fields ? event.fields : undefined;
  const e = runEnv(env, fields ? { ...env.record, ...fields } : env.record);
  const restored = restoreSnapshot(compiled, snapshot);
  compiled.current.env = e;
  try {
    const next = compiled.machine.transition(restored, { ...event, $env: e } as never, inertScope(compiled));
    if (next.context === restored.context) return refuse('actionNotAllowed', { event: event.type });
    return { ok: true, ...persist(next) };
  } catch (err) {
    if (err instanceof FlowLoopError) return refuse('loopDetected', { node: err.nodeId });
    throw err;
  } finally {
    compiled.current.env = null;
  }
}

// ---------------------------------------------------------------------------------------------
// Reading a snapshot

/** Node ids the instance currently sits at (several inside parallel branches). */
export function activeNodes(compiled: CompiledFlow, snapshot: InstanceSnapshot): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') {
      if (compiled.graph.nodes.has(v)) out.push(v);
      return;
    }
    if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        if (compiled.graph.nodes.has(k)) out.push(k);
        walk(child);
      }
    }
  };
  walk(snapshot.value);
  return [...new Set(out)].filter((id) => compiled.graph.nodes.get(id)?.type !== 'parallelSplit');
}

export function openTasks(snapshot: InstanceSnapshot): Task[] {
  return openTasksOf(snapshot.context);
}

export interface NodeFieldAccess {
  nodeId: string;
  /** True while the instance sits at the node; otherwise nothing is editable. */
  active: boolean;
  defaultAccess: FieldAccess;
  /** Every field of the entity (when compiled with it) and every field the node names. */
  fields: Record<string, FieldAccess>;
}

/**
 * Field permissions at a node: editable / readOnly / hidden. When the instance is not at the node the
 * record cannot be edited through it (editable becomes readOnly; hidden stays hidden).
 */
export function fieldAccessAt(
  compiled: CompiledFlow,
  snapshot: InstanceSnapshot,
  nodeId: string,
): NodeFieldAccess {
  const node = compiled.graph.nodes.get(nodeId);
  const access = accessOf(node);
  const active = snapshot.status === 'active' && activeNodes(compiled, snapshot).includes(nodeId);
  const clamp = (a: FieldAccess): FieldAccess => (active || a === 'hidden' ? a : 'readOnly');
  const fields: Record<string, FieldAccess> = {};
  for (const f of compiled.entity?.fields ?? [])
    fields[f.key] = clamp(access.fields[f.key] ?? access.defaultAccess);
  for (const [k, a] of Object.entries(access.fields)) fields[k] = clamp(a);
  return { nodeId, active, defaultAccess: clamp(access.defaultAccess), fields };
}

/** The access of one field from a `fieldAccessAt` result. */
export function accessOfField(access: NodeFieldAccess, field: string): FieldAccess {
  return access.fields[field] ?? access.defaultAccess;
}

import type { Message } from '@formwork/metadata';
import { resolveAssignees } from './assignees.js';
import { addDuration, instantOfValue } from './duration.js';
import type { FlowGraph } from './graph.js';
import type {
  ApprovalMode,
  AssigneeRule,
  Deadline,
  Directory,
  Effect,
  FieldAccess,
  FlowEvent,
  FlowNode,
  HistoryAction,
  NodeOf,
  RecordData,
  Task,
  TaskKind,
  TaskStatus,
  TimerPurpose,
} from './types.js';
import { m } from './validate-schema.js';
import { evaluateSet, renderMessage } from './values.js';

/**
 * The instance state an XState machine carries in its context, and the operations its named actions
 * perform on it. Every operation works on a draft copy and appends effects to `outbox`; `step` drains the
 * outbox after each transition. Nothing here reads a clock or creates ids: both come in the event's env.
 */

export interface Seat {
  /** The signers of this seat, in order: add-signer inserts here, transfer replaces. */
  chain: string[];
  /** Index of the signer whose turn it is. */
  pos: number;
  taskId: string | null;
  status: 'waiting' | 'active' | 'approved' | 'rejected' | 'cancelled';
}

export interface NodeRun {
  nodeId: string;
  kind: 'start' | 'approval' | 'fillIn' | 'wait' | 'subFlow';
  round: number;
  mode: ApprovalMode;
  threshold: number;
  seats: Seat[];
  decision: 'pending' | 'approved' | 'rejected';
  /** Where a rejection sends the instance: `end`, `submitter` or a node id. */
  rejectTo?: string;
  enteredAt: string;
  /** The deadline of this visit (ISO), when the node has one. */
  dueAt?: string;
  reminders: number;
}

export interface TimerInfo {
  nodeId: string;
  purpose: TimerPurpose;
  at: string;
}

export interface FlowContext {
  flow: string;
  submitter: string;
  startedAt: string;
  status: 'running' | 'ended';
  outcome?: 'approved' | 'rejected' | 'cancelled';
  tasks: Record<string, Task>;
  runs: Record<string, NodeRun>;
  /** Visits per node (keys of timers and sub-flows carry the round, so stale ones are recognised). */
  rounds: Record<string, number>;
  timers: Record<string, TimerInfo>;
  subFlows: Record<string, { nodeId: string; round: number }>;
  /** Members who got a carbon copy (they may comment). */
  ccd: string[];
  /** Someone other than the submitter acted since the last submission (withdraw is refused). */
  acted: boolean;
  outbox: Effect[];
}

/** The per-step environment, carried inside the event given to XState (never stored). */
export interface RunEnv {
  /** Nodes entered during this step (a guard against loops that never wait). */
  visits: number;
  record: RecordData;
  directory: Directory;
  now: Date;
  nowIso: string;
  ids: () => string;
  timeZone: string;
  /**
   * The copy of the context this step's first action made: the step's later actions change it in place
   * rather than copying it again (no one else holds it; the stored snapshot is never touched).
   */
  draft?: FlowContext;
}

export type EngineEvent = FlowEvent & { $env: RunEnv };

export interface EngineInput {
  context: FlowContext;
  $env: RunEnv;
}

/** The env of an event given to the machine (`xstate.init` carries it in its input). */
export function envOf(event: unknown, current?: { env: RunEnv | null }): RunEnv {
  // Internal events (a parallel state's done event) carry no env: the step's current env is used.
  const e = event as { $env?: RunEnv; input?: { $env?: RunEnv } };
  const env = e.$env ?? e.input?.$env ?? current?.env ?? undefined;
  if (!env) throw new Error('workflow: event without env');
  return env;
}

export interface EngineDeps {
  graph: FlowGraph;
  flowKey: string;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function emit(c: FlowContext, e: Effect): void {
  c.outbox.push(e);
}

function history(
  c: FlowContext,
  env: RunEnv,
  action: HistoryAction,
  nodeId: string | null,
  extra: Omit<Extract<Effect, { type: 'history' }>, 'type' | 'action' | 'at' | 'nodeId'> = {},
): void {
  emit(c, { type: 'history', action, at: env.nowIso, nodeId, ...extra });
}

function notify(
  c: FlowContext,
  to: string[],
  kind: Extract<Effect, { type: 'notify' }>['kind'],
  title: Message,
  extra: { taskId?: string; nodeId?: string; body?: Message } = {},
): void {
  if (to.length === 0) return;
  emit(c, { type: 'notify', to: [...new Set(to)], kind, channels: ['inApp'], title, ...extra });
}

export function nodeLabel(node: FlowNode): Message {
  const l = node.data.label;
  if (typeof l === 'string' && l !== '') return { 'zh-CN': l, en: l };
  if (l && typeof l === 'object') {
    const zh = l['zh-CN'] || l.en || node.id;
    return { 'zh-CN': zh, en: l.en || l['zh-CN'] || node.id };
  }
  return { 'zh-CN': node.id, en: node.id };
}

export function accessOf(node: FlowNode | undefined): {
  fields: Record<string, FieldAccess>;
  defaultAccess: FieldAccess;
} {
  if (!node) return { fields: {}, defaultAccess: 'readOnly' };
  if (node.type === 'approval')
    return { fields: { ...(node.data.fields ?? {}) }, defaultAccess: node.data.defaultAccess ?? 'readOnly' };
  if (node.type === 'fillIn')
    return { fields: { ...(node.data.fields ?? {}) }, defaultAccess: node.data.defaultAccess ?? 'editable' };
  if (node.type === 'start')
    return { fields: { ...(node.data.fields ?? {}) }, defaultAccess: node.data.defaultAccess ?? 'editable' };
  return { fields: {}, defaultAccess: 'readOnly' };
}

export function openTasksOf(c: FlowContext, nodeId?: string): Task[] {
  return Object.values(c.tasks).filter(
    (t) => t.status === 'open' && (nodeId === undefined || t.nodeId === nodeId),
  );
}

function newTask(
  c: FlowContext,
  env: RunEnv,
  node: FlowNode,
  assignee: string,
  kind: TaskKind,
  origin: NonNullable<Task['origin']>,
  from?: string,
): string {
  const id = env.ids();
  const round = c.rounds[node.id] ?? 1;
  const task: Task = {
    id,
    nodeId: node.id,
    kind,
    assignee,
    status: 'open',
    createdAt: env.nowIso,
    round,
    origin,
  };
  if (from !== undefined) task.from = from;
  const dueAt = c.runs[node.id]?.dueAt;
  if (dueAt !== undefined && kind !== 'resubmit') task.dueAt = dueAt;
  c.tasks[id] = task;
  const access = accessOf(node);
  emit(c, {
    type: 'createTask',
    task: { ...task },
    fieldAccess: access.fields,
    defaultAccess: access.defaultAccess,
  });
  const label = nodeLabel(node);
  notify(c, [assignee], 'taskCreated', m(`你有新的待办：${label['zh-CN']}`, `New task: ${label.en}`), {
    taskId: id,
    nodeId: node.id,
  });
  return id;
}

function closeTask(
  c: FlowContext,
  env: RunEnv,
  taskId: string,
  status: Exclude<TaskStatus, 'open'>,
  by?: string,
): void {
  const t = c.tasks[taskId];
  if (t === undefined || t.status !== 'open') return;
  t.status = status;
  t.closedAt = env.nowIso;
  emit(c, { type: 'closeTask', taskId, status, ...(by !== undefined ? { by } : {}) });
}

function schedule(c: FlowContext, key: string, at: string, nodeId: string, purpose: TimerPurpose): void {
  c.timers[key] = { nodeId, purpose, at };
  emit(c, { type: 'scheduleTimer', key, at, nodeId, purpose });
}

function cancelTimers(c: FlowContext, nodeId: string): void {
  for (const [key, t] of Object.entries(c.timers)) {
    if (t.nodeId !== nodeId) continue;
    delete c.timers[key];
    emit(c, { type: 'cancelTimer', key });
  }
}

function resolveCtx(c: FlowContext, env: RunEnv) {
  return { directory: env.directory, submitter: c.submitter, record: env.record };
}

function resolve(c: FlowContext, env: RunEnv, rules: readonly AssigneeRule[]): string[] {
  return resolveAssignees(rules, resolveCtx(c, env));
}

// ---------------------------------------------------------------------------------------------
// Seats and decisions

function activateSeat(
  c: FlowContext,
  env: RunEnv,
  node: FlowNode,
  run: NodeRun,
  seat: Seat,
  origin: NonNullable<Task['origin']>,
  from?: string,
): void {
  const who = seat.chain[seat.pos];
  if (who === undefined) return;
  const kind: TaskKind = run.kind === 'fillIn' ? 'fillIn' : run.kind === 'start' ? 'resubmit' : 'approval';
  seat.taskId = newTask(c, env, node, who, kind, origin, from);
  seat.status = 'active';
}

function decide(run: NodeRun): void {
  const total = run.seats.length;
  const approved = run.seats.filter((s) => s.status === 'approved').length;
  const rejected = run.seats.filter((s) => s.status === 'rejected').length;
  switch (run.mode) {
    case 'or':
      if (approved > 0) run.decision = 'approved';
      else if (rejected > 0) run.decision = 'rejected';
      break;
    case 'and':
    case 'sequential':
      if (rejected > 0) run.decision = 'rejected';
      else if (approved === total) run.decision = 'approved';
      break;
    case 'threshold': {
      const need = Math.ceil(run.threshold * total - 1e-9);
      if (approved >= need) run.decision = 'approved';
      else if (total - rejected < need) run.decision = 'rejected';
      break;
    }
  }
}

function activateNextSequential(c: FlowContext, env: RunEnv, node: FlowNode, run: NodeRun): void {
  if (run.mode !== 'sequential' || run.decision !== 'pending') return;
  if (run.seats.some((s) => s.status === 'active')) return;
  const next = run.seats.find((s) => s.status === 'waiting');
  if (next) activateSeat(c, env, node, run, next, 'assignee');
}

function seatOfTask(run: NodeRun, taskId: string): Seat | undefined {
  return run.seats.find((s) => s.taskId === taskId && s.status === 'active');
}

/** The current signer of a seat approved: move along the chain, or mark the seat approved. */
function advanceSeat(c: FlowContext, env: RunEnv, node: FlowNode, run: NodeRun, seat: Seat): void {
  seat.pos += 1;
  seat.taskId = null;
  if (seat.pos < seat.chain.length) {
    activateSeat(c, env, node, run, seat, 'addSigner');
    return;
  }
  seat.status = 'approved';
  decide(run);
  activateNextSequential(c, env, node, run);
}

// ---------------------------------------------------------------------------------------------
// Entering nodes

/** Most nodes one step may enter: a loop whose nodes all pass straight through (e.g. approvals whose
 * assignees resolve to no one and auto-approve) would otherwise never stop. */
export const MAX_VISITS_PER_STEP = 200;

/** Thrown inside a transition that loops without waiting; `step` turns it into a refusal. */
export class FlowLoopError extends Error {
  constructor(readonly nodeId: string) {
    super(`workflow: the flow loops without waiting (at node ${nodeId})`);
    this.name = 'FlowLoopError';
  }
}

function bumpRound(c: FlowContext, nodeId: string, env?: RunEnv): number {
  if (env) {
    env.visits += 1;
    if (env.visits > MAX_VISITS_PER_STEP) throw new FlowLoopError(nodeId);
  }
  const round = (c.rounds[nodeId] ?? 0) + 1;
  c.rounds[nodeId] = round;
  return round;
}

function newRun(c: FlowContext, env: RunEnv, nodeId: string, kind: NodeRun['kind'], round: number): NodeRun {
  const run: NodeRun = {
    nodeId,
    kind,
    round,
    mode: 'or',
    threshold: 1,
    seats: [],
    decision: 'pending',
    enteredAt: env.nowIso,
    reminders: 0,
  };
  c.runs[nodeId] = run;
  return run;
}

export function enterStart(c: FlowContext, env: RunEnv, node: NodeOf<'start'>): void {
  const round = bumpRound(c, node.id, env);
  const run = newRun(c, env, node.id, 'start', round);
  if (round === 1) {
    history(c, env, 'start', node.id, { actor: c.submitter });
    run.decision = 'approved';
    return;
  }
  // Returned to the submitter: they resubmit (possibly after editing) or withdraw.
  run.seats = [{ chain: [c.submitter], pos: 0, taskId: null, status: 'waiting' }];
  activateSeat(c, env, node, run, run.seats[0] as Seat, 'return');
  notify(
    c,
    [c.submitter],
    'returned',
    m('你的申请已被退回，请修改后重新提交', 'Your request was returned to you; edit and resubmit it'),
    {
      nodeId: node.id,
    },
  );
}

function scheduleDeadline(
  c: FlowContext,
  env: RunEnv,
  node: FlowNode,
  run: NodeRun,
  deadline: Deadline | undefined,
): void {
  if (!deadline) return;
  const base = `${node.id}:${run.round}`;
  schedule(c, `${base}:deadline`, run.dueAt ?? addDuration(env.now, deadline.after), node.id, 'deadline');
  const r = deadline.reminders;
  const first = r?.first ?? r?.every;
  if (r && first) schedule(c, `${base}:reminder:1`, addDuration(env.now, first), node.id, 'reminder');
}

export function enterHuman(c: FlowContext, env: RunEnv, node: NodeOf<'approval'> | NodeOf<'fillIn'>): void {
  const round = bumpRound(c, node.id, env);
  const run = newRun(c, env, node.id, node.type, round);
  if (node.type === 'approval') {
    run.mode = node.data.mode ?? 'or';
    run.threshold = node.data.threshold ?? 1;
  }
  let people = resolve(c, env, node.data.assignees);
  const empty = node.data.emptyAssignee ?? { action: 'autoApprove' };
  if (people.length === 0 && empty.action === 'assign') people = resolve(c, env, empty.to);
  if (people.length === 0) {
    history(c, env, 'autoApprove', node.id, { detail: { reason: 'noAssignee' } });
    run.decision = 'approved';
    return;
  }
  if (node.data.deadline) run.dueAt = addDuration(env.now, node.data.deadline.after);
  run.seats = people.map((p) => ({ chain: [p], pos: 0, taskId: null, status: 'waiting' as const }));
  if (run.mode === 'sequential') activateSeat(c, env, node, run, run.seats[0] as Seat, 'assignee');
  else for (const seat of run.seats) activateSeat(c, env, node, run, seat, 'assignee');
  scheduleDeadline(c, env, node, run, node.data.deadline);
}

export function enterWait(c: FlowContext, env: RunEnv, node: NodeOf<'wait'>): void {
  const round = bumpRound(c, node.id, env);
  const run = newRun(c, env, node.id, 'wait', round);
  let at: string;
  if ('duration' in node.data) {
    at = addDuration(env.now, node.data.duration);
  } else {
    const base = instantOfValue(env.record[node.data.untilField], env.timeZone);
    if (!base) {
      history(c, env, 'enter', node.id, { detail: { skipped: 'emptyDate', field: node.data.untilField } });
      run.decision = 'approved';
      return;
    }
    at = node.data.offset
      ? addDuration(base, node.data.offset, node.data.direction === 'before' ? -1 : 1)
      : base.toISOString();
  }
  schedule(c, `${node.id}:${round}:wait`, at, node.id, 'wait');
}

export function enterSubFlow(c: FlowContext, env: RunEnv, node: NodeOf<'subFlow'>): void {
  const round = bumpRound(c, node.id, env);
  const run = newRun(c, env, node.id, 'subFlow', round);
  const wait = node.data.wait ?? true;
  const key = `${node.id}:${round}:${env.ids()}`;
  emit(c, { type: 'startSubFlow', key, flow: node.data.flow, nodeId: node.id, wait });
  if (wait) c.subFlows[key] = { nodeId: node.id, round };
  else run.decision = 'approved';
}

export function sendCc(c: FlowContext, env: RunEnv, node: NodeOf<'cc'>): void {
  const to = resolve(c, env, node.data.to);
  for (const id of to) if (!c.ccd.includes(id)) c.ccd.push(id);
  if (to.length > 0) emit(c, { type: 'cc', to, nodeId: node.id });
  history(c, env, 'enter', node.id, { to, detail: { cc: true } });
}

export function runActions(c: FlowContext, env: RunEnv, node: NodeOf<'action'>): void {
  for (const a of node.data.actions) {
    if (a.type === 'updateRecord') {
      const r = evaluateSet(a.set, {
        record: env.record,
        now: env.now,
        timeZone: env.timeZone,
        extra: { $submitter: c.submitter },
      });
      if (!r.ok) {
        history(c, env, 'enter', node.id, { detail: { error: r.message, field: r.field } });
        continue;
      }
      env.record = { ...env.record, ...r.changes };
      emit(c, { type: 'updateRecord', changes: r.changes, source: 'workflow' });
      history(c, env, 'enter', node.id, { changes: r.changes });
    } else if (a.type === 'notify') {
      const vc = { record: env.record, now: env.now, timeZone: env.timeZone };
      emit(c, {
        type: 'notify',
        to: resolve(c, env, a.to),
        kind: 'custom',
        nodeId: node.id,
        channels: a.channels ?? ['inApp'],
        title: renderMessage(a.title, vc),
        ...(a.body !== undefined ? { body: renderMessage(a.body, vc) } : {}),
      });
    } else {
      emit(c, {
        type: 'callWebhook',
        url: a.url,
        method: a.method ?? 'POST',
        headers: a.headers ?? {},
        body: {
          event: 'flow.action',
          flow: c.flow,
          node: node.id,
          submitter: c.submitter,
          record: env.record,
          at: env.nowIso,
        },
      });
    }
  }
}

export function endInstance(
  c: FlowContext,
  env: RunEnv,
  nodeId: string | null,
  outcome: 'approved' | 'rejected' | 'cancelled',
): void {
  c.status = 'ended';
  c.outcome = outcome;
  for (const t of openTasksOf(c)) closeTask(c, env, t.id, 'cancelled');
  for (const key of Object.keys(c.timers)) {
    delete c.timers[key];
    emit(c, { type: 'cancelTimer', key });
  }
  history(c, env, 'end', nodeId, { detail: { outcome } });
  const words = {
    approved: ['已通过', 'approved'],
    rejected: ['未通过', 'rejected'],
    cancelled: ['已取消', 'cancelled'],
  }[outcome];
  notify(c, [c.submitter], 'ended', m(`你发起的流程${words[0]}`, `Your request was ${words[1]}`));
  emit(c, { type: 'instanceEnded', outcome, nodeId });
}

/** Leaving a node (decided, rejected past, withdrawn…): close what is still open there, cancel its timers. */
export function leaveNode(c: FlowContext, env: RunEnv, nodeId: string): void {
  for (const t of openTasksOf(c, nodeId)) closeTask(c, env, t.id, 'cancelled');
  const run = c.runs[nodeId];
  if (run)
    for (const s of run.seats) if (s.status === 'active' || s.status === 'waiting') s.status = 'cancelled';
  cancelTimers(c, nodeId);
  for (const [key, sf] of Object.entries(c.subFlows)) if (sf.nodeId === nodeId) delete c.subFlows[key];
}

// ---------------------------------------------------------------------------------------------
// Task actions

export function applyTaskEvent(c: FlowContext, env: RunEnv, node: FlowNode, event: FlowEvent): void {
  if (!('taskId' in event) || event.taskId === undefined || !('actor' in event)) return;
  const run = c.runs[node.id];
  const task = c.tasks[event.taskId];
  if (!run || !task) return;
  const seat = seatOfTask(run, task.id);
  if (!seat) return;
  const comment = 'comment' in event ? event.comment : undefined;
  const base = { actor: event.actor, taskId: task.id, ...(comment !== undefined ? { comment } : {}) };
  const fields = 'fields' in event ? event.fields : undefined;
  const changes = fields && Object.keys(fields).length > 0 ? fields : undefined;
  if (changes) emit(c, { type: 'updateRecord', changes, source: 'workflow', by: event.actor });
  if (run.kind !== 'start' && event.type !== 'reassign') c.acted = true;
  switch (event.type) {
    case 'approve':
    case 'submit': {
      const status = event.type === 'approve' ? 'approved' : 'submitted';
      closeTask(c, env, task.id, status, event.actor);
      const action: HistoryAction = run.kind === 'start' ? 'resubmit' : event.type;
      history(c, env, action, node.id, { ...base, ...(changes ? { changes } : {}) });
      if (run.kind === 'start') {
        seat.status = 'approved';
        run.decision = 'approved';
        c.acted = false;
        return;
      }
      advanceSeat(c, env, node, run, seat);
      return;
    }
    case 'reject': {
      closeTask(c, env, task.id, 'rejected', event.actor);
      const to = event.to ?? defaultRejectTarget(node);
      history(c, env, 'reject', node.id, { ...base, ...(changes ? { changes } : {}), detail: { to } });
      seat.status = 'rejected';
      seat.taskId = null;
      const before = run.decision;
      decide(run);
      if (before === 'pending' && run.decision === 'rejected') run.rejectTo = to;
      activateNextSequential(c, env, node, run);
      return;
    }
    case 'transfer': {
      closeTask(c, env, task.id, 'transferred', event.actor);
      history(c, env, 'transfer', node.id, { ...base, to: [event.to] });
      seat.chain[seat.pos] = event.to;
      activateSeat(c, env, node, run, seat, 'transfer', event.actor);
      return;
    }
    case 'reassign': {
      const previous = task.assignee;
      closeTask(c, env, task.id, 'transferred', event.actor);
      history(c, env, 'reassign', node.id, { ...base, to: [event.to], detail: { from: previous } });
      seat.chain[seat.pos] = event.to;
      activateSeat(c, env, node, run, seat, 'transfer', previous);
      return;
    }
    case 'addSigner': {
      const members = [...new Set(event.members)];
      history(c, env, 'addSigner', node.id, { ...base, to: members, detail: { position: event.position } });
      if (event.position === 'before') {
        closeTask(c, env, task.id, 'delegated', event.actor);
        seat.chain.splice(seat.pos, 0, ...members);
        activateSeat(c, env, node, run, seat, 'addSigner', event.actor);
      } else {
        closeTask(c, env, task.id, 'approved', event.actor);
        seat.chain.splice(seat.pos + 1, 0, ...members);
        seat.pos += 1;
        activateSeat(c, env, node, run, seat, 'addSigner', event.actor);
      }
      return;
    }
    default:
      return;
  }
}

export function defaultRejectTarget(node: FlowNode): string {
  if (node.type !== 'approval') return 'end';
  // The first of the node's targets that needs no choice; `end` when only "an earlier node" is allowed.
  return (node.data.rejectTo ?? ['end']).find((t) => t !== 'node') ?? 'end';
}

// ---------------------------------------------------------------------------------------------
// Timers and sub-flows

export function handleTimer(c: FlowContext, env: RunEnv, node: FlowNode, key: string): void {
  const timer = c.timers[key];
  const run = c.runs[node.id];
  if (!timer || !run) return;
  delete c.timers[key];
  if (timer.purpose === 'wait') {
    history(c, env, 'timeout', node.id, { detail: { wait: true } });
    run.decision = 'approved';
    return;
  }
  if (node.type !== 'approval' && node.type !== 'fillIn') return;
  const deadline = node.data.deadline;
  const open = openTasksOf(c, node.id);
  const label = nodeLabel(node);
  if (timer.purpose === 'reminder') {
    run.reminders += 1;
    notify(
      c,
      open.map((t) => t.assignee),
      'reminder',
      m(`待办提醒：${label['zh-CN']}`, `Reminder: ${label.en}`),
      { nodeId: node.id },
    );
    const r = deadline?.reminders;
    const max = r?.max ?? (r?.every ? 3 : 1);
    if (r?.every && run.reminders < max) {
      schedule(
        c,
        `${node.id}:${run.round}:reminder:${run.reminders + 1}`,
        addDuration(env.now, r.every),
        node.id,
        'reminder',
      );
    }
    return;
  }
  // The deadline passed.
  const onTimeout = deadline?.onTimeout ?? { action: 'notify' as const };
  history(c, env, 'timeout', node.id, { detail: { action: onTimeout.action } });
  switch (onTimeout.action) {
    case 'approve':
      for (const seat of run.seats) {
        if (seat.status !== 'active' && seat.status !== 'waiting') continue;
        if (seat.taskId) closeTask(c, env, seat.taskId, node.type === 'fillIn' ? 'submitted' : 'approved');
        seat.status = 'approved';
        seat.taskId = null;
      }
      run.decision = 'approved';
      return;
    case 'reject':
      for (const t of open) closeTask(c, env, t.id, 'cancelled');
      run.rejectTo = defaultRejectTarget(node);
      run.decision = 'rejected';
      return;
    case 'escalate': {
      const to = resolve(c, env, onTimeout.to ?? []);
      if (to.length === 0) {
        notify(
          c,
          [...open.map((t) => t.assignee), c.submitter],
          'timeout',
          m(`已超时：${label['zh-CN']}`, `Overdue: ${label.en}`),
          { nodeId: node.id },
        );
        return;
      }
      for (const t of open) closeTask(c, env, t.id, 'escalated');
      for (const seat of run.seats)
        if (seat.status === 'active' || seat.status === 'waiting') seat.status = 'cancelled';
      run.mode = 'or';
      const seats: Seat[] = to.map((p) => ({ chain: [p], pos: 0, taskId: null, status: 'waiting' }));
      run.seats = seats;
      history(c, env, 'escalate', node.id, { to });
      for (const seat of seats) activateSeat(c, env, node, run, seat, 'escalation');
      return;
    }
    case 'notify':
      notify(
        c,
        [...open.map((t) => t.assignee), c.submitter],
        'timeout',
        m(`已超时：${label['zh-CN']}`, `Overdue: ${label.en}`),
        { nodeId: node.id },
      );
      return;
  }
}

export function handleSubFlowEnded(
  c: FlowContext,
  env: RunEnv,
  node: FlowNode,
  key: string,
  outcome: string,
): void {
  const sf = c.subFlows[key];
  const run = c.runs[node.id];
  if (!sf || !run) return;
  delete c.subFlows[key];
  history(c, env, 'enter', node.id, { detail: { subFlow: key, outcome } });
  if (outcome === 'approved') run.decision = 'approved';
  else {
    run.decision = 'rejected';
    run.rejectTo = 'end';
  }
}

// ---------------------------------------------------------------------------------------------
// Instance-wide actions

export function withdraw(c: FlowContext, env: RunEnv, actor: string, comment?: string): void {
  history(c, env, 'withdraw', null, { actor, ...(comment !== undefined ? { comment } : {}) });
}

export function cancel(c: FlowContext, env: RunEnv, actor: string, comment?: string): void {
  history(c, env, 'cancel', null, { actor, ...(comment !== undefined ? { comment } : {}) });
}

export function urge(c: FlowContext, env: RunEnv, actor: string, comment?: string): void {
  const open = openTasksOf(c);
  history(c, env, 'urge', null, {
    actor,
    to: open.map((t) => t.assignee),
    ...(comment !== undefined ? { comment } : {}),
  });
  for (const t of open) {
    notify(c, [t.assignee], 'urge', m('发起人催办了你的待办', 'The submitter urges you to handle a task'), {
      taskId: t.id,
      nodeId: t.nodeId,
      ...(comment ? { body: { 'zh-CN': comment, en: comment } } : {}),
    });
  }
}

export function addComment(
  c: FlowContext,
  env: RunEnv,
  actor: string,
  comment: string,
  taskId?: string,
): void {
  const nodeId = taskId ? (c.tasks[taskId]?.nodeId ?? null) : null;
  history(c, env, 'comment', nodeId, { actor, comment, ...(taskId ? { taskId } : {}) });
}

/** True when `member` takes part in the instance: submitter, any task's assignee, or a cc recipient. */
export function isParticipant(c: FlowContext, member: string): boolean {
  return (
    member === c.submitter ||
    c.ccd.includes(member) ||
    Object.values(c.tasks).some((t) => t.assignee === member)
  );
}

export function initialContext(flow: string, submitter: string, nowIso: string): FlowContext {
  return {
    flow,
    submitter,
    startedAt: nowIso,
    status: 'running',
    tasks: {},
    runs: {},
    rounds: {},
    timers: {},
    subFlows: {},
    ccd: [],
    acted: false,
    outbox: [],
  };
}

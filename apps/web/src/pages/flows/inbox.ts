import type { EntityDefinition, I18nText, Locale } from '@formwork/metadata';
import type {
  FieldAccess,
  HistoryEntry,
  Instance,
  InstanceStatus,
  Task,
  TaskStatus,
  TaskView,
} from './flow-api.js';

/**
 * The task inbox's logic, without React: which tab, which buttons a task offers, where a rejection may go,
 * what the form may edit at the task's node, what changed, and how statuses and history lines read.
 */

/** The node settings the inbox reads (a subset of the flow definition's node data). */
export interface NodeInfo {
  id: string;
  type: string;
  data: {
    label?: I18nText;
    rejectTo?: Array<'end' | 'submitter' | 'node'>;
    allowTransfer?: boolean;
    allowAddSigner?: boolean;
    commentOnReject?: boolean;
    commentOnApprove?: boolean;
    outcome?: string;
  };
}

export interface FlowInfo {
  key: string;
  name?: I18nText | null;
  nodes: NodeInfo[];
}

export const TASK_VIEWS: readonly TaskView[] = ['todo', 'done', 'startedByMe', 'ccMe'];

export function parseView(v: string | null | undefined): TaskView {
  return TASK_VIEWS.includes(v as TaskView) ? (v as TaskView) : 'todo';
}

// In a module of its own: the shell's menu needs only this, not the rest of the inbox helpers.
export { badgeText } from './badge.js';

export type TaskActionKind = 'approve' | 'reject' | 'submit' | 'transfer' | 'addSigner' | 'comment';

/** The buttons of an open task, by its kind and its node's settings. */
export function taskActions(
  task: Pick<Task, 'kind' | 'status'>,
  node: NodeInfo | undefined,
): TaskActionKind[] {
  if (task.status !== 'open') return [];
  const d = node?.data ?? {};
  if (task.kind === 'approval') {
    return [
      'approve',
      'reject',
      ...(d.allowTransfer !== false ? (['transfer'] as const) : []),
      ...(d.allowAddSigner !== false ? (['addSigner'] as const) : []),
      'comment',
    ];
  }
  if (task.kind === 'fillIn')
    return ['submit', ...(d.allowTransfer !== false ? (['transfer'] as const) : []), 'comment'];
  return ['submit', 'comment'];
}

/** Whether the action needs a comment at this node (rejecting does unless switched off). */
export function commentRequired(action: TaskActionKind, node: NodeInfo | undefined): boolean {
  if (action === 'comment') return true;
  if (action === 'reject') return node?.data.commentOnReject !== false;
  if (action === 'approve') return node?.data.commentOnApprove === true;
  return false;
}

const HUMAN = new Set(['approve', 'reject', 'submit', 'transfer', 'addSigner']);

/**
 * Whether someone other than the submitter acted since the last submission (then withdrawing is no longer
 * allowed; the server enforces it too).
 */
export function othersActedSinceSubmission(history: readonly HistoryEntry[], submitter: string): boolean {
  let since = -1;
  history.forEach((h, i) => {
    if (h.action === 'start' || h.action === 'resubmit') since = i;
  });
  return history
    .slice(since + 1)
    .some((h) => HUMAN.has(h.action) && h.actor !== null && h.actor !== submitter);
}

export type InstanceActionKind = 'withdraw' | 'urge' | 'comment';

/** What the viewer may do with the instance as a whole: the submitter withdraws and urges; participants comment. */
export function instanceActions(
  instance: Pick<Instance, 'status' | 'submitter' | 'tasks'>,
  me: string,
  history: readonly HistoryEntry[],
): InstanceActionKind[] {
  if (instance.status !== 'active') return [];
  const out: InstanceActionKind[] = [];
  if (instance.submitter === me) {
    const backWithMe = instance.tasks.some(
      (t) => t.status === 'open' && t.kind === 'resubmit' && t.assignee === me,
    );
    if (backWithMe || !othersActedSinceSubmission(history, me)) out.push('withdraw');
    if (instance.tasks.some((t) => t.status === 'open' && t.assignee !== me)) out.push('urge');
  }
  out.push('comment');
  return out;
}

export interface RejectOption {
  /** What to send as `to`: `end`, `submitter` or a node id. */
  value: string;
  kind: 'end' | 'submitter' | 'node';
  nodeId?: string;
}

/**
 * Where a rejection at this node may go: its `rejectTo` targets, with "an earlier node" expanded to the
 * approval and fill-in nodes this instance has visited before (the first option is the node's default).
 */
export function rejectOptions(
  node: NodeInfo | undefined,
  instance: Pick<Instance, 'tasks'>,
  flow: FlowInfo | undefined,
): RejectOption[] {
  const targets = node?.data.rejectTo ?? ['end'];
  const out: RejectOption[] = [];
  for (const t of targets) {
    if (t === 'end' || t === 'submitter') out.push({ value: t, kind: t });
    else {
      const seen = new Set<string>();
      const tasks = [...instance.tasks].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      for (const task of tasks) {
        if (task.nodeId === node?.id || seen.has(task.nodeId) || task.kind === 'resubmit') continue;
        const n = flow?.nodes.find((x) => x.id === task.nodeId);
        if (n && n.type !== 'approval' && n.type !== 'fillIn') continue;
        seen.add(task.nodeId);
        out.push({ value: task.nodeId, kind: 'node', nodeId: task.nodeId });
      }
    }
  }
  return out;
}

const RANK: Record<FieldAccess, number> = { editable: 0, readOnly: 1, hidden: 2 };

/**
 * The form's field access on a task: the node's (editable / read-only / hidden, the node default for the
 * rest) combined with the viewer's own field permissions — the stricter wins.
 */
export function taskFieldAccess(
  entity: EntityDefinition,
  task: { fields?: Record<string, FieldAccess>; defaultAccess?: FieldAccess } | undefined,
  own: Record<string, 'readOnly' | 'hidden'> = {},
): { access: Record<string, FieldAccess>; editable: string[] } {
  const access: Record<string, FieldAccess> = {};
  const editable: string[] = [];
  for (const f of entity.fields) {
    const node: FieldAccess = task ? (task.fields?.[f.key] ?? task.defaultAccess ?? 'readOnly') : 'readOnly';
    const mine: FieldAccess = own[f.key] ?? 'editable';
    const a = RANK[node] >= RANK[mine] ? node : mine;
    access[f.key] = a;
    if (a === 'editable') editable.push(f.key);
  }
  return { access, editable };
}

/** The editable fields whose value differs from the record's (what to send as `fields`). */
export function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  editable: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of editable) {
    if (!(k in after)) continue;
    const a = after[k] ?? null;
    const b = before[k] ?? null;
    if (JSON.stringify(a) !== JSON.stringify(b)) out[k] = after[k] === undefined ? null : after[k];
  }
  return out;
}

export type Tone = 'processing' | 'success' | 'error' | 'default' | 'warning';

export function instanceTone(s: InstanceStatus): Tone {
  return s === 'active'
    ? 'processing'
    : s === 'approved'
      ? 'success'
      : s === 'rejected'
        ? 'error'
        : 'default';
}

export function taskTone(s: TaskStatus): Tone {
  if (s === 'open') return 'processing';
  if (s === 'approved' || s === 'submitted') return 'success';
  if (s === 'rejected') return 'error';
  if (s === 'escalated') return 'warning';
  return 'default';
}

/** The colour of a history line's dot. */
export function historyTone(action: string): 'green' | 'red' | 'blue' | 'gray' | 'orange' {
  if (action === 'approve' || action === 'submit' || action === 'resubmit' || action === 'autoApprove')
    return 'green';
  if (action === 'reject' || action === 'timeout') return 'red';
  if (action === 'withdraw' || action === 'cancel') return 'gray';
  if (action === 'urge' || action === 'escalate') return 'orange';
  return 'blue';
}

/** A task's deadline: overdue, due within a day, or nothing to say. */
export function dueState(task: Pick<Task, 'status' | 'dueAt'>, now: Date): 'overdue' | 'soon' | null {
  if (task.status !== 'open' || !task.dueAt) return null;
  const ms = new Date(task.dueAt).getTime() - now.getTime();
  if (ms < 0) return 'overdue';
  return ms < 24 * 3600_000 ? 'soon' : null;
}

function textOf(text: I18nText | null | undefined, locale: Locale): string {
  if (!text) return '';
  if (typeof text === 'string') return text;
  return text[locale] || text[locale === 'en' ? 'zh-CN' : 'en'] || '';
}

const KIND_NAMES: Record<string, { 'zh-CN': string; en: string }> = {
  start: { 'zh-CN': '发起', en: 'Start' },
  approval: { 'zh-CN': '审批', en: 'Approval' },
  fillIn: { 'zh-CN': '填写', en: 'Fill in' },
  condition: { 'zh-CN': '条件分支', en: 'Condition' },
  parallelSplit: { 'zh-CN': '并行分支', en: 'Parallel split' },
  parallelJoin: { 'zh-CN': '并行汇聚', en: 'Parallel join' },
  cc: { 'zh-CN': '抄送', en: 'Carbon copy' },
  action: { 'zh-CN': '自动操作', en: 'Automated action' },
  wait: { 'zh-CN': '等待', en: 'Wait' },
  subFlow: { 'zh-CN': '子流程', en: 'Sub-flow' },
  end: { 'zh-CN': '结束', en: 'End' },
};

/** The name of a node of the flow: its label, else the name of its kind, else its id. */
export function nodeLabel(
  flow: FlowInfo | undefined,
  nodeId: string | null | undefined,
  locale: Locale,
): string {
  if (!nodeId) return '';
  const n = flow?.nodes.find((x) => x.id === nodeId);
  return textOf(n?.data.label, locale) || (n ? KIND_NAMES[n.type]?.[locale] : undefined) || nodeId;
}

export function flowName(flow: FlowInfo | undefined, key: string, locale: Locale): string {
  return textOf(flow?.name ?? undefined, locale) || key;
}

/** History lines newest last, each with the field changes it carried as `[field, value]` pairs. */
export function changeList(entry: HistoryEntry): Array<[string, unknown]> {
  return Object.entries(entry.changes ?? {});
}

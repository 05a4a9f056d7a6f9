import type { RecordData } from '@formwork/client';
import type { I18nText, Issue, Message } from '@formwork/metadata';
import type { Api } from '../../api.js';

/**
 * The workflow routes of the API (flows, blueprints, automations, instances, tasks, stage moves,
 * notifications), typed for the screens. `GET /api/openapi.json` describes each of them.
 */

export type DefinitionKind = 'flow' | 'blueprint' | 'automation';

export interface DefinitionSummary {
  kind: DefinitionKind;
  key: string;
  entity: string;
  name: I18nText | null;
  enabled: boolean;
  publishedVersion: number | null;
  /** The draft differs from the published version. */
  changed: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface DefinitionDetail<T extends object = object> extends DefinitionSummary {
  draft: T;
  published: T | null;
  versions: Array<{ version: number; publishedAt: string; publishedBy: string | null }>;
}

export interface Validation {
  ok: boolean;
  issues: Issue[];
  warnings: Issue[];
}

export type TaskStatus =
  | 'open'
  | 'approved'
  | 'rejected'
  | 'submitted'
  | 'transferred'
  | 'delegated'
  | 'cancelled'
  | 'escalated';

export type FieldAccess = 'editable' | 'readOnly' | 'hidden';

export interface Task {
  id: string;
  instanceId: string;
  nodeId: string;
  kind: 'approval' | 'fillIn' | 'resubmit';
  assignee: string;
  status: TaskStatus;
  round: number;
  createdAt: string;
  closedAt: string | null;
  dueAt?: string | null;
  origin?: string | null;
  from?: string | null;
}

export type InstanceStatus = 'active' | 'approved' | 'rejected' | 'cancelled';

export interface Instance {
  id: string;
  flow: string;
  version: number;
  entity: string;
  recordId: string;
  submitter: string;
  status: InstanceStatus;
  startedAt: string;
  updatedAt?: string;
  endedAt: string | null;
  activeNodes: string[];
  tasks: Task[];
  /** The caller's open tasks with the field access of their node. */
  myTasks: Array<Task & { fields: Record<string, FieldAccess>; defaultAccess: FieldAccess }>;
  replayed?: boolean;
}

export interface HistoryEntry {
  id: number;
  action: string;
  nodeId: string | null;
  actor: string | null;
  taskId: string | null;
  comment: string | null;
  to: string[] | null;
  changes: Record<string, unknown> | null;
  detail: Record<string, unknown> | null;
  at: string;
}

export type TaskView = 'todo' | 'done' | 'startedByMe' | 'ccMe';

/** One line of a task list: a task (to do, done), or an instance (started by me, copied to me). */
export interface TaskListItem extends Partial<Task> {
  instanceId: string;
  flow: string;
  /** The version the instance runs on. */
  version: number;
  entity: string;
  recordId: string;
  submitter: string;
  instanceStatus: InstanceStatus;
  startedAt: string;
}

export interface RecordInstance {
  id: string;
  flow: string;
  version: number;
  status: InstanceStatus;
  submitter: string;
  startedAt: string;
  endedAt: string | null;
}

export interface Notification {
  id: string;
  kind: string;
  title: Message;
  body: Message | null;
  instanceId: string | null;
  taskId: string | null;
  entity: string | null;
  recordId: string | null;
  createdAt: string;
  readAt: string | null;
}

export interface AutomationRun {
  id: string;
  status: 'ok' | 'partial' | 'skipped' | 'failed';
  trigger: string;
  recordId: string | null;
  effects: Array<Record<string, unknown>>;
  skipped: Array<{ action?: number; message?: Message | string }>;
  error: string | null;
  dryRun?: boolean;
  at: string;
  matched?: boolean;
}

export interface StageEntry {
  from: string | null;
  stage: string;
  transition: string | null;
  actor: string | null;
  at: string;
}

export interface StageHistory {
  entries: StageEntry[];
  timeInStage: {
    totals: Record<string, number>;
    current: { stage: string; since: string; ms: number } | null;
  };
}

export type TaskActionBody =
  | { type: 'approve'; comment?: string; fields?: Record<string, unknown> }
  | { type: 'reject'; comment?: string; to?: string; fields?: Record<string, unknown> }
  | { type: 'submit'; comment?: string; fields?: Record<string, unknown> }
  | { type: 'transfer'; to: string; comment?: string }
  | { type: 'addSigner'; members: string[]; position: 'before' | 'after'; comment?: string }
  | { type: 'comment'; comment: string };

const PATHS: Record<DefinitionKind, string> = {
  flow: '/api/flows',
  blueprint: '/api/blueprints',
  automation: '/api/automations',
};

const seg = encodeURIComponent;

function qs(params: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** A fresh key per user action: a retried request is applied once. */
export function idempotencyKey(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

export function workflowApi(api: Api) {
  const call = api.request;
  const definitions = <T extends object = object>(kind: DefinitionKind) => {
    const base = PATHS[kind];
    return {
      list: (entity?: string) =>
        call<{ items: DefinitionSummary[] }>('GET', `${base}${qs({ entity })}`).then((r) => r.items),
      get: (key: string) => call<DefinitionDetail<T>>('GET', `${base}/${seg(key)}`),
      /** One published version, as its instances follow it. */
      version: (key: string, version: number) =>
        call<{ key: string; version: number; definition: T; publishedAt: string }>(
          'GET',
          `${base}/${seg(key)}/versions/${version}`,
        ),
      create: (def: T) => call<DefinitionDetail<T>>('POST', base, def),
      update: (key: string, def: T) => call<DefinitionDetail<T>>('PUT', `${base}/${seg(key)}`, def),
      remove: (key: string) => call<void>('DELETE', `${base}/${seg(key)}`),
      validate: (def: T) => call<Validation>('POST', `${base}/validate`, def),
      publish: (key: string) => call<DefinitionDetail<T>>('POST', `${base}/${seg(key)}/publish`),
    };
  };
  return {
    definitions,
    setAutomationEnabled: (key: string, enabled: boolean) =>
      call<DefinitionDetail>('PUT', `/api/automations/${seg(key)}/enabled`, { enabled }),
    automationRuns: (key: string, limit = 50) =>
      call<{ items: AutomationRun[] }>('GET', `/api/automations/${seg(key)}/runs${qs({ limit })}`).then(
        (r) => r.items,
      ),
    dryRun: (key: string, body: { recordId?: string; before?: Record<string, unknown> }) =>
      call<AutomationRun & { matched: boolean }>('POST', `/api/automations/${seg(key)}/dry-run`, body),
    startFlow: (key: string, recordId: string) =>
      call<Instance>('POST', `/api/flows/${seg(key)}/instances`, { recordId }),
    instance: (id: string) => call<Instance>('GET', `/api/instances/${seg(id)}`),
    /** The record of an instance as its participant sees it (also outside their data scope). */
    instanceRecord: (id: string) => call<RecordData>('GET', `/api/instances/${seg(id)}/record`),
    history: (id: string) =>
      call<{ items: HistoryEntry[] }>('GET', `/api/instances/${seg(id)}/history`).then((r) => r.items),
    instanceAction: (id: string, action: 'withdraw' | 'urge' | 'comment' | 'cancel', comment?: string) =>
      call<Instance>('POST', `/api/instances/${seg(id)}/${action}`, {
        ...(comment ? { comment } : {}),
        idempotencyKey: idempotencyKey(),
      }),
    recordInstances: (entity: string, id: string) =>
      call<{ items: RecordInstance[] }>(
        'GET',
        `/api/entities/${seg(entity)}/records/${seg(id)}/instances`,
      ).then((r) => r.items),
    tasks: (view: TaskView, opts: { limit?: number; offset?: number } = {}) =>
      call<{ items: TaskListItem[]; total: number }>('GET', `/api/tasks${qs({ view, ...opts })}`),
    act: (taskId: string, body: TaskActionBody) =>
      call<Instance>('POST', `/api/tasks/${seg(taskId)}/actions`, {
        ...body,
        idempotencyKey: idempotencyKey(),
      }),
    moveStage: (
      blueprint: string,
      body: { recordId: string; to: string; fields?: Record<string, unknown> },
    ) =>
      call<{ record: Record<string, unknown>; transition: string; from: string | null; to: string }>(
        'POST',
        `/api/blueprints/${seg(blueprint)}/move`,
        body,
      ),
    stageHistory: (blueprint: string, recordId: string) =>
      call<StageHistory>('GET', `/api/blueprints/${seg(blueprint)}/records/${seg(recordId)}/stages`),
    notifications: (opts: { unread?: boolean; limit?: number } = {}) =>
      call<{ items: Notification[]; unread: number }>('GET', `/api/notifications${qs(opts)}`),
    markRead: (ids?: string[]) =>
      call<{ updated: number }>('POST', '/api/notifications/read', ids ? { ids } : {}),
    roles: () =>
      call<{ items: Array<{ id: string; key: string; name: I18nText }> }>('GET', '/api/roles').then(
        (r) => r.items,
      ),
  };
}

export type WorkflowApi = ReturnType<typeof workflowApi>;

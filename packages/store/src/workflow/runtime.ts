import { randomUUID } from 'node:crypto';
import { DomainError, type Message } from '@formwork/metadata';
import {
  type Automation,
  activeNodes,
  type Blueprint,
  type CompiledFlow,
  checkStageMove,
  compileFlow,
  type Directory,
  dateTriggerTime,
  type Effect,
  enterStage,
  type FlowDefinition,
  type FlowEvent,
  fieldAccessAt,
  type InstanceSnapshot,
  matchAutomation,
  nextCronTime,
  type PlanResult,
  planAutomation,
  RECORD_NOT_LOADED,
  type RecordChange,
  RecordNotLoaded,
  type Refusal,
  type RefusalCode,
  type StepResult,
  stageSlaExpired,
  startInstance,
  step,
  timeInStage,
} from '@formwork/workflow';
import { noCacheBus } from '../cache-bus.js';
import { createContext, createEntityCache, type StoreOptions } from '../context.js';
import type { Db } from '../db.js';
import { workspaceSchema } from '../ident.js';
import type { HandoverHook } from '../org.js';
import { resolveAccess } from '../permissions/access.js';
import { entityAccess } from '../permissions/model.js';
import { createStore, type Store } from '../store.js';
import type { Principal } from '../types.js';
import { type DefinitionKind, type DefinitionsApi, definitionsApi } from './definitions.js';
import { emailsOf, loadDirectory } from './directory.js';
import { cancelJob, enqueueJob, type Job, listJobs, retryJob } from './jobs.js';
import { invalid, iso, m, notFound, runtimePrincipal, uuidOrNull } from './shared.js';

/**
 * The workflow runtime over the store: flow instances and their tasks, every event in one transaction
 * (lock the instance row, `step`, store the snapshot, carry out the effects: tasks, notifications, record
 * updates through the store's records API, timers and outbox rows as jobs), blueprints' stage moves,
 * automation runs, notifications — and the handlers of the jobs the database work needs.
 */

export type InstanceStatus = 'active' | 'approved' | 'rejected' | 'cancelled';

export interface InstanceView {
  id: string;
  flow: string;
  version: number;
  entity: string;
  recordId: string;
  submitter: string;
  status: InstanceStatus;
  startedAt: string;
  updatedAt: string;
  endedAt: string | null;
  activeNodes: string[];
  tasks: TaskView[];
  /** The caller's open tasks with the field access their node grants. */
  myTasks: Array<TaskView & { fields: Record<string, string>; defaultAccess: string }>;
  /** True when the call was answered from a stored idempotency key (nothing applied again). */
  replayed?: boolean;
}

export interface TaskView {
  id: string;
  instanceId: string;
  nodeId: string;
  kind: string;
  assignee: string;
  status: string;
  round: number;
  origin: string | null;
  from: string | null;
  createdAt: string;
  closedAt: string | null;
  closedBy: string | null;
}

export interface TaskListItem extends Partial<TaskView> {
  instanceId: string;
  flow: string;
  /** The flow version the instance runs on: its node names are that version's. */
  version: number;
  entity: string;
  recordId: string;
  submitter: string;
  instanceStatus: InstanceStatus;
  startedAt: string;
}

export interface HistoryItem {
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

export interface NotificationView {
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

export type TaskAction =
  | { type: 'approve'; comment?: string; fields?: Record<string, unknown> }
  | { type: 'reject'; comment?: string; to?: string; fields?: Record<string, unknown> }
  | { type: 'submit'; comment?: string; fields?: Record<string, unknown> }
  | { type: 'transfer'; to: string; comment?: string }
  | { type: 'addSigner'; members: string[]; position: 'before' | 'after'; comment?: string }
  | { type: 'comment'; comment: string };

export interface AutomationRunView {
  id: string;
  automation: string;
  version: number;
  trigger: string;
  recordId: string | null;
  status: 'ok' | 'partial' | 'skipped' | 'failed';
  dryRun: boolean;
  effects: Effect[];
  skipped: PlanResult['skipped'];
  error: string | null;
  jobId: number | null;
  at: string;
}

/** A handler of a database job: runs inside the job's transaction (its effects commit with the job). */
export type JobHandler = (job: Job, tx: Db) => Promise<unknown>;

interface InstanceRow {
  id: string;
  flow: string;
  version: number;
  entity: string;
  record_id: string;
  submitter: string;
  status: InstanceStatus;
  snapshot: InstanceSnapshot;
  parent_id: string | null;
  parent_key: string | null;
  started_at: Date;
  updated_at: Date;
  ended_at: Date | null;
}

interface TaskRow {
  id: string;
  instance_id: string;
  node_id: string;
  kind: string;
  assignee: string;
  status: string;
  round: number;
  origin: string | null;
  from_member: string | null;
  created_at: Date;
  closed_at: Date | null;
  closed_by: string | null;
}

/** Effects that only write (see applyEffects): sent pipelined, without waiting for each answer. */
const PIPELINED_EFFECTS = new Set<Effect['type']>([
  'createTask',
  'closeTask',
  'notify',
  'cc',
  'history',
  'instanceEnded',
]);

/**
 * Plain writes that may run as CTEs of one statement: no task is both created and closed, nor closed
 * twice (CTEs share one snapshot, so such a pair would not see each other), and at most one history line
 * (CTEs run in no set order, and history lines are read in the order of their ids).
 */
function independent(effects: Effect[]): boolean {
  const touched = new Set<string>();
  let history = 0;
  for (const e of effects) {
    if (e.type === 'history' && ++history > 1) return false;
    const id = e.type === 'createTask' ? e.task.id : e.type === 'closeTask' ? e.taskId : null;
    if (id === null) continue;
    if (touched.has(id)) return false;
    touched.add(id);
  }
  return true;
}

/** `WITH w1 AS (write 1), … <main>`, with each statement's `$n` renumbered into one parameter list. */
function withCtes(
  writes: Array<{ sql: string; params: unknown[] }>,
  main: [sql: string, params: unknown[]],
): [string, unknown[]] {
  const params = [...writes.flatMap((w) => w.params), ...main[1]];
  const key = `${writes.map((w) => `${w.sql}\0${w.params.length}`).join('\0')}\0${main[0]}`;
  let sql = mergedSql.get(key);
  if (sql === undefined) {
    let base = 0;
    const shift = (text: string, count: number) => {
      const at = base;
      base += count;
      return text.replace(/\$(\d+)/g, (_, n: string) => `$${at + Number(n)}`);
    };
    const ctes = writes.map((w, i) => `w${i + 1} AS (${shift(w.sql, w.params.length)})`);
    sql = `WITH ${ctes.join(', ')} ${shift(main[0], main[1].length)}`;
    if (mergedSql.size >= 1000) mergedSql.clear();
    mergedSql.set(key, sql);
  }
  return [sql, params];
}

/** Merged statements by their parts: a handful of shapes per workspace (emptied should it ever grow). */
const mergedSql = new Map<string, string>();

/** The tasks as they are once `merged` (written in the statement that read them) is applied. */
function afterEffects(tasks: TaskRow[], merged: Effect[], instanceId: string, now: Date): TaskRow[] {
  const rows = tasks.map((t) => ({ ...t }));
  for (const e of merged) {
    if (e.type === 'createTask')
      rows.push({
        id: e.task.id,
        instance_id: instanceId,
        node_id: e.task.nodeId,
        kind: e.task.kind,
        assignee: uuidOrNull(e.task.assignee) as string,
        status: 'open',
        round: e.task.round,
        origin: e.task.origin ?? null,
        from_member: uuidOrNull(e.task.from),
        created_at: e.task.createdAt as unknown as Date,
        closed_at: null,
        closed_by: null,
      });
    else if (e.type === 'closeTask') {
      const row = rows.find((t) => t.id === e.taskId && t.status === 'open');
      if (row) Object.assign(row, { status: e.status, closed_at: now, closed_by: uuidOrNull(e.by) });
    }
  }
  // As the view's SQL orders them: by creation, then id (code-unit order, as COLLATE "C").
  const at = (t: TaskRow) => Date.parse(iso(t.created_at) as string);
  return rows.sort((a, b) => at(a) - at(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** What `applyEffects` did: the instance outcome, the caller's statement's rows, the writes merged into it. */
interface EffectsOutcome {
  ended?: InstanceStatus;
  rows: Promise<unknown[]>;
  merged: Effect[];
  now: Date;
}

const toTask = (t: TaskRow): TaskView => ({
  id: t.id,
  instanceId: t.instance_id,
  nodeId: t.node_id,
  kind: t.kind,
  assignee: t.assignee,
  status: t.status,
  round: t.round,
  origin: t.origin,
  from: t.from_member,
  createdAt: iso(t.created_at) as string,
  closedAt: iso(t.closed_at),
  closedBy: t.closed_by,
});

const REFUSAL_STATUS: Partial<Record<RefusalCode, 'FORBIDDEN' | 'NOT_FOUND' | 'VERSION_CONFLICT'>> = {
  notAssignee: 'FORBIDDEN',
  notSubmitter: 'FORBIDDEN',
  notParticipant: 'FORBIDDEN',
  unknownTask: 'NOT_FOUND',
  taskClosed: 'VERSION_CONFLICT',
  instanceEnded: 'VERSION_CONFLICT',
  alreadyActed: 'VERSION_CONFLICT',
  staleTimer: 'VERSION_CONFLICT',
};

/** A refused event as a DomainError: the refusal code is the issue code, its message the user message. */
export function refusalError(r: Refusal): DomainError {
  const code = REFUSAL_STATUS[r.code] ?? 'VALIDATION_FAILED';
  const field =
    typeof r.details?.property === 'string'
      ? r.details.property
      : r.code === 'fieldNotEditable'
        ? 'fields'
        : r.code === 'commentRequired'
          ? 'comment'
          : r.code === 'invalidRejectTarget'
            ? 'to'
            : '';
  return new DomainError(
    code,
    { refusal: r.code, ...(r.details ?? {}) },
    [{ field, code: r.code, message: r.message }],
    r.message,
  );
}

export interface WorkflowRuntimeOptions extends StoreOptions {
  /** Maximum effects depth for sub-flows started within one event (default 5). */
  maxSubFlowDepth?: number;
}

export function createWorkflowRuntime(db: Db, opts: WorkflowRuntimeOptions = {}) {
  // One definition cache for the runtime and every store it binds to a transaction.
  const entityCache = createEntityCache(opts.cacheBus ?? noCacheBus);
  const ctx = createContext(db, { ...opts, entityCache });
  const txOpts: StoreOptions = {
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.timeZone ? { timeZone: opts.timeZone } : {}),
    ...(opts.scope ? { scope: opts.scope } : {}),
    ...(opts.cacheBus ? { cacheBus: opts.cacheBus } : {}),
    entityCache,
  };
  const storeOn = (q: Db): Store => createStore(q, txOpts);
  const entityOf = async (q: Db, ws: string, key: string) => (await ctx.loadEntity(q, ws, key)).def;
  const definitions: DefinitionsApi = definitionsApi(ctx, entityOf);
  const compiledCache = new Map<string, CompiledFlow>();

  // The directory (roles, departments, members) is served from memory while the cache bus is live: the
  // 'auth' notifications of migration 0004 drop it on every committed change to members, roles or departments.
  const bus = opts.cacheBus ?? noCacheBus;
  const dirCache = new Map<string, { dir: Directory; at: number }>();
  bus.on('auth', (schema) => {
    if (schema === '*') dirCache.clear();
    else if (schema.startsWith('ws_')) dirCache.delete(schema.slice(3));
  });
  async function directoryOf(q: Db, ws: string): Promise<Directory> {
    const hit = dirCache.get(ws);
    if (hit && bus.live && performance.now() - hit.at < bus.maxAgeMs) return hit.dir;
    const at = performance.now();
    const dir = await loadDirectory(q, ws);
    if (bus.live) dirCache.set(ws, { dir, at });
    return dir;
  }

  /** Published versions never change: kept in memory by workspace, flow and version. */
  const versionCache = new Map<string, FlowDefinition>();

  async function compiled(
    q: Db,
    ws: string,
    flow: string,
    version?: number,
  ): Promise<{ version: number; flow: CompiledFlow; timeZone: string }> {
    let def = version === undefined ? undefined : versionCache.get(`${ws}:${flow}:${version}`);
    let v = version;
    if (!def) {
      const pub = await definitions.published(q, ws, 'flow', flow, version);
      if (!pub)
        throw invalid('flow', 'notPublished', `流程 ${flow} 尚未发布`, `Flow ${flow} is not published`, {
          flow,
        });
      def = pub.definition as FlowDefinition;
      v = pub.version;
      if (versionCache.size > 1000) versionCache.clear();
      versionCache.set(`${ws}:${flow}:${pub.version}`, def);
    }
    const ent = await ctx.loadEntity(q, ws, def.entity);
    const ck = `${ws}:${flow}:${v}:${ent.version}`;
    let c = compiledCache.get(ck);
    if (!c) {
      c = compileFlow(def, { entity: ent.def });
      if (compiledCache.size > 500) compiledCache.clear();
      compiledCache.set(ck, c);
    }
    return { version: v as number, flow: c, timeZone: ent.timeZone };
  }

  async function timeZoneOf(q: Db, ws: string): Promise<string> {
    const [r] = await q.query<{ tz: string | null }>(
      `SELECT settings->>'timeZone' AS tz FROM formwork.workspaces WHERE key = $1`,
      [ws],
    );
    return r?.tz ?? ctx.timeZone;
  }

  interface EffectCtx {
    ws: string;
    entity: string | null;
    recordId: string | null;
    instanceId?: string;
    /** Who the record updates are attributed to when the effect names no one. */
    actor?: string | null;
    automation?: string;
    depth: number;
  }

  /**
   * Carries out effects on `tx` (the caller's transaction). Returns the instance outcome when it ended.
   * The last plain writes are still in flight when it returns: the transaction waits for them and sends its
   * COMMIT right behind them, and fails with the first that fails (the `Db` contract), so a short event is
   * a lock and then its writes with the COMMIT, two round trips.
   */
  async function applyEffects(
    tx: Db,
    ec: EffectCtx,
    effects: Effect[],
    /**
     * A statement of the caller to send with the last effects; its rows come in `rows`. The last plain
     * writes become data-modifying CTEs of it — one statement, not one each — when `independent` allows;
     * they are then invisible to it (one snapshot), and `merged` lists them.
     */
    then?: [sql: string, params: unknown[]],
  ): Promise<EffectsOutcome> {
    const s = workspaceSchema(ec.ws);
    const now = ctx.now();
    const out: EffectsOutcome = {
      rows: Promise.resolve([]),
      merged: [],
      now,
    };
    // Built on first use: most events write no record.
    let txStore: Store | undefined;
    const store = () => (txStore ??= storeOn(tx));
    // Plain writes (tasks, history, in-app notifications, copies) are sent without waiting for each
    // answer: the driver pipelines them on the transaction's connection, in order. Any other effect
    // (it reads, or its outcome decides what follows) first waits for them; the last ones go with the
    // COMMIT. A failed write fails the transaction (the driver holds every statement's outcome).
    let pending: Promise<unknown>[] = [];
    let batch: Array<{ effect: Effect; sql: string; params: unknown[] }> = [];
    let current: Effect | undefined;
    const write = (sql: string, params: unknown[]) => {
      batch.push({ effect: current as Effect, sql, params });
    };
    const flush = () => {
      for (const w of batch) pending.push(tx.query(w.sql, w.params));
      batch = [];
    };
    for (const e of effects) {
      if (!PIPELINED_EFFECTS.has(e.type)) {
        flush();
        await Promise.all(pending);
        pending = [];
      }
      current = e;
      await applyEffect(e);
    }
    if (then && batch.length > 0 && independent(batch.map((w) => w.effect))) {
      out.merged = batch.map((w) => w.effect);
      out.rows = tx.query(...withCtes(batch, then));
      batch = [];
    } else {
      flush();
      if (then) out.rows = tx.query(...then);
    }
    // Awaited by the caller after its transaction; should the transaction fail, nobody awaits it.
    out.rows.catch(() => undefined);
    return out;

    async function applyEffect(e: Effect): Promise<void> {
      switch (e.type) {
        case 'createTask':
          if (!uuidOrNull(e.task.assignee))
            throw invalid(
              'assignee',
              'unknownMember',
              `任务的处理人 ${e.task.assignee} 不是成员`,
              `The assignee ${e.task.assignee} is not a member`,
              { node: e.task.nodeId },
            );
          write(
            `INSERT INTO ${s}._wf_tasks (id, instance_id, node_id, kind, assignee, status, round, origin, from_member, field_access, default_access, created_at)
             VALUES ($1, $2::uuid, $3, $4, $5::uuid, 'open', $6, $7, $8::uuid, $9::jsonb, $10, $11)`,
            [
              e.task.id,
              ec.instanceId,
              e.task.nodeId,
              e.task.kind,
              uuidOrNull(e.task.assignee),
              e.task.round,
              e.task.origin ?? null,
              uuidOrNull(e.task.from),
              e.fieldAccess,
              e.defaultAccess,
              e.task.createdAt,
            ],
          );
          break;
        case 'closeTask':
          write(
            `UPDATE ${s}._wf_tasks SET status = $2, closed_at = $3, closed_by = $4::uuid WHERE id = $1 AND status = 'open'`,
            [e.taskId, e.status, now.toISOString(), uuidOrNull(e.by)],
          );
          break;
        case 'notify': {
          const to = e.to.map(uuidOrNull).filter((x): x is string => x !== null);
          if (e.channels.includes('inApp') && to.length > 0) {
            write(
              `INSERT INTO ${s}._notifications (user_id, kind, title, body, instance_id, task_id, entity, record_id, created_at)
               SELECT u, $2, $3::jsonb, $4::jsonb, $5::uuid, $6, $7, $8::uuid, $9 FROM unnest($1::uuid[]) AS u`,
              [
                to,
                e.kind,
                e.title,
                e.body ?? null,
                ec.instanceId ?? null,
                e.taskId ?? null,
                ec.entity,
                ec.recordId,
                now.toISOString(),
              ],
            );
          }
          if (e.channels.includes('email') && e.to.length > 0) {
            await enqueueJob(
              tx,
              {
                workspace: ec.ws,
                kind: 'mail.send',
                payload: { to: e.to, subject: e.title, body: e.body ?? e.title },
              },
              now,
            );
          }
          break;
        }
        case 'cc': {
          const to = e.to.map(uuidOrNull).filter((x): x is string => x !== null);
          if (ec.instanceId && to.length > 0) {
            write(
              `INSERT INTO ${s}._wf_cc (instance_id, member, node_id, at) SELECT $1::uuid, u, $3, $4 FROM unnest($2::uuid[]) AS u ON CONFLICT DO NOTHING`,
              [ec.instanceId, to, e.nodeId, now.toISOString()],
            );
            write(
              `INSERT INTO ${s}._notifications (user_id, kind, title, instance_id, entity, record_id, created_at)
               SELECT u, 'cc', $2::jsonb, $3::uuid, $4, $5::uuid, $6 FROM unnest($1::uuid[]) AS u`,
              [
                to,
                m('有一条流程抄送给你', 'A flow was copied to you'),
                ec.instanceId,
                ec.entity,
                ec.recordId,
                now.toISOString(),
              ],
            );
          }
          break;
        }
        case 'updateRecord':
          if (ec.entity && ec.recordId && Object.keys(e.changes).length > 0) {
            await store().records.update(
              ec.ws,
              runtimePrincipal(uuidOrNull(e.by ?? ec.actor)),
              ec.entity,
              ec.recordId,
              e.changes,
              {
                source: e.source === 'automation' ? 'automation' : 'workflow',
              },
            );
          }
          break;
        case 'scheduleTimer':
          await enqueueJob(
            tx,
            {
              workspace: ec.ws,
              kind: e.purpose === 'sla' ? 'blueprint.sla' : 'flow.timer',
              key: ec.instanceId ? `timer:${ec.instanceId}:${e.key}` : `timer:${e.key}`,
              payload: {
                instanceId: ec.instanceId ?? null,
                key: e.key,
                entity: ec.entity,
                recordId: ec.recordId,
              },
              runAt: e.at,
            },
            now,
          );
          break;
        case 'cancelTimer':
          await cancelJob(tx, ec.ws, ec.instanceId ? `timer:${ec.instanceId}:${e.key}` : `timer:${e.key}`);
          break;
        case 'callWebhook':
          await enqueueJob(
            tx,
            {
              workspace: ec.ws,
              kind: 'webhook.send',
              payload: { url: e.url, method: e.method, headers: e.headers, body: e.body },
            },
            now,
          );
          break;
        case 'startSubFlow':
          if (ec.entity && ec.recordId && ec.instanceId) {
            if (ec.depth >= (opts.maxSubFlowDepth ?? 5))
              throw invalid('flow', 'subFlowDepth', '子流程嵌套过深', 'Sub-flows are nested too deeply', {
                flow: e.flow,
              });
            const [parent] = await tx.query<{ submitter: string }>(
              `SELECT submitter::text FROM ${s}._wf_instances WHERE id = $1`,
              [ec.instanceId],
            );
            await startOn(tx, ec.ws, {
              flow: e.flow,
              entity: ec.entity,
              recordId: ec.recordId,
              submitter: parent?.submitter ?? 'system',
              parent: e.wait ? { id: ec.instanceId, key: e.key } : null,
              depth: ec.depth + 1,
            });
          }
          break;
        case 'instanceEnded':
          out.ended = e.outcome;
          break;
        case 'history':
          if (ec.instanceId) {
            write(
              `INSERT INTO ${s}._wf_history (instance_id, action, node_id, actor, task_id, comment, to_members, changes, detail, at)
               VALUES ($1::uuid, $2, $3, $4::uuid, $5, $6, $7::jsonb, $8::jsonb, $9::jsonb, $10)`,
              [
                ec.instanceId,
                e.action,
                e.nodeId,
                uuidOrNull(e.actor),
                e.taskId ?? null,
                e.comment ?? null,
                e.to ?? null,
                e.changes ?? null,
                e.detail ?? null,
                e.at,
              ],
            );
          }
          break;
        case 'createRecord':
          await store().records.create(ec.ws, runtimePrincipal(), e.entity, e.data, { source: 'automation' });
          break;
        case 'upsertRecord': {
          const filter = {
            and: Object.entries(e.match).map(([field, value]) =>
              value === null ? { field, op: 'isEmpty' } : { field, op: 'eq', value },
            ),
          };
          const found = await store().records.list(ec.ws, runtimePrincipal(), e.entity, { filter, limit: 1 });
          const first = found.items[0];
          if (first)
            await store().records.update(ec.ws, runtimePrincipal(), e.entity, String(first.id), e.data, {
              source: 'automation',
            });
          else
            await store().records.create(ec.ws, runtimePrincipal(), e.entity, e.data, {
              source: 'automation',
            });
          break;
        }
        case 'startFlow':
          if (e.recordId) {
            await startOn(tx, ec.ws, {
              flow: e.flow,
              entity: e.entity,
              recordId: e.recordId,
              submitter: ec.actor ?? 'system',
              parent: null,
              depth: ec.depth + 1,
            });
          }
          break;
        case 'sendEmail':
          await enqueueJob(
            tx,
            { workspace: ec.ws, kind: 'mail.send', payload: { to: e.to, subject: e.subject, body: e.body } },
            now,
          );
          break;
        case 'assignmentCursor':
          await tx.query(
            `UPDATE ${s}._wf_definitions SET state = jsonb_set(state, '{cursor}', to_jsonb($2::int)) WHERE kind = 'automation' AND key = $1`,
            [e.automation, e.cursor],
          );
          break;
      }
    }
  }

  interface StartArgs {
    flow: string;
    entity?: string;
    recordId: string;
    submitter: string;
    parent: { id: string; key: string } | null;
    depth: number;
  }

  async function startOn(tx: Db, ws: string, a: StartArgs): Promise<string> {
    const { version, flow, timeZone } = await compiled(tx, ws, a.flow);
    const entity = flow.definition.entity;
    if (a.entity !== undefined && a.entity !== entity)
      throw invalid(
        'flow',
        'wrongEntity',
        `流程 ${a.flow} 不属于表单 ${a.entity}`,
        `Flow ${a.flow} does not run on entity ${a.entity}`,
      );
    const record = await storeOn(tx).records.get(ws, runtimePrincipal(), entity, a.recordId);
    // Started by an automation: on behalf of the record's creator (or owner), as if they had submitted it.
    const submitter = uuidOrNull(a.submitter) ?? uuidOrNull(record.createdBy) ?? uuidOrNull(record.ownerId);
    if (!submitter)
      throw invalid(
        'submitter',
        'noSubmitter',
        '无法确定流程的发起人（记录没有创建人或负责人）',
        'No one to start the flow for (the record has no creator or owner)',
      );
    const directory = await directoryOf(tx, ws);
    const now = ctx.now();
    const id = randomUUID();
    const r = startInstance(flow, { record, directory, now, ids: randomUUID, timeZone, submitter });
    const s = workspaceSchema(ws);
    await tx.query(
      `INSERT INTO ${s}._wf_instances (id, flow, version, entity, record_id, submitter, status, snapshot, parent_id, parent_key, started_at, updated_at)
       VALUES ($1::uuid, $2, $3, $4, $5::uuid, $6::uuid, 'active', $7::jsonb, $8::uuid, $9, $10, $10)`,
      [
        id,
        a.flow,
        version,
        entity,
        String(record.id),
        submitter,
        r.snapshot,
        a.parent?.id ?? null,
        a.parent?.key ?? null,
        now.toISOString(),
      ],
    );
    const out = await applyEffects(
      tx,
      { ws, entity, recordId: String(record.id), instanceId: id, actor: submitter, depth: a.depth },
      r.effects,
    );
    if (out.ended || r.snapshot.status === 'done') await endInstance(tx, ws, id, out.ended ?? 'approved');
    return id;
  }

  async function endInstance(tx: Db, ws: string, id: string, outcome: InstanceStatus) {
    const s = workspaceSchema(ws);
    const [row] = await tx.query<{ parent_id: string | null; parent_key: string | null }>(
      `UPDATE ${s}._wf_instances SET status = $2, ended_at = $3 WHERE id = $1 RETURNING parent_id::text, parent_key`,
      [id, outcome, ctx.now().toISOString()],
    );
    // The parent learns of it through a job (its own transaction, its own lock): no lock-order inversions.
    if (row?.parent_id && row.parent_key) {
      await enqueueJob(
        tx,
        {
          workspace: ws,
          kind: 'flow.event',
          payload: {
            instanceId: row.parent_id,
            event: { type: 'subFlowEnded', key: row.parent_key, outcome },
          },
        },
        ctx.now(),
      );
    }
  }

  /** One event on one instance, in the caller's transaction. */
  /** Applies one event to an instance (named by its id, or by the id of one of its tasks). */
  async function handleEvent(
    tx: Db,
    ws: string,
    target: string | { taskId: string },
    event: FlowEvent,
    idem?: string,
    /** Also read the instance view in the same pipeline (answered unless the instance ended). */
    withView = false,
  ): Promise<{ replayed: boolean; instanceId: string; view?: Promise<ViewRow> }> {
    const s = workspaceSchema(ws);
    const byTask = typeof target !== 'string';
    const [inst] = await tx.query<InstanceRow>(
      byTask
        ? `SELECT * FROM ${s}._wf_instances WHERE id = (SELECT instance_id FROM ${s}._wf_tasks WHERE id = $1::text) FOR UPDATE`
        : `SELECT * FROM ${s}._wf_instances WHERE id = $1::uuid FOR UPDATE`,
      [byTask ? target.taskId : uuidOrNull(target)],
    );
    if (!inst)
      throw byTask
        ? notFound('待办|Task', { taskId: target.taskId })
        : notFound('流程实例|Flow instance', { instanceId: target });
    const instanceId = inst.id;
    if (idem) {
      const prev = await tx.query(
        `SELECT 1 FROM ${s}._wf_events WHERE instance_id = $1::uuid AND idem_key = $2`,
        [instanceId, idem],
      );
      if (prev.length > 0) return { replayed: true, instanceId };
    }
    const { flow, timeZone } = await compiled(tx, ws, inst.flow, inst.version);
    const directory = await directoryOf(tx, ws);
    const now = ctx.now();
    const env = { record: RECORD_NOT_LOADED, directory, now, ids: randomUUID, timeZone };
    // Most events never look at the record (a countersigner among several, a comment): step without it
    // first and read it only when the step asks for it — one statement fewer per approval.
    let r: StepResult;
    try {
      r = step(flow, inst.snapshot, event, env);
    } catch (e) {
      if (!(e instanceof RecordNotLoaded)) throw e;
      const record = await storeOn(tx).records.get(ws, runtimePrincipal(), inst.entity, inst.record_id, {
        includeDeleted: true,
      });
      r = step(flow, inst.snapshot, event, { ...env, record });
    }
    if (!r.ok) throw refusalError(r.refusal);
    const actor = 'actor' in event ? event.actor : null;
    const out = await applyEffects(
      tx,
      { ws, entity: inst.entity, recordId: inst.record_id, instanceId, actor, depth: 0 },
      r.effects,
      // The tasks (for the view) come back from the same statement, as they were before the writes
      // merged into it; the view applies those.
      [
        `UPDATE ${s}._wf_instances SET snapshot = $2::jsonb, seq = seq + 1, updated_at = $3 WHERE id = $1::uuid${
          withView ? ` RETURNING ${tasksJsonSql(ws, '$1::uuid')} AS tasks` : ''
        }`,
        [instanceId, r.snapshot, now.toISOString()],
      ],
    );
    const ended = out.ended || r.snapshot.status === 'done';
    if (ended) await endInstance(tx, ws, instanceId, out.ended ?? 'approved');
    if (idem)
      void tx.query(
        `INSERT INTO ${s}._wf_events (instance_id, idem_key, result, at) VALUES ($1::uuid, $2, $3::jsonb, $4)`,
        [instanceId, idem, { event: event.type }, now.toISOString()],
      );
    // The instance as just written (the lock held it) with its tasks as the pipeline read them; answered
    // once the transaction is (await it after the transaction).
    const view =
      withView && !ended
        ? out.rows.then((rows) => {
            const read = (rows[0] as { tasks: TaskRow[] } | undefined)?.tasks ?? [];
            const tasks = afterEffects(read, out.merged, instanceId, out.now);
            return { ...inst, snapshot: r.snapshot, updated_at: now, tasks };
          })
        : undefined;
    view?.catch(() => undefined);
    return { replayed: false, instanceId, ...(view ? { view } : {}) };
  }

  async function instanceRow(q: Db, ws: string, id: string): Promise<InstanceRow> {
    if (!uuidOrNull(id)) throw notFound('流程实例|Flow instance', { instanceId: id });
    const [inst] = await q.query<InstanceRow>(
      `SELECT * FROM ${workspaceSchema(ws)}._wf_instances WHERE id = $1::uuid`,
      [id],
    );
    if (!inst) throw notFound('流程实例|Flow instance', { instanceId: id });
    return inst;
  }

  /** Participants (submitter, assignees, copied members) and administrators may see an instance. */
  async function assertCanSee(q: Db, ws: string, p: Principal, inst: InstanceRow) {
    if (p.isAdmin || inst.submitter === p.userId) return;
    const s = workspaceSchema(ws);
    const [hit] = await q.query(
      `SELECT 1 FROM ${s}._wf_tasks WHERE instance_id = $1::uuid AND assignee = $2::uuid
       UNION ALL SELECT 1 FROM ${s}._wf_cc WHERE instance_id = $1::uuid AND member = $2::uuid LIMIT 1`,
      [inst.id, uuidOrNull(p.userId)],
    );
    if (!hit) throw new DomainError('FORBIDDEN', { instanceId: inst.id });
  }

  /** `participant`: the caller was just accepted as the assignee of one of its tasks. */
  /** An instance with its tasks (a JSON array), in one statement. */
  // The columns a view shows (a task's field access is the flow's, not the row's), aggregated as json:
  // built as text, not as a jsonb tree that is then printed.
  const tasksJsonSql = (ws: string, instance: string) =>
    `COALESCE((SELECT json_agg(t ORDER BY t.created_at, t.id COLLATE "C") FROM (SELECT id, instance_id, node_id, kind,
                assignee, status, round, origin, from_member, created_at, closed_at, closed_by
                FROM ${workspaceSchema(ws)}._wf_tasks WHERE instance_id = ${instance}) t), '[]'::json)`;
  const viewSql = (ws: string) =>
    `SELECT i.*, ${tasksJsonSql(ws, 'i.id')} AS tasks FROM ${workspaceSchema(ws)}._wf_instances i WHERE i.id = $1::uuid`;
  type ViewRow = InstanceRow & { tasks: TaskRow[] };

  /** `participant`: the caller was just accepted as the assignee of one of its tasks. */
  async function view(
    q: Db,
    ws: string,
    p: Principal,
    id: string,
    participant = false,
  ): Promise<InstanceView> {
    const [row] = uuidOrNull(id) ? await q.query<ViewRow>(viewSql(ws), [id]) : [];
    if (!row) throw notFound('流程实例|Flow instance', { instanceId: id });
    return viewOf(q, ws, p, row, participant);
  }

  async function viewOf(
    q: Db,
    ws: string,
    p: Principal,
    row: ViewRow,
    participant: boolean,
  ): Promise<InstanceView> {
    const { tasks, ...inst } = row;
    if (!participant) await assertCanSee(q, ws, p, inst);
    const { flow } = await compiled(q, ws, inst.flow, inst.version);
    const active = inst.status === 'active' ? activeNodes(flow, inst.snapshot) : [];
    const mine = tasks.filter((t) => t.status === 'open' && t.assignee === p.userId);
    return {
      id: inst.id,
      flow: inst.flow,
      version: inst.version,
      entity: inst.entity,
      recordId: inst.record_id,
      submitter: inst.submitter,
      status: inst.status,
      startedAt: iso(inst.started_at) as string,
      updatedAt: iso(inst.updated_at) as string,
      endedAt: iso(inst.ended_at),
      activeNodes: active,
      tasks: tasks.map(toTask),
      myTasks: mine.map((t) => {
        const fa = fieldAccessAt(flow, inst.snapshot, t.node_id);
        return { ...toTask(t), fields: fa.fields, defaultAccess: fa.defaultAccess };
      }),
    };
  }

  const idemOf = (k: unknown): string | undefined =>
    typeof k === 'string' && k.length > 0 ? k.slice(0, 200) : undefined;

  const instances = {
    /** Starts the published flow on a record the caller can read. */
    async start(ws: string, p: Principal, input: { flow: string; recordId: string }): Promise<InstanceView> {
      const id = await db.transaction(async (tx) => {
        const pub = await definitions.published(tx, ws, 'flow', input.flow);
        if (!pub)
          throw invalid(
            'flow',
            'notPublished',
            `流程 ${input.flow} 尚未发布`,
            `Flow ${input.flow} is not published`,
            { flow: input.flow },
          );
        // The caller must be able to read the record (the store's permission-checked path).
        await storeOn(tx).records.get(ws, p, (pub.definition as FlowDefinition).entity, input.recordId);
        return startOn(tx, ws, {
          flow: input.flow,
          recordId: input.recordId,
          submitter: p.userId,
          parent: null,
          depth: 0,
        });
      });
      return view(db, ws, p, id);
    },
    get: (ws: string, p: Principal, id: string) => view(db, ws, p, id),
    /**
     * The record of an instance as one of its participants sees it: approvers, copied members and the
     * submitter see it even outside their roles' data scope (that is what the flow asked of them), but
     * never a field their roles hide, nor one the node of their latest task hides.
     */
    async record(ws: string, p: Principal, id: string): Promise<Record<string, unknown>> {
      const inst = await instanceRow(db, ws, id);
      await assertCanSee(db, ws, p, inst);
      const store = storeOn(db);
      const rec = await store.records.get(ws, runtimePrincipal(), inst.entity, inst.record_id, {
        includeDeleted: true,
      });
      const hidden = new Set(entityAccess(await resolveAccess(db, ws, p), inst.entity).hidden);
      const [last] = await db.query<{ node_id: string }>(
        `SELECT node_id FROM ${workspaceSchema(ws)}._wf_tasks WHERE instance_id = $1::uuid AND assignee = $2::uuid
          ORDER BY (status = 'open') DESC, created_at DESC LIMIT 1`,
        [inst.id, uuidOrNull(p.userId)],
      );
      if (last) {
        const { flow } = await compiled(db, ws, inst.flow, inst.version);
        const fa = fieldAccessAt(flow, inst.snapshot, last.node_id);
        for (const [k, a] of Object.entries(fa.fields)) if (a === 'hidden') hidden.add(k);
      }
      if (hidden.size === 0) return rec;
      return Object.fromEntries(Object.entries(rec).filter(([k]) => !hidden.has(k)));
    },
    /** Approve / reject / submit / transfer / add signer / comment on a task of the caller. */
    async act(
      ws: string,
      p: Principal,
      taskId: string,
      action: TaskAction & { idempotencyKey?: string },
    ): Promise<InstanceView> {
      const { idempotencyKey, ...a } = action;
      const named = a.type === 'transfer' ? [a.to] : a.type === 'addSigner' ? a.members : [];
      const stranger = named.find((x) => !uuidOrNull(x));
      if (stranger !== undefined)
        throw invalid(
          a.type === 'transfer' ? 'to' : 'members',
          'unknownMember',
          `${stranger} 不是成员`,
          `${stranger} is not a member`,
        );
      const event = (
        a.type === 'comment' ? { ...a, actor: p.userId, taskId } : { ...a, taskId, actor: p.userId }
      ) as FlowEvent;
      const r = await db.transaction((tx) =>
        handleEvent(tx, ws, { taskId }, event, idemOf(idempotencyKey), true),
      );
      return {
        ...(r.view
          ? await viewOf(db, ws, p, await r.view, true)
          : await view(db, ws, p, r.instanceId, !r.replayed)),
        ...(r.replayed ? { replayed: true } : {}),
      };
    },
    async event(
      ws: string,
      p: Principal,
      id: string,
      a: { type: 'withdraw' | 'urge' | 'comment' | 'cancel'; comment?: string; idempotencyKey?: string },
    ): Promise<InstanceView> {
      await instanceRow(db, ws, id);
      if (a.type === 'cancel' && !p.isAdmin) throw new DomainError('FORBIDDEN', { action: 'cancel' });
      const event = {
        type: a.type,
        actor: p.userId,
        ...(a.comment !== undefined ? { comment: a.comment } : {}),
      } as FlowEvent;
      const r = await db.transaction((tx) => handleEvent(tx, ws, id, event, idemOf(a.idempotencyKey)));
      return { ...(await view(db, ws, p, id)), ...(r.replayed ? { replayed: true } : {}) };
    },
    async history(ws: string, p: Principal, id: string): Promise<HistoryItem[]> {
      const inst = await instanceRow(db, ws, id);
      await assertCanSee(db, ws, p, inst);
      const rows = await db.query<{
        id: number;
        action: string;
        node_id: string | null;
        actor: string | null;
        task_id: string | null;
        comment: string | null;
        to_members: string[] | null;
        changes: Record<string, unknown> | null;
        detail: Record<string, unknown> | null;
        at: Date;
      }>(
        `SELECT id, action, node_id, actor::text, task_id, comment, to_members, changes, detail, at FROM ${workspaceSchema(ws)}._wf_history WHERE instance_id = $1::uuid ORDER BY id`,
        [id],
      );
      return rows.map((r) => ({
        id: Number(r.id),
        action: r.action,
        nodeId: r.node_id,
        actor: r.actor,
        taskId: r.task_id,
        comment: r.comment,
        to: r.to_members,
        changes: r.changes,
        detail: r.detail,
        at: iso(r.at) as string,
      }));
    },
    /** Instances on a record the caller can read. */
    async ofRecord(ws: string, p: Principal, entity: string, recordId: string) {
      await storeOn(db).records.get(ws, p, entity, recordId);
      const rows = await db.query<InstanceRow>(
        `SELECT * FROM ${workspaceSchema(ws)}._wf_instances WHERE entity = $1 AND record_id = $2::uuid ORDER BY started_at DESC`,
        [entity, recordId],
      );
      return rows.map((r) => ({
        id: r.id,
        flow: r.flow,
        version: r.version,
        status: r.status,
        submitter: r.submitter,
        startedAt: iso(r.started_at),
        endedAt: iso(r.ended_at),
      }));
    },
    handleEvent,
  };

  const tasks = {
    /** 待办 todo, 已办 done, 我发起的 startedByMe, 抄送我的 ccMe — newest first. */
    async list(
      ws: string,
      p: Principal,
      o: { view: 'todo' | 'done' | 'startedByMe' | 'ccMe'; limit?: number; offset?: number },
    ): Promise<{ items: TaskListItem[]; total: number }> {
      const s = workspaceSchema(ws);
      const me = uuidOrNull(p.userId);
      const limit = Math.min(Math.max(o.limit ?? 50, 1), 200);
      const offset = Math.max(o.offset ?? 0, 0);
      const inst = `i.flow, i.version AS flow_version, i.entity, i.record_id::text, i.submitter::text, i.status AS instance_status, i.started_at`;
      let sql: string;
      if (o.view === 'todo' || o.view === 'done') {
        const where =
          o.view === 'todo'
            ? `t.assignee = $1::uuid AND t.status = 'open'`
            : `t.closed_by = $1::uuid AND t.status IN ('approved','rejected','submitted','transferred','delegated')`;
        const order = o.view === 'todo' ? 't.created_at DESC' : 't.closed_at DESC';
        sql = `SELECT t.*, ${inst}, count(*) OVER () AS total FROM ${s}._wf_tasks t JOIN ${s}._wf_instances i ON i.id = t.instance_id WHERE ${where} ORDER BY ${order}, t.id LIMIT $2 OFFSET $3`;
      } else if (o.view === 'startedByMe') {
        sql = `SELECT NULL AS id, i.id::text AS instance_id, ${inst}, count(*) OVER () AS total FROM ${s}._wf_instances i WHERE i.submitter = $1::uuid AND i.parent_id IS NULL ORDER BY i.started_at DESC, i.id LIMIT $2 OFFSET $3`;
      } else {
        sql = `SELECT NULL AS id, i.id::text AS instance_id, c.node_id, c.at AS created_at, ${inst}, count(*) OVER () AS total FROM ${s}._wf_cc c JOIN ${s}._wf_instances i ON i.id = c.instance_id WHERE c.member = $1::uuid ORDER BY c.at DESC, i.id LIMIT $2 OFFSET $3`;
      }
      const rows = await db.query<
        TaskRow & {
          flow: string;
          flow_version: number;
          entity: string;
          record_id: string;
          submitter: string;
          instance_status: InstanceStatus;
          started_at: Date;
          total: number;
        }
      >(sql, [me, limit, offset]);
      return {
        total: Number(rows[0]?.total ?? 0),
        items: rows.map((r) => ({
          ...(r.id ? toTask(r) : {}),
          ...(r.id === null && r.node_id
            ? { nodeId: r.node_id, createdAt: iso(r.created_at) as string }
            : {}),
          instanceId: String(r.instance_id),
          flow: r.flow,
          version: Number(r.flow_version),
          entity: r.entity,
          recordId: r.record_id,
          submitter: r.submitter,
          instanceStatus: r.instance_status,
          startedAt: iso(r.started_at) as string,
        })),
      };
    },
  };

  const notifications = {
    async list(
      ws: string,
      p: Principal,
      o: { unread?: boolean; limit?: number } = {},
    ): Promise<{ items: NotificationView[]; unread: number }> {
      const s = workspaceSchema(ws);
      const me = uuidOrNull(p.userId);
      const rows = await db.query<{
        id: string;
        kind: string;
        title: Message;
        body: Message | null;
        instance_id: string | null;
        task_id: string | null;
        entity: string | null;
        record_id: string | null;
        created_at: Date;
        read_at: Date | null;
      }>(
        `SELECT id::text, kind, title, body, instance_id::text, task_id, entity, record_id::text, created_at, read_at FROM ${s}._notifications
          WHERE user_id = $1::uuid AND ($2::boolean IS NOT TRUE OR read_at IS NULL) ORDER BY created_at DESC, id LIMIT $3`,
        [me, o.unread ?? false, Math.min(Math.max(o.limit ?? 50, 1), 200)],
      );
      const [c] = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${s}._notifications WHERE user_id = $1::uuid AND read_at IS NULL`,
        [me],
      );
      return {
        unread: Number(c?.n ?? 0),
        items: rows.map((r) => ({
          id: r.id,
          kind: r.kind,
          title: r.title,
          body: r.body,
          instanceId: r.instance_id,
          taskId: r.task_id,
          entity: r.entity,
          recordId: r.record_id,
          createdAt: iso(r.created_at) as string,
          readAt: iso(r.read_at),
        })),
      };
    },
    /** Marks the caller's notifications read (all when `ids` is omitted); returns how many changed. */
    async markRead(ws: string, p: Principal, ids?: string[]): Promise<number> {
      const rows = await db.query(
        `UPDATE ${workspaceSchema(ws)}._notifications SET read_at = $3 WHERE user_id = $1::uuid AND read_at IS NULL AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[])) RETURNING id`,
        [uuidOrNull(p.userId), ids ? ids.filter((x) => uuidOrNull(x)) : null, ctx.now().toISOString()],
      );
      return rows.length;
    },
  };

  // --- blueprints ------------------------------------------------------------------------------------
  async function currentStage(
    q: Db,
    ws: string,
    bp: Blueprint,
    recordId: string,
    record: Record<string, unknown>,
  ) {
    const [h] = await q.query<{ stage: string; at: Date }>(
      `SELECT stage, at FROM ${workspaceSchema(ws)}._stage_history WHERE blueprint = $1 AND entity = $2 AND record_id = $3::uuid ORDER BY id DESC LIMIT 1`,
      [bp.key, bp.entity, recordId],
    );
    const v = record[bp.field];
    const stage = typeof v === 'string' && v !== '' ? v : null;
    return { stage, enteredAt: h && h.stage === stage ? (iso(h.at) as string) : undefined };
  }

  const blueprints = {
    /** Moves a record's stage field through the blueprint (with the edits of the move dialog). */
    async moveStage(
      ws: string,
      p: Principal,
      input: {
        blueprint: string;
        recordId: string;
        to: string;
        fields?: Record<string, unknown>;
        comment?: string;
      },
    ) {
      return db.transaction(async (tx) => {
        const pub = await definitions.published(tx, ws, 'blueprint', input.blueprint);
        if (!pub)
          throw invalid(
            'blueprint',
            'notPublished',
            `蓝图 ${input.blueprint} 尚未发布`,
            `Blueprint ${input.blueprint} is not published`,
          );
        const bp = pub.definition as Blueprint;
        const store = storeOn(tx);
        const rec = await store.records.get(ws, p, bp.entity, input.recordId);
        const cur = await currentStage(tx, ws, bp, String(rec.id), rec);
        const now = ctx.now();
        const tz = await timeZoneOf(tx, ws);
        const after = { ...rec, ...(input.fields ?? {}), [bp.field]: input.to };
        const roles = p.access ? ((p.access as unknown as { roles?: string[] }).roles ?? p.roles) : p.roles;
        const res = checkStageMove(bp, {
          record: after,
          from: cur.stage,
          to: input.to,
          actor: { id: p.userId, roles },
          now,
          timeZone: tz,
        });
        if (!res.ok) {
          const r = res.refusal;
          const issues = r.missingFields.length
            ? r.missingFields.map((f) => ({
                field: f,
                code: 'required',
                message: r.message,
                params: { rule: r.rule ?? null },
              }))
            : [{ field: 'to', code: r.code, message: r.message, params: { rule: r.rule ?? null } }];
          throw new DomainError(
            r.code === 'notAllowed' ? 'FORBIDDEN' : 'VALIDATION_FAILED',
            { refusal: r.code, rule: r.rule ?? null, missingFields: r.missingFields },
            issues,
            r.message,
          );
        }
        // The move itself is a record update by the caller (their permissions apply).
        const updated = await store.records.update(
          ws,
          p,
          bp.entity,
          String(rec.id),
          { ...(input.fields ?? {}), [bp.field]: input.to },
          { source: 'api', stageMove: true },
        );
        const s = workspaceSchema(ws);
        await tx.query(
          `INSERT INTO ${s}._stage_history (blueprint, entity, record_id, from_stage, stage, transition, actor, at) VALUES ($1, $2, $3::uuid, $4, $5, $6, $7::uuid, $8)`,
          [
            bp.key,
            bp.entity,
            String(rec.id),
            cur.stage,
            input.to,
            res.transition.key,
            uuidOrNull(p.userId),
            now.toISOString(),
          ],
        );
        const effects = enterStage(
          bp,
          { from: cur.stage, ...(cur.enteredAt ? { fromEnteredAt: cur.enteredAt } : {}), to: input.to },
          {
            recordId: String(rec.id),
            record: updated,
            directory: await directoryOf(tx, ws),
            now,
            timeZone: tz,
            actor: p.userId,
          },
        );
        await applyEffects(
          tx,
          { ws, entity: bp.entity, recordId: String(rec.id), actor: p.userId, depth: 0 },
          effects.map((e) => (e.type === 'scheduleTimer' ? { ...e, key: e.key } : e)),
        );
        return {
          record: await store.records.get(ws, p, bp.entity, String(rec.id)),
          transition: res.transition.key,
          from: cur.stage,
          to: input.to,
        };
      });
    },
    async stageHistory(ws: string, p: Principal, blueprint: string, recordId: string) {
      const pub = await definitions.published(db, ws, 'blueprint', blueprint);
      if (!pub) throw notFound('蓝图|Blueprint', { blueprint });
      const bp = pub.definition as Blueprint;
      await storeOn(db).records.get(ws, p, bp.entity, recordId);
      const rows = await db.query<{
        from_stage: string | null;
        stage: string;
        transition: string | null;
        actor: string | null;
        at: Date;
      }>(
        `SELECT from_stage, stage, transition, actor::text, at FROM ${workspaceSchema(ws)}._stage_history WHERE blueprint = $1 AND record_id = $2::uuid ORDER BY id`,
        [blueprint, recordId],
      );
      const entries = rows.map((r) => ({
        from: r.from_stage,
        stage: r.stage,
        transition: r.transition,
        actor: r.actor,
        at: iso(r.at) as string,
      }));
      return { entries, timeInStage: timeInStage(entries, ctx.now()) };
    },
  };

  // --- automations -----------------------------------------------------------------------------------
  async function openCounts(
    tx: Db,
    ws: string,
    a: Automation,
    dirRoles: Record<string, string[]>,
  ): Promise<Record<string, number> | undefined> {
    const needs = a.actions.filter(
      (x) => x.type === 'assignOwner' && (x.strategy === 'leastOpen' || x.strategy === 'byField'),
    );
    if (needs.length === 0) return undefined;
    const ids = new Set<string>();
    for (const x of needs)
      if (x.type === 'assignOwner')
        for (const id of [
          ...(x.members ?? []),
          ...(x.role ? (dirRoles[x.role] ?? []) : []),
          ...Object.values(x.map ?? {}).flat(),
          ...(x.fallback ?? []),
        ])
          ids.add(id);
    const out: Record<string, number> = {};
    const store = storeOn(tx);
    for (const id of ids) {
      const r = await store.records.list(ws, runtimePrincipal(), a.entity, {
        filter: { field: 'ownerId', op: 'eq', value: id },
        limit: 1,
        total: 'exact',
      });
      out[id] = r.total;
    }
    return out;
  }

  async function runAutomation(
    tx: Db,
    ws: string,
    key: string,
    version: number,
    a: Automation,
    change: RecordChange,
    o: { dryRun: boolean; jobId?: number },
  ): Promise<AutomationRunView> {
    const s = workspaceSchema(ws);
    const directory = await directoryOf(tx, ws);
    const [st] = await tx.query<{ state: { cursor?: number } }>(
      `SELECT state FROM ${s}._wf_definitions WHERE kind = 'automation' AND key = $1 ${o.dryRun ? '' : 'FOR UPDATE'}`,
      [key],
    );
    const counts = await openCounts(tx, ws, a, directory.roles);
    const plan = planAutomation(a, change, {
      directory,
      cursor: st?.state.cursor ?? 0,
      ...(counts ? { openCounts: counts } : {}),
    });
    let status: AutomationRunView['status'] =
      plan.skipped.length === 0 ? 'ok' : plan.effects.length === 0 ? 'skipped' : 'partial';
    let error: string | null = null;
    if (!o.dryRun) {
      try {
        await tx.transaction((sp) =>
          applyEffects(
            sp,
            { ws, entity: change.entity, recordId: change.recordId ?? null, automation: key, depth: 0 },
            plan.effects,
          ),
        );
      } catch (e) {
        status = 'failed';
        error =
          e instanceof DomainError
            ? `${e.code}: ${e.userMessage.en}${e.issues.length ? ` (${e.issues.map((i) => `${i.field}: ${i.message.en}`).join('; ')})` : ''}`
            : e instanceof Error
              ? e.message
              : String(e);
      }
    }
    const [run] = await tx.query<{ id: string; at: Date }>(
      `INSERT INTO ${s}._automation_runs (automation, version, trigger, record_id, status, dry_run, effects, skipped, error, job_id, at)
       VALUES ($1, $2, $3, $4::uuid, $5, $6, $7::jsonb, $8::jsonb, $9, $10, $11) RETURNING id::text, at`,
      [
        key,
        version,
        change.kind,
        change.recordId ?? null,
        status,
        o.dryRun,
        plan.effects,
        plan.skipped,
        error,
        o.jobId ?? null,
        ctx.now().toISOString(),
      ],
    );
    return {
      id: run?.id ?? '',
      automation: key,
      version,
      trigger: change.kind,
      recordId: change.recordId ?? null,
      status,
      dryRun: o.dryRun,
      effects: plan.effects,
      skipped: plan.skipped,
      error,
      jobId: o.jobId ?? null,
      at: iso(run?.at) as string,
    };
  }

  /** The published, enabled definitions of one kind for an entity. */
  async function publishedFor<T>(q: Db, ws: string, kind: 'automation' | 'blueprint', entity: string) {
    const s = workspaceSchema(ws);
    return q.query<{ key: string; version: number; definition: T }>(
      `SELECT d.key, v.version, v.definition FROM ${s}._wf_definitions d JOIN ${s}._wf_versions v ON v.kind = d.kind AND v.key = d.key AND v.version = d.published_version
        WHERE d.kind = $1 AND d.entity = $2 AND d.enabled AND d.deleted_at IS NULL ORDER BY d.key`,
      [kind, entity],
    );
  }
  const publishedAutomations = (q: Db, ws: string, entity: string) =>
    publishedFor<Automation>(q, ws, 'automation', entity);

  const automations = {
    async runs(ws: string, key: string, o: { limit?: number } = {}): Promise<AutomationRunView[]> {
      await definitions.get(ws, 'automation', key);
      const rows = await db.query<{
        id: string;
        automation: string;
        version: number;
        trigger: string;
        record_id: string | null;
        status: AutomationRunView['status'];
        dry_run: boolean;
        effects: Effect[];
        skipped: PlanResult['skipped'];
        error: string | null;
        job_id: number | null;
        at: Date;
      }>(
        `SELECT id::text, automation, version, trigger, record_id::text, status, dry_run, effects, skipped, error, job_id, at FROM ${workspaceSchema(ws)}._automation_runs WHERE automation = $1 ORDER BY at DESC, id LIMIT $2`,
        [key, Math.min(Math.max(o.limit ?? 50, 1), 200)],
      );
      return rows.map((r) => ({
        id: r.id,
        automation: r.automation,
        version: r.version,
        trigger: r.trigger,
        recordId: r.record_id,
        status: r.status,
        dryRun: r.dry_run,
        effects: r.effects,
        skipped: r.skipped,
        error: r.error,
        jobId: r.job_id === null ? null : Number(r.job_id),
        at: iso(r.at) as string,
      }));
    },
    /** Plans the automation's draft against a record the caller can read, as if it had been created/updated; applies nothing. */
    async dryRun(
      ws: string,
      p: Principal,
      key: string,
      input: { recordId?: string; before?: Record<string, unknown> },
    ): Promise<AutomationRunView & { matched: boolean }> {
      const d = await definitions.get(ws, 'automation', key);
      const a = d.draft as Automation;
      return db.transaction(async (tx) => {
        const record = input.recordId ? await storeOn(tx).records.get(ws, p, a.entity, input.recordId) : {};
        const kind =
          a.trigger.type === 'created'
            ? 'created'
            : a.trigger.type === 'schedule'
              ? 'schedule'
              : a.trigger.type === 'dateReached'
                ? 'dateReached'
                : 'updated';
        const change: RecordChange = {
          kind,
          entity: a.entity,
          record,
          now: ctx.now(),
          timeZone: await timeZoneOf(tx, ws),
          ...(input.recordId ? { recordId: input.recordId } : {}),
          ...(input.before ? { before: { ...record, ...input.before } } : {}),
        };
        const matched = matchAutomation({ ...a, enabled: true }, change);
        const run = await runAutomation(tx, ws, key, d.publishedVersion ?? 0, a, change, { dryRun: true });
        return { ...run, matched };
      });
    },
  };

  // --- job handlers (each runs inside its job's transaction) -----------------------------------------
  const handlers: Record<string, JobHandler> = {
    async 'flow.timer'(job, tx) {
      const { instanceId, key } = job.payload as { instanceId: string; key: string };
      try {
        await handleEvent(tx, String(job.workspace), instanceId, { type: 'timer', key });
        return { fired: key };
      } catch (e) {
        // A timer whose node was left, or whose instance ended, is stale: nothing to do.
        if (
          e instanceof DomainError &&
          (e.details.refusal === 'staleTimer' || e.details.refusal === 'instanceEnded')
        )
          return { stale: true };
        throw e;
      }
    },
    async 'flow.event'(job, tx) {
      const { instanceId, event } = job.payload as { instanceId: string; event: FlowEvent };
      try {
        await handleEvent(tx, String(job.workspace), instanceId, event);
        return { applied: event.type };
      } catch (e) {
        if (e instanceof DomainError && e.details.refusal === 'instanceEnded') return { stale: true };
        throw e;
      }
    },
    async 'blueprint.sla'(job, tx) {
      const ws = String(job.workspace);
      const { key, entity, recordId } = job.payload as { key: string; entity: string; recordId: string };
      const bpKey = key.split(':')[1] ?? '';
      const pub = await definitions.published(tx, ws, 'blueprint', bpKey);
      if (!pub) return { stale: true };
      const bp = pub.definition as Blueprint;
      const record = await storeOn(tx).records.get(ws, runtimePrincipal(), entity, recordId);
      const cur = await currentStage(tx, ws, bp, recordId, record);
      if (!cur.enteredAt) return { stale: true };
      const effects = stageSlaExpired(
        bp,
        { key },
        { stage: cur.stage, enteredAt: cur.enteredAt },
        {
          recordId,
          record,
          directory: await directoryOf(tx, ws),
          now: ctx.now(),
          timeZone: await timeZoneOf(tx, ws),
        },
      );
      if (effects === null) return { stale: true };
      await applyEffects(tx, { ws, entity, recordId, depth: 0 }, effects);
      return { escalated: effects.length };
    },
    /** A created record entered its blueprints' initial stages: stage history, on-enter actions, SLA. */
    async 'blueprint.enter'(job, tx) {
      const ws = String(job.workspace);
      const [a] = await tx.query<{ entity: string; record_id: string; actor: string | null; at: Date }>(
        `SELECT entity, record_id::text, actor::text, at FROM ${workspaceSchema(ws)}._audit WHERE id = $1 AND action = 'create'`,
        [Number(job.payload.auditId)],
      );
      if (!a) return { skipped: true };
      let record: Record<string, unknown>;
      try {
        record = await storeOn(tx).records.get(ws, runtimePrincipal(), a.entity, a.record_id);
      } catch (e) {
        if (e instanceof DomainError && e.code === 'RECORD_NOT_FOUND') return { skipped: 'deleted' };
        throw e;
      }
      const entered: string[] = [];
      for (const { definition: bp } of await publishedFor<Blueprint>(tx, ws, 'blueprint', a.entity)) {
        const stage = record[bp.field];
        if (typeof stage !== 'string' || stage === '') continue;
        // A move made before this job ran already started the record's stage history.
        const [seen] = await tx.query(
          `SELECT 1 FROM ${workspaceSchema(ws)}._stage_history WHERE blueprint = $1 AND record_id = $2::uuid LIMIT 1`,
          [bp.key, a.record_id],
        );
        if (seen) continue;
        await tx.query(
          `INSERT INTO ${workspaceSchema(ws)}._stage_history (blueprint, entity, record_id, from_stage, stage, transition, actor, at) VALUES ($1, $2, $3::uuid, NULL, $4, NULL, $5::uuid, $6)`,
          [bp.key, a.entity, a.record_id, stage, a.actor, a.at.toISOString()],
        );
        const effects = enterStage(
          bp,
          { from: null, to: stage },
          {
            recordId: a.record_id,
            record,
            directory: await directoryOf(tx, ws),
            now: a.at,
            timeZone: await timeZoneOf(tx, ws),
            ...(a.actor ? { actor: a.actor } : {}),
          },
        );
        await applyEffects(
          tx,
          { ws, entity: a.entity, recordId: a.record_id, ...(a.actor ? { actor: a.actor } : {}), depth: 0 },
          effects,
        );
        entered.push(`${bp.key}:${stage}`);
      }
      return { entered };
    },
    async 'automation.change'(job, tx) {
      const ws = String(job.workspace);
      const auditId = Number(job.payload.auditId);
      const [a] = await tx.query<{
        entity: string;
        record_id: string;
        action: string;
        changes: Array<{ field: string; before: unknown; after: unknown }>;
      }>(`SELECT entity, record_id::text, action, changes FROM ${workspaceSchema(ws)}._audit WHERE id = $1`, [
        auditId,
      ]);
      if (!a || (a.action !== 'create' && a.action !== 'update')) return { skipped: true };
      const list = await publishedAutomations(tx, ws, a.entity);
      if (list.length === 0) return { automations: 0 };
      let current: Record<string, unknown>;
      try {
        current = await storeOn(tx).records.get(ws, runtimePrincipal(), a.entity, a.record_id);
      } catch (e) {
        if (e instanceof DomainError && e.code === 'RECORD_NOT_FOUND') return { skipped: 'deleted' };
        throw e;
      }
      // The record as the write left it, and as it was before (from the audit entry of that write).
      const record = { ...current };
      const before = { ...current };
      for (const c of a.changes) {
        record[c.field] = c.after;
        before[c.field] = c.before;
      }
      const now = ctx.now();
      const tz = await timeZoneOf(tx, ws);
      const change: RecordChange = {
        kind: a.action === 'create' ? 'created' : 'updated',
        entity: a.entity,
        recordId: a.record_id,
        record,
        ...(a.action === 'update' ? { before } : {}),
        now,
        timeZone: tz,
      };
      let ran = 0;
      for (const au of list) {
        const def = au.definition;
        if (def.trigger.type === 'dateReached') {
          const at = dateTriggerTime(def, record, tz);
          const jobKey = `automation.date:${au.key}:${a.record_id}`;
          if (at && at.getTime() > now.getTime())
            await enqueueJob(
              tx,
              {
                workspace: ws,
                kind: 'automation.date',
                key: jobKey,
                payload: {
                  automation: au.key,
                  recordId: a.record_id,
                  entity: a.entity,
                  at: at.toISOString(),
                },
                runAt: at,
              },
              now,
            );
          else await cancelJob(tx, ws, jobKey);
          continue;
        }
        if (!matchAutomation(def, change)) continue;
        await runAutomation(tx, ws, au.key, au.version, def, change, { dryRun: false, jobId: job.id });
        ran += 1;
      }
      return { ran };
    },
    async 'automation.date'(job, tx) {
      const ws = String(job.workspace);
      const { automation, recordId, entity, at } = job.payload as {
        automation: string;
        recordId: string;
        entity: string;
        at: string;
      };
      const [on] = await tx.query<{ enabled: boolean }>(
        `SELECT enabled FROM ${workspaceSchema(ws)}._wf_definitions WHERE kind = 'automation' AND key = $1 AND deleted_at IS NULL`,
        [automation],
      );
      const pub = on?.enabled ? await definitions.published(tx, ws, 'automation', automation) : null;
      if (!pub) return { stale: true };
      const def = pub.definition as Automation;
      let record: Record<string, unknown>;
      try {
        record = await storeOn(tx).records.get(ws, runtimePrincipal(), entity, recordId);
      } catch (e) {
        if (e instanceof DomainError && e.code === 'RECORD_NOT_FOUND') return { stale: true };
        throw e;
      }
      const tz = await timeZoneOf(tx, ws);
      const due = dateTriggerTime(def, record, tz);
      if (!due || due.toISOString() !== at) return { stale: true };
      const change: RecordChange = {
        kind: 'dateReached',
        entity,
        recordId,
        record,
        now: ctx.now(),
        timeZone: tz,
      };
      if (!matchAutomation(def, change)) return { matched: false };
      const run = await runAutomation(tx, ws, automation, pub.version, def, change, {
        dryRun: false,
        jobId: job.id,
      });
      return { run: run.id };
    },
    async 'automation.backfill'(job, tx) {
      const ws = String(job.workspace);
      const { automation, cursor } = job.payload as { automation: string; cursor: string | null };
      const pub = await definitions.published(tx, ws, 'automation', automation);
      if (!pub) return { stale: true };
      const def = pub.definition as Automation;
      if (def.trigger.type !== 'dateReached') return { stale: true };
      const page = await storeOn(tx).records.list(ws, runtimePrincipal(), def.entity, {
        limit: 200,
        sort: 'createdAt',
        ...(cursor ? { cursor } : {}),
      });
      const now = ctx.now();
      const tz = await timeZoneOf(tx, ws);
      let scheduled = 0;
      for (const record of page.items) {
        const at = dateTriggerTime(def, record, tz);
        if (!at || at.getTime() <= now.getTime()) continue;
        await enqueueJob(
          tx,
          {
            workspace: ws,
            kind: 'automation.date',
            key: `automation.date:${automation}:${String(record.id)}`,
            payload: { automation, recordId: String(record.id), entity: def.entity, at: at.toISOString() },
            runAt: at,
          },
          now,
        );
        scheduled += 1;
      }
      if (page.nextCursor) {
        await enqueueJob(
          tx,
          { workspace: ws, kind: 'automation.backfill', payload: { automation, cursor: page.nextCursor } },
          now,
        );
      }
      return { scheduled, more: page.nextCursor !== null };
    },
    async 'automation.schedule'(job, tx) {
      const ws = String(job.workspace);
      const key = String(job.payload.automation);
      const s = workspaceSchema(ws);
      const [d] = await tx.query<{ enabled: boolean }>(
        `SELECT enabled FROM ${s}._wf_definitions WHERE kind = 'automation' AND key = $1 AND deleted_at IS NULL`,
        [key],
      );
      const pub = await definitions.published(tx, ws, 'automation', key);
      if (!d?.enabled || !pub) return { stale: true };
      const def = pub.definition as Automation;
      if (def.trigger.type !== 'schedule') return { stale: true };
      const now = ctx.now();
      const change: RecordChange = {
        kind: 'schedule',
        entity: def.entity,
        record: {},
        now,
        timeZone: def.trigger.timeZone ?? (await timeZoneOf(tx, ws)),
      };
      let runId: string | null = null;
      if (matchAutomation(def, change))
        runId = (await runAutomation(tx, ws, key, pub.version, def, change, { dryRun: false, jobId: job.id }))
          .id;
      const next = nextCronTime(def.trigger.cron, now, def.trigger.timeZone ?? 'Asia/Shanghai');
      if (next)
        await enqueueJob(
          tx,
          {
            workspace: ws,
            kind: 'automation.schedule',
            key: `automation.schedule:${key}`,
            payload: { automation: key },
            runAt: next,
          },
          now,
        );
      return { run: runId, next: next?.toISOString() ?? null };
    },
  };

  /**
   * A member's hand-over (org.ts `deactivate` with a successor): every open task of the departing member
   * is transferred to the successor through the engine (history and notifications included), in the
   * hand-over's transaction. A task the engine refuses to transfer (the node forbids it, the successor
   * already has a task there) stays, and is counted apart. The flows, blueprints and automations the
   * member owns pass to the successor.
   */
  const handoverHook: HandoverHook = async (tx, input) => {
    const s = workspaceSchema(input.workspace);
    const open = await tx.query<{ id: string; instance_id: string }>(
      `SELECT id, instance_id::text FROM ${s}._wf_tasks WHERE assignee = $1::uuid AND status = 'open' ORDER BY created_at`,
      [input.from],
    );
    let moved = 0;
    let kept = 0;
    for (const t of open) {
      try {
        await tx.transaction((sp) =>
          handleEvent(sp, input.workspace, t.instance_id, {
            type: 'transfer',
            taskId: t.id,
            actor: input.from,
            to: input.to,
            comment: '离职交接 / Hand-over',
          }),
        );
        moved += 1;
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        kept += 1;
      }
    }
    const owned = await tx.query<{ kind: DefinitionKind; n: number }>(
      `WITH moved AS (
         UPDATE ${s}._wf_definitions SET created_by = $2::uuid
          WHERE created_by = $1::uuid AND deleted_at IS NULL RETURNING kind)
       SELECT kind, count(*)::int AS n FROM moved GROUP BY kind ORDER BY kind`,
      [input.from, input.to],
    );
    const plural = { automation: 'automations', blueprint: 'blueprints', flow: 'flows' } as const;
    return [
      { kind: 'workflowTasks', count: moved },
      ...(kept > 0 ? [{ kind: 'workflowTasksNotTransferable', count: kept }] : []),
      ...owned.map((o) => ({ kind: plural[o.kind], count: Number(o.n) })),
    ];
  };

  return {
    db,
    handoverHook,
    definitions,
    instances,
    tasks,
    notifications,
    blueprints,
    automations,
    jobs: {
      list: (ws: string, o?: Parameters<typeof listJobs>[2]) => listJobs(db, ws, o),
      retry: (ws: string, id: number) => retryJob(db, ws, id),
    },
    /** Handlers of the database jobs, for the job runner. */
    handlers,
    emailsOf: (to: readonly string[]) => emailsOf(db, to),
  };
}

export type WorkflowRuntime = ReturnType<typeof createWorkflowRuntime>;

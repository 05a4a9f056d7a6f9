import {
  type EntityDefinition,
  type FilterNode,
  type I18nText,
  type Issue,
  isEmptyValue,
  type Message,
  type Result,
  toMessage,
  validateFilter,
} from '@formwork/metadata';
import { simpleActionEffects } from './actions.js';
import { resolveAssignees } from './assignees.js';
import { addDuration } from './duration.js';
import { matchFilter } from './match-filter.js';
import { blueprintSchema } from './schema.js';
import type {
  AssigneeRule,
  Directory,
  Duration,
  Effect,
  FlowAction,
  RecordData,
  ValueSource,
} from './types.js';
import { m, schemaIssues } from './validate-schema.js';
import { evaluateSet } from './values.js';

/**
 * Blueprints (蓝图): the rules of a stage field — which stage may move to which, who may move it, which
 * fields must be filled first, what happens on entering a stage, and how long a record may stay (SLA).
 */

export interface BlueprintStage {
  key: string;
  label?: I18nText;
  /** Win probability in percent (商机赢率). */
  probability?: number;
  /** A closing stage (won / lost): no SLA runs in it. */
  final?: boolean;
  onEnter?: FlowAction[];
  sla?: {
    after: Duration;
    escalate?: { notify?: AssigneeRule[]; setOwner?: string[]; set?: Record<string, ValueSource> };
  };
}

export interface BlueprintTransition {
  key: string;
  label?: I18nText;
  /** A stage, several, or `*` for any. */
  from: string | string[];
  to: string;
  /** Who may perform it (any of). Without it everyone who may edit the record may. */
  allowed?: { members?: string[]; roles?: string[]; owner?: boolean };
  requiredFields?: string[];
  /** A filter the record must satisfy. */
  condition?: FilterNode;
  conditionMessage?: I18nText;
}

export interface Blueprint {
  key: string;
  name?: I18nText;
  entity: string;
  field: string;
  /** The stage of a new record (default: the first stage). */
  initial?: string;
  stages: BlueprintStage[];
  transitions: BlueprintTransition[];
}

const fromList = (t: BlueprintTransition): string[] => (Array.isArray(t.from) ? t.from : [t.from]);

/** Parse a blueprint from untrusted JSON: the schema, unique keys, transitions between known stages. */
export function parseBlueprint(input: unknown): Result<Blueprint> {
  const shape = schemaIssues(blueprintSchema, input, m('蓝图', 'The blueprint'));
  if (shape.length > 0) return { ok: false, issues: shape };
  const bp = input as Blueprint;
  const issues: Issue[] = [];
  const stages = new Set<string>();
  bp.stages.forEach((s, i) => {
    if (stages.has(s.key)) {
      issues.push({
        field: `stages.${i}.key`,
        code: 'duplicateId',
        message: m(`阶段 ${s.key} 重复`, `Stage ${s.key} is listed twice`),
      });
    }
    stages.add(s.key);
  });
  if (bp.initial !== undefined && !stages.has(bp.initial)) {
    issues.push({
      field: 'initial',
      code: 'unknownStage',
      message: m(`初始阶段 ${bp.initial} 不存在`, `Initial stage ${bp.initial} does not exist`),
    });
  }
  const keys = new Set<string>();
  bp.transitions.forEach((t, i) => {
    if (keys.has(t.key)) {
      issues.push({
        field: `transitions.${i}.key`,
        code: 'duplicateId',
        message: m(`转换 ${t.key} 重复`, `Transition ${t.key} is listed twice`),
      });
    }
    keys.add(t.key);
    for (const f of fromList(t)) {
      if (f !== '*' && !stages.has(f)) {
        issues.push({
          field: `transitions.${i}.from`,
          code: 'unknownStage',
          message: m(
            `转换 ${t.key} 的起始阶段 ${f} 不存在`,
            `Transition ${t.key} starts from an unknown stage ${f}`,
          ),
        });
      }
    }
    if (!stages.has(t.to)) {
      issues.push({
        field: `transitions.${i}.to`,
        code: 'unknownStage',
        message: m(
          `转换 ${t.key} 的目标阶段 ${t.to} 不存在`,
          `Transition ${t.key} goes to an unknown stage ${t.to}`,
        ),
      });
    }
    if (fromList(t).includes(t.to)) {
      issues.push({
        field: `transitions.${i}`,
        code: 'selfLoop',
        message: m(`转换 ${t.key} 的起止阶段相同`, `Transition ${t.key} goes from a stage to itself`),
      });
    }
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: bp };
}

export interface BlueprintCheckContext {
  entity?: EntityDefinition;
  roles?: readonly string[];
  members?: readonly string[];
}

/** Static checks against the workspace: the stage field, required fields, conditions, roles, reachability. */
export function checkBlueprint(bp: Blueprint, ctx: BlueprintCheckContext = {}): Issue[] {
  const issues: Issue[] = [];
  const entity = ctx.entity;
  const fieldExists = (key: string) =>
    !entity ||
    entity.fields.some((f) => f.key === key) ||
    ['ownerId', 'createdBy', 'createdAt', 'updatedAt', 'id'].includes(key);
  if (entity) {
    const f = entity.fields.find((x) => x.key === bp.field);
    if (!f) {
      issues.push({
        field: 'field',
        code: 'unknownField',
        message: m(`阶段字段 ${bp.field} 不存在`, `Stage field ${bp.field} does not exist`),
      });
    } else if (f.type !== 'select') {
      issues.push({
        field: 'field',
        code: 'wrongFieldType',
        message: m(`阶段字段 ${bp.field} 须为单选类型`, `Stage field ${bp.field} must be a single select`),
      });
    } else {
      const options = new Set((f.options ?? []).map((o) => o.value));
      bp.stages.forEach((s, i) => {
        if (!options.has(s.key)) {
          issues.push({
            field: `stages.${i}.key`,
            code: 'unknownOption',
            message: m(
              `阶段 ${s.key} 不是字段 ${bp.field} 的选项`,
              `Stage ${s.key} is not an option of field ${bp.field}`,
            ),
          });
        }
      });
    }
  }
  bp.transitions.forEach((t, i) => {
    for (const key of t.requiredFields ?? []) {
      if (!fieldExists(key)) {
        issues.push({
          field: `transitions.${i}.requiredFields`,
          code: 'unknownField',
          message: m(
            `转换 ${t.key} 的必填字段 ${key} 不存在`,
            `Transition ${t.key} requires an unknown field ${key}`,
          ),
        });
      }
    }
    if (t.condition !== undefined && entity) {
      const r = validateFilter(entity, t.condition);
      if (!r.ok)
        for (const issue of r.issues)
          issues.push({
            ...issue,
            field: `transitions.${i}.condition${issue.field ? `.${issue.field}` : ''}`,
          });
    }
    for (const role of t.allowed?.roles ?? []) {
      if (ctx.roles && !ctx.roles.includes(role)) {
        issues.push({
          field: `transitions.${i}.allowed.roles`,
          code: 'unknownRole',
          message: m(
            `转换 ${t.key} 引用了不存在的角色 ${role}`,
            `Transition ${t.key} refers to an unknown role ${role}`,
          ),
        });
      }
    }
    for (const member of t.allowed?.members ?? []) {
      if (ctx.members && !ctx.members.includes(member)) {
        issues.push({
          field: `transitions.${i}.allowed.members`,
          code: 'unknownMember',
          message: m(
            `转换 ${t.key} 引用了不存在的成员 ${member}`,
            `Transition ${t.key} refers to an unknown member ${member}`,
          ),
        });
      }
    }
  });
  bp.stages.forEach((s, i) => {
    (s.onEnter ?? []).forEach((a, j) => {
      if (a.type !== 'updateRecord') return;
      for (const key of Object.keys(a.set)) {
        if (!fieldExists(key)) {
          issues.push({
            field: `stages.${i}.onEnter.${j}.set.${key}`,
            code: 'unknownField',
            message: m(
              `阶段 ${s.key} 的动作引用了不存在的字段 ${key}`,
              `An action of stage ${s.key} refers to an unknown field ${key}`,
            ),
          });
        }
      }
    });
  });
  // Every stage must be reachable from the initial stage.
  const initial = bp.initial ?? bp.stages[0]?.key;
  const seen = new Set<string>(initial ? [initial] : []);
  let grew = true;
  while (grew) {
    grew = false;
    for (const t of bp.transitions) {
      if (!seen.has(t.to) && fromList(t).some((f) => f === '*' || seen.has(f))) {
        seen.add(t.to);
        grew = true;
      }
    }
  }
  bp.stages.forEach((s, i) => {
    if (!seen.has(s.key)) {
      issues.push({
        field: `stages.${i}`,
        code: 'unreachableStage',
        message: m(
          `阶段 ${s.key} 从初始阶段无法到达`,
          `Stage ${s.key} cannot be reached from the initial stage`,
        ),
      });
    }
  });
  return issues;
}

export interface StageMoveRequest {
  /** The record as it would be after the move (with the edits made in the move dialog). */
  record: RecordData;
  from: string | null;
  to: string;
  actor: { id: string; roles: readonly string[] };
  /** The current instant (relative-date conditions such as `period: thisMonth` need it). */
  now: Date;
  timeZone?: string;
}

export type StageMoveRefusalCode =
  | 'unknownStage'
  | 'sameStage'
  | 'noTransition'
  | 'notAllowed'
  | 'missingFields'
  | 'conditionFailed';

export interface StageMoveRefusal {
  code: StageMoveRefusalCode;
  /** The transition whose rule refused (absent when no transition exists). */
  rule?: string;
  missingFields: string[];
  message: Message;
}

export type StageMoveResult =
  | { ok: true; transition: BlueprintTransition }
  | { ok: false; refusal: StageMoveRefusal };

function stageName(bp: Blueprint, key: string | null): Message {
  const s = bp.stages.find((x) => x.key === key);
  return toMessage(s?.label, key ?? '—');
}

/**
 * Whether `actor` may move the record from `from` to `to`. When several transitions lead there, the
 * first one that allows the move is used; otherwise the refusal of the closest one is returned (a missing
 * field is closer than a permission) so the user learns what to do.
 */
export function checkStageMove(bp: Blueprint, req: StageMoveRequest): StageMoveResult {
  const fail = (
    code: StageMoveRefusalCode,
    message: Message,
    rule?: string,
    missingFields: string[] = [],
  ): StageMoveResult => ({
    ok: false,
    refusal: { code, message, missingFields, ...(rule !== undefined ? { rule } : {}) },
  });
  if (!bp.stages.some((s) => s.key === req.to)) {
    return fail('unknownStage', m(`阶段 ${req.to} 不存在`, `Stage ${req.to} does not exist`));
  }
  if (req.from === req.to)
    return fail('sameStage', m('记录已处于该阶段', 'The record is already at that stage'));
  const candidates = bp.transitions.filter(
    (t) => t.to === req.to && fromList(t).some((f) => f === '*' || f === req.from),
  );
  const to = stageName(bp, req.to);
  const from = stageName(bp, req.from);
  if (candidates.length === 0) {
    return fail(
      'noTransition',
      m(
        `蓝图不允许从“${from['zh-CN']}”移到“${to['zh-CN']}”`,
        `The blueprint does not allow moving from "${from.en}" to "${to.en}"`,
      ),
    );
  }
  const refusals: StageMoveRefusal[] = [];
  for (const t of candidates) {
    const allowed = t.allowed;
    if (allowed) {
      const byMember = allowed.members?.includes(req.actor.id) ?? false;
      const byRole = allowed.roles?.some((r) => req.actor.roles.includes(r)) ?? false;
      const byOwner = allowed.owner === true && req.record.ownerId === req.actor.id;
      if (!byMember && !byRole && !byOwner) {
        refusals.push({
          code: 'notAllowed',
          rule: t.key,
          missingFields: [],
          message: m(
            `你无权执行“${toMessage(t.label, t.key)['zh-CN']}”`,
            `You may not perform "${toMessage(t.label, t.key).en}"`,
          ),
        });
        continue;
      }
    }
    const missing = (t.requiredFields ?? []).filter((f) => isEmptyValue(req.record[f]));
    if (missing.length > 0) {
      refusals.push({
        code: 'missingFields',
        rule: t.key,
        missingFields: missing,
        message: m(
          `移到“${to['zh-CN']}”前请先填写：${missing.join('、')}`,
          `Fill in ${missing.join(', ')} before moving to "${to.en}"`,
        ),
      });
      continue;
    }
    if (t.condition !== undefined) {
      const ok = matchFilter(t.condition, req.record, {
        now: req.now ?? new Date(0),
        timeZone: req.timeZone ?? 'Asia/Shanghai',
      });
      if (!ok) {
        const custom = t.conditionMessage ? toMessage(t.conditionMessage, t.key) : undefined;
        refusals.push({
          code: 'conditionFailed',
          rule: t.key,
          missingFields: [],
          message:
            custom ??
            m(
              `记录不满足“${toMessage(t.label, t.key)['zh-CN']}”的条件`,
              `The record does not meet the condition of "${toMessage(t.label, t.key).en}"`,
            ),
        });
        continue;
      }
    }
    return { ok: true, transition: t };
  }
  const order: StageMoveRefusalCode[] = ['missingFields', 'conditionFailed', 'notAllowed'];
  refusals.sort((a, b) => order.indexOf(a.code) - order.indexOf(b.code));
  return { ok: false, refusal: refusals[0] as StageMoveRefusal };
}

/** The key of a stage's SLA timer: the stage and the instant it was entered, so a later visit is a new key. */
export function stageTimerKey(bp: Blueprint, recordId: string, stage: string, enteredAt: string): string {
  return `blueprint:${bp.key}:${recordId}:${stage}:${enteredAt}`;
}

export interface StageEnv {
  recordId: string;
  record: RecordData;
  directory: Directory;
  now: Date;
  timeZone?: string;
  /** The member the `submitter` assignee rule means (default: the record's creator). */
  actor?: string;
}

/**
 * Effects of a move: cancel the SLA timer of the stage left (when its entry instant is known), the
 * stage's `onEnter` actions, and the SLA timer of the new stage. Apply after `checkStageMove` allowed it.
 */
export function enterStage(
  bp: Blueprint,
  move: { from: string | null; fromEnteredAt?: string; to: string },
  env: StageEnv,
): Effect[] {
  const effects: Effect[] = [];
  const nowIso = env.now.toISOString();
  if (move.from !== null && move.fromEnteredAt !== undefined) {
    const left = bp.stages.find((s) => s.key === move.from);
    if (left?.sla)
      effects.push({
        type: 'cancelTimer',
        key: stageTimerKey(bp, env.recordId, move.from, move.fromEnteredAt),
      });
  }
  const stage = bp.stages.find((s) => s.key === move.to);
  if (!stage) return effects;
  const submitter = env.actor ?? (typeof env.record.createdBy === 'string' ? env.record.createdBy : '');
  const r = simpleActionEffects(stage.onEnter ?? [], {
    record: { ...env.record, [bp.field]: move.to },
    directory: env.directory,
    now: env.now,
    timeZone: env.timeZone ?? 'Asia/Shanghai',
    submitter,
    source: 'blueprint',
    webhookBody: {
      event: 'stage.entered',
      blueprint: bp.key,
      recordId: env.recordId,
      from: move.from,
      to: move.to,
      at: nowIso,
    },
  });
  effects.push(...r.effects);
  if (stage.sla && !stage.final) {
    effects.push({
      type: 'scheduleTimer',
      key: stageTimerKey(bp, env.recordId, stage.key, nowIso),
      at: addDuration(env.now, stage.sla.after),
      purpose: 'sla',
    });
  }
  return effects;
}

/**
 * A stage SLA timer fired. Stale (null) unless the record is still in the stage entered at
 * `enteredAt`; otherwise the escalation's effects (notify, reassign, set fields).
 */
export function stageSlaExpired(
  bp: Blueprint,
  timer: { key: string },
  current: { stage: string | null; enteredAt: string },
  env: StageEnv,
): Effect[] | null {
  if (
    current.stage === null ||
    timer.key !== stageTimerKey(bp, env.recordId, current.stage, current.enteredAt)
  )
    return null;
  const stage = bp.stages.find((s) => s.key === current.stage);
  const esc = stage?.sla?.escalate;
  const effects: Effect[] = [];
  const name = stageName(bp, current.stage);
  const owner = typeof env.record.ownerId === 'string' ? [env.record.ownerId] : [];
  const submitter = env.actor ?? (typeof env.record.createdBy === 'string' ? env.record.createdBy : '');
  const notifyTo = esc?.notify
    ? resolveAssignees(esc.notify, { directory: env.directory, submitter, record: env.record })
    : owner;
  if (notifyTo.length > 0) {
    effects.push({
      type: 'notify',
      to: notifyTo,
      kind: 'timeout',
      channels: ['inApp', 'email'],
      title: m(`记录在“${name['zh-CN']}”阶段停留超时`, `A record has stayed too long in "${name.en}"`),
    });
  }
  const changes: RecordData = {};
  if (esc?.setOwner && esc.setOwner.length > 0) changes.ownerId = esc.setOwner[0];
  if (esc?.set) {
    const r = evaluateSet(esc.set, {
      record: env.record,
      now: env.now,
      timeZone: env.timeZone ?? 'Asia/Shanghai',
    });
    if (r.ok) Object.assign(changes, r.changes);
  }
  if (Object.keys(changes).length > 0) effects.push({ type: 'updateRecord', changes, source: 'blueprint' });
  return effects;
}

export interface StageHistoryEntry {
  stage: string;
  /** ISO instant the record entered the stage. */
  at: string;
}

export interface TimeInStage {
  /** Total milliseconds spent in each stage over all visits (the current visit counted up to `now`). */
  totals: Record<string, number>;
  current: { stage: string; since: string; ms: number } | null;
}

/** Time spent in each stage from the stage history (in any order), up to `now`. */
export function timeInStage(history: readonly StageHistoryEntry[], now: Date): TimeInStage {
  const sorted = [...history].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const totals: Record<string, number> = {};
  sorted.forEach((h, i) => {
    const next = sorted[i + 1];
    const end = next ? Date.parse(next.at) : now.getTime();
    totals[h.stage] = (totals[h.stage] ?? 0) + Math.max(0, end - Date.parse(h.at));
  });
  const last = sorted[sorted.length - 1];
  return {
    totals,
    current: last
      ? { stage: last.stage, since: last.at, ms: Math.max(0, now.getTime() - Date.parse(last.at)) }
      : null,
  };
}

import {
  type EntityDefinition,
  type FilterNode,
  type I18nText,
  type Issue,
  isValidTimeZone,
  type Message,
  type Result,
  validateFilter,
} from '@formwork/metadata';
import { isActiveMember, resolveAssignees } from './assignees.js';
import { checkCron } from './cron.js';
import { addDuration, instantOfValue } from './duration.js';
import { matchFilter } from './match-filter.js';
import { automationSchema } from './schema.js';
import type { AssigneeRule, Directory, Duration, Effect, RecordData, ValueSource } from './types.js';
import { m, schemaIssues } from './validate-schema.js';
import { evaluateSet, renderTemplate, templateFields, type ValueContext } from './values.js';

/**
 * Automations (智能助手): a trigger, a condition on the record, and actions. `matchAutomation` decides
 * whether a change fires it; `planAutomation` turns it into effects for the runtime's outbox.
 */

export type AutomationTrigger =
  | { type: 'created' }
  /** Any update; with `fields`, an update that changes one of them. */
  | { type: 'updated'; fields?: string[] }
  /** An update that changes `field`, optionally from a value (or one of several) to a value. */
  | { type: 'fieldChanged'; field: string; from?: unknown; to?: unknown }
  /** The date in `field`, shifted by `offset` before/after, at `at` (HH:mm, date fields; default 09:00). */
  | { type: 'dateReached'; field: string; offset?: Duration; direction?: 'before' | 'after'; at?: string }
  | { type: 'schedule'; cron: string; timeZone?: string };

export type AutomationAction =
  | { type: 'updateRecord'; set: Record<string, ValueSource> }
  | { type: 'createRecord'; entity: string; set: Record<string, ValueSource> }
  | { type: 'upsertRecord'; entity: string; match: string[]; set: Record<string, ValueSource> }
  | {
      type: 'assignOwner';
      strategy: 'roundRobin' | 'byField' | 'leastOpen';
      /** Candidates: these members, or the members of `role`. */
      members?: string[];
      role?: string;
      /** byField: the record field whose value picks the candidates in `map`. */
      field?: string;
      map?: Record<string, string[]>;
      /** byField: candidates when the value is not in `map`. */
      fallback?: string[];
    }
  | {
      type: 'notify';
      to?: AssigneeRule[];
      channels?: Array<'inApp' | 'email'>;
      /** Extra e-mail addresses (email channel). */
      emails?: string[];
      title: I18nText;
      body?: I18nText;
    }
  | { type: 'webhook'; url: string; method?: 'POST' | 'PUT' | 'PATCH'; headers?: Record<string, string> }
  | { type: 'startFlow'; flow: string };

export interface Automation {
  key: string;
  name?: I18nText;
  entity: string;
  enabled?: boolean;
  trigger: AutomationTrigger;
  condition?: FilterNode;
  actions: AutomationAction[];
}

export interface AutomationParseContext {
  /** The automation's entity: fields named in triggers, conditions, actions and templates must exist. */
  entity?: EntityDefinition;
  /** Other entities by key (targets of create/upsert). */
  entities?: Record<string, EntityDefinition>;
  roles?: readonly string[];
  members?: readonly string[];
  flows?: readonly string[];
}

const SYSTEM = ['id', 'createdAt', 'updatedAt', 'createdBy', 'ownerId', 'version'];

/** Parse an automation from untrusted JSON; with a context, check the fields, roles and flows it names. */
export function parseAutomation(input: unknown, ctx: AutomationParseContext = {}): Result<Automation> {
  const shape = schemaIssues(automationSchema, input, m('智能助手', 'The automation'));
  if (shape.length > 0) return { ok: false, issues: shape };
  const a = input as Automation;
  const issues: Issue[] = [];
  const push = (field: string, code: string, zh: string, en: string) =>
    issues.push({ field, code, message: m(zh, en) });
  const has = (entity: EntityDefinition | undefined, key: string) =>
    !entity || SYSTEM.includes(key) || entity.fields.some((f) => f.key === key);
  const fieldType = (key: string) => ctx.entity?.fields.find((f) => f.key === key)?.type;
  const t = a.trigger;
  if (t.type === 'schedule') {
    const tz = t.timeZone ?? 'Asia/Shanghai';
    if (!isValidTimeZone(tz))
      push('trigger.timeZone', 'invalidTimeZone', `未知时区 ${tz}`, `Unknown time zone ${tz}`);
    else {
      const c = checkCron(t.cron, tz);
      if (!c.ok)
        push(
          'trigger.cron',
          'invalidCron',
          `定时表达式无效：${c.reason}`,
          `Invalid cron expression: ${c.reason}`,
        );
    }
    a.actions.forEach((x, i) => {
      if (x.type === 'updateRecord' || x.type === 'assignOwner' || x.type === 'startFlow') {
        push(
          `actions.${i}.type`,
          'needsRecord',
          '定时触发没有当前记录，不能使用此动作',
          'A scheduled trigger has no current record; this action needs one',
        );
      }
    });
  }
  if ((t.type === 'updated' && t.fields) || t.type === 'fieldChanged' || t.type === 'dateReached') {
    const fields = t.type === 'updated' ? (t.fields ?? []) : [t.field];
    const where = t.type === 'updated' ? 'trigger.fields' : 'trigger.field';
    for (const f of fields) {
      if (!has(ctx.entity, f))
        push(where, 'unknownField', `触发字段 ${f} 不存在`, `Trigger field ${f} does not exist`);
    }
    if (
      t.type === 'dateReached' &&
      ctx.entity &&
      fieldType(t.field) !== undefined &&
      !['date', 'datetime'].includes(fieldType(t.field) as string)
    ) {
      push(
        'trigger.field',
        'wrongFieldType',
        `字段 ${t.field} 须为日期类型`,
        `Field ${t.field} must be a date or date-time`,
      );
    }
  }
  if (a.condition !== undefined && ctx.entity) {
    const r = validateFilter(ctx.entity, a.condition);
    if (!r.ok)
      for (const issue of r.issues)
        issues.push({ ...issue, field: `condition${issue.field ? `.${issue.field}` : ''}` });
  }
  a.actions.forEach((x, i) => {
    const p = `actions.${i}`;
    const checkSet = (set: Record<string, ValueSource>, target: EntityDefinition | undefined) => {
      for (const [key, src] of Object.entries(set)) {
        if (!has(target, key))
          push(`${p}.set.${key}`, 'unknownField', `字段 ${key} 不存在`, `Field ${key} does not exist`);
        if ('field' in src && !has(ctx.entity, src.field)) {
          push(
            `${p}.set.${key}.field`,
            'unknownField',
            `来源字段 ${src.field} 不存在`,
            `Source field ${src.field} does not exist`,
          );
        }
      }
    };
    switch (x.type) {
      case 'updateRecord':
        checkSet(x.set, ctx.entity);
        break;
      case 'createRecord':
      case 'upsertRecord': {
        const target = ctx.entities?.[x.entity];
        if (ctx.entities && !target)
          push(
            `${p}.entity`,
            'unknownEntity',
            `表单 ${x.entity} 不存在`,
            `Entity ${x.entity} does not exist`,
          );
        checkSet(x.set, target);
        if (x.type === 'upsertRecord') {
          for (const k of x.match) {
            if (!(k in x.set))
              push(
                `${p}.match`,
                'matchNotSet',
                `匹配字段 ${k} 须在 set 中赋值`,
                `Match field ${k} must be set in "set"`,
              );
          }
        }
        break;
      }
      case 'assignOwner':
        if (!x.members && !x.role && x.strategy !== 'byField') {
          push(p, 'noCandidates', '请指定候选成员或角色', 'Give the candidate members or a role');
        }
        if (x.strategy === 'byField') {
          if (!x.field || !x.map)
            push(p, 'required', '按字段分配需要 field 和 map', 'byField needs "field" and "map"');
          else if (!has(ctx.entity, x.field))
            push(`${p}.field`, 'unknownField', `字段 ${x.field} 不存在`, `Field ${x.field} does not exist`);
        }
        if (x.role && ctx.roles && !ctx.roles.includes(x.role))
          push(`${p}.role`, 'unknownRole', `角色 ${x.role} 不存在`, `Role ${x.role} does not exist`);
        for (const id of [
          ...(x.members ?? []),
          ...Object.values(x.map ?? {}).flat(),
          ...(x.fallback ?? []),
        ]) {
          if (ctx.members && !ctx.members.includes(id))
            push(p, 'unknownMember', `成员 ${id} 不存在`, `Member ${id} does not exist`);
        }
        break;
      case 'notify': {
        if (!x.to && !x.emails) push(p, 'noRecipients', '请指定通知对象', 'Give the recipients');
        const texts = [x.title, x.body].flatMap((tx) =>
          tx === undefined ? [] : typeof tx === 'string' ? [tx] : Object.values(tx),
        );
        for (const text of texts) {
          for (const f of templateFields(text)) {
            if (!f.startsWith('$') && !has(ctx.entity, f)) {
              push(
                `${p}.title`,
                'unknownField',
                `模板引用了不存在的字段 ${f}`,
                `The template refers to an unknown field ${f}`,
              );
            }
          }
        }
        for (const [j, r] of (x.to ?? []).entries()) {
          if (r.type === 'role' && ctx.roles)
            for (const role of r.roles)
              if (!ctx.roles.includes(role))
                push(`${p}.to.${j}`, 'unknownRole', `角色 ${role} 不存在`, `Role ${role} does not exist`);
          if (r.type === 'field' && !has(ctx.entity, r.field))
            push(`${p}.to.${j}`, 'unknownField', `字段 ${r.field} 不存在`, `Field ${r.field} does not exist`);
        }
        break;
      }
      case 'startFlow':
        if (ctx.flows && !ctx.flows.includes(x.flow))
          push(`${p}.flow`, 'unknownFlow', `流程 ${x.flow} 不存在`, `Flow ${x.flow} does not exist`);
        break;
      case 'webhook':
        break;
    }
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: a };
}

/** What happened: a record created/updated, a date reached, or a schedule fired (no record). */
export interface RecordChange {
  kind: 'created' | 'updated' | 'dateReached' | 'schedule';
  entity: string;
  recordId?: string;
  record: RecordData;
  before?: RecordData;
  now: Date;
  timeZone?: string;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function valueIn(value: unknown, expected: unknown): boolean {
  return Array.isArray(expected) ? expected.some((x) => same(x, value)) : same(expected, value);
}

/** True when the change fires the automation: enabled, same entity, trigger matched, condition met. */
export function matchAutomation(automation: Automation, change: RecordChange): boolean {
  if (automation.enabled === false || automation.entity !== change.entity) return false;
  const t = automation.trigger;
  const before = change.before ?? {};
  switch (t.type) {
    case 'created':
      if (change.kind !== 'created') return false;
      break;
    case 'updated':
      if (change.kind !== 'updated') return false;
      if (t.fields && !t.fields.some((f) => !same(before[f], change.record[f]))) return false;
      break;
    case 'fieldChanged':
      if (change.kind !== 'updated' || same(before[t.field], change.record[t.field])) return false;
      if (t.from !== undefined && !valueIn(before[t.field], t.from)) return false;
      if (t.to !== undefined && !valueIn(change.record[t.field], t.to)) return false;
      break;
    case 'dateReached':
      if (change.kind !== 'dateReached') return false;
      break;
    case 'schedule':
      return change.kind === 'schedule';
  }
  if (automation.condition === undefined) return true;
  return matchFilter(automation.condition, change.record, {
    now: change.now,
    timeZone: change.timeZone ?? 'Asia/Shanghai',
  });
}

/** The instant a `dateReached` trigger fires for a record; null when the date is empty. */
export function dateTriggerTime(
  automation: Automation,
  record: RecordData,
  timeZone = 'Asia/Shanghai',
): Date | null {
  const t = automation.trigger;
  if (t.type !== 'dateReached') return null;
  const raw = record[t.field];
  let base = instantOfValue(raw, timeZone);
  if (!base) return null;
  if (typeof raw === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(raw)) {
    const [h, mi] = (t.at ?? '09:00').split(':').map(Number) as [number, number];
    base = new Date(base.getTime() + (h * 60 + mi) * 60_000);
  }
  if (!t.offset) return base;
  return new Date(addDuration(base, t.offset, t.direction === 'before' ? -1 : 1));
}

export interface PlanContext {
  directory: Directory;
  /** Round robin: how many owners this automation has assigned so far (the runtime stores it). */
  cursor?: number;
  /** leastOpen: open records per member (the runtime counts them). */
  openCounts?: Record<string, number>;
}

export interface PlanResult {
  effects: Effect[];
  /** Actions that produced nothing, with the reason (shown in the run history). */
  skipped: Array<{ action: number; message: Message }>;
}

function candidates(
  x: Extract<AutomationAction, { type: 'assignOwner' }>,
  record: RecordData,
  dir: Directory,
): string[] {
  let list: string[];
  if (x.strategy === 'byField' && x.field && x.map) {
    const v = record[x.field];
    const key = Array.isArray(v) ? String(v[0] ?? '') : String(v ?? '');
    list = x.map[key] ?? x.fallback ?? [];
  } else {
    list = x.members ?? (x.role ? (dir.roles[x.role] ?? []) : []);
  }
  return [...new Set(list)].filter((id) => isActiveMember(dir, id));
}

/** The effects of running the automation on the change. Never throws; failed actions are listed. */
export function planAutomation(automation: Automation, change: RecordChange, ctx: PlanContext): PlanResult {
  const effects: Effect[] = [];
  const skipped: PlanResult['skipped'] = [];
  const tz = change.timeZone ?? 'Asia/Shanghai';
  let record = { ...change.record };
  const creator = typeof record.createdBy === 'string' ? record.createdBy : '';
  let cursor = ctx.cursor ?? 0;
  automation.actions.forEach((x, i) => {
    const vc: ValueContext = {
      record,
      now: change.now,
      timeZone: tz,
      extra: { $now: change.now.toISOString() },
    };
    switch (x.type) {
      case 'updateRecord':
      case 'createRecord':
      case 'upsertRecord': {
        const r = evaluateSet(x.set, vc);
        if (!r.ok) {
          skipped.push({
            action: i,
            message: m(`字段 ${r.field}：${r.message['zh-CN']}`, `Field ${r.field}: ${r.message.en}`),
          });
          return;
        }
        if (x.type === 'updateRecord') {
          record = { ...record, ...r.changes };
          effects.push({ type: 'updateRecord', changes: r.changes, source: 'automation' });
        } else if (x.type === 'createRecord') {
          effects.push({ type: 'createRecord', entity: x.entity, data: r.changes, source: 'automation' });
        } else {
          const match: Record<string, unknown> = {};
          for (const k of x.match) match[k] = r.changes[k] ?? null;
          effects.push({
            type: 'upsertRecord',
            entity: x.entity,
            match,
            data: r.changes,
            source: 'automation',
          });
        }
        return;
      }
      case 'assignOwner': {
        const list = candidates(x, record, ctx.directory);
        if (list.length === 0) {
          skipped.push({ action: i, message: m('没有可分配的成员', 'No member to assign') });
          return;
        }
        let owner: string;
        if (x.strategy === 'roundRobin') {
          owner = list[cursor % list.length] as string;
          cursor += 1;
        } else if (
          x.strategy === 'leastOpen' ||
          (x.strategy === 'byField' && list.length > 1 && ctx.openCounts)
        ) {
          const counts = ctx.openCounts ?? {};
          owner = list.reduce(
            (best, id) => ((counts[id] ?? 0) < (counts[best] ?? 0) ? id : best),
            list[0] as string,
          );
        } else {
          owner = list[0] as string;
        }
        record = { ...record, ownerId: owner };
        effects.push({ type: 'updateRecord', changes: { ownerId: owner }, source: 'automation' });
        if (x.strategy === 'roundRobin')
          effects.push({ type: 'assignmentCursor', automation: automation.key, cursor });
        return;
      }
      case 'notify': {
        const to = x.to
          ? resolveAssignees(x.to, { directory: ctx.directory, submitter: creator, record })
          : [];
        const title = { 'zh-CN': '', en: '' };
        const body = { 'zh-CN': '', en: '' };
        for (const loc of ['zh-CN', 'en'] as const) {
          const pick = (t: I18nText | undefined) =>
            t === undefined
              ? ''
              : typeof t === 'string'
                ? t
                : (t[loc] ?? t[loc === 'en' ? 'zh-CN' : 'en'] ?? '');
          title[loc] = renderTemplate(pick(x.title), vc);
          body[loc] = renderTemplate(pick(x.body), vc);
        }
        const channels = x.channels ?? ['inApp'];
        if (to.length === 0 && !(channels.includes('email') && x.emails?.length)) {
          skipped.push({ action: i, message: m('没有通知对象', 'No one to notify') });
          return;
        }
        if (channels.includes('inApp') && to.length > 0) {
          effects.push({
            type: 'notify',
            to,
            kind: 'custom',
            channels: ['inApp'],
            title,
            ...(x.body !== undefined ? { body } : {}),
          });
        }
        if (channels.includes('email')) {
          effects.push({ type: 'sendEmail', to: [...to, ...(x.emails ?? [])], subject: title, body });
        }
        return;
      }
      case 'webhook':
        effects.push({
          type: 'callWebhook',
          url: x.url,
          method: x.method ?? 'POST',
          headers: x.headers ?? {},
          body: {
            event: `automation.${change.kind}`,
            automation: automation.key,
            entity: change.entity,
            recordId: change.recordId ?? null,
            record,
            before: change.before ?? null,
            at: change.now.toISOString(),
          },
        });
        return;
      case 'startFlow':
        effects.push({
          type: 'startFlow',
          flow: x.flow,
          entity: change.entity,
          recordId: change.recordId ?? null,
        });
        return;
    }
  });
  return { effects, skipped };
}

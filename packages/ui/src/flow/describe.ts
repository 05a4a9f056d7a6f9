import {
  type EntityDefinition,
  type FilterNode,
  isSystemFieldKey,
  type Locale,
  localize,
  systemFields,
} from '@formwork/metadata';
import type {
  AssigneeRule,
  Duration,
  EdgeCondition,
  FlowDefinition,
  FlowEdge,
  FlowNode,
} from '@formwork/workflow';
import type { TFunction } from 'i18next';
import { outgoing, textOf } from './model.js';

/** Names of the people, roles, departments and flows the designer can pick, by id. */
export interface NamedOption {
  id: string;
  name: string;
}

export interface Directory {
  members?: NamedOption[];
  roles?: NamedOption[];
  departments?: NamedOption[];
  flows?: NamedOption[];
}

const nameOf = (list: NamedOption[] | undefined, id: string) => list?.find((x) => x.id === id)?.name ?? id;

/** A field's label in the locale (system fields too), else its key. */
export function fieldLabel(entity: EntityDefinition | undefined, key: string, locale: Locale): string {
  if (isSystemFieldKey(key)) return localize(systemFields[key].label, locale, key);
  const f = entity?.fields.find((x) => x.key === key);
  return f ? localize(f.label, locale, key) : key;
}

/** `1 天 12 小时` / `1 d 12 h`. */
export function durationText(d: Duration | undefined, t: TFunction): string {
  if (!d) return '';
  const parts: string[] = [];
  if (d.days) parts.push(t('summary.days', { count: d.days }));
  if (d.hours) parts.push(t('summary.hours', { count: d.hours }));
  if (d.minutes) parts.push(t('summary.minutes', { count: d.minutes }));
  return parts.length > 0 ? parts.join(' ') : t('summary.minutes', { count: 0 });
}

/** One assignee rule in words: `角色：销售经理`, `上 1 级主管`, `发起人`. */
export function ruleText(
  rule: AssigneeRule,
  dir: Directory,
  entity: EntityDefinition | undefined,
  locale: Locale,
  t: TFunction,
): string {
  switch (rule.type) {
    case 'member':
      return t('summary.members', { names: rule.members.map((id) => nameOf(dir.members, id)).join('、') });
    case 'role':
      return t('summary.role', { names: rule.roles.map((id) => nameOf(dir.roles, id)).join('、') });
    case 'departmentHead':
      return t('summary.departmentHead', { n: rule.levels ?? 1 });
    case 'field':
      return t('summary.field', { name: fieldLabel(entity, rule.field, locale) });
    default:
      return t('summary.submitter');
  }
}

export function rulesText(
  rules: AssigneeRule[] | undefined,
  dir: Directory,
  entity: EntityDefinition | undefined,
  locale: Locale,
  t: TFunction,
): string {
  if (!rules || rules.length === 0) return t('summary.noAssignees');
  return rules.map((r) => ruleText(r, dir, entity, locale, t)).join(' + ');
}

const OP_WORDS: Record<string, { 'zh-CN': string; en: string }> = {
  eq: { 'zh-CN': '=', en: '=' },
  ne: { 'zh-CN': '≠', en: '≠' },
  gt: { 'zh-CN': '>', en: '>' },
  gte: { 'zh-CN': '≥', en: '≥' },
  lt: { 'zh-CN': '<', en: '<' },
  lte: { 'zh-CN': '≤', en: '≤' },
  in: { 'zh-CN': '属于', en: 'in' },
  nin: { 'zh-CN': '不属于', en: 'not in' },
  between: { 'zh-CN': '介于', en: 'between' },
  contains: { 'zh-CN': '包含', en: 'contains' },
  startsWith: { 'zh-CN': '开头是', en: 'starts with' },
  isEmpty: { 'zh-CN': '为空', en: 'is empty' },
  isNotEmpty: { 'zh-CN': '不为空', en: 'is not empty' },
  period: { 'zh-CN': '在', en: 'in' },
};

function valueText(entity: EntityDefinition | undefined, field: string, v: unknown, locale: Locale): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v))
    return v.map((x) => valueText(entity, field, x, locale)).join(locale === 'en' ? ', ' : '、');
  const f = entity?.fields.find((x) => x.key === field);
  if (f?.options && typeof v === 'string') {
    const o = f.options.find((x) => x.value === v);
    if (o) return localize(o.label, locale, o.value);
  }
  if (typeof v === 'object') {
    const p = v as { period?: string; last?: number };
    if (p.period) return p.period;
    if (p.last !== undefined) return `${p.last}d`;
    return JSON.stringify(v);
  }
  return String(v);
}

/** A filter in a few words: `金额 ≥ 100000 且 折扣 > 0.1`. */
export function filterText(
  filter: FilterNode | undefined,
  entity: EntityDefinition | undefined,
  locale: Locale,
): string {
  if (!filter) return '';
  const and = locale === 'en' ? ' and ' : ' 且 ';
  const or = locale === 'en' ? ' or ' : ' 或 ';
  const walk = (n: FilterNode, top: boolean): string => {
    if ('and' in n) {
      const s = n.and.map((x) => walk(x, false)).join(and);
      return top || n.and.length < 2 ? s : `(${s})`;
    }
    if ('or' in n) {
      const s = n.or.map((x) => walk(x, false)).join(or);
      return top || n.or.length < 2 ? s : `(${s})`;
    }
    if ('not' in n) return `${locale === 'en' ? 'not ' : '非'}(${walk(n.not, true)})`;
    const op = OP_WORDS[n.op]?.[locale] ?? n.op;
    const v = valueText(entity, n.field, n.value, locale);
    return `${fieldLabel(entity, n.field, locale)} ${op}${v === '' ? '' : ` ${v}`}`;
  };
  return walk(filter, true);
}

export function conditionText(
  c: EdgeCondition | undefined,
  entity: EntityDefinition | undefined,
  dir: Directory,
  locale: Locale,
): string {
  if (!c) return '';
  const parts: string[] = [];
  if (c.filter) parts.push(filterText(c.filter, entity, locale));
  if (c.formula) parts.push(c.formula);
  if (c.submitter) {
    const names = [
      ...(c.submitter.roles ?? []).map((id) => nameOf(dir.roles, id)),
      ...(c.submitter.departments ?? []).map((id) => nameOf(dir.departments, id)),
      ...(c.submitter.members ?? []).map((id) => nameOf(dir.members, id)),
    ];
    if (names.length > 0) parts.push(`${locale === 'en' ? 'submitter ∈ ' : '发起人 ∈ '}${names.join('/')}`);
  }
  return parts.filter((p) => p !== '').join(locale === 'en' ? ' and ' : ' 且 ');
}

/** The words on an edge: a branch's label or condition, "default", or "rejected" for a rejection exit. */
export function edgeText(
  def: FlowDefinition,
  edge: FlowEdge,
  entity: EntityDefinition | undefined,
  dir: Directory,
  locale: Locale,
  t: TFunction,
): string {
  const source = def.nodes.find((n) => n.id === edge.source);
  if (source?.type === 'condition') {
    const own = textOf(edge.data?.label, locale);
    if (own) return edge.data?.default ? `${own} (${t('canvas.default')})` : own;
    if (edge.data?.default) return t('canvas.otherwise');
    return conditionText(edge.data?.condition, entity, dir, locale) || t('canvas.noCondition');
  }
  if (edge.sourceHandle === 'rejected') return t('canvas.rejected');
  return '';
}

/** What a node does, in one short line under its name on the canvas. */
export function nodeSummary(
  def: FlowDefinition,
  node: FlowNode,
  entity: EntityDefinition | undefined,
  dir: Directory,
  locale: Locale,
  t: TFunction,
): string {
  switch (node.type) {
    case 'approval': {
      const who = rulesText(node.data.assignees, dir, entity, locale, t);
      const mode = node.data.mode ?? 'or';
      const modeWord =
        mode === 'threshold' && node.data.threshold !== undefined
          ? `${Math.round(node.data.threshold * 100)}%`
          : t(`approval.modes.${mode}`).split(/[（(]/)[0]?.trim();
      return `${who} · ${modeWord}`;
    }
    case 'fillIn':
      return rulesText(node.data.assignees, dir, entity, locale, t);
    case 'cc':
      return rulesText(node.data.to, dir, entity, locale, t);
    case 'action':
      return (
        (node.data.actions ?? []).map((a) => t(`action.types.${a.type}`)).join('、') ||
        t('summary.actions', { count: 0 })
      );
    case 'wait': {
      const d = node.data as {
        duration?: Duration;
        untilField?: string;
        offset?: Duration;
        direction?: string;
      };
      if (d.untilField) {
        const off = d.offset ? `${d.direction === 'before' ? '-' : '+'}${durationText(d.offset, t)}` : '';
        return t('summary.waitField', {
          field: fieldLabel(entity, d.untilField, locale),
          offset: off,
        }).trim();
      }
      return t('summary.waitDuration', { d: durationText(d.duration, t) });
    }
    case 'subFlow':
      return node.data.flow ? t('summary.subFlow', { flow: nameOf(dir.flows, node.data.flow) }) : '';
    case 'condition':
      return t('canvas.branches', { n: outgoing(def, node.id).length });
    case 'end':
      return t(`outcomes.${node.data.outcome}`);
    default:
      return '';
  }
}

/** The name shown on a node: its label, else the kind's name. */
export function nodeTitle(node: FlowNode, locale: Locale, t: TFunction): string {
  const own = textOf(node.data.label, locale);
  if (own) return own;
  if (node.type === 'end') {
    const o = node.data.outcome;
    return t(
      o === 'approved' ? 'kinds.endApproved' : o === 'rejected' ? 'kinds.endRejected' : 'kinds.endCancelled',
    );
  }
  return t(`kinds.${node.type}`);
}

import type { ValidateFunction } from 'ajv';
import { newAjv } from './ajv.js';
import { getFieldType } from './field-types/index.js';
import { localize, toMessage } from './i18n.js';
import { LruCache } from './lru.js';
import type { EntityDefinition, FieldDefinition, FieldTypeName, FilterNode, Message } from './types.js';

/**
 * Schema-change analysis: what moving from `current` to `next` does to existing records. Field identity
 * is the key — relabelling is safe; a changed key is a removal plus an addition. The store never drops
 * data: a removed field's values stay in the records' jsonb, hidden.
 */

export type ChangeClassification = 'safe' | 'converting' | 'destructive';

export type ChangeKind =
  | 'addField'
  | 'removeField'
  | 'renameLabel'
  | 'changeDisplay'
  | 'reorderFields'
  | 'changeType'
  | 'changeConstraint'
  | 'changeOptions'
  | 'changeIndex'
  | 'changeUnique'
  | 'changeRelation'
  | 'changeFormula'
  | 'changeSubform'
  | 'changeRules'
  | 'changeEntity';

export interface SchemaChange {
  kind: ChangeKind;
  /** The field key (for subform children: `items.qty`). */
  field?: string;
  classification: ChangeClassification;
  /** What the change does to existing data, in both languages. */
  message: Message;
  /** A filter the store can COUNT to report how many records are affected. */
  affected?: FilterNode;
  /** The definition `affected` is evaluated against (default `current`; `next` for added fields). */
  affectedOn?: 'current' | 'next';
  /** The store rewrites the field's values with `convertValue(value, currentField, nextField)`. */
  convert?: { from: FieldTypeName; to: FieldTypeName };
  /** `duplicates`: the store must count records sharing a normalised value before adding a unique index. */
  check?: 'duplicates';
  /** Computed values must be recomputed for every record. */
  recompute?: boolean;
}

export interface ChangeAnalysis {
  changes: SchemaChange[];
  /** Any destructive change: the API refuses without confirmation. */
  destructive: boolean;
}

function m(zh: string, en: string): Message {
  return { 'zh-CN': zh, en };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

const TEXTUAL = new Set<FieldTypeName>(['text', 'longText', 'richText']);
const NUMERIC = new Set<FieldTypeName>(['number', 'amount', 'percent', 'rating']);
const FORMATTED = new Set<FieldTypeName>(['phone', 'email', 'url']);
const SCALAR_TEXTY = new Set<FieldTypeName>([...TEXTUAL, ...FORMATTED, 'select', 'autoNumber']);

/** How a type change treats existing values. */
export function classifyTypeChange(from: FieldDefinition, to: FieldDefinition): ChangeClassification {
  const f = from.type;
  const t = to.type;
  if (f === t) return 'safe';
  const toType = getFieldType(t);
  if (toType?.computed) return t === 'autoNumber' && SCALAR_TEXTY.has(f) ? 'converting' : 'destructive';
  if (TEXTUAL.has(t)) {
    if (t === 'text' && (f === 'longText' || f === 'richText')) return 'converting';
    if (SCALAR_TEXTY.has(f) || NUMERIC.has(f) || f === 'date' || f === 'datetime' || f === 'formula')
      return 'safe';
    if (f === 'multiSelect' || f === 'tags') return 'converting';
    return 'destructive';
  }
  if (NUMERIC.has(t)) {
    if (NUMERIC.has(f) || TEXTUAL.has(f) || f === 'select' || f === 'formula' || f === 'autoNumber')
      return 'converting';
    return 'destructive';
  }
  if (t === 'date')
    return f === 'datetime'
      ? 'destructive'
      : TEXTUAL.has(f) || f === 'formula'
        ? 'converting'
        : 'destructive';
  if (t === 'datetime')
    return f === 'date' || TEXTUAL.has(f) || f === 'formula' ? 'converting' : 'destructive';
  if (FORMATTED.has(t))
    return TEXTUAL.has(f) || FORMATTED.has(f) || f === 'formula' ? 'converting' : 'destructive';
  if (t === 'tags')
    return TEXTUAL.has(f) || f === 'select' || f === 'multiSelect' ? 'converting' : 'destructive';
  if (t === 'boolean') return f === 'formula' ? 'converting' : 'destructive';
  // select / multiSelect: values outside the options are lost; member, department, relation, files… differ.
  if (t === 'multiSelect' && f === 'select') return 'safe';
  return 'destructive';
}

function fieldName(field: FieldDefinition, locale: 'zh-CN' | 'en'): string {
  return localize(field.label, locale, field.key);
}

function names(field: FieldDefinition): Message {
  return toMessage(field.label, field.key);
}

function typeLabel(t: FieldTypeName): Message {
  return getFieldType(t)?.label ?? m(t, t);
}

function maxRank(a: ChangeClassification, b: ChangeClassification): ChangeClassification {
  const rank = { safe: 0, converting: 1, destructive: 2 } as const;
  return rank[a] >= rank[b] ? a : b;
}

function diffOptions(
  key: string,
  cur: FieldDefinition,
  next: FieldDefinition,
  out: SchemaChange[],
  path: string,
  affectedField: string,
) {
  const before = (cur.options ?? []).map((o) => o.value);
  const after = new Set((next.options ?? []).map((o) => o.value));
  const removed = before.filter((v) => !after.has(v));
  const n = names(next);
  if (removed.length > 0) {
    out.push({
      kind: 'changeOptions',
      field: path,
      classification: 'destructive',
      message: m(
        `${n['zh-CN']} 删除了选项 ${removed.join('、')}：持有这些值的记录会失去它们`,
        `${n.en} loses options ${removed.join(', ')}: records holding them lose those values`,
      ),
      affected:
        affectedField === key
          ? { field: key, op: 'in', value: removed }
          : { field: affectedField, op: 'isNotEmpty' },
      convert: { from: cur.type, to: next.type },
    });
  } else if (!same(cur.options, next.options)) {
    out.push({
      kind: 'changeOptions',
      field: path,
      classification: 'safe',
      message: m(
        `${n['zh-CN']} 的选项有增加或修改（已有数据不受影响）`,
        `${n.en}: options added or relabelled (existing data unaffected)`,
      ),
    });
  }
}

function diffField(
  cur: FieldDefinition,
  next: FieldDefinition,
  out: SchemaChange[],
  path: string,
  affectedField: string,
) {
  const key = cur.key;
  const n = names(next);
  const isTop = path === key;
  const notEmpty: FilterNode = { field: affectedField, op: 'isNotEmpty' };
  if (!same(cur.label, next.label)) {
    out.push({
      kind: 'renameLabel',
      field: path,
      classification: 'safe',
      message: m(
        `字段名称 ${fieldName(cur, 'zh-CN')} 改为 ${fieldName(next, 'zh-CN')}`,
        `Field label ${fieldName(cur, 'en')} becomes ${fieldName(next, 'en')}`,
      ),
    });
  }
  if (
    !same(cur.description, next.description) ||
    !same(cur.ui, next.ui) ||
    !same(cur.defaultValue, next.defaultValue) ||
    !same(cur.visibleWhen, next.visibleWhen) ||
    !same(cur.fill, next.fill)
  ) {
    out.push({
      kind: 'changeDisplay',
      field: path,
      classification: 'safe',
      message: m(
        `${n['zh-CN']} 的说明、默认值或显示方式改变`,
        `${n.en}: description, default or display changed`,
      ),
    });
  }
  if (cur.type !== next.type) {
    const classification = classifyTypeChange(cur, next);
    const from = typeLabel(cur.type);
    const to = typeLabel(next.type);
    const what: Message =
      classification === 'safe'
        ? m('已有值会被转换', 'existing values are converted')
        : classification === 'converting'
          ? m('无法转换的值将变为空', 'values that cannot be converted become empty')
          : m('已有值大多无法保留，将变为空', 'most existing values cannot be kept and become empty');
    out.push({
      kind: 'changeType',
      field: path,
      classification,
      message: m(
        `${n['zh-CN']} 从 ${from['zh-CN']} 改为 ${to['zh-CN']}：${what['zh-CN']}`,
        `${n.en} changes from ${from.en} to ${to.en}: ${what.en}`,
      ),
      affected: notEmpty,
      convert: { from: cur.type, to: next.type },
    });
    if (getFieldType(next.type)?.computed) out[out.length - 1]!.recompute = true;
    return; // type-specific details of a different type are part of the conversion
  }
  if ((cur.type === 'select' || cur.type === 'multiSelect') && !same(cur.options, next.options)) {
    diffOptions(key, cur, next, out, path, affectedField);
  }
  if (
    cur.type === 'relation' &&
    (cur.target !== next.target || Boolean(cur.multiple) !== Boolean(next.multiple))
  ) {
    const targetChanged = cur.target !== next.target;
    const toSingle = Boolean(cur.multiple) && !next.multiple;
    out.push({
      kind: 'changeRelation',
      field: path,
      classification: targetChanged || toSingle ? 'destructive' : 'safe',
      message: targetChanged
        ? m(
            `${n['zh-CN']} 改为关联 ${next.target}：已有关联将失效并被清空`,
            `${n.en} now relates to ${next.target}: existing links are cleared`,
          )
        : toSingle
          ? m(
              `${n['zh-CN']} 改为单选关联：多个关联只保留第一个`,
              `${n.en} becomes single: only the first link of each record is kept`,
            )
          : m(`${n['zh-CN']} 改为可多选关联`, `${n.en} now allows several links`),
      affected: notEmpty,
      convert: { from: cur.type, to: next.type },
    });
  }
  if (cur.type === 'lookup' && (cur.relation !== next.relation || cur.targetField !== next.targetField)) {
    out.push({
      kind: 'changeFormula',
      field: path,
      classification: 'safe',
      message: m(
        `${n['zh-CN']} 的引用来源改变，将重新计算`,
        `${n.en}: lookup source changed; it is recomputed`,
      ),
      recompute: true,
    });
  }
  if (
    (cur.type === 'formula' && cur.formula !== next.formula) ||
    (cur.type === 'autoNumber' && cur.pattern !== next.pattern)
  ) {
    const formula = cur.type === 'formula';
    out.push({
      kind: 'changeFormula',
      field: path,
      classification: formula ? 'converting' : 'safe',
      message: formula
        ? m(
            `${n['zh-CN']} 的公式改变：所有记录的值将重新计算`,
            `${n.en}: formula changed; every record's value is recomputed`,
          )
        : m(
            `${n['zh-CN']} 的编号规则改变：只影响新记录`,
            `${n.en}: numbering pattern changed; only new records are affected`,
          ),
      ...(formula ? { recompute: true, affected: notEmpty } : {}),
    });
  }
  // Constraints
  const typeInfo = getFieldType(next.type);
  if (!cur.required && next.required && !typeInfo?.computed) {
    out.push({
      kind: 'changeConstraint',
      field: path,
      classification: 'converting',
      message: m(
        `${n['zh-CN']} 变为必填：此字段为空的已有记录保持不变，下次编辑时须填写`,
        `${n.en} becomes required: existing records without a value are kept and must be completed when next edited`,
      ),
      affected: isTop ? { field: key, op: 'isEmpty' } : notEmpty,
    });
  } else if (cur.required && !next.required) {
    out.push({
      kind: 'changeConstraint',
      field: path,
      classification: 'safe',
      message: m(`${n['zh-CN']} 不再必填`, `${n.en} is no longer required`),
    });
  }
  const tighter: string[] = [];
  let affected: FilterNode | undefined;
  if (next.max !== undefined && (cur.max === undefined || next.max < cur.max)) {
    tighter.push(`max ${next.max}`);
    if (isTop && NUMERIC.has(next.type)) affected = { field: key, op: 'gt', value: next.max };
  }
  if (next.min !== undefined && (cur.min === undefined || next.min > cur.min)) {
    tighter.push(`min ${next.min}`);
    if (isTop && NUMERIC.has(next.type))
      affected = affected
        ? { or: [affected, { field: key, op: 'lt', value: next.min }] }
        : { field: key, op: 'lt', value: next.min };
  }
  if (next.maxLength !== undefined && (cur.maxLength === undefined || next.maxLength < cur.maxLength))
    tighter.push(`maxLength ${next.maxLength}`);
  if (next.minLength !== undefined && (cur.minLength === undefined || next.minLength > cur.minLength))
    tighter.push(`minLength ${next.minLength}`);
  if (next.pattern !== cur.pattern && next.type === 'text' && next.pattern !== undefined)
    tighter.push('pattern');
  if (next.maxSize !== undefined && (cur.maxSize === undefined || next.maxSize < cur.maxSize))
    tighter.push(`maxSize ${next.maxSize}`);
  if (!same(next.accept, cur.accept) && next.accept !== undefined) tighter.push('accept');
  if (tighter.length > 0) {
    out.push({
      kind: 'changeConstraint',
      field: path,
      classification: 'converting',
      message: m(
        `${n['zh-CN']} 的限制收紧（${tighter.join(', ')}）：不符合的已有值保留，下次编辑时须修改`,
        `${n.en} is constrained further (${tighter.join(', ')}): existing values that break it are kept and must be fixed when next edited`,
      ),
      affected: affected ?? notEmpty,
    });
  }
  const curPrecision = cur.precision ?? (cur.type === 'amount' ? 2 : undefined);
  const nextPrecision = next.precision ?? (next.type === 'amount' ? 2 : undefined);
  if (nextPrecision !== undefined && (curPrecision === undefined || nextPrecision < curPrecision)) {
    out.push({
      kind: 'changeConstraint',
      field: path,
      classification: 'converting',
      message: m(
        `${n['zh-CN']} 的小数位数减少为 ${nextPrecision}：已有值将四舍五入`,
        `${n.en} keeps ${nextPrecision} decimals: existing values are rounded`,
      ),
      affected: notEmpty,
      convert: { from: cur.type, to: next.type },
    });
  }
  if (isTop && Boolean(cur.unique) !== Boolean(next.unique)) {
    out.push({
      kind: 'changeUnique',
      field: path,
      classification: next.unique ? 'converting' : 'safe',
      message: next.unique
        ? m(
            `${n['zh-CN']} 变为唯一：若已有重复值，须先处理`,
            `${n.en} becomes unique: existing duplicates must be resolved first`,
          )
        : m(`${n['zh-CN']} 不再要求唯一`, `${n.en} no longer has to be unique`),
      ...(next.unique
        ? { check: 'duplicates' as const, affected: { field: key, op: 'isNotEmpty' as const } }
        : {}),
    });
  }
  if (
    isTop &&
    (Boolean(cur.indexed) !== Boolean(next.indexed) || Boolean(cur.dedupe) !== Boolean(next.dedupe))
  ) {
    out.push({
      kind: 'changeIndex',
      field: path,
      classification: 'safe',
      message: m(`${n['zh-CN']} 的索引或查重设置改变`, `${n.en}: index or duplicate-check setting changed`),
    });
  }
  if (cur.type === 'subform') diffSubform(cur, next, out, path);
}

function diffSubform(cur: FieldDefinition, next: FieldDefinition, out: SchemaChange[], path: string) {
  const before = new Map((cur.fields ?? []).map((f) => [f.key, f]));
  const after = new Map((next.fields ?? []).map((f) => [f.key, f]));
  const inner: SchemaChange[] = [];
  const n = names(next);
  for (const [k, c] of before) {
    const nx = after.get(k);
    if (nx) diffField(c, nx, inner, `${path}.${k}`, cur.key);
    else {
      const cn = names(c);
      inner.push({
        kind: 'changeSubform',
        field: `${path}.${k}`,
        classification: 'destructive',
        message: m(
          `${n['zh-CN']} 删除列 ${cn['zh-CN']}：各行中的此列数据将被移除`,
          `${n.en} drops column ${cn.en}: its values are removed from every row`,
        ),
        affected: { field: cur.key, op: 'isNotEmpty' },
      });
    }
  }
  for (const [k, nx] of after) {
    if (before.has(k)) continue;
    const cn = names(nx);
    inner.push({
      kind: 'changeSubform',
      field: `${path}.${k}`,
      classification: 'safe',
      message: m(`${n['zh-CN']} 新增列 ${cn['zh-CN']}`, `${n.en} gains column ${cn.en}`),
    });
  }
  // Every data-affecting subform change is applied by rewriting the whole subform value.
  for (const c of inner) {
    if (c.classification !== 'safe' || c.convert) c.convert = { from: 'subform', to: 'subform' };
    out.push(c);
  }
}

/** Compare two definitions of the same entity. Pure. */
export function diffEntity(current: EntityDefinition, next: EntityDefinition): ChangeAnalysis {
  const changes: SchemaChange[] = [];
  if (current.key !== next.key) {
    changes.push({
      kind: 'changeEntity',
      classification: 'destructive',
      message: m(
        `表单标识从 ${current.key} 改为 ${next.key}：这是另一个表单`,
        `Entity key changes from ${current.key} to ${next.key}: that is another entity`,
      ),
    });
  }
  if (
    !same(current.label, next.label) ||
    !same(current.description, next.description) ||
    current.titleField !== next.titleField ||
    !same(current.layout, next.layout)
  ) {
    changes.push({
      kind: 'changeEntity',
      classification: 'safe',
      message: m(
        '表单名称、说明、标题字段或布局改变',
        'Entity label, description, title field or layout changed',
      ),
    });
  }
  if (!same(current.rules ?? [], next.rules ?? [])) {
    changes.push({
      kind: 'changeRules',
      classification: 'safe',
      message: m(
        '校验规则改变：只在新建和编辑时生效',
        'Validation rules changed: they apply when records are next created or edited',
      ),
    });
  }
  const before = new Map(current.fields.map((f) => [f.key, f]));
  const after = new Map(next.fields.map((f) => [f.key, f]));
  for (const f of current.fields) {
    const nx = after.get(f.key);
    if (nx) {
      diffField(f, nx, changes, f.key, f.key);
      continue;
    }
    const n = names(f);
    changes.push({
      kind: 'removeField',
      field: f.key,
      classification: 'destructive',
      message: m(
        `删除字段 ${n['zh-CN']}：已有数据保留在记录中，但不再显示、不可查询`,
        `Field ${n.en} is removed: existing values are kept in the records but hidden and no longer queryable`,
      ),
      affected: { field: f.key, op: 'isNotEmpty' },
      affectedOn: 'current',
    });
  }
  for (const f of next.fields) {
    if (before.has(f.key)) continue;
    const n = names(f);
    const computed = getFieldType(f.type)?.computed ?? false;
    const required = Boolean(f.required) && !computed;
    changes.push({
      kind: 'addField',
      field: f.key,
      classification: required ? 'converting' : 'safe',
      message: required
        ? m(
            `新增必填字段 ${n['zh-CN']}：已有记录此字段为空，下次编辑时须填写`,
            `New required field ${n.en}: existing records have no value and must be completed when next edited`,
          )
        : m(`新增字段 ${n['zh-CN']}`, `New field ${n.en}`),
      ...(required
        ? { affected: { field: f.key, op: 'isEmpty' as const }, affectedOn: 'next' as const }
        : {}),
      ...(computed ? { recompute: true } : {}),
    });
  }
  const curOrder = current.fields.map((f) => f.key).filter((k) => after.has(k));
  const nextOrder = next.fields.map((f) => f.key).filter((k) => before.has(k));
  if (!same(curOrder, nextOrder)) {
    changes.push({
      kind: 'reorderFields',
      classification: 'safe',
      message: m('字段顺序改变', 'Field order changed'),
    });
  }
  const destructive = changes.some((c) => c.classification === 'destructive');
  return { changes, destructive };
}

/** The overall classification of an analysis (the worst of its changes). */
export function overallClassification(a: ChangeAnalysis): ChangeClassification {
  return a.changes.reduce<ChangeClassification>((acc, c) => maxRank(acc, c.classification), 'safe');
}

// ---------------------------------------------------------------------------------------------
// Value conversion

const valueValidators = new LruCache<ValidateFunction>(1000);

function isValidFor(field: FieldDefinition, value: unknown): boolean {
  const type = getFieldType(field.type);
  if (!type) return false;
  const schema = type.valueSchema({ ...field, required: false }, { forValidation: true });
  const key = JSON.stringify(schema);
  let v = valueValidators.get(key);
  if (!v) {
    v = newAjv().compile(schema);
    valueValidators.set(key, v);
  }
  return v(value) === true;
}

function toText(v: unknown): unknown {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : undefined;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) {
    const parts = v.map((x) => (typeof x === 'object' && x !== null ? (x as { name?: unknown }).name : x));
    return parts.every((p) => typeof p === 'string' || typeof p === 'number') ? parts.join(', ') : undefined;
  }
  if (typeof v === 'object' && v !== null) {
    const loc = v as { address?: unknown; lat?: unknown; lng?: unknown };
    if (typeof loc.address === 'string') return loc.address;
    if (typeof loc.lat === 'number' && typeof loc.lng === 'number') return `${loc.lat},${loc.lng}`;
  }
  return undefined;
}

function isRow(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Convert a stored value from `fromField` to `toField` (for converting and destructive changes).
 * `{ ok: false }` means the value cannot be kept (the store writes null). Pure; never throws.
 */
export function convertValue(
  value: unknown,
  fromField: FieldDefinition,
  toField: FieldDefinition,
): { ok: true; value: unknown } | { ok: false } {
  try {
    if (value === null || value === undefined) return { ok: true, value: null };
    const toType = getFieldType(toField.type);
    if (!toType) return { ok: false };
    if (fromField.type === 'relation' && toField.type === 'relation' && fromField.target !== toField.target) {
      return { ok: false };
    }
    if (fromField.type === 'subform' && toField.type === 'subform') {
      if (!Array.isArray(value)) return { ok: false };
      const before = new Map((fromField.fields ?? []).map((f) => [f.key, f]));
      const rows = value.map((row) => {
        if (!isRow(row)) return row;
        const out: Record<string, unknown> = {};
        if (row._id !== undefined) out._id = row._id;
        for (const child of toField.fields ?? []) {
          const prev = before.get(child.key);
          if (!prev || !Object.hasOwn(row, child.key)) continue;
          const r = convertValue(row[child.key], prev, child);
          out[child.key] = r.ok ? r.value : null;
        }
        return out;
      });
      return { ok: true, value: rows };
    }
    let candidate: unknown = value;
    const targetMulti = toType.multiValued(toField) && toField.type !== 'subform';
    const from = fromField.type;
    const to = toField.type;
    if (from === 'date' && to === 'datetime' && typeof value === 'string')
      candidate = `${value}T00:00:00.000Z`;
    else if (from === 'datetime' && to === 'date' && typeof value === 'string')
      candidate = value.slice(0, 10);
    else if (TEXTUAL.has(to) || FORMATTED.has(to) || to === 'autoNumber') candidate = toText(value);
    else if (targetMulti && !Array.isArray(value)) candidate = [value];
    else if (!targetMulti && Array.isArray(value)) candidate = value.length === 0 ? null : value[0];
    if (candidate === undefined) return { ok: false };
    const normalised = toType.normalise(candidate, toField);
    if (normalised === null) return { ok: true, value: null };
    return isValidFor(toField, normalised) ? { ok: true, value: normalised } : { ok: false };
  } catch {
    return { ok: false };
  }
}

/**
 * Filter validation (`validateFilter`): its own module because it compiles operand schemas with Ajv —
 * code that only resolves fields or sorts (every list page in the browser) should not carry Ajv.
 *
 * A valid filter comes back normalised: each operand is in the field's canonical stored form (a phone
 * `+86 138-0013-8000` becomes `13800138000`, a datetime becomes UTC ISO), so the store compares it with
 * the stored value as is. The store matches dedupe keys (case-folded, full-width folded) only in unique
 * indexes and duplicate detection, not in filters.
 *
 * Operand rules: `in`/`nin` take a non-empty array (≤ 1,000); `between` takes `[low, high]` (inclusive);
 * `isEmpty`/`isNotEmpty` take no value; `period` takes `today|thisWeek|thisMonth|thisQuarter|thisYear|
 * lastNDays:<1..3650>`; `contains`/`startsWith` on text take a non-empty string (case-insensitive in the
 * store); on multi-valued fields `contains` takes one element (`in` = has any of, `nin` = has none of);
 * every other operator takes one value of the field's type (never null — use isEmpty).
 */
import type { ValidateFunction } from 'ajv';
import { newAjv } from './ajv.js';
import { fieldOperators, getFieldType } from './field-types/index.js';
import { FILTER_MAX_DEPTH, FILTER_MAX_IN, FILTER_MAX_LEAVES, resolveFilterField } from './filter.js';
import { toMessage } from './i18n.js';
import { LruCache } from './lru.js';
import { isPeriodValue } from './period.js';
import {
  type EntityDefinition,
  FILTER_OPS,
  type FieldDefinition,
  type FilterLeaf,
  type FilterNode,
  type FilterOp,
  type Issue,
  type Message,
  type Result,
} from './types.js';

const m = (zh: string, en: string): Message => ({ 'zh-CN': zh, en });
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Operand validators, keyed by their schema's JSON (definitions are re-read per request, schemas repeat). */
const itemValidators = new LruCache<ValidateFunction>(1000);

function itemValidator(field: FieldDefinition): ValidateFunction | undefined {
  const type = getFieldType(field.type);
  if (!type) return undefined;
  const schema = type.itemSchema(field);
  const key = JSON.stringify(schema);
  let v = itemValidators.get(key);
  if (!v) {
    v = newAjv().compile(schema);
    itemValidators.set(key, v);
  }
  return v;
}

interface State {
  leaves: number;
  issues: Issue[];
  entity: EntityDefinition;
}

const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);

function badValue(path: string, label: Message, why: Message): Issue {
  return {
    field: join(path, 'value'),
    code: 'invalidValue',
    message: m(
      `筛选条件 ${label['zh-CN']} 的值无效：${why['zh-CN']}`,
      `Invalid filter value for ${label.en}: ${why.en}`,
    ),
  };
}

function operand(
  field: FieldDefinition,
  raw: unknown,
  textMatch: boolean,
): { ok: true; value: unknown } | { ok: false; why: Message } {
  const type = getFieldType(field.type);
  if (!type) return { ok: false, why: m('字段类型未知', 'unknown field type') };
  if (raw === null || raw === undefined)
    return {
      ok: false,
      why: m('缺少值（判断为空请用 isEmpty）', 'a value is required (use isEmpty for empty)'),
    };
  if (textMatch) {
    if (typeof raw !== 'string' || raw.trim() === '' || raw.length > 1000) {
      return { ok: false, why: m('须为 1 到 1000 个字符的文本', 'it must be text of 1 to 1,000 characters') };
    }
    return { ok: true, value: raw.normalize('NFKC').trim() };
  }
  if (typeof raw === 'object') return { ok: false, why: m('须为单个值', 'it must be a single value') };
  const value = type.normaliseItem(raw, field);
  const validate = itemValidator(field);
  if (!validate || value === null || !validate(value)) {
    return { ok: false, why: m('与字段类型不符', 'it does not match the field type') };
  }
  return { ok: true, value };
}

function leaf(node: Record<string, unknown>, path: string, st: State): FilterLeaf | undefined {
  for (const k of Object.keys(node)) {
    if (k !== 'field' && k !== 'op' && k !== 'value') {
      st.issues.push({
        field: join(path, k),
        code: 'invalidFilter',
        message: m(`筛选条件中有未知的属性 ${k}`, `Unknown filter property ${k}`),
      });
      return undefined;
    }
  }
  const { field: key, op } = node;
  if (typeof key !== 'string') {
    st.issues.push({
      field: join(path, 'field'),
      code: 'invalidFilter',
      message: m('筛选条件缺少字段', 'The condition has no field'),
    });
    return undefined;
  }
  const field = resolveFilterField(st.entity, key);
  if (!field) {
    st.issues.push({
      field: join(path, 'field'),
      code: 'unknownField',
      message: m(`未知字段 ${key}`, `Unknown field ${key}`),
      params: { field: key },
    });
    return undefined;
  }
  const label = toMessage(field.label, field.key);
  if (typeof op !== 'string' || !(FILTER_OPS as readonly string[]).includes(op)) {
    const shown = typeof op === 'string' ? op : JSON.stringify(op ?? null);
    st.issues.push({
      field: join(path, 'op'),
      code: 'unknownOperator',
      message: m(`未知的运算符 ${shown}`, `Unknown operator ${shown}`),
    });
    return undefined;
  }
  const filterOp = op as FilterOp;
  if (!fieldOperators(field).includes(filterOp)) {
    st.issues.push({
      field: join(path, 'op'),
      code: 'operatorNotAllowed',
      message: m(
        `字段 ${label['zh-CN']} 不支持运算符 ${op}`,
        `Operator ${op} is not supported on ${label.en}`,
      ),
      params: { field: key, op },
    });
    return undefined;
  }
  const raw = node.value;
  const type = getFieldType(field.type);
  const multi = type?.multiValued(field) ?? false;
  switch (filterOp) {
    case 'isEmpty':
    case 'isNotEmpty':
      if (raw !== undefined && raw !== null) {
        st.issues.push(badValue(path, label, m('此运算符不需要值', 'this operator takes no value')));
        return undefined;
      }
      return { field: key, op: filterOp };
    case 'period':
      if (!isPeriodValue(raw)) {
        st.issues.push(
          badValue(
            path,
            label,
            m(
              '须为 today、thisWeek、thisMonth、thisQuarter、thisYear 或 lastNDays:N（1–3650）',
              'expected today, thisWeek, thisMonth, thisQuarter, thisYear or lastNDays:N (1–3650)',
            ),
          ),
        );
        return undefined;
      }
      return { field: key, op: filterOp, value: raw };
    case 'in':
    case 'nin':
    case 'between': {
      const between = filterOp === 'between';
      if (
        !Array.isArray(raw) ||
        raw.length === 0 ||
        raw.length > FILTER_MAX_IN ||
        (between && raw.length !== 2)
      ) {
        st.issues.push(
          badValue(
            path,
            label,
            between
              ? m('须为 [下限, 上限]', 'expected [low, high]')
              : m(
                  `须为 1 到 ${FILTER_MAX_IN} 个值的数组`,
                  `expected an array of 1 to ${FILTER_MAX_IN} values`,
                ),
          ),
        );
        return undefined;
      }
      const values: unknown[] = [];
      for (const item of raw) {
        const r = operand(field, item, false);
        if (!r.ok) {
          st.issues.push(badValue(path, label, r.why));
          return undefined;
        }
        values.push(r.value);
      }
      return {
        field: key,
        op: filterOp,
        value: between ? values : [...new Map(values.map((v) => [JSON.stringify(v), v])).values()],
      };
    }
    default: {
      const textMatch = (filterOp === 'contains' || filterOp === 'startsWith') && !multi;
      const r = operand(field, raw, textMatch);
      if (!r.ok) {
        st.issues.push(badValue(path, label, r.why));
        return undefined;
      }
      return { field: key, op: filterOp, value: r.value };
    }
  }
}

function node(input: unknown, path: string, depth: number, st: State): FilterNode | undefined {
  if (depth > FILTER_MAX_DEPTH) {
    st.issues.push({
      field: path,
      code: 'tooDeep',
      message: m(
        `筛选条件嵌套超过 ${FILTER_MAX_DEPTH} 层`,
        `The filter is nested deeper than ${FILTER_MAX_DEPTH} levels`,
      ),
    });
    return undefined;
  }
  if (!isPlainObject(input)) {
    st.issues.push({
      field: path,
      code: 'invalidFilter',
      message: m('筛选条件必须是对象', 'A filter must be an object'),
    });
    return undefined;
  }
  const keys = Object.keys(input);
  const group =
    keys.length === 1 && (keys[0] === 'and' || keys[0] === 'or' || keys[0] === 'not') ? keys[0] : undefined;
  if (group === 'not') return mapNot(input.not, join(path, 'not'), depth, st);
  if (group === 'and' || group === 'or') {
    const list = input[group];
    const p = join(path, group);
    if (!Array.isArray(list) || list.length === 0) {
      st.issues.push({
        field: p,
        code: 'invalidFilter',
        message: m(`${group} 须为非空数组`, `${group} must be a non-empty array`),
      });
      return undefined;
    }
    const children: FilterNode[] = [];
    for (let i = 0; i < list.length; i++) {
      const c = node(list[i], join(p, String(i)), depth + 1, st);
      if (st.leaves > FILTER_MAX_LEAVES) return undefined;
      if (c) children.push(c);
    }
    return group === 'and' ? { and: children } : { or: children };
  }
  if (keys.some((k) => k === 'and' || k === 'or' || k === 'not')) {
    st.issues.push({
      field: path,
      code: 'invalidFilter',
      message: m(
        '一个筛选节点只能是 and、or、not 或一个条件之一',
        'A filter node is exactly one of and, or, not or a condition',
      ),
    });
    return undefined;
  }
  st.leaves++;
  if (st.leaves > FILTER_MAX_LEAVES) {
    st.issues.push({
      field: path,
      code: 'tooManyConditions',
      message: m(
        `筛选条件超过 ${FILTER_MAX_LEAVES} 个`,
        `The filter has more than ${FILTER_MAX_LEAVES} conditions`,
      ),
    });
    return undefined;
  }
  return leaf(input, path, st);
}

function mapNot(input: unknown, path: string, depth: number, st: State): FilterNode | undefined {
  const c = node(input, path, depth + 1, st);
  return c ? { not: c } : undefined;
}

/** Validate (and normalise) a filter AST from user input. Never throws. */
export function validateFilter(entity: EntityDefinition, input: unknown): Result<FilterNode> {
  const st: State = { leaves: 0, issues: [], entity };
  try {
    const out = node(input, '', 1, st);
    if (st.issues.length > 0 || !out) {
      return {
        ok: false,
        issues:
          st.issues.length > 0
            ? st.issues
            : [{ field: '', code: 'invalidFilter', message: m('筛选条件无效', 'Invalid filter') }],
      };
    }
    return { ok: true, value: out };
  } catch {
    return {
      ok: false,
      issues: [{ field: '', code: 'invalidFilter', message: m('筛选条件无效', 'Invalid filter') }],
    };
  }
}

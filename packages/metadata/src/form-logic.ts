import { evaluateRule } from './compute.js';
import { getFieldType } from './field-types/index.js';
import type { FormulaAst } from './formula/ast.js';
import { evaluateFormula } from './formula/evaluate.js';
import { parseFormula } from './formula/parser.js';
import type { EntityDefinition, FieldDefinition, Issue, Message } from './types.js';

/**
 * Form logic shared by the browser form and the server: default values (constants, formulas, the current
 * member / department / date), show/hide rules (`visibleWhen` formulas, evaluated by the one formula
 * evaluator), data linkage (`fill` on relation fields) and the checks of those definitions. Pure.
 */

export interface FormLogicContext {
  now: Date;
  /** IANA time zone in which `$today`, TODAY()… are taken. */
  timeZone: string;
  /** The member filling the form: `$user` is their id, `$department` their department id. */
  user?: { id: string; departmentId?: string };
}

function m(zh: string, en: string): Message {
  return { 'zh-CN': zh, en };
}

const isRecordObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function formulaValue(src: string, data: Record<string, unknown>, ctx: FormLogicContext): unknown {
  const parsed = parseFormula(src);
  if (!parsed.ok) return undefined;
  const r = evaluateFormula(parsed.ast, {
    get: (path) => {
      const [a, b] = path;
      if (a === undefined || !Object.hasOwn(data, a)) return undefined;
      const v = data[a];
      if (path.length === 1) return v;
      if (b === undefined || !Array.isArray(v)) return undefined;
      return v.map((row) => (isRecordObject(row) && Object.hasOwn(row, b) ? row[b] : undefined));
    },
    now: ctx.now,
    timeZone: ctx.timeZone,
  });
  return r.ok ? r.value : undefined;
}

/**
 * The default value of a field for a new record (or a new subform row), or undefined when it has none.
 * `defaultValue` is a constant, a placeholder (`$user`, `$department`, `$today`, `$now`) or
 * `{ formula: "…" }` evaluated over `data` (the values known so far). Values are normalised by the type.
 */
export function fieldDefault(
  field: FieldDefinition,
  ctx: FormLogicContext,
  data: Record<string, unknown> = {},
): unknown {
  const d = field.defaultValue;
  const type = getFieldType(field.type);
  if (d === undefined || !type || type.computed) return undefined;
  let raw: unknown;
  if (d === '$user') raw = ctx.user?.id;
  else if (d === '$department') raw = ctx.user?.departmentId;
  else if (d === '$today') raw = formulaValue('TODAY()', {}, ctx);
  else if (d === '$now') raw = ctx.now.toISOString();
  else if (isRecordObject(d))
    raw = typeof d.formula === 'string' ? formulaValue(d.formula, data, ctx) : undefined;
  else raw = d;
  if (raw === undefined || raw === null) return undefined;
  if (field.type === 'datetime' && typeof raw === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(raw)) {
    raw = `${raw}T00:00:00.000Z`;
  }
  if (
    field.type === 'date' &&
    typeof raw === 'string' &&
    raw.length > 10 &&
    /^\d{4}-\d{2}-\d{2}T/.test(raw)
  ) {
    raw = formulaValue(`DATE(YEAR(v), MONTH(v), DAY(v))`, { v: raw }, ctx) ?? raw.slice(0, 10);
  }
  if ((field.type === 'multiSelect' || field.type === 'tags' || field.type === 'member') && raw === '') {
    return undefined;
  }
  const value = type.normalise(raw, field);
  return value === null ? undefined : value;
}

/** Default values of a new record: every field with a default, formulas seeing the constants before them. */
export function defaultValues(entity: EntityDefinition, ctx: FormLogicContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of entity.fields) {
    const v = fieldDefault(field, ctx, out);
    if (v !== undefined) out[field.key] = v;
  }
  return out;
}

/** Default values of a new subform row. */
export function rowDefaults(
  subform: FieldDefinition,
  ctx: FormLogicContext,
  data: Record<string, unknown> = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const child of subform.fields ?? []) {
    const v = fieldDefault(child, ctx, { ...data, ...out });
    if (v !== undefined) out[child.key] = v;
  }
  return out;
}

/**
 * Whether a field is shown for these values: no `visibleWhen`, or it evaluates to TRUE. A rule that cannot be
 * evaluated (a broken formula) shows the field rather than hide it silently.
 */
export function isFieldVisible(
  entity: EntityDefinition,
  field: FieldDefinition,
  data: Record<string, unknown>,
  ctx: FormLogicContext,
): boolean {
  if (typeof field.visibleWhen !== 'string') return true;
  const r = evaluateRule(entity, { key: field.key, formula: field.visibleWhen, message: '' }, data, ctx);
  return r !== false;
}

/** The keys of the top-level fields hidden by their show/hide rule for these values. */
export function hiddenFields(
  entity: EntityDefinition,
  data: Record<string, unknown>,
  ctx: FormLogicContext,
): string[] {
  return entity.fields.filter((f) => !isFieldVisible(entity, f, data, ctx)).map((f) => f.key);
}

/**
 * Data linkage: the values a relation field's `fill` copies from the picked record (`related`), keyed by
 * the target field of this record (or row). Picking nothing (`related` null) clears them.
 */
export function linkageValues(
  field: FieldDefinition,
  related: Record<string, unknown> | null,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of field.fill ?? []) {
    const v = related && Object.hasOwn(related, f.from) ? related[f.from] : null;
    out[f.to] = v === undefined ? null : v;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The show/hide rule builder: simple condition lists ⇄ formulas

export type ConditionOp = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'contains' | 'isEmpty' | 'isNotEmpty';
export const CONDITION_OPS: readonly ConditionOp[] = [
  'eq',
  'ne',
  'gt',
  'gte',
  'lt',
  'lte',
  'contains',
  'isEmpty',
  'isNotEmpty',
];

export interface Condition {
  field: string;
  op: ConditionOp;
  value?: string | number | boolean;
}

/** `all`: every condition holds (AND); `any`: at least one (OR). */
export interface ConditionGroup {
  match: 'all' | 'any';
  conditions: Condition[];
}

const BINARY: Partial<Record<ConditionOp, string>> = {
  eq: '=',
  ne: '!=',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
};
const FROM_BINARY: Record<string, ConditionOp> = {
  '=': 'eq',
  '!=': 'ne',
  '>': 'gt',
  '>=': 'gte',
  '<': 'lt',
  '<=': 'lte',
};

function literal(v: string | number | boolean | undefined): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '0';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return `"${String(v ?? '')
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')}"`;
}

function conditionFormula(c: Condition): string {
  const op = BINARY[c.op];
  if (op) return `${c.field} ${op} ${literal(c.value)}`;
  if (c.op === 'contains') return `CONTAINS(${c.field}, ${literal(c.value)})`;
  return c.op === 'isEmpty' ? `ISEMPTY(${c.field})` : `ISNOTEMPTY(${c.field})`;
}

/** The formula of a condition group (`status = "won" && amount > 1000`); empty string for no conditions. */
export function conditionsToFormula(group: ConditionGroup): string {
  const parts = group.conditions.map(conditionFormula);
  return parts.join(group.match === 'all' ? ' && ' : ' || ');
}

function literalValue(ast: FormulaAst): string | number | boolean | undefined {
  if (ast.kind === 'string') return ast.value;
  if (ast.kind === 'boolean') return ast.value;
  if (ast.kind === 'number') return Number(ast.value);
  if (ast.kind === 'unary' && ast.op === '-' && ast.operand.kind === 'number')
    return -Number(ast.operand.value);
  return undefined;
}

function singleRef(ast: FormulaAst | undefined): string | undefined {
  return ast?.kind === 'ref' && ast.path.length === 1 ? ast.path[0] : undefined;
}

function toCondition(ast: FormulaAst): Condition | undefined {
  if (ast.kind === 'binary') {
    const op = FROM_BINARY[ast.op];
    const field = singleRef(ast.left);
    const value = literalValue(ast.right);
    if (op && field !== undefined && value !== undefined) return { field, op, value };
    return undefined;
  }
  if (ast.kind === 'call') {
    const field = singleRef(ast.args[0]);
    if (field === undefined) return undefined;
    if (ast.name === 'CONTAINS' && ast.args.length === 2) {
      const value = literalValue(ast.args[1] as FormulaAst);
      return value === undefined ? undefined : { field, op: 'contains', value };
    }
    if (ast.name === 'ISEMPTY' && ast.args.length === 1) return { field, op: 'isEmpty' };
    if (ast.name === 'ISNOTEMPTY' && ast.args.length === 1) return { field, op: 'isNotEmpty' };
  }
  return undefined;
}

function flattenLogical(ast: FormulaAst, op: '&&' | '||', out: FormulaAst[]): void {
  if (ast.kind === 'binary' && ast.op === op) {
    flattenLogical(ast.left, op, out);
    flattenLogical(ast.right, op, out);
  } else out.push(ast);
}

/**
 * The condition group a formula stands for, when it is a plain AND or OR list of conditions the builder can
 * show (as `conditionsToFormula` writes them); null for anything else (edit it as a formula).
 */
export function formulaToConditions(src: string): ConditionGroup | null {
  if (src.trim() === '') return { match: 'all', conditions: [] };
  const parsed = parseFormula(src);
  if (!parsed.ok) return null;
  const ast = parsed.ast;
  const match: 'all' | 'any' = ast.kind === 'binary' && ast.op === '||' ? 'any' : 'all';
  const parts: FormulaAst[] = [];
  flattenLogical(ast, match === 'all' ? '&&' : '||', parts);
  const conditions: Condition[] = [];
  for (const p of parts) {
    const c = toCondition(p);
    if (!c) return null;
    conditions.push(c);
  }
  return { match, conditions };
}

// ---------------------------------------------------------------------------------------------
// Checking the form logic of a definition

/** Problems in `fill` (linkage targets), `visibleWhen` placement and `layout`. */
export function checkFormLogic(entity: EntityDefinition): Issue[] {
  const issues: Issue[] = [];
  const top = new Map(entity.fields.map((f) => [f.key, f]));
  const checkFill = (field: FieldDefinition, scope: Map<string, FieldDefinition>, path: string): void => {
    (field.fill ?? []).forEach((fill, j) => {
      const target = scope.get(fill.to);
      const type = target ? getFieldType(target.type) : undefined;
      if (!target || !type || type.computed || target.key === field.key) {
        issues.push({
          field: `${path}.fill.${j}.to`,
          code: 'unknownField',
          message: m(
            `联动填充的目标字段 ${fill.to} 不存在或不可填写`,
            `Linkage target field ${fill.to} does not exist or cannot be written`,
          ),
        });
      }
    });
  };
  entity.fields.forEach((field, i) => {
    checkFill(field, top, `fields.${i}`);
    if (field.type === 'subform') {
      const children = field.fields ?? [];
      const scope = new Map(children.map((c) => [c.key, c]));
      children.forEach((child, j) => {
        checkFill(child, scope, `fields.${i}.fields.${j}`);
        if (child.visibleWhen !== undefined) {
          issues.push({
            field: `fields.${i}.fields.${j}.visibleWhen`,
            code: 'unsupported',
            message: m('子表单的列不支持显示条件', 'Subform columns cannot have a show rule'),
          });
        }
      });
    }
  });
  const sectionKeys = new Set<string>();
  const placed = new Set<string>();
  (entity.layout?.sections ?? []).forEach((section, i) => {
    if (sectionKeys.has(section.key)) {
      issues.push({
        field: `layout.sections.${i}.key`,
        code: 'duplicateKey',
        message: m(`分组标识 ${section.key} 重复`, `Section key ${section.key} is used twice`),
      });
    }
    sectionKeys.add(section.key);
    section.fields.forEach((key, j) => {
      if (!top.has(key)) {
        issues.push({
          field: `layout.sections.${i}.fields.${j}`,
          code: 'unknownField',
          message: m(`分组中的字段 ${key} 不存在`, `Section field ${key} does not exist`),
        });
      } else if (placed.has(key)) {
        issues.push({
          field: `layout.sections.${i}.fields.${j}`,
          code: 'duplicateKey',
          message: m(`字段 ${key} 出现在多个分组中`, `Field ${key} is in more than one section`),
        });
      }
      placed.add(key);
    });
  });
  return issues;
}

import type { FormulaAst, FormulaContext } from './formula/ast.js';
import { toText } from './formula/coerce.js';
import { evaluateToValue } from './formula/evaluate.js';
import { arityFits, arityText, functionCore } from './formula/functions.js';
import { type ParseFormulaResult, parseFormula } from './formula/parser.js';
import { decimalToNumber, isDate, isDateTime, isDecimal, toExternal, type Val } from './formula/values.js';
import { localize } from './i18n.js';
import type { EntityDefinition, EntityRule, FieldDefinition, Issue, Message } from './types.js';

/**
 * Formulas of an entity: checking them against the definition, ordering them by dependency, computing a
 * record's formula fields (subform row formulas first), and evaluating cross-field rules.
 */

/** System fields every record has; formulas may read them (`DATEDIF(createdAt, TODAY(), "d")`). */
const SYSTEM_KEYS = new Set(['id', 'createdAt', 'updatedAt', 'createdBy', 'ownerId', 'version']);

export interface ComputeContext {
  now: Date;
  /** IANA time zone in which TODAY(), YEAR()… are taken. */
  timeZone: string;
}

export interface ComputeError {
  /** `total`, or `items.0.amount` for a subform row formula. */
  field: string;
  code: string;
  message: Message;
}

// ---------------------------------------------------------------------------------------------
// Parsing, cached by source

const parseCache = new Map<string, ParseFormulaResult>();

function parseCached(src: string): ParseFormulaResult {
  let r = parseCache.get(src);
  if (!r) {
    r = parseFormula(src);
    if (parseCache.size >= 2000) parseCache.clear();
    parseCache.set(src, r);
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// The formula graph of an entity

interface FormulaNode {
  /** `total`, or `items.amount` for a subform child formula. */
  id: string;
  field: FieldDefinition;
  /** The subform a child formula belongs to. */
  subform?: FieldDefinition;
  /** Issue path of the formula text: `fields.3.formula`, `fields.2.fields.1.formula`. */
  path: string;
}

const isFormula = (f: FieldDefinition): boolean => f.type === 'formula' && typeof f.formula === 'string';

function fieldList(entity: EntityDefinition): FieldDefinition[] {
  return Array.isArray(entity?.fields)
    ? entity.fields.filter((f): f is FieldDefinition => typeof f === 'object' && f !== null)
    : [];
}

function childList(f: FieldDefinition): FieldDefinition[] {
  return f.type === 'subform' && Array.isArray(f.fields)
    ? f.fields.filter((c): c is FieldDefinition => typeof c === 'object' && c !== null)
    : [];
}

/** Formula nodes: every subform child formula first, then the top-level formulas, in definition order. */
function formulaNodes(entity: EntityDefinition): FormulaNode[] {
  const children: FormulaNode[] = [];
  const top: FormulaNode[] = [];
  fieldList(entity).forEach((f, i) => {
    if (isFormula(f)) top.push({ id: f.key, field: f, path: `fields.${i}.formula` });
    childList(f).forEach((c, j) => {
      if (isFormula(c))
        children.push({
          id: `${f.key}.${c.key}`,
          field: c,
          subform: f,
          path: `fields.${i}.fields.${j}.formula`,
        });
    });
  });
  return [...children, ...top];
}

/**
 * What a reference names, seen from a top-level formula (`subform` undefined) or a subform row formula:
 * undefined when nothing; otherwise the formula node it depends on, if any.
 */
function resolveRef(
  entity: EntityDefinition,
  subform: FieldDefinition | undefined,
  path: string[],
): { dep?: string } | undefined {
  const fields = fieldList(entity);
  if (path.length === 1) {
    const key = path[0] as string;
    const sibling = subform ? childList(subform).find((c) => c.key === key) : undefined;
    if (sibling && subform) return isFormula(sibling) ? { dep: `${subform.key}.${key}` } : {};
    const f = fields.find((x) => x.key === key);
    if (f) return isFormula(f) ? { dep: key } : {};
    return SYSTEM_KEYS.has(key) ? {} : undefined;
  }
  if (path.length === 2) {
    const [s, c] = path as [string, string];
    const sub = fields.find((x) => x.key === s && x.type === 'subform');
    const col = sub ? childList(sub).find((x) => x.key === c) : undefined;
    if (!sub || !col) return undefined;
    return isFormula(col) ? { dep: `${s}.${c}` } : {};
  }
  return undefined;
}

function dependencies(entity: EntityDefinition, node: FormulaNode): string[] {
  const parsed = parseCached(node.field.formula as string);
  if (!parsed.ok) return [];
  const deps: string[] = [];
  for (const ref of parsed.refs) {
    const r = resolveRef(entity, node.subform, ref);
    if (r?.dep !== undefined && !deps.includes(r.dep)) deps.push(r.dep);
  }
  return deps;
}

/** Depth-first post-order over the dependency graph; `onCycle` gets each cycle found (first node repeated at the end). */
function walkGraph(entity: EntityDefinition, onCycle?: (cycle: string[]) => void): FormulaNode[] {
  const nodes = formulaNodes(entity);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const deps = new Map(nodes.map((n) => [n.id, dependencies(entity, n)]));
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const order: FormulaNode[] = [];
  const visit = (id: string): void => {
    const s = state.get(id);
    if (s === 'done') return;
    if (s === 'active') {
      onCycle?.([...stack.slice(stack.indexOf(id)), id]);
      return;
    }
    state.set(id, 'active');
    stack.push(id);
    for (const d of deps.get(id) ?? []) if (byId.has(d)) visit(d);
    stack.pop();
    state.set(id, 'done');
    const node = byId.get(id);
    if (node) order.push(node);
  };
  for (const n of nodes) visit(n.id);
  return order;
}

/**
 * The formula fields in the order they must be computed: each after the formulas it reads. Subform child
 * formulas are named `items.amount` and come first unless they read a parent formula.
 */
export function formulaOrder(entity: EntityDefinition): string[] {
  return walkGraph(entity).map((n) => n.id);
}

// ---------------------------------------------------------------------------------------------
// Checking a definition

function labelOf(f: FieldDefinition): Message {
  return { 'zh-CN': localize(f.label, 'zh-CN', f.key), en: localize(f.label, 'en', f.key) };
}

function walkCalls(ast: FormulaAst, visit: (node: Extract<FormulaAst, { kind: 'call' }>) => void): void {
  switch (ast.kind) {
    case 'call':
      visit(ast);
      for (const a of ast.args) walkCalls(a, visit);
      return;
    case 'unary':
      walkCalls(ast.operand, visit);
      return;
    case 'binary':
      walkCalls(ast.left, visit);
      walkCalls(ast.right, visit);
      return;
    default:
      return;
  }
}

function refPositions(ast: FormulaAst, out: Map<string, number> = new Map()): Map<string, number> {
  switch (ast.kind) {
    case 'ref': {
      const k = ast.path.join('.');
      if (!out.has(k)) out.set(k, ast.pos);
      break;
    }
    case 'call':
      for (const a of ast.args) refPositions(a, out);
      break;
    case 'unary':
      refPositions(ast.operand, out);
      break;
    case 'binary':
      refPositions(ast.left, out);
      refPositions(ast.right, out);
      break;
    default:
      break;
  }
  return out;
}

function checkOne(
  entity: EntityDefinition,
  src: string,
  path: string,
  owner: Message,
  subform: FieldDefinition | undefined,
): Issue[] {
  const parsed = parseCached(src);
  const prefix = (m: Message): Message => ({
    'zh-CN': `${owner['zh-CN']} 的公式有误：${m['zh-CN']}`,
    en: `The formula of ${owner.en} is invalid: ${m.en}`,
  });
  if (!parsed.ok) {
    return [
      {
        field: path,
        code: parsed.issue.code,
        message: prefix(parsed.issue.message),
        params: { position: parsed.issue.position },
      },
    ];
  }
  const issues: Issue[] = [];
  walkCalls(parsed.ast, (call) => {
    const info = functionCore(call.name);
    if (!info) {
      issues.push({
        field: path,
        code: 'formulaUnknownFunction',
        message: prefix({ 'zh-CN': `未知函数 ${call.name}`, en: `unknown function ${call.name}` }),
        params: { function: call.name, position: call.pos },
      });
    } else if (!arityFits(info, call.args.length)) {
      const a = arityText(info);
      issues.push({
        field: path,
        code: 'formulaArity',
        message: prefix({
          'zh-CN': `${info.name} 需要${a['zh-CN']}，实际为 ${call.args.length} 个`,
          en: `${info.name} takes ${a.en}, got ${call.args.length}`,
        }),
        params: { function: info.name, count: call.args.length, position: call.pos },
      });
    }
  });
  for (const [ref, pos] of refPositions(parsed.ast)) {
    if (!resolveRef(entity, subform, ref.split('.'))) {
      issues.push({
        field: path,
        code: 'formulaUnknownField',
        message: prefix({
          'zh-CN': `引用的字段 ${ref} 不存在`,
          en: `it references ${ref}, which is not a field`,
        }),
        params: { ref, position: pos },
      });
    }
  }
  return issues;
}

/**
 * Check every formula of an entity (formula fields, subform row formulas, rules): syntax
 * (`formulaSyntax`, `formulaTooLong`, `formulaTooDeep`), unknown field references (`formulaUnknownField`),
 * unknown functions (`formulaUnknownFunction`), argument counts (`formulaArity`) and cycles (`formulaCycle`).
 * Never throws.
 */
export function checkEntityFormulas(entity: EntityDefinition): Issue[] {
  const issues: Issue[] = [];
  try {
    const fields = fieldList(entity);
    fields.forEach((f, i) => {
      if (isFormula(f))
        issues.push(...checkOne(entity, f.formula as string, `fields.${i}.formula`, labelOf(f), undefined));
      if (typeof f.visibleWhen === 'string') {
        const owner: Message = {
          'zh-CN': `${labelOf(f)['zh-CN']} 的显示条件`,
          en: `the show rule of ${labelOf(f).en}`,
        };
        issues.push(...checkOne(entity, f.visibleWhen, `fields.${i}.visibleWhen`, owner, undefined));
      }
      childList(f).forEach((c, j) => {
        if (isFormula(c)) {
          const owner: Message = {
            'zh-CN': `${labelOf(f)['zh-CN']}.${labelOf(c)['zh-CN']}`,
            en: `${labelOf(f).en}.${labelOf(c).en}`,
          };
          issues.push(...checkOne(entity, c.formula as string, `fields.${i}.fields.${j}.formula`, owner, f));
        }
      });
    });
    (Array.isArray(entity.rules) ? entity.rules : []).forEach((rule, i) => {
      if (typeof rule?.formula !== 'string') return;
      const owner: Message = { 'zh-CN': `规则 ${rule.key}`, en: `rule ${rule.key}` };
      issues.push(...checkOne(entity, rule.formula, `rules.${i}.formula`, owner, undefined));
    });
    const nodes = new Map(formulaNodes(entity).map((n) => [n.id, n]));
    const reported = new Set<string>();
    walkGraph(entity, (cycle) => {
      const key = [...new Set(cycle)].sort().join('|');
      if (reported.has(key)) return;
      reported.add(key);
      const first = nodes.get(cycle[0] as string);
      if (!first) return;
      const text = cycle.join(' → ');
      const label = labelOf(first.field);
      issues.push({
        field: first.path,
        code: 'formulaCycle',
        message: {
          'zh-CN': `${label['zh-CN']} 的公式存在循环引用：${text}`,
          en: `The formula of ${label.en} refers to itself in a cycle: ${text}`,
        },
        params: { cycle },
      });
    });
  } catch {
    issues.push({
      field: 'fields',
      code: 'formulaSyntax',
      message: { 'zh-CN': '无法检查公式', en: 'The formulas could not be checked' },
    });
  }
  return issues;
}

// ---------------------------------------------------------------------------------------------
// Computing a record

const isRecordObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const own = (o: Record<string, unknown>, k: string): unknown => (Object.hasOwn(o, k) ? o[k] : undefined);

function topLevelGetter(data: Record<string, unknown>): (path: string[]) => unknown {
  return (path) => {
    const [a, b] = path;
    if (a === undefined) return undefined;
    const v = own(data, a);
    if (path.length === 1) return v;
    if (path.length !== 2 || b === undefined) return undefined;
    if (!Array.isArray(v)) return [];
    return v.map((row) => (isRecordObject(row) ? own(row, b) : undefined));
  };
}

/** A computed value as stored: numbers rounded to `precision` (half up), dates as ISO text, lists as text. */
function toStored(v: Val, field: FieldDefinition, timeZone: string): unknown {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (isDecimal(v)) {
    const p = field.precision;
    const n = typeof p === 'number' && Number.isInteger(p) && p >= 0 && p <= 20 ? v.round(p, 1) : v;
    return decimalToNumber(n);
  }
  if (Array.isArray(v)) return toText(v, timeZone);
  if (isDate(v) || isDateTime(v)) return toExternal(v);
  return toText(v, timeZone);
}

/**
 * A copy of `data` with every formula field (and every subform row formula) computed in dependency order.
 * A formula that fails yields null and an entry in `errors`. Never throws.
 */
export function computeRecord(
  entity: EntityDefinition,
  data: Record<string, unknown>,
  ctx: ComputeContext,
): { data: Record<string, unknown>; errors: ComputeError[] } {
  const out: Record<string, unknown> = { ...data };
  const errors: ComputeError[] = [];
  for (const f of fieldList(entity)) {
    if (f.type !== 'subform') continue;
    const rows = own(out, f.key);
    if (Array.isArray(rows)) out[f.key] = rows.map((r) => (isRecordObject(r) ? { ...r } : r));
  }
  const top = topLevelGetter(out);
  const fail = (field: string, owner: FieldDefinition, code: string, m: Message): void => {
    const label = labelOf(owner);
    errors.push({
      field,
      code,
      message: { 'zh-CN': `${label['zh-CN']}：${m['zh-CN']}`, en: `${label.en}: ${m.en}` },
    });
  };
  let order: FormulaNode[];
  const cyclic = new Set<string>();
  try {
    order = walkGraph(entity, (cycle) => {
      for (const id of cycle) cyclic.add(id);
    });
  } catch {
    return { data: out, errors };
  }
  const cycleMessage: Message = {
    'zh-CN': '公式存在循环引用',
    en: 'The formula refers to itself in a cycle',
  };
  for (const node of order) {
    const parsed = parseCached(node.field.formula as string);
    const broken: { code: string; message: Message } | undefined = cyclic.has(node.id)
      ? { code: 'formulaCycle', message: cycleMessage }
      : parsed.ok
        ? undefined
        : parsed.issue;
    const key = node.field.key;
    if (!node.subform) {
      if (broken || !parsed.ok) {
        out[key] = null;
        if (broken) fail(key, node.field, broken.code, broken.message);
        continue;
      }
      const r = evaluateToValue(parsed.ast, { get: top, now: ctx.now, timeZone: ctx.timeZone });
      out[key] = r.ok ? toStored(r.value, node.field, ctx.timeZone) : null;
      if (!r.ok) fail(key, node.field, r.code, r.message);
      continue;
    }
    const sub = node.subform;
    const rows = own(out, sub.key);
    if (!Array.isArray(rows)) continue;
    const siblings = new Set(childList(sub).map((c) => c.key));
    rows.forEach((row, i) => {
      if (!isRecordObject(row)) return;
      const path = `${sub.key}.${i}.${key}`;
      if (broken || !parsed.ok) {
        row[key] = null;
        if (broken) fail(path, node.field, broken.code, broken.message);
        return;
      }
      const fctx: FormulaContext = {
        get: (p) => (p.length === 1 && siblings.has(p[0] as string) ? own(row, p[0] as string) : top(p)),
        now: ctx.now,
        timeZone: ctx.timeZone,
      };
      const r = evaluateToValue(parsed.ast, fctx);
      row[key] = r.ok ? toStored(r.value, node.field, ctx.timeZone) : null;
      if (!r.ok) fail(path, node.field, r.code, r.message);
    });
  }
  return { data: out, errors };
}

/**
 * Evaluate a cross-field rule on a (computed) record: TRUE/FALSE (a number: non-zero), or null when it
 * cannot be evaluated (a syntax error, an evaluation error, an empty or non-boolean result).
 */
export function evaluateRule(
  _entity: EntityDefinition,
  rule: EntityRule,
  data: Record<string, unknown>,
  ctx: ComputeContext,
): boolean | null {
  if (typeof rule?.formula !== 'string') return null;
  const parsed = parseCached(rule.formula);
  if (!parsed.ok) return null;
  const r = evaluateToValue(parsed.ast, { get: topLevelGetter(data), now: ctx.now, timeZone: ctx.timeZone });
  if (!r.ok) return null;
  if (typeof r.value === 'boolean') return r.value;
  if (isDecimal(r.value)) return !r.value.eq(0);
  return null;
}

import { evaluateFormula, type I18nText, type Message, parseFormula, toMessage } from '@formwork/metadata';
import type { RecordData, ValueSource } from './types.js';

/** Values for field assignments (constants, formulas, copies) and `{{field}}` text templates. */

export interface ValueContext {
  record: RecordData;
  now: Date;
  timeZone: string;
  /** Extra names a formula or template may read: `$submitter`, `$now`… */
  extra?: Record<string, unknown>;
}

export type ValueResult = { ok: true; value: unknown } | { ok: false; message: Message };

function lookup(ctx: ValueContext, path: string[]): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return undefined;
  let v: unknown = ctx.extra && Object.hasOwn(ctx.extra, head) ? ctx.extra[head] : ctx.record[head];
  for (const seg of rest) {
    if (Array.isArray(v)) {
      v = v.map((row) =>
        row !== null && typeof row === 'object' ? (row as Record<string, unknown>)[seg] : undefined,
      );
    } else if (v !== null && typeof v === 'object') {
      v = (v as Record<string, unknown>)[seg];
    } else {
      return undefined;
    }
  }
  return v;
}

export function evaluateSource(source: ValueSource, ctx: ValueContext): ValueResult {
  if ('value' in source) return { ok: true, value: source.value ?? null };
  if ('field' in source) return { ok: true, value: ctx.record[source.field] ?? null };
  const parsed = parseFormula(source.formula);
  if (!parsed.ok) return { ok: false, message: parsed.issue.message };
  const r = evaluateFormula(parsed.ast, { get: (p) => lookup(ctx, p), now: ctx.now, timeZone: ctx.timeZone });
  return r.ok ? { ok: true, value: r.value } : { ok: false, message: r.message };
}

/** Evaluate a `{ field: source }` map; the first failure names its field. */
export function evaluateSet(
  set: Record<string, ValueSource>,
  ctx: ValueContext,
): { ok: true; changes: RecordData } | { ok: false; field: string; message: Message } {
  const changes: RecordData = {};
  for (const [field, source] of Object.entries(set)) {
    const r = evaluateSource(source, ctx);
    if (!r.ok) return { ok: false, field, message: r.message };
    changes[field] = r.value;
  }
  return { ok: true, changes };
}

function display(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(display).join(', ');
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.name === 'string') return o.name;
    if (typeof o.label === 'string') return o.label;
    if (typeof o.id === 'string') return o.id;
    return JSON.stringify(v);
  }
  return String(v);
}

const PLACEHOLDER = /\{\{\s*([$A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\s*\}\}/g;

/** Replace `{{field}}` / `{{relation.field}}` / `{{$extra}}` with the record's values (empty when missing). */
export function renderTemplate(text: string, ctx: ValueContext): string {
  return text.replace(PLACEHOLDER, (_all, path: string) => display(lookup(ctx, path.split('.'))));
}

/** The placeholders a template uses (for static checks). */
export function templateFields(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(PLACEHOLDER)) {
    const head = (match[1] as string).split('.')[0] as string;
    if (!out.includes(head)) out.push(head);
  }
  return out;
}

/** Both languages of a template, rendered. */
export function renderMessage(text: I18nText, ctx: ValueContext): Message {
  const msg = toMessage(text, '');
  return { 'zh-CN': renderTemplate(msg['zh-CN'], ctx), en: renderTemplate(msg.en, ctx) };
}

import { type EntityDefinition, type FieldDefinition, getFieldType, type Issue } from '@formwork/metadata';
import { type FormLogic, formLogicFor } from './logic.js';
import type { FieldAccess, FormServices } from './types.js';

/**
 * The live state of one form outside React: values, computed formulas, hidden fields, errors, related
 * records and duplicates. Components subscribe to one channel each (`value:title`, `hidden:phone`,
 * `issues:items`…), so a keystroke re-renders only what it changes — never the whole form.
 */

type Validation = typeof import('./validation.js');
let validationLoading: Promise<Validation> | undefined;
let validation: Validation | undefined;

/**
 * The validator (Ajv and the server's messages) is its own chunk: opening a form does not need it. It is
 * fetched when the user starts filling in a form, and awaited by `validate()`.
 */
export function loadValidation(): Promise<Validation> {
  validationLoading ??= import('./validation.js').then(
    (m) => {
      validation = m;
      return m;
    },
    (e: unknown) => {
      validationLoading = undefined; // a failed download is retried by the next call
      throw e;
    },
  );
  return validationLoading;
}

/**
 * The top-level keys that formulas and show/hide rules read (a subform with row formulas counts as read), or
 * null when a formula cannot be parsed — then every change recomputes, so broken formulas report as before.
 */
function formulaInputs(entity: EntityDefinition, logic: FormLogic): Set<string> | null {
  const inputs = new Set<string>();
  const read = (src: string): boolean => {
    const parsed = logic.parseFormula(src);
    if (!parsed.ok) return false;
    for (const ref of parsed.refs) if (ref[0] !== undefined) inputs.add(ref[0]);
    return true;
  };
  for (const f of entity.fields) {
    if (f.type === 'formula' && typeof f.formula === 'string' && !read(f.formula)) return null;
    if (typeof f.visibleWhen === 'string' && !read(f.visibleWhen)) return null;
    for (const c of f.fields ?? []) {
      if (c.type !== 'formula' || typeof c.formula !== 'string') continue;
      if (!read(c.formula)) return null;
      inputs.add(f.key);
    }
  }
  return inputs;
}

export interface RuntimeOptions {
  entity: EntityDefinition;
  services: FormServices;
  initial: Record<string, unknown>;
  fieldAccess?: Record<string, FieldAccess>;
  /** The id of the record being edited (excluded from duplicates). */
  recordId?: string;
  /** Push values the runtime changed itself (data linkage) into the form. */
  applyData?(data: Record<string, unknown>): void;
  /** Delay before duplicate detection runs after a keystroke (ms). */
  dedupeDelay?: number;
  /**
   * What the form evaluates with (logic.ts); by default `formLogicFor(entity)` — which a form with formulas,
   * rules, defaults or linkage only has once `loadFormLogic()` has settled.
   */
  logic?: FormLogic;
}

type Listener = () => void;
const EMPTY: Issue[] = [];

/** What the form shows for one top-level field; the same object until one of its parts changes. */
export interface FieldState {
  value: unknown;
  hidden: boolean;
  /** Issues on the field and everything under it. */
  issues: Issue[];
}

/** Channels that make up a field's state (`field:<key>` is emitted with each of them). */
const FIELD_PARTS = new Set(['value', 'hidden', 'issues']);

export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

export class FormRuntime {
  readonly entity: EntityDefinition;
  /** The host's services (replaced when the host re-renders with a new object). */
  services: FormServices;
  readonly fields: Map<string, FieldDefinition>;
  data: Record<string, unknown>;
  /** `data` with every formula computed (what the user sees). */
  computed: Record<string, unknown>;
  private hidden = new Set<string>();
  private access: Record<string, FieldAccess>;
  private clientIssues: Issue[] = [];
  private serverIssues: Issue[] = [];
  private issuesByKey = new Map<string, Issue[]>();
  /** After a failed submit, every change re-validates. */
  private validated = false;
  private related = new Map<string, unknown>();
  private relatedSeq = new Map<string, number>();
  private duplicates: Record<string, unknown>[] = [];
  private dedupeTimer: ReturnType<typeof setTimeout> | undefined;
  private dedupeSeq = 0;
  private listeners = new Map<string, Set<Listener>>();
  private fieldStates = new Map<string, FieldState>();
  private readonly opts: RuntimeOptions;
  /** What formulas and rules read (null: everything); other changes skip recomputing them. */
  private readonly inputs: Set<string> | null;

  /** Formulas, show/hide rules, defaults and data linkage (logic.ts). */
  readonly logic: FormLogic;

  constructor(opts: RuntimeOptions) {
    const logic = opts.logic ?? formLogicFor(opts.entity);
    if (!logic) throw new Error('The form evaluates formulas or rules: await loadFormLogic() first');
    this.logic = logic;
    this.opts = opts;
    this.entity = opts.entity;
    this.services = opts.services;
    this.access = opts.fieldAccess ?? {};
    this.fields = new Map(opts.entity.fields.map((f) => [f.key, f]));
    this.inputs = formulaInputs(opts.entity, logic);
    this.data = opts.initial;
    this.computed = this.compute(opts.initial);
    this.hidden = new Set(this.ruleHidden(this.computed));
  }

  get context() {
    return { now: this.services.now(), timeZone: this.services.timeZone ?? browserTimeZone() };
  }

  // -------------------------------------------------------------------------------------------
  // Subscriptions

  subscribe(channel: string, fn: Listener): () => void {
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
    }
    set.add(fn);
    return () => {
      set.delete(fn);
    };
  }

  private emit(channel: string): void {
    const at = channel.indexOf(':');
    if (at > 0 && FIELD_PARTS.has(channel.slice(0, at))) {
      const key = channel.slice(at + 1);
      this.fieldStates.delete(key);
      this.emit(`field:${key}`);
    }
    for (const fn of this.listeners.get(channel) ?? []) fn();
  }

  // -------------------------------------------------------------------------------------------
  // Reading

  isHidden(key: string): boolean {
    return this.access[key] === 'hidden' || this.hidden.has(key);
  }

  isReadOnly(key: string): boolean {
    return this.access[key] === 'readOnly';
  }

  /** The value, visibility and issues of a field as one stable object (channel `field:<key>`). */
  fieldState(key: string): FieldState {
    let s = this.fieldStates.get(key);
    if (!s) {
      s = { value: this.data[key], hidden: this.isHidden(key), issues: this.issuesFor(key) };
      this.fieldStates.set(key, s);
    }
    return s;
  }

  /** Issues on a top-level field and everything under it (`items.0.qty`); a stable array. */
  issuesFor(key: string): Issue[] {
    return this.issuesByKey.get(key) ?? EMPTY;
  }

  /** Issues about the whole record (cross-field rules without a field). */
  recordIssues(): Issue[] {
    return this.issuesByKey.get('') ?? EMPTY;
  }

  computedValue(key: string): unknown {
    return this.computed[key];
  }

  relatedRecord(relationKey: string): unknown {
    return this.related.get(relationKey);
  }

  duplicateRecords(): Record<string, unknown>[] {
    return this.duplicates;
  }

  // -------------------------------------------------------------------------------------------
  // Changing

  private compute(data: Record<string, unknown>): Record<string, unknown> {
    return this.logic.computeRecord(this.entity, data, this.context).data;
  }

  private ruleHidden(computed: Record<string, unknown>): string[] {
    return this.logic.hiddenFields(this.entity, computed, this.context);
  }

  /** One field's new value from its widget (`undefined` clears it). */
  setValue(key: string, value: unknown): void {
    if (Object.is(this.data[key], value)) return;
    this.update({ ...this.data, [key]: value });
  }

  /** The current value of a field (what its widget shows). */
  value(key: string): unknown {
    return this.data[key];
  }

  /** New values from the form (a keystroke, a pick…). */
  update(next: Record<string, unknown>, source: 'user' | 'linkage' = 'user'): void {
    const prev = this.data;
    const prevComputed = this.computed;
    this.data = next;
    const changed: string[] = [];
    for (const k of Object.keys(next)) if (prev[k] !== next[k]) changed.push(k);
    for (const k of Object.keys(prev)) if (!Object.hasOwn(next, k) && prev[k] !== undefined) changed.push(k);
    const inputs = this.inputs;
    if (inputs === null || changed.some((k) => inputs.has(k))) {
      this.computed = this.compute(next);
      for (const f of this.entity.fields) {
        const type = getFieldType(f.type);
        if (
          (type?.computed || f.type === 'subform') &&
          !sameJson(prevComputed[f.key], this.computed[f.key])
        ) {
          this.emit(`computed:${f.key}`);
        }
      }
      const prevHidden = this.hidden;
      this.hidden = new Set(this.ruleHidden(this.computed));
      for (const f of this.entity.fields) {
        if (prevHidden.has(f.key) !== this.hidden.has(f.key)) this.emit(`hidden:${f.key}`);
      }
    } else {
      // Nothing a formula or a rule reads changed: the computed values stay, only the typed value moves in.
      const computed = { ...prevComputed };
      for (const k of changed) {
        if (Object.hasOwn(next, k)) computed[k] = next[k];
        else delete computed[k];
      }
      this.computed = computed;
      for (const k of changed) {
        if (this.fields.get(k)?.type === 'subform') this.emit(`computed:${k}`);
      }
    }
    if (source === 'user' && changed.length > 0) void loadValidation().catch(() => undefined);
    if (changed.length > 0 && this.serverIssues.length > 0) {
      const touched = new Set(changed);
      const kept = this.serverIssues.filter((i) => !touched.has(i.field.split('.')[0] ?? ''));
      if (kept.length !== this.serverIssues.length) {
        this.serverIssues = kept;
        this.rebuildIssues();
      }
    }
    if (this.validated && validation) this.validateWith(validation);
    for (const key of changed) this.emit(`value:${key}`);
    for (const key of changed) {
      const f = this.fields.get(key);
      if (f?.type === 'relation') void this.loadRelated(f, next[key], source === 'user');
    }
    if (changed.some((k) => this.fields.get(k)?.dedupe)) this.scheduleDedupe();
    this.emit('data');
  }

  setServerIssues(issues: Issue[]): void {
    this.serverIssues = issues;
    this.rebuildIssues();
  }

  private rebuildIssues(): void {
    const next = new Map<string, Issue[]>();
    for (const issue of [...this.clientIssues, ...this.serverIssues]) {
      const top = issue.field.split('.')[0] ?? '';
      const key = this.fields.has(top) ? top : '';
      const list = next.get(key) ?? [];
      if (!list.some((i) => i.field === issue.field && i.message.en === issue.message.en)) list.push(issue);
      next.set(key, list);
    }
    const keys = new Set([...next.keys(), ...this.issuesByKey.keys()]);
    const prev = this.issuesByKey;
    this.issuesByKey = next;
    for (const k of keys) {
      if (!sameJson(prev.get(k) ?? EMPTY, next.get(k) ?? EMPTY)) this.emit(`issues:${k}`);
    }
  }

  /** Keys neither validated nor submitted: hidden by a rule or by permission, or read-only by permission. */
  private excluded(): string[] {
    const out = new Set(this.hidden);
    for (const [k, a] of Object.entries(this.access)) if (a !== 'editable') out.add(k);
    return [...out];
  }

  /**
   * Validate with the server's validator and rules. Returns the writable values (normalised; computed,
   * hidden and read-only fields left out) or the issues, which are shown on the fields. After a failed
   * validation every change validates again.
   */
  async validate(): Promise<{ ok: true; value: Record<string, unknown> } | { ok: false; issues: Issue[] }> {
    return this.validateWith(await loadValidation());
  }

  private validateWith({
    compileEntity,
    checkRules,
  }: Validation): { ok: true; value: Record<string, unknown> } | { ok: false; issues: Issue[] } {
    this.validated = true;
    const writable: Record<string, unknown> = {};
    for (const f of this.entity.fields) {
      if (getFieldType(f.type)?.computed) continue;
      if (Object.hasOwn(this.data, f.key) && this.data[f.key] !== undefined)
        writable[f.key] = this.data[f.key];
    }
    const excluded = this.excluded();
    const r = compileEntity(this.entity).validate(writable, { mode: 'create', hidden: excluded });
    const issues: Issue[] = r.ok ? [] : [...r.issues];
    const ruleIssues = checkRules(this.entity, this.computed, this.context).filter(
      (i) => !excluded.includes(i.field),
    );
    issues.push(...ruleIssues);
    this.clientIssues = issues;
    this.rebuildIssues();
    if (issues.length > 0 || !r.ok) return { ok: false, issues };
    return { ok: true, value: r.value };
  }

  // -------------------------------------------------------------------------------------------
  // Related records (lookups, data linkage)

  private async loadRelated(field: FieldDefinition, value: unknown, fill: boolean): Promise<void> {
    const seq = (this.relatedSeq.get(field.key) ?? 0) + 1;
    this.relatedSeq.set(field.key, seq);
    const target = field.target;
    let record: unknown = null;
    try {
      if (target && typeof value === 'string' && value !== '') {
        record = await this.services.getRecord(target, value);
      } else if (target && Array.isArray(value) && value.length > 0) {
        record = await Promise.all(value.map((id) => this.services.getRecord(target, String(id))));
      }
    } catch {
      record = null;
    }
    if (this.relatedSeq.get(field.key) !== seq) return;
    this.related.set(field.key, record);
    this.emit(`related:${field.key}`);
    if (fill && field.fill && field.fill.length > 0) {
      const single = record && !Array.isArray(record) ? (record as Record<string, unknown>) : null;
      const next = { ...this.data, ...this.logic.linkageValues(field, single) };
      this.update(next, 'linkage');
      this.opts.applyData?.(next);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Duplicate detection

  private scheduleDedupe(): void {
    const find = this.services.findDuplicates;
    if (!find) return;
    if (this.dedupeTimer) clearTimeout(this.dedupeTimer);
    this.dedupeTimer = setTimeout(() => void this.runDedupe(), this.opts.dedupeDelay ?? 400);
  }

  private async runDedupe(): Promise<void> {
    const find = this.services.findDuplicates;
    if (!find) return;
    const candidate: Record<string, unknown> = {};
    for (const f of this.entity.fields) {
      const v = this.data[f.key];
      if (f.dedupe && v !== undefined && v !== null && v !== '') candidate[f.key] = v;
    }
    const seq = ++this.dedupeSeq;
    let found: Record<string, unknown>[] = [];
    if (Object.keys(candidate).length > 0) {
      try {
        found = await find.call(this.services, this.entity.key, candidate);
      } catch {
        found = [];
      }
    }
    if (seq !== this.dedupeSeq) return;
    const own = this.opts.recordId;
    this.duplicates = found.filter((r) => own === undefined || r.id !== own);
    this.emit('duplicates');
  }

  dispose(): void {
    if (this.dedupeTimer) clearTimeout(this.dedupeTimer);
    this.listeners.clear();
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}

import {
  type EntityDefinition,
  FIELD_TYPE_NAMES,
  type FieldCategory,
  type FieldDefinition,
  type FieldTypeName,
  type FormSection,
  fieldTypes,
  getFieldType,
  type Issue,
  type Message,
  parseEntityDefinition,
} from '@formwork/metadata';
import { record, redo, undo } from '../history/index.js';

/**
 * The form designer's state as a pure model: a reducer over commands with undo/redo, no React. The UI
 * dispatches commands (drag, type, click) and renders the state; everything here is tested without a DOM.
 */

/** What the property panel edits. */
export type Selection =
  | { kind: 'entity' }
  | { kind: 'field'; key: string; child?: string }
  | { kind: 'section'; key: string };

export interface DesignerState {
  /** The draft being designed. */
  entity: EntityDefinition;
  /** The definition last saved (null: never saved), for the dirty check. */
  saved: EntityDefinition | null;
  selection: Selection;
  past: EntityDefinition[];
  future: EntityDefinition[];
  /** The coalescing key of the last change (typing into one input is one undo step). */
  lastGroup?: string;
}

/** Where a field sits on the canvas: a section (null: the fields without a section) and an index in it. */
export interface Place {
  section: string | null;
  index: number;
}

export type DesignerCommand =
  | { type: 'load'; entity: EntityDefinition; saved?: boolean }
  | { type: 'markSaved'; entity: EntityDefinition }
  | { type: 'select'; selection: Selection }
  | { type: 'updateEntity'; patch: Partial<Omit<EntityDefinition, 'fields'>>; group?: string }
  | {
      type: 'addField';
      fieldType: FieldTypeName;
      place?: Place;
      parent?: string;
      knownEntities?: EntityDefinition[];
    }
  | { type: 'updateField'; key: string; child?: string; patch: Partial<FieldDefinition>; group?: string }
  | { type: 'renameField'; key: string; child?: string; next: string }
  | { type: 'removeField'; key: string; child?: string }
  | { type: 'duplicateField'; key: string; child?: string }
  | { type: 'moveField'; key: string; to: Place }
  | { type: 'moveColumn'; parent: string; key: string; index: number }
  | { type: 'addSection'; label?: FormSection['label'] }
  | {
      type: 'updateSection';
      key: string;
      patch: Partial<Omit<FormSection, 'key' | 'fields'>>;
      group?: string;
    }
  | { type: 'removeSection'; key: string }
  | { type: 'moveSection'; key: string; index: number }
  | { type: 'undo' }
  | { type: 'redo' };

export function initialDesignerState(entity: EntityDefinition | null): DesignerState {
  const e = entity ? clone(entity) : blankEntity();
  return {
    entity: e,
    saved: entity ? clone(entity) : null,
    selection: e.fields[0] ? { kind: 'field', key: e.fields[0].key } : { kind: 'entity' },
    past: [],
    future: [],
  };
}

export function blankEntity(): EntityDefinition {
  return {
    key: 'new_form',
    label: { 'zh-CN': '新表单', en: 'New form' },
    fields: [{ key: 'title', type: 'text', label: { 'zh-CN': '标题', en: 'Title' } }],
  };
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

// ---------------------------------------------------------------------------------------------
// Queries

export const canUndo = (s: DesignerState): boolean => s.past.length > 0;
export const canRedo = (s: DesignerState): boolean => s.future.length > 0;
export const isDirty = (s: DesignerState): boolean =>
  s.saved === null || JSON.stringify(s.saved) !== JSON.stringify(s.entity);

/** The problems that block saving: the same parser the server runs (structure, keys, formulas, layout). */
export function designerProblems(entity: EntityDefinition): Issue[] {
  const r = parseEntityDefinition(entity);
  return r.ok ? [] : r.issues;
}

/** The issues of one field (and its columns), by the `fields.N…` path the parser reports. */
export function fieldProblems(
  entity: EntityDefinition,
  issues: Issue[],
  key: string,
  child?: string,
): Issue[] {
  const i = entity.fields.findIndex((f) => f.key === key);
  if (i < 0) return [];
  let prefix = `fields.${i}`;
  if (child !== undefined) {
    const j = (entity.fields[i]?.fields ?? []).findIndex((c) => c.key === child);
    if (j < 0) return [];
    prefix = `${prefix}.fields.${j}`;
  }
  return issues.filter((x) => x.field === prefix || x.field.startsWith(`${prefix}.`));
}

export function findField(
  entity: EntityDefinition,
  key: string,
  child?: string,
): FieldDefinition | undefined {
  const f = entity.fields.find((x) => x.key === key);
  if (!f || child === undefined) return f;
  return (f.fields ?? []).find((c) => c.key === child);
}

/** The field types of the palette, in the registry's order, by category. */
export function paletteGroups(): {
  category: FieldCategory;
  types: { name: FieldTypeName; label: Message }[];
}[] {
  const groups = new Map<FieldCategory, { name: FieldTypeName; label: Message }[]>();
  for (const name of FIELD_TYPE_NAMES) {
    const t = fieldTypes[name];
    if (t.category === 'system') continue;
    const list = groups.get(t.category) ?? [];
    list.push({ name, label: t.label });
    groups.set(t.category, list);
  }
  return [...groups.entries()].map(([category, types]) => ({ category, types }));
}

/** Types a subform column may have. */
export const SUBFORM_COLUMN_TYPES: readonly FieldTypeName[] = FIELD_TYPE_NAMES.filter(
  (n) => n !== 'subform' && n !== 'lookup' && n !== 'autoNumber',
);

/** The canvas: the fields without a section (in definition order), then each section's fields. */
export function canvasBlocks(
  entity: EntityDefinition,
): { section: FormSection | null; fields: FieldDefinition[] }[] {
  const sections = entity.layout?.sections ?? [];
  const byKey = new Map(entity.fields.map((f) => [f.key, f]));
  const placed = new Set(sections.flatMap((s) => s.fields));
  const loose = entity.fields.filter((f) => !placed.has(f.key));
  return [
    { section: null, fields: loose },
    ...sections.map((s) => ({
      section: s,
      fields: s.fields.map((k) => byKey.get(k)).filter((f): f is FieldDefinition => f !== undefined),
    })),
  ];
}

/** Where a field is on the canvas. */
export function placeOf(entity: EntityDefinition, key: string): Place | undefined {
  for (const b of canvasBlocks(entity)) {
    const index = b.fields.findIndex((f) => f.key === key);
    if (index >= 0) return { section: b.section?.key ?? null, index };
  }
  return undefined;
}

/** A key not yet used among `taken`: `text1`, `text2`… */
export function uniqueKey(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const clean = base.replace(/[^a-zA-Z0-9_]/g, '').replace(/^[^a-z]+/, '') || 'field';
  for (let n = 1; ; n++) {
    const k = `${clean}${n}`;
    if (!used.has(k)) return k;
  }
}

/** A new field of a type with what it needs to be valid (options, a target, columns…). */
export function newField(
  type: FieldTypeName,
  taken: Iterable<string>,
  ctx: { entity?: EntityDefinition; knownEntities?: EntityDefinition[] } = {},
): FieldDefinition {
  const t = fieldTypes[type];
  const key = uniqueKey(type.toLowerCase(), taken);
  const f: FieldDefinition = { key, type, label: { ...t.label } };
  switch (type) {
    case 'select':
    case 'multiSelect':
      f.options = [
        { value: 'a', label: { 'zh-CN': '选项一', en: 'Option 1' }, color: '#1677ff' },
        { value: 'b', label: { 'zh-CN': '选项二', en: 'Option 2' }, color: '#52c41a' },
      ];
      break;
    case 'relation': {
      const target = ctx.knownEntities?.find((e) => e.key !== ctx.entity?.key) ?? ctx.knownEntities?.[0];
      f.target = target?.key ?? 'customer';
      break;
    }
    case 'lookup': {
      const rel = ctx.entity?.fields.find((x) => x.type === 'relation');
      f.relation = rel?.key ?? 'relation1';
      const target = ctx.knownEntities?.find((e) => e.key === rel?.target);
      f.targetField = target?.fields[0]?.key ?? 'name';
      break;
    }
    case 'subform':
      f.fields = [{ key: 'item', type: 'text', label: { 'zh-CN': '名称', en: 'Name' } }];
      break;
    case 'formula':
      f.formula = '0';
      break;
    case 'autoNumber':
      f.pattern = 'NO-{yyyyMMdd}-{0000}';
      break;
    case 'rating':
      f.max = 5;
      break;
    case 'amount':
      f.precision = 2;
      break;
    default:
      break;
  }
  return f;
}

// ---------------------------------------------------------------------------------------------
// Reducer

function withLayout(entity: EntityDefinition, sections: FormSection[]): EntityDefinition {
  const out: EntityDefinition = { ...entity };
  if (sections.length === 0) delete out.layout;
  else out.layout = { sections };
  return out;
}

function sectionsOf(entity: EntityDefinition): FormSection[] {
  return (entity.layout?.sections ?? []).map((s) => ({ ...s, fields: [...s.fields] }));
}

function mapField(
  entity: EntityDefinition,
  key: string,
  child: string | undefined,
  fn: (f: FieldDefinition) => FieldDefinition,
): EntityDefinition {
  return {
    ...entity,
    fields: entity.fields.map((f) => {
      if (f.key !== key) return f;
      if (child === undefined) return fn(f);
      return { ...f, fields: (f.fields ?? []).map((c) => (c.key === child ? fn(c) : c)) };
    }),
  };
}

function applyPatch<T extends object>(obj: T, patch: Partial<T>): T {
  const out = { ...obj } as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out as T;
}

/** Remove a field from wherever it is placed (a section or the loose list), keeping the definition. */
function unplace(entity: EntityDefinition, key: string): EntityDefinition {
  const sections = sectionsOf(entity).map((s) => ({ ...s, fields: s.fields.filter((k) => k !== key) }));
  return withLayout(entity, sections);
}

/** Put a (defined) field at a place. */
function place(entity: EntityDefinition, key: string, to: Place): EntityDefinition {
  let e = unplace(entity, key);
  if (to.section !== null) {
    const sections = sectionsOf(e);
    const s = sections.find((x) => x.key === to.section);
    if (!s) return e;
    const i = Math.max(0, Math.min(to.index, s.fields.length));
    s.fields.splice(i, 0, key);
    return withLayout(e, sections);
  }
  // Loose fields are shown in definition order: move the definition before the loose field now at `index`.
  const field = e.fields.find((f) => f.key === key);
  if (!field) return e;
  const rest = e.fields.filter((f) => f.key !== key);
  e = { ...e, fields: rest };
  const loose = canvasBlocks(e)[0]?.fields ?? [];
  const anchor = loose[to.index];
  let at: number;
  if (anchor) at = rest.findIndex((f) => f.key === anchor.key);
  else {
    const last = loose[loose.length - 1];
    at = last ? rest.findIndex((f) => f.key === last.key) + 1 : 0;
  }
  const fields = [...rest];
  fields.splice(at, 0, field);
  return { ...e, fields };
}

/** Rename a field key and the references to it that are structure (not formula text). */
function renameRefs(entity: EntityDefinition, from: string, to: string): EntityDefinition {
  const sections = sectionsOf(entity).map((s) => ({
    ...s,
    fields: s.fields.map((k) => (k === from ? to : k)),
  }));
  let e = withLayout(entity, sections);
  e = {
    ...e,
    fields: e.fields.map((f) => {
      let g = f.key === from ? { ...f, key: to } : f;
      if (g.type === 'lookup' && g.relation === from) g = { ...g, relation: to };
      if (g.fill?.some((x) => x.to === from))
        g = { ...g, fill: g.fill.map((x) => (x.to === from ? { ...x, to } : x)) };
      return g;
    }),
  };
  if (e.titleField === from) e = { ...e, titleField: to };
  if (e.rules?.some((r) => r.field === from)) {
    e = { ...e, rules: e.rules.map((r) => (r.field === from ? { ...r, field: to } : r)) };
  }
  return e;
}

/** The entity after a command (selection and history are handled by `designerReducer`). */
function edit(
  state: DesignerState,
  cmd: DesignerCommand,
): { entity: EntityDefinition; selection?: Selection } | null {
  const e = state.entity;
  switch (cmd.type) {
    case 'updateEntity':
      return { entity: applyPatch(e, cmd.patch as Partial<EntityDefinition>) };
    case 'addField': {
      if (cmd.parent !== undefined) {
        const parent = e.fields.find((f) => f.key === cmd.parent);
        if (parent?.type !== 'subform' || !SUBFORM_COLUMN_TYPES.includes(cmd.fieldType)) return null;
        const col = newField(
          cmd.fieldType,
          (parent.fields ?? []).map((c) => c.key),
          {
            entity: e,
            ...(cmd.knownEntities ? { knownEntities: cmd.knownEntities } : {}),
          },
        );
        const fields = [...(parent.fields ?? [])];
        fields.splice(Math.min(cmd.place?.index ?? fields.length, fields.length), 0, col);
        return {
          entity: mapField(e, parent.key, undefined, (f) => ({ ...f, fields })),
          selection: { kind: 'field', key: parent.key, child: col.key },
        };
      }
      const f = newField(
        cmd.fieldType,
        e.fields.map((x) => x.key),
        { entity: e, ...(cmd.knownEntities ? { knownEntities: cmd.knownEntities } : {}) },
      );
      const withField = { ...e, fields: [...e.fields, f] };
      const to = cmd.place ?? { section: null, index: canvasBlocks(e)[0]?.fields.length ?? 0 };
      return { entity: place(withField, f.key, to), selection: { kind: 'field', key: f.key } };
    }
    case 'updateField': {
      if (!findField(e, cmd.key, cmd.child)) return null;
      return { entity: mapField(e, cmd.key, cmd.child, (f) => applyPatch(f, cmd.patch)) };
    }
    case 'renameField': {
      const f = findField(e, cmd.key, cmd.child);
      if (!f || cmd.next === cmd.key) return null;
      if (cmd.child !== undefined) {
        const parent = e.fields.find((x) => x.key === cmd.key);
        if ((parent?.fields ?? []).some((c) => c.key === cmd.next)) return null;
        return {
          entity: mapField(e, cmd.key, cmd.child, (c) => ({ ...c, key: cmd.next })),
          selection: { kind: 'field', key: cmd.key, child: cmd.next },
        };
      }
      if (e.fields.some((x) => x.key === cmd.next)) return null;
      return { entity: renameRefs(e, cmd.key, cmd.next), selection: { kind: 'field', key: cmd.next } };
    }
    case 'removeField': {
      if (!findField(e, cmd.key, cmd.child)) return null;
      if (cmd.child !== undefined) {
        return {
          entity: mapField(e, cmd.key, undefined, (f) => ({
            ...f,
            fields: (f.fields ?? []).filter((c) => c.key !== cmd.child),
          })),
          selection: { kind: 'field', key: cmd.key },
        };
      }
      const next = unplace({ ...e, fields: e.fields.filter((f) => f.key !== cmd.key) }, cmd.key);
      const out = next.titleField === cmd.key ? applyPatch(next, { titleField: undefined }) : next;
      const first = out.fields[0];
      return { entity: out, selection: first ? { kind: 'field', key: first.key } : { kind: 'entity' } };
    }
    case 'duplicateField': {
      const f = findField(e, cmd.key, cmd.child);
      if (!f) return null;
      if (cmd.child !== undefined) {
        const parent = e.fields.find((x) => x.key === cmd.key);
        const siblings = parent?.fields ?? [];
        const copy = {
          ...clone(f),
          key: uniqueKey(
            f.key.replace(/\d+$/, ''),
            siblings.map((c) => c.key),
          ),
        };
        const i = siblings.findIndex((c) => c.key === cmd.child);
        const fields = [...siblings];
        fields.splice(i + 1, 0, copy);
        return {
          entity: mapField(e, cmd.key, undefined, (x) => ({ ...x, fields })),
          selection: { kind: 'field', key: cmd.key, child: copy.key },
        };
      }
      const copy = {
        ...clone(f),
        key: uniqueKey(
          f.key.replace(/\d+$/, ''),
          e.fields.map((x) => x.key),
        ),
      };
      delete copy.unique;
      const i = e.fields.findIndex((x) => x.key === cmd.key);
      const fields = [...e.fields];
      fields.splice(i + 1, 0, copy);
      const at = placeOf(e, cmd.key);
      let next: EntityDefinition = { ...e, fields };
      if (at && at.section !== null)
        next = place(next, copy.key, { section: at.section, index: at.index + 1 });
      return { entity: next, selection: { kind: 'field', key: copy.key } };
    }
    case 'moveField': {
      if (!e.fields.some((f) => f.key === cmd.key)) return null;
      if (cmd.to.section !== null && !(e.layout?.sections ?? []).some((s) => s.key === cmd.to.section))
        return null;
      return { entity: place(e, cmd.key, cmd.to) };
    }
    case 'moveColumn': {
      const parent = e.fields.find((f) => f.key === cmd.parent);
      const cols = [...(parent?.fields ?? [])];
      const from = cols.findIndex((c) => c.key === cmd.key);
      if (!parent || from < 0) return null;
      const [col] = cols.splice(from, 1);
      cols.splice(Math.max(0, Math.min(cmd.index, cols.length)), 0, col as FieldDefinition);
      return { entity: mapField(e, parent.key, undefined, (f) => ({ ...f, fields: cols })) };
    }
    case 'addSection': {
      const sections = sectionsOf(e);
      const key = uniqueKey(
        'section',
        sections.map((s) => s.key),
      );
      sections.push({
        key,
        label: cmd.label ?? { 'zh-CN': `分组 ${sections.length + 1}`, en: `Section ${sections.length + 1}` },
        columns: 2,
        fields: [],
      });
      return { entity: withLayout(e, sections), selection: { kind: 'section', key } };
    }
    case 'updateSection': {
      const sections = sectionsOf(e);
      const i = sections.findIndex((s) => s.key === cmd.key);
      if (i < 0) return null;
      sections[i] = applyPatch(sections[i] as FormSection, cmd.patch as Partial<FormSection>);
      return { entity: withLayout(e, sections) };
    }
    case 'removeSection': {
      const sections = sectionsOf(e);
      const gone = sections.find((s) => s.key === cmd.key);
      if (!gone) return null;
      // Its fields join the fields without a section, after them, in the section's order.
      const moved = new Set(gone.fields);
      const fields = [
        ...e.fields.filter((f) => !moved.has(f.key)),
        ...gone.fields.map((k) => e.fields.find((f) => f.key === k)).filter((f): f is FieldDefinition => !!f),
      ];
      return {
        entity: withLayout(
          { ...e, fields },
          sections.filter((s) => s.key !== cmd.key),
        ),
        selection: { kind: 'entity' },
      };
    }
    case 'moveSection': {
      const sections = sectionsOf(e);
      const from = sections.findIndex((s) => s.key === cmd.key);
      if (from < 0) return null;
      const [s] = sections.splice(from, 1);
      sections.splice(Math.max(0, Math.min(cmd.index, sections.length)), 0, s as FormSection);
      return { entity: withLayout(e, sections) };
    }
    default:
      return null;
  }
}

function validSelection(entity: EntityDefinition, sel: Selection): Selection {
  if (sel.kind === 'field') {
    if (findField(entity, sel.key, sel.child)) return sel;
    if (sel.child !== undefined && findField(entity, sel.key)) return { kind: 'field', key: sel.key };
    return { kind: 'entity' };
  }
  if (sel.kind === 'section') {
    return (entity.layout?.sections ?? []).some((s) => s.key === sel.key) ? sel : { kind: 'entity' };
  }
  return sel;
}

/** The designer's reducer: every command that changes the draft is one undo step (typing coalesces). */
export function designerReducer(state: DesignerState, cmd: DesignerCommand): DesignerState {
  switch (cmd.type) {
    case 'load':
      return { ...initialDesignerState(cmd.entity), saved: cmd.saved === false ? null : clone(cmd.entity) };
    case 'markSaved':
      return { ...state, saved: clone(cmd.entity), lastGroup: undefined };
    case 'select':
      return { ...state, selection: validSelection(state.entity, cmd.selection), lastGroup: undefined };
    case 'undo':
    case 'redo': {
      const step = (cmd.type === 'undo' ? undo : redo)(state.entity, state);
      if (!step) return state;
      const { present, ...history } = step;
      return { ...state, ...history, entity: present, selection: validSelection(present, state.selection) };
    }
    default: {
      const r = edit(state, cmd);
      if (!r || JSON.stringify(r.entity) === JSON.stringify(state.entity)) return state;
      const group = 'group' in cmd && cmd.group !== undefined ? `${cmd.type}:${cmd.group}` : undefined;
      return {
        ...state,
        ...record(state.entity, state, group),
        entity: r.entity,
        selection: validSelection(r.entity, r.selection ?? state.selection),
      };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Drag and drop

/** What was dragged: a palette type or a canvas field (its key). */
export type DragSource = { palette: FieldTypeName } | { field: string };
/** Where it was dropped: on a canvas field, or on a block (a section, or null for the loose fields). */
export type DropTarget = { field: string } | { block: string | null };

/** The command a drop means: add the type there, or move the field there; null when nothing happens. */
export function dropCommand(
  entity: EntityDefinition,
  source: DragSource,
  target: DropTarget,
  knownEntities?: EntityDefinition[],
): DesignerCommand | null {
  let to: Place | undefined;
  if ('block' in target) {
    const block = canvasBlocks(entity).find((b) => (b.section?.key ?? null) === target.block);
    if (!block) return null;
    to = { section: target.block, index: block.fields.length };
    if ('field' in source) {
      const from = placeOf(entity, source.field);
      if (from && from.section === target.block)
        to = { section: target.block, index: block.fields.length - 1 };
    }
  } else {
    if ('field' in source && source.field === target.field) return null;
    to = placeOf(entity, target.field);
  }
  if (!to) return null;
  if ('palette' in source) {
    return {
      type: 'addField',
      fieldType: source.palette,
      place: to,
      ...(knownEntities ? { knownEntities } : {}),
    };
  }
  return { type: 'moveField', key: source.field, to };
}

// ---------------------------------------------------------------------------------------------
// Preview data

const SAMPLE_TEXT: Partial<Record<FieldTypeName, unknown>> = {
  text: '示例 Sample',
  longText: '第一行\nSecond line',
  richText: '<p><b>示例</b> sample</p>',
  phone: '13800138000',
  email: 'sample@example.com',
  url: 'https://example.com',
  number: 12,
  amount: 1234.5,
  percent: 12.5,
  rating: 4,
  boolean: true,
  tags: ['VIP'],
  location: { lat: 31.2304, lng: 121.4737, address: '上海市黄浦区' },
};

/** Sample values for the live preview: one plausible value per field, two subform rows. */
export function sampleRecord(entity: EntityDefinition, today: string): Record<string, unknown> {
  const value = (f: FieldDefinition): unknown => {
    if (getFieldType(f.type)?.computed) return undefined;
    if (f.type === 'select') return f.options?.[0]?.value;
    if (f.type === 'multiSelect') return f.options?.slice(0, 2).map((o) => o.value);
    if (f.type === 'date') return today;
    if (f.type === 'datetime') return `${today}T01:30:00.000Z`;
    if (f.type === 'subform') {
      return [0, 1].map((i) => {
        const row: Record<string, unknown> = { _id: `sample${i}` };
        for (const c of f.fields ?? []) {
          const v = value(c);
          if (v !== undefined) row[c.key] = typeof v === 'number' ? v + i : v;
        }
        return row;
      });
    }
    return SAMPLE_TEXT[f.type];
  };
  const out: Record<string, unknown> = {};
  for (const f of entity.fields) {
    const v = value(f);
    if (v !== undefined) out[f.key] = v;
  }
  return out;
}

import type { EntityDefinition } from '@formwork/metadata';
import { describe, expect, it } from 'vitest';
import {
  canRedo,
  canUndo,
  canvasBlocks,
  type DesignerCommand,
  type DesignerState,
  designerProblems,
  designerReducer,
  dropCommand,
  fieldProblems,
  initialDesignerState,
  isDirty,
  paletteGroups,
  placeOf,
  sampleRecord,
  uniqueKey,
} from './model.js';

const customer: EntityDefinition = {
  key: 'customer',
  label: { 'zh-CN': '客户', en: 'Customer' },
  fields: [
    { key: 'name', type: 'text', label: { 'zh-CN': '名称', en: 'Name' } },
    { key: 'phone', type: 'phone' },
  ],
};

function run(state: DesignerState, ...cmds: DesignerCommand[]): DesignerState {
  return cmds.reduce(designerReducer, state);
}

const keys = (s: DesignerState) => s.entity.fields.map((f) => f.key);

describe('designer model', () => {
  it('starts from a blank form that is valid and unsaved, or from a definition that is saved', () => {
    const blank = initialDesignerState(null);
    expect(designerProblems(blank.entity)).toEqual([]);
    expect(isDirty(blank)).toBe(true);
    const loaded = initialDesignerState(customer);
    expect(isDirty(loaded)).toBe(false);
    expect(loaded.selection).toEqual({ kind: 'field', key: 'name' });
  });

  it('adds a field of every palette type that the server parser accepts', () => {
    let s = initialDesignerState(customer);
    s = run(s, {
      type: 'addField',
      fieldType: 'relation',
      knownEntities: [customer, { ...customer, key: 'contact' }],
    });
    for (const g of paletteGroups()) {
      for (const t of g.types) s = run(s, { type: 'addField', fieldType: t.name, knownEntities: [customer] });
    }
    expect(s.entity.fields.length).toBe(2 + 1 + 27);
    expect(designerProblems(s.entity)).toEqual([]);
    expect(s.selection).toEqual({ kind: 'field', key: 'tags1' });
  });

  it('gives new fields unique keys and selects them', () => {
    const s = run(
      initialDesignerState(customer),
      { type: 'addField', fieldType: 'text' },
      { type: 'addField', fieldType: 'text' },
    );
    expect(keys(s)).toEqual(['name', 'phone', 'text1', 'text2']);
    expect(s.selection).toEqual({ kind: 'field', key: 'text2' });
    expect(uniqueKey('text', ['text1', 'text2'])).toBe('text3');
    expect(uniqueKey('9bad-key', [])).toBe('badkey1');
  });

  it('undoes and redoes every change, and a new change clears redo', () => {
    let s = run(
      initialDesignerState(customer),
      { type: 'addField', fieldType: 'number' },
      { type: 'removeField', key: 'name' },
    );
    expect(keys(s)).toEqual(['phone', 'number1']);
    s = run(s, { type: 'undo' });
    expect(keys(s)).toEqual(['name', 'phone', 'number1']);
    s = run(s, { type: 'undo' });
    expect(keys(s)).toEqual(['name', 'phone']);
    expect(canUndo(s)).toBe(false);
    s = run(s, { type: 'redo' });
    expect(keys(s)).toEqual(['name', 'phone', 'number1']);
    expect(canRedo(s)).toBe(true);
    s = run(s, { type: 'addField', fieldType: 'date' });
    expect(canRedo(s)).toBe(false);
  });

  it('makes typing into one property one undo step', () => {
    let s = initialDesignerState(customer);
    for (const label of ['C', 'Cu', 'Cus']) {
      s = run(s, {
        type: 'updateField',
        key: 'name',
        patch: { label: { 'zh-CN': '名称', en: label } },
        group: 'name.label.en',
      });
    }
    expect(s.past.length).toBe(1);
    s = run(s, { type: 'undo' });
    expect(s.entity.fields[0]?.label).toEqual({ 'zh-CN': '名称', en: 'Name' });
  });

  it('ignores commands that change nothing or name what does not exist', () => {
    const s = initialDesignerState(customer);
    expect(run(s, { type: 'removeField', key: 'nope' })).toBe(s);
    expect(run(s, { type: 'renameField', key: 'name', next: 'phone' })).toBe(s);
    expect(run(s, { type: 'moveField', key: 'name', to: { section: 'missing', index: 0 } })).toBe(s);
    expect(run(s, { type: 'updateField', key: 'name', patch: { type: 'text' } })).toBe(s);
  });

  it('removes a property when the patch sets it to undefined', () => {
    const s = run(
      initialDesignerState(customer),
      { type: 'updateField', key: 'name', patch: { required: true } },
      { type: 'updateField', key: 'name', patch: { required: undefined } },
    );
    expect(s.entity.fields[0]).not.toHaveProperty('required');
  });

  it('renames a key and the lookups, linkage, sections and title field that name it', () => {
    const order: EntityDefinition = {
      key: 'order',
      titleField: 'cust',
      layout: { sections: [{ key: 's1', fields: ['cust'] }] },
      fields: [
        { key: 'cust', type: 'relation', target: 'customer', fill: [{ from: 'phone', to: 'tel' }] },
        { key: 'custName', type: 'lookup', relation: 'cust', targetField: 'name' },
        { key: 'tel', type: 'phone' },
      ],
    };
    let s = run(initialDesignerState(order), { type: 'renameField', key: 'cust', next: 'customer' });
    expect(s.entity.titleField).toBe('customer');
    expect(s.entity.layout?.sections[0]?.fields).toEqual(['customer']);
    expect(s.entity.fields[1]?.relation).toBe('customer');
    s = run(s, { type: 'renameField', key: 'tel', next: 'phone' });
    expect(s.entity.fields[0]?.fill).toEqual([{ from: 'phone', to: 'phone' }]);
    expect(s.selection).toEqual({ kind: 'field', key: 'phone' });
    expect(designerProblems(s.entity)).toEqual([]);
  });

  it('groups fields into sections, moves them between sections and reorders', () => {
    let s = run(
      initialDesignerState(customer),
      { type: 'addField', fieldType: 'email' },
      { type: 'addSection' },
    );
    expect(s.selection).toEqual({ kind: 'section', key: 'section1' });
    s = run(s, { type: 'moveField', key: 'phone', to: { section: 'section1', index: 0 } });
    s = run(s, { type: 'moveField', key: 'name', to: { section: 'section1', index: 1 } });
    expect(canvasBlocks(s.entity).map((b) => b.fields.map((f) => f.key))).toEqual([
      ['email1'],
      ['phone', 'name'],
    ]);
    s = run(s, { type: 'moveField', key: 'name', to: { section: null, index: 0 } });
    expect(canvasBlocks(s.entity)[0]?.fields.map((f) => f.key)).toEqual(['name', 'email1']);
    expect(placeOf(s.entity, 'email1')).toEqual({ section: null, index: 1 });
    s = run(s, { type: 'removeSection', key: 'section1' });
    expect(s.entity.layout).toBeUndefined();
    expect(canvasBlocks(s.entity)[0]?.fields.map((f) => f.key)).toEqual(['name', 'email1', 'phone']);
    expect(designerProblems(s.entity)).toEqual([]);
  });

  it('adds new fields at a drop place inside a section', () => {
    let s = run(
      initialDesignerState(customer),
      { type: 'addSection' },
      { type: 'moveField', key: 'phone', to: { section: 'section1', index: 0 } },
    );
    s = run(s, { type: 'addField', fieldType: 'date', place: { section: 'section1', index: 0 } });
    expect(s.entity.layout?.sections[0]?.fields).toEqual(['date1', 'phone']);
    s = run(s, {
      type: 'updateSection',
      key: 'section1',
      patch: { columns: 3, label: { 'zh-CN': '联系', en: 'Contact' } },
    });
    expect(s.entity.layout?.sections[0]).toMatchObject({ columns: 3, label: { en: 'Contact' } });
    s = run(s, { type: 'addSection' }, { type: 'moveSection', key: 'section2', index: 0 });
    expect(s.entity.layout?.sections.map((x) => x.key)).toEqual(['section2', 'section1']);
  });

  it('edits subform columns: add, rename, reorder, duplicate and remove', () => {
    let s = run(initialDesignerState(customer), { type: 'addField', fieldType: 'subform' });
    s = run(s, { type: 'addField', fieldType: 'number', parent: 'subform1' });
    expect(s.selection).toEqual({ kind: 'field', key: 'subform1', child: 'number1' });
    s = run(s, { type: 'renameField', key: 'subform1', child: 'number1', next: 'qty' });
    s = run(s, { type: 'moveColumn', parent: 'subform1', key: 'qty', index: 0 });
    s = run(s, { type: 'duplicateField', key: 'subform1', child: 'qty' });
    const cols = () => s.entity.fields.find((f) => f.key === 'subform1')?.fields?.map((c) => c.key);
    expect(cols()).toEqual(['qty', 'qty1', 'item']);
    s = run(s, { type: 'removeField', key: 'subform1', child: 'qty1' });
    expect(cols()).toEqual(['qty', 'item']);
    expect(run(s, { type: 'addField', fieldType: 'subform', parent: 'subform1' })).toBe(s);
    expect(designerProblems(s.entity)).toEqual([]);
  });

  it('reports formula errors instantly on the field that has them', () => {
    const s = run(
      initialDesignerState(customer),
      { type: 'addField', fieldType: 'formula' },
      { type: 'updateField', key: 'formula1', patch: { formula: 'SUM(nope) +' } },
    );
    const issues = designerProblems(s.entity);
    const own = fieldProblems(s.entity, issues, 'formula1');
    expect(own.length).toBe(1);
    expect(own[0]?.field).toBe('fields.2.formula');
    expect(fieldProblems(s.entity, issues, 'name')).toEqual([]);
  });

  it('duplicates a field next to it without copying uniqueness', () => {
    const s = run(
      initialDesignerState(customer),
      { type: 'updateField', key: 'name', patch: { unique: true } },
      { type: 'duplicateField', key: 'name' },
    );
    expect(keys(s)).toEqual(['name', 'name1', 'phone']);
    expect(s.entity.fields[1]?.unique).toBeUndefined();
  });

  it('marks the draft saved and dirty again after a change', () => {
    let s = run(initialDesignerState(null), { type: 'markSaved', entity: initialDesignerState(null).entity });
    expect(isDirty(s)).toBe(false);
    s = run(s, { type: 'updateEntity', patch: { label: { 'zh-CN': '客户', en: 'Customers' } } });
    expect(isDirty(s)).toBe(true);
  });

  it('makes sample data for every field, with two subform rows', () => {
    const e: EntityDefinition = {
      key: 'x',
      fields: [
        { key: 's', type: 'select', options: [{ value: 'a' }] },
        { key: 'd', type: 'date' },
        { key: 'f', type: 'formula', formula: '1' },
        { key: 'rows', type: 'subform', fields: [{ key: 'n', type: 'number' }] },
      ],
    };
    const r = sampleRecord(e, '2026-11-23');
    expect(r).toEqual({
      s: 'a',
      d: '2026-11-23',
      rows: [
        { _id: 'sample0', n: 12 },
        { _id: 'sample1', n: 13 },
      ],
    });
  });
});

describe('drag and drop', () => {
  const withSection = () =>
    run(
      initialDesignerState(customer),
      { type: 'addSection' },
      { type: 'addField', fieldType: 'email' },
      { type: 'moveField', key: 'email1', to: { section: 'section1', index: 0 } },
    );

  it('adds a dragged palette type where it is dropped: on a field or at the end of a block', () => {
    const s = withSection();
    const onField = dropCommand(s.entity, { palette: 'date' }, { field: 'phone' });
    expect(onField).toEqual({ type: 'addField', fieldType: 'date', place: { section: null, index: 1 } });
    const onBlock = dropCommand(s.entity, { palette: 'date' }, { block: 'section1' });
    const after = run(s, onBlock as DesignerCommand);
    expect(after.entity.layout?.sections[0]?.fields).toEqual(['email1', 'date1']);
  });

  it('moves a dragged field onto another field, into another section, or to the end of its own block', () => {
    const s = withSection();
    const moved = run(s, dropCommand(s.entity, { field: 'name' }, { field: 'email1' }) as DesignerCommand);
    expect(canvasBlocks(moved.entity).map((b) => b.fields.map((f) => f.key))).toEqual([
      ['phone'],
      ['name', 'email1'],
    ]);
    const toEnd = run(s, dropCommand(s.entity, { field: 'name' }, { block: null }) as DesignerCommand);
    expect(canvasBlocks(toEnd.entity)[0]?.fields.map((f) => f.key)).toEqual(['phone', 'name']);
  });

  it('does nothing for a drop on itself or on an unknown block', () => {
    const s = withSection();
    expect(dropCommand(s.entity, { field: 'name' }, { field: 'name' })).toBeNull();
    expect(dropCommand(s.entity, { palette: 'text' }, { block: 'nope' })).toBeNull();
  });
});

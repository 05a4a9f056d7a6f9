import { describe, expect, it } from 'vitest';
import { classifyTypeChange, convertValue, diffEntity, type SchemaChange } from './diff-entity.js';
import type { EntityDefinition, FieldDefinition, FieldTypeName } from './types.js';

const current: EntityDefinition = {
  key: 'customer',
  label: 'Customer',
  fields: [
    { key: 'name', type: 'text', label: 'Name' },
    { key: 'grade', type: 'select', options: [{ value: 'A' }, { value: 'B' }, { value: 'C' }] },
    { key: 'score', type: 'text' },
    { key: 'old', type: 'text' },
    { key: 'amount', type: 'amount', max: 1000 },
    { key: 'contacts', type: 'relation', target: 'contact', multiple: true },
    { key: 'phone', type: 'phone' },
    {
      key: 'items',
      type: 'subform',
      fields: [
        { key: 'qty', type: 'number' },
        { key: 'sku', type: 'text' },
      ],
    },
  ],
};

function next(patch: (e: EntityDefinition) => void): EntityDefinition {
  const e = JSON.parse(JSON.stringify(current)) as EntityDefinition;
  patch(e);
  return e;
}
const field = (e: EntityDefinition, key: string) => e.fields.find((f) => f.key === key) as FieldDefinition;
const only = (e: EntityDefinition): SchemaChange => {
  const a = diffEntity(current, e);
  expect(a.changes).toHaveLength(1);
  return a.changes[0] as SchemaChange;
};

describe('diffEntity', () => {
  it('finds nothing between equal definitions', () => {
    expect(
      diffEntity(
        current,
        next(() => {}),
      ),
    ).toEqual({ changes: [], destructive: false });
  });

  it('classifies a label change as safe', () => {
    const c = only(
      next((e) => {
        field(e, 'name').label = 'Customer name';
      }),
    );
    expect(c).toMatchObject({ kind: 'renameLabel', field: 'name', classification: 'safe' });
    expect(c.message.en).toBe('Field label Name becomes Customer name');
  });

  it('classifies adding an optional field as safe and a required one as converting', () => {
    expect(
      only(
        next((e) => {
          e.fields.push({ key: 'x', type: 'text' });
        }),
      ),
    ).toMatchObject({ kind: 'addField', classification: 'safe' });
    expect(
      only(
        next((e) => {
          e.fields.push({ key: 'x', type: 'text', required: true });
        }),
      ),
    ).toMatchObject({
      kind: 'addField',
      classification: 'converting',
      affected: { field: 'x', op: 'isEmpty' },
      affectedOn: 'next',
    });
  });

  it('classifies removing a field as destructive, keeping its data hidden', () => {
    const a = diffEntity(
      current,
      next((e) => {
        e.fields = e.fields.filter((f) => f.key !== 'old');
      }),
    );
    expect(a.destructive).toBe(true);
    expect(a.changes[0]).toMatchObject({
      kind: 'removeField',
      field: 'old',
      classification: 'destructive',
      affected: { field: 'old', op: 'isNotEmpty' },
    });
    expect(a.changes[0]?.message.en).toMatch(/kept in the records but hidden/);
  });

  it('treats a changed key as a removal plus an addition', () => {
    const a = diffEntity(
      current,
      next((e) => {
        field(e, 'old').key = 'renamed';
      }),
    );
    expect(a.changes.map((c) => c.kind)).toEqual(['removeField', 'addField']);
    expect(a.destructive).toBe(true);
  });

  it('classifies type changes and asks for conversion', () => {
    expect(
      only(
        next((e) => {
          field(e, 'score').type = 'number';
        }),
      ),
    ).toMatchObject({
      kind: 'changeType',
      classification: 'converting',
      convert: { from: 'text', to: 'number' },
      affected: { field: 'score', op: 'isNotEmpty' },
    });
    expect(
      only(
        next((e) => {
          field(e, 'amount').type = 'text';
          delete field(e, 'amount').max;
        }),
      ).classification,
    ).toBe('safe');
  });

  it('classifies the conversion table', () => {
    const f = (type: FieldTypeName, extra: Partial<FieldDefinition> = {}): FieldDefinition => ({
      key: 'f',
      type,
      ...extra,
    });
    const table: Array<[FieldTypeName, FieldTypeName, string]> = [
      ['number', 'text', 'safe'],
      ['text', 'number', 'converting'],
      ['text', 'select', 'destructive'],
      ['select', 'multiSelect', 'safe'],
      ['multiSelect', 'select', 'destructive'],
      ['date', 'datetime', 'converting'],
      ['datetime', 'date', 'destructive'],
      ['text', 'phone', 'converting'],
      ['longText', 'text', 'converting'],
      ['text', 'formula', 'destructive'],
      ['member', 'department', 'destructive'],
      ['subform', 'text', 'destructive'],
      ['tags', 'text', 'converting'],
    ];
    for (const [from, to, cls] of table)
      expect(classifyTypeChange(f(from), f(to, { options: [{ value: 'A' }] })), `${from}→${to}`).toBe(cls);
  });

  it('classifies removed options as destructive with the affected values', () => {
    expect(
      only(
        next((e) => {
          field(e, 'grade').options = [{ value: 'A' }];
        }),
      ),
    ).toMatchObject({
      kind: 'changeOptions',
      classification: 'destructive',
      affected: { field: 'grade', op: 'in', value: ['B', 'C'] },
    });
    expect(
      only(
        next((e) => {
          field(e, 'grade').options?.push({ value: 'D' });
        }),
      ).classification,
    ).toBe('safe');
  });

  it('classifies multiple → single relation as destructive and single → multiple as safe', () => {
    expect(
      only(
        next((e) => {
          field(e, 'contacts').multiple = false;
        }),
      ),
    ).toMatchObject({ kind: 'changeRelation', classification: 'destructive' });
    const c: EntityDefinition = next((e) => {
      field(e, 'contacts').multiple = false;
    });
    expect(diffEntity(c, current).changes[0]?.classification).toBe('safe');
  });

  it('reports a lowered max with the records above it', () => {
    expect(
      only(
        next((e) => {
          field(e, 'amount').max = 500;
        }),
      ),
    ).toMatchObject({
      kind: 'changeConstraint',
      classification: 'converting',
      affected: { field: 'amount', op: 'gt', value: 500 },
    });
  });

  it('reports required added with the empty records', () => {
    expect(
      only(
        next((e) => {
          field(e, 'name').required = true;
        }),
      ),
    ).toMatchObject({
      kind: 'changeConstraint',
      classification: 'converting',
      affected: { field: 'name', op: 'isEmpty' },
    });
  });

  it('asks the store to count duplicates when unique is added', () => {
    expect(
      only(
        next((e) => {
          field(e, 'phone').unique = true;
        }),
      ),
    ).toMatchObject({ kind: 'changeUnique', check: 'duplicates', classification: 'converting' });
    expect(
      only(
        next((e) => {
          field(e, 'phone').indexed = true;
        }),
      ),
    ).toMatchObject({ kind: 'changeIndex', classification: 'safe' });
  });

  it('analyses subform columns', () => {
    const a = diffEntity(
      current,
      next((e) => {
        field(e, 'items').fields = [{ key: 'qty', type: 'text' }];
      }),
    );
    expect(a.changes.map((c) => [c.kind, c.field, c.classification])).toEqual([
      ['changeType', 'items.qty', 'safe'],
      ['changeSubform', 'items.sku', 'destructive'],
    ]);
    expect(a.changes[1]).toMatchObject({
      affected: { field: 'items', op: 'isNotEmpty' },
      convert: { from: 'subform', to: 'subform' },
    });
  });

  it('reports entity-level and order changes as safe', () => {
    const a = diffEntity(
      current,
      next((e) => {
        e.label = 'Client';
        e.fields.reverse();
      }),
    );
    expect(a.changes.map((c) => c.kind).sort()).toEqual(['changeEntity', 'reorderFields']);
    expect(a.destructive).toBe(false);
  });
});

describe('convertValue', () => {
  const f = (type: FieldTypeName, extra: Partial<FieldDefinition> = {}): FieldDefinition => ({
    key: 'f',
    type,
    ...extra,
  });

  it('parses numbers from text and fails on the rest', () => {
    expect(convertValue('12.5', f('text'), f('number'))).toEqual({ ok: true, value: 12.5 });
    expect(convertValue('1,234.567', f('text'), f('amount'))).toEqual({ ok: true, value: 1234.57 });
    expect(convertValue('many', f('text'), f('number'))).toEqual({ ok: false });
  });

  it('writes numbers, dates and lists as text', () => {
    expect(convertValue(12.5, f('number'), f('text'))).toEqual({ ok: true, value: '12.5' });
    expect(convertValue(['a', 'b'], f('tags'), f('text'))).toEqual({ ok: true, value: 'a, b' });
  });

  it('keeps only option values when narrowing to a select', () => {
    const sel = f('select', { options: [{ value: 'A' }] });
    expect(convertValue('A', f('text'), sel)).toEqual({ ok: true, value: 'A' });
    expect(convertValue('Z', f('text'), sel)).toEqual({ ok: false });
    expect(
      convertValue(['A', 'B'], f('multiSelect', { options: [{ value: 'A' }, { value: 'B' }] }), sel),
    ).toEqual({ ok: true, value: 'A' });
  });

  it('wraps single values into lists and keeps the first of a list', () => {
    const multi = f('multiSelect', { options: [{ value: 'A' }] });
    expect(convertValue('A', f('select', { options: [{ value: 'A' }] }), multi)).toEqual({
      ok: true,
      value: ['A'],
    });
    const id = '0190f5d2-7c3a-7cde-8a1b-0123456789ab';
    expect(
      convertValue([id], f('relation', { target: 'c', multiple: true }), f('relation', { target: 'c' })),
    ).toEqual({ ok: true, value: id });
    expect(convertValue(id, f('relation', { target: 'c' }), f('relation', { target: 'd' }))).toEqual({
      ok: false,
    });
  });

  it('converts dates and datetimes', () => {
    expect(convertValue('2026-11-23', f('date'), f('datetime'))).toEqual({
      ok: true,
      value: '2026-11-23T00:00:00.000Z',
    });
    expect(convertValue('2026-11-23T10:00:00.000Z', f('datetime'), f('date'))).toEqual({
      ok: true,
      value: '2026-11-23',
    });
  });

  it('rewrites subform rows column by column and drops removed columns', () => {
    const from = f('subform', {
      fields: [
        { key: 'qty', type: 'text' },
        { key: 'sku', type: 'text' },
      ],
    });
    const to = f('subform', { fields: [{ key: 'qty', type: 'number' }] });
    expect(convertValue([{ _id: 'r1', qty: '2', sku: 'x' }, { qty: 'two' }], from, to)).toEqual({
      ok: true,
      value: [{ _id: 'r1', qty: 2 }, { qty: null }],
    });
  });

  it('keeps null as null and never throws', () => {
    expect(convertValue(null, f('text'), f('number'))).toEqual({ ok: true, value: null });
    expect(convertValue({ weird: true }, f('location'), f('number'))).toEqual({ ok: false });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSort } from './filter.js';
import { validateFilter } from './filter-validate.js';
import type { EntityDefinition, FilterNode } from './types.js';

const U1 = '0190f5d2-7c3a-7cde-8a1b-0123456789ab';
const entity: EntityDefinition = {
  key: 'deal',
  fields: [
    { key: 'name', type: 'text', label: { 'zh-CN': '名称', en: 'Name' } },
    { key: 'phone', type: 'phone' },
    { key: 'amount', type: 'amount' },
    { key: 'closeDate', type: 'date' },
    { key: 'grade', type: 'select', options: [{ value: 'A' }, { value: 'B' }] },
    { key: 'tags', type: 'tags' },
    { key: 'won', type: 'boolean' },
    { key: 'owner', type: 'member' },
    { key: 'items', type: 'subform', fields: [{ key: 'qty', type: 'number' }] },
    { key: 'notes', type: 'longText' },
  ],
};

const ok = (input: unknown): FilterNode => {
  const r = validateFilter(entity, input);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
};
const bad = (input: unknown) => {
  const r = validateFilter(entity, input);
  expect(r.ok).toBe(false);
  return r.ok ? undefined : r.issues[0];
};

describe('validateFilter', () => {
  it('accepts every operator on a field type that supports it', () => {
    const leaves: FilterNode[] = [
      { field: 'name', op: 'eq', value: 'x' },
      { field: 'name', op: 'ne', value: 'x' },
      { field: 'grade', op: 'in', value: ['A', 'B'] },
      { field: 'grade', op: 'nin', value: ['A'] },
      { field: 'amount', op: 'gt', value: 1 },
      { field: 'amount', op: 'gte', value: 1 },
      { field: 'amount', op: 'lt', value: 1 },
      { field: 'amount', op: 'lte', value: 1 },
      { field: 'amount', op: 'between', value: [1, 2] },
      { field: 'name', op: 'contains', value: 'ac' },
      { field: 'name', op: 'startsWith', value: 'ac' },
      { field: 'name', op: 'isEmpty' },
      { field: 'name', op: 'isNotEmpty' },
      { field: 'closeDate', op: 'period', value: 'thisQuarter' },
      { field: 'createdAt', op: 'period', value: 'lastNDays:30' },
      { field: 'tags', op: 'contains', value: 'vip' },
      { field: 'won', op: 'eq', value: true },
      { field: 'owner', op: 'eq', value: U1 },
      { field: 'items', op: 'isNotEmpty' },
      { field: 'id', op: 'in', value: [U1] },
    ];
    expect(ok({ and: leaves })).toEqual({ and: leaves });
  });

  it('accepts nested and/or/not', () => {
    const f = {
      or: [
        { not: { field: 'grade', op: 'eq', value: 'A' } },
        { and: [{ field: 'won', op: 'eq', value: false }] },
      ],
    };
    expect(ok(f)).toEqual(f);
  });

  it('normalises operands by the field type', () => {
    expect(ok({ field: 'phone', op: 'eq', value: '+86 138-0013-8000' })).toEqual({
      field: 'phone',
      op: 'eq',
      value: '13800138000',
    });
    expect(ok({ field: 'amount', op: 'between', value: ['1.005', 2] })).toEqual({
      field: 'amount',
      op: 'between',
      value: [1.01, 2],
    });
    expect(ok({ field: 'createdAt', op: 'gte', value: '2026-11-23T08:00:00+08:00' })).toEqual({
      field: 'createdAt',
      op: 'gte',
      value: '2026-11-23T00:00:00.000Z',
    });
  });

  it('refuses an unknown field', () => {
    expect(bad({ field: 'nope', op: 'eq', value: 1 })).toMatchObject({
      field: 'field',
      code: 'unknownField',
    });
    expect(bad({ field: '__proto__', op: 'eq', value: 1 })?.code).toBe('unknownField');
  });

  it('refuses an unknown operator and one the field does not support', () => {
    expect(bad({ field: 'name', op: 'like', value: 'x' })).toMatchObject({
      field: 'op',
      code: 'unknownOperator',
    });
    expect(bad({ field: 'items', op: 'eq', value: 1 })).toMatchObject({ code: 'operatorNotAllowed' });
    expect(bad({ field: 'won', op: 'gt', value: true })?.code).toBe('operatorNotAllowed');
    expect(bad({ field: 'notes', op: 'eq', value: 'x' })?.code).toBe('operatorNotAllowed');
    expect(bad({ field: 'amount', op: 'period', value: 'today' })?.code).toBe('operatorNotAllowed');
  });

  it('refuses values of the wrong type or shape', () => {
    const cases: unknown[] = [
      { field: 'amount', op: 'eq', value: 'lots' },
      { field: 'amount', op: 'eq', value: null },
      { field: 'amount', op: 'eq', value: [1] },
      { field: 'grade', op: 'eq', value: 'Z' },
      { field: 'grade', op: 'in', value: 'A' },
      { field: 'grade', op: 'in', value: [] },
      { field: 'amount', op: 'between', value: [1] },
      { field: 'amount', op: 'between', value: [1, 2, 3] },
      { field: 'name', op: 'isEmpty', value: 'x' },
      { field: 'closeDate', op: 'period', value: 'nextWeek' },
      { field: 'closeDate', op: 'period', value: 'lastNDays:0' },
      { field: 'closeDate', op: 'period', value: 'lastNDays:3651' },
      { field: 'closeDate', op: 'eq', value: '2023-02-29' },
      { field: 'name', op: 'contains', value: '' },
      { field: 'owner', op: 'eq', value: "1' OR '1'='1" },
    ];
    for (const c of cases) expect(bad(c)?.code, JSON.stringify(c)).toBe('invalidValue');
  });

  it('keeps SQL-looking text as a plain operand', () => {
    expect(ok({ field: 'name', op: 'eq', value: "x'; DROP TABLE users; --" })).toMatchObject({
      value: "x'; DROP TABLE users; --",
    });
  });

  it('refuses malformed nodes', () => {
    for (const c of [
      null,
      [],
      'x',
      { and: [] },
      { and: 'x' },
      { and: [], or: [] },
      { field: 'name', op: 'eq', value: 1, extra: 1 },
      { op: 'eq' },
    ]) {
      expect(bad(c)?.code, JSON.stringify(c)).toBe('invalidFilter');
    }
  });

  it('refuses filters nested deeper than 8 levels', () => {
    let f: unknown = { field: 'name', op: 'isEmpty' };
    for (let i = 0; i < 7; i++) f = { not: f };
    expect(validateFilter(entity, f).ok).toBe(true);
    expect(bad({ not: f })?.code).toBe('tooDeep');
  });

  it('refuses more than 100 conditions', () => {
    const leaf = { field: 'name', op: 'isEmpty' };
    expect(validateFilter(entity, { or: Array(100).fill(leaf) }).ok).toBe(true);
    expect(bad({ or: Array(101).fill(leaf) })?.code).toBe('tooManyConditions');
  });

  it('names the path of a bad condition', () => {
    expect(
      bad({ and: [{ field: 'name', op: 'isEmpty' }, { or: [{ field: 'x', op: 'eq', value: 1 }] }] })?.field,
    ).toBe('and.1.or.0.field');
  });

  it('never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(typeof validateFilter(entity, v).ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseSort', () => {
  it('parses directions and keeps the order', () => {
    expect(parseSort(entity, '-amount,name')).toEqual({
      ok: true,
      value: [
        { field: 'amount', direction: 'desc' },
        { field: 'name', direction: 'asc' },
      ],
    });
    expect(parseSort(entity, '+createdAt')).toEqual({
      ok: true,
      value: [{ field: 'createdAt', direction: 'asc' }],
    });
    expect(parseSort(entity, '')).toEqual({ ok: true, value: [] });
  });

  it('refuses unknown, unsortable, repeated and too many keys', () => {
    const code = (s: unknown) => {
      const r = parseSort(entity, s);
      return r.ok ? undefined : r.issues[0]?.code;
    };
    expect(code('nope')).toBe('unknownField');
    expect(code('items')).toBe('notSortable');
    expect(code('tags')).toBe('notSortable');
    expect(code('name,-name')).toBe('duplicateSortKey');
    expect(code('name,amount,closeDate,grade')).toBe('tooManySortKeys');
    expect(code('-')).toBe('unknownField');
    expect(code(42)).toBe('invalidSort');
  });

  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(typeof parseSort(entity, s).ok).toBe('boolean');
      }),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEntityDefinition } from './parse-definition.js';

const base = {
  key: 'customer',
  label: { 'zh-CN': '客户', en: 'Customer' },
  fields: [
    {
      key: 'name',
      type: 'text',
      label: { 'zh-CN': '客户名称', en: 'Customer name' },
      required: true,
      indexed: true,
    },
    { key: 'phone', type: 'phone', unique: true, dedupe: true },
    { key: 'grade', type: 'select', options: [{ value: 'A' }, { value: 'B' }, { value: 'C' }] },
    {
      key: 'items',
      type: 'subform',
      fields: [
        { key: 'qty', type: 'number' },
        { key: 'price', type: 'amount' },
        { key: 'amount', type: 'formula', formula: 'qty * price' },
      ],
    },
    { key: 'total', type: 'formula', formula: 'SUM(items.amount)' },
    { key: 'owner', type: 'member' },
    { key: 'contact', type: 'relation', target: 'contact', multiple: false },
    { key: 'contactName', type: 'lookup', relation: 'contact', targetField: 'name' },
    { key: 'no', type: 'autoNumber', pattern: 'KH-{yyyyMM}-{0000}' },
  ],
  rules: [{ key: 'positive', formula: 'total >= 0', message: '合计不能为负', field: 'total' }],
  titleField: 'name',
};

type Def = typeof base & Record<string, unknown>;
const clone = (): Def => JSON.parse(JSON.stringify(base));
function withField(i: number, patch: Record<string, unknown>): Def {
  const d = clone();
  (d.fields as unknown[])[i] = { ...(d.fields[i] as object), ...patch };
  return d;
}
function firstIssue(input: unknown) {
  const r = parseEntityDefinition(input);
  expect(r.ok).toBe(false);
  return r.ok ? undefined : r.issues[0];
}

describe('parseEntityDefinition', () => {
  it('accepts the contract example and returns a copy', () => {
    const input = clone();
    const r = parseEntityDefinition(input);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value).toEqual(input);
      expect(r.value).not.toBe(input);
    }
  });

  it('refuses a non-object', () => {
    for (const v of [null, 1, 'x', []]) expect(firstIssue(v)?.code).toBe('type');
  });

  it('refuses an invalid entity key', () => {
    expect(firstIssue({ ...clone(), key: 'Customer' })).toMatchObject({ field: 'key', code: 'invalidKey' });
    expect(firstIssue({ ...clone(), key: `a${'b'.repeat(48)}` })?.code).toBe('invalidKey');
  });

  it('refuses an invalid field key with its path', () => {
    expect(firstIssue(withField(1, { key: '1phone' }))).toMatchObject({
      field: 'fields.1.key',
      code: 'invalidKey',
    });
  });

  it('refuses duplicate field keys', () => {
    expect(firstIssue(withField(1, { key: 'name', type: 'text', unique: false }))).toMatchObject({
      field: 'fields.1.key',
      code: 'duplicateKey',
    });
  });

  it('refuses reserved field keys', () => {
    for (const key of ['id', 'createdAt', 'version', 'deletedAt', 'constructor', 'prototype']) {
      const i = firstIssue(withField(5, { key }));
      expect(i, key).toMatchObject({ field: 'fields.5.key', code: 'reservedKey' });
    }
  });

  it('refuses __proto__ anywhere in the definition', () => {
    const d = JSON.parse('{"key":"x","fields":[{"key":"a","type":"text","ui":{"__proto__":{"x":1}}}]}');
    expect(firstIssue(d)).toMatchObject({ field: 'fields.0.ui.__proto__', code: 'forbiddenKey' });
  });

  it('refuses unknown properties on the entity and on fields', () => {
    expect(firstIssue({ ...clone(), color: 'red' })).toMatchObject({
      field: 'color',
      code: 'unknownProperty',
    });
    expect(firstIssue(withField(0, { options: [{ value: 'A' }] }))).toMatchObject({
      field: 'fields.0.options',
      code: 'unknownProperty',
    });
  });

  it('refuses an unknown field type', () => {
    expect(firstIssue(withField(0, { type: 'colour' }))).toMatchObject({
      field: 'fields.0.type',
      code: 'unknownType',
    });
  });

  it('requires non-empty, unique select options', () => {
    expect(firstIssue(withField(2, { options: [] }))).toMatchObject({
      field: 'fields.2.options',
      code: 'minItems',
    });
    expect(firstIssue(withField(2, { options: undefined }))).toMatchObject({
      field: 'fields.2.options',
      code: 'required',
    });
    expect(firstIssue(withField(2, { options: [{ value: 'A' }, { value: 'A' }] }))).toMatchObject({
      field: 'fields.2.options.1.value',
      code: 'duplicateOption',
    });
  });

  it('requires a relation target, a lookup relation + targetField, an autoNumber pattern and a formula', () => {
    expect(firstIssue(withField(6, { target: undefined }))).toMatchObject({
      field: 'fields.6.target',
      code: 'required',
    });
    expect(firstIssue(withField(7, { targetField: undefined }))).toMatchObject({
      field: 'fields.7.targetField',
      code: 'required',
    });
    expect(firstIssue(withField(8, { pattern: undefined }))).toMatchObject({
      field: 'fields.8.pattern',
      code: 'required',
    });
    expect(firstIssue(withField(4, { formula: undefined }))).toMatchObject({
      field: 'fields.4.formula',
      code: 'required',
    });
  });

  it('checks that a lookup names a relation field of the entity', () => {
    expect(firstIssue(withField(7, { relation: 'owner' }))).toMatchObject({
      field: 'fields.7.relation',
      code: 'unknownRelation',
    });
  });

  it('refuses an invalid autoNumber pattern', () => {
    expect(firstIssue(withField(8, { pattern: 'KH-{yyyy}' }))).toMatchObject({
      field: 'fields.8.pattern',
      code: 'pattern',
    });
    expect(firstIssue(withField(8, { pattern: 'KH-{hh}-{000}' }))?.code).toBe('pattern');
  });

  it('refuses invalid or catastrophic text patterns', () => {
    expect(firstIssue(withField(0, { pattern: '([a-z' }))).toMatchObject({
      field: 'fields.0.pattern',
      code: 'pattern',
    });
    expect(firstIssue(withField(0, { pattern: '^(a+)+$' }))).toMatchObject({
      field: 'fields.0.pattern',
      code: 'pattern',
    });
  });

  it('refuses nested subforms and subform columns that cannot live in a row', () => {
    const d = clone();
    (d.fields[3] as { fields: unknown[] }).fields.push({
      key: 'inner',
      type: 'subform',
      fields: [{ key: 'x', type: 'text' }],
    });
    expect(firstIssue(d)).toMatchObject({ field: 'fields.3.fields.3.type', code: 'notInSubform' });
  });

  it('checks subform column keys are unique', () => {
    const d = clone();
    (d.fields[3] as { fields: unknown[] }).fields.push({ key: 'qty', type: 'text' });
    expect(firstIssue(d)).toMatchObject({ field: 'fields.3.fields.3.key', code: 'duplicateKey' });
  });

  it('allows unique/indexed only on indexable types', () => {
    expect(firstIssue(withField(3, { indexed: true }))).toMatchObject({
      field: 'fields.3.indexed',
      code: 'notIndexable',
    });
    expect(firstIssue(withField(6, { unique: true, multiple: true }))).toMatchObject({
      field: 'fields.6.unique',
      code: 'notIndexable',
    });
  });

  it('checks the title field exists', () => {
    expect(firstIssue({ ...clone(), titleField: 'nope' })).toMatchObject({
      field: 'titleField',
      code: 'unknownField',
    });
  });

  it('checks rule keys are unique and rule fields exist', () => {
    const d = clone();
    d.rules.push({ key: 'positive', formula: 'TRUE', message: 'x', field: 'total' });
    expect(firstIssue(d)).toMatchObject({ field: 'rules.1.key', code: 'duplicateKey' });
    const e = clone();
    e.rules[0]!.field = 'nope';
    expect(firstIssue(e)).toMatchObject({ field: 'rules.0.field', code: 'unknownField' });
  });

  it('refuses min > max', () => {
    expect(firstIssue(withField(5, { key: 'n', type: 'number', min: 5, max: 1 }))).toMatchObject({
      field: 'fields.5.min',
      code: 'invalidRange',
    });
  });

  it('gives bilingual messages', () => {
    const i = firstIssue(withField(0, { type: 'colour' }));
    expect(i?.message).toEqual({ 'zh-CN': '未知的字段类型 colour', en: 'Unknown field type colour' });
  });

  it('never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const r = parseEntityDefinition(v);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on mutated definitions', () => {
    const field = fc.record(
      {
        key: fc.oneof(fc.constantFrom('a', 'name', 'id', '__proto__', ''), fc.string()),
        type: fc.oneof(
          fc.constantFrom('text', 'select', 'subform', 'lookup', 'formula', 'relation'),
          fc.string(),
        ),
        options: fc.jsonValue(),
        fields: fc.jsonValue(),
        formula: fc.jsonValue(),
        relation: fc.jsonValue(),
        target: fc.jsonValue(),
        required: fc.jsonValue(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(field, { maxLength: 6 }), (fields) => {
        const r = parseEntityDefinition({ key: 'x', fields });
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import type { FieldTypeName } from '../types.js';
import { type FieldTypeCases, runFieldTypeContract } from './contract.js';
import { FIELD_TYPE_NAMES, fieldTypes, systemFields } from './index.js';

const U1 = '0190f5d2-7c3a-7cde-8a1b-0123456789ab';
const U2 = '0190f5d2-7c3a-7cde-8a1b-0123456789ac';
const options = [{ value: 'A' }, { value: 'B' }, { value: 'C' }];
const file = { id: 'f1', name: 'a.pdf', size: 1024, type: 'application/pdf' };
const png = { id: 'i1', name: 'a.png', size: 10, type: 'image/png', url: 'https://cdn.example.com/a.png' };

/** One entry per type: adding a type without cases does not compile. */
const cases: Record<FieldTypeName, FieldTypeCases> = {
  text: {
    field: { maxLength: 10 },
    valid: ['hello', '  padded  ', '客户'],
    invalid: [
      [42, 'type'],
      ['x'.repeat(11), 'maxLength'],
      [{}, 'type'],
    ],
    normalise: [
      ['  a b  ', 'a b'],
      ['   ', null],
      ['', null],
    ],
    dedupe: [
      ['ＡＢＣ１２３', 'abc123'],
      ['  Foo　　Bar ', 'foo bar'],
    ],
  },
  longText: {
    valid: ['line 1\nline 2'],
    invalid: [
      [true, 'type'],
      ['x'.repeat(100_001), 'maxLength'],
    ],
    normalise: [['\n text \n', 'text']],
  },
  richText: {
    valid: ['<p>Hello <b>world</b></p>'],
    invalid: [[1, 'type']],
  },
  number: {
    field: { min: 0, max: 100, precision: 1 },
    valid: [0, 12.5, '42', ' 99.9 '],
    invalid: [
      ['abc', 'type'],
      [-1, 'minimum'],
      [101, 'maximum'],
      [[1], 'type'],
    ],
    normalise: [
      ['12.34', 12.3],
      [12.35, 12.4],
      ['１２', 12],
    ],
    dedupe: [[12.5, '12.5']],
  },
  amount: {
    valid: [0.1 + 0.2, '1,234.50', '¥99'],
    invalid: [
      ['12abc', 'type'],
      [Number.NaN, 'type'],
    ],
    normalise: [
      [0.1 + 0.2, 0.3],
      [1.005, 1.01],
      ['1,234.567', 1234.57],
      [-0.001, 0],
    ],
  },
  percent: {
    valid: [12.5, '12.5%'],
    invalid: [['%', 'type']],
    normalise: [['12.5%', 12.5]],
  },
  date: {
    valid: ['2024-02-29', '2026/1/5'],
    invalid: [
      ['2023-02-29', 'format'],
      ['2026-13-01', 'format'],
      ['tomorrow', 'format'],
      [20260101, 'type'],
    ],
    normalise: [
      ['2026/1/5', '2026-01-05'],
      [' 2026-11-23 ', '2026-11-23'],
    ],
    dedupe: [['2026-11-23', '2026-11-23']],
  },
  datetime: {
    valid: ['2026-11-23T10:00:00+08:00', '2026-11-23T02:00:00Z', 1700000000000],
    invalid: [
      ['2026-11-23T10:00:00', 'format'],
      ['2026-02-30T10:00:00Z', 'format'],
      ['soon', 'format'],
      [true, 'type'],
    ],
    normalise: [
      ['2026-11-23T10:00:00+08:00', '2026-11-23T02:00:00.000Z'],
      ['2026-11-23 10:00:00.5Z', '2026-11-23T10:00:00.500Z'],
    ],
  },
  select: {
    field: { options },
    valid: ['A', ' B '],
    invalid: [
      ['D', 'enum'],
      [1, 'type'],
      [['A'], 'type'],
    ],
    dedupe: [['A', 'a']],
  },
  multiSelect: {
    field: { options, max: 2 },
    valid: [['A', 'B'], 'C', []],
    invalid: [
      [['A', 'D'], 'enum'],
      [['A', 'B', 'C'], 'maxItems'],
      [5, 'type'],
    ],
    normalise: [
      [
        ['A', 'A', 'B'],
        ['A', 'B'],
      ],
      ['A', ['A']],
    ],
    dedupe: [[['B', 'A'], 'a\u001fb']],
  },
  boolean: {
    valid: [true, false, 'true'],
    invalid: [
      ['yes', 'type'],
      [1, 'type'],
    ],
    normalise: [['FALSE', false]],
  },
  member: {
    valid: [U1, U1.toUpperCase()],
    invalid: [
      ['bob', 'format'],
      [1, 'type'],
    ],
    normalise: [[` ${U1.toUpperCase()} `, U1]],
  },
  department: {
    valid: [U2],
    invalid: [['sales', 'format']],
  },
  phone: {
    valid: ['13800138000', '+86 138-0013-8000', '010-12345678', '+1 (415) 555-0100'],
    invalid: [
      ['call me', 'format'],
      ['12', 'format'],
      [13800138000, 'type'],
    ],
    normalise: [
      ['+86 138-0013-8000', '13800138000'],
      ['0086 13800138000', '13800138000'],
      ['１３８００１３８０００', '13800138000'],
      ['+1 (415) 555-0100', '+14155550100'],
    ],
    dedupe: [
      ['+86 138-0013-8000', '13800138000'],
      ['8613800138000', '13800138000'],
      ['010-1234 5678', '01012345678'],
    ],
  },
  email: {
    valid: ['Li.Lei@Example.COM'],
    invalid: [
      ['not-an-email', 'format'],
      ['a@', 'format'],
    ],
    normalise: [
      [' Li.Lei@Example.COM ', 'Li.Lei@example.com'],
      ['ａ＠ｂ．ｃｎ', 'a@b.cn'],
    ],
    dedupe: [['Li.Lei@Example.COM', 'li.lei@example.com']],
  },
  url: {
    valid: ['https://example.com/a?b=1', 'http://例子.cn'.replace('例子', 'xn--fsqu00a')],
    invalid: [
      ['javascript:alert(1)', 'format'],
      ['ftp://x.org/file', 'format'],
      ['not a url', 'format'],
    ],
  },
  autoNumber: {
    field: { pattern: 'HT-{yyyyMMdd}-{0000}' },
    valid: ['HT-20261123-0001'],
    invalid: [['HT-1', 'computedField']],
  },
  formula: {
    field: { formula: 'qty * price' },
    valid: [12.5, 'text', true],
    invalid: [[1, 'computedField']],
  },
  relation: {
    field: { target: 'contact', multiple: true, max: 2 },
    valid: [[U1, U2], U1, []],
    invalid: [
      [['x'], 'format'],
      [[U1, U2, '0190f5d2-7c3a-7cde-8a1b-0123456789ad'], 'maxItems'],
      [42, 'type'],
    ],
    normalise: [
      [U1, [U1]],
      [[U1, U1.toUpperCase()], [U1]],
    ],
  },
  lookup: {
    field: { relation: 'contact', targetField: 'name' },
    valid: ['anything', 1, { a: 1 }],
    invalid: [['x', 'computedField']],
  },
  subform: {
    field: {
      fields: [
        { key: 'qty', type: 'number', label: { 'zh-CN': '数量', en: 'Qty' }, required: true },
        { key: 'price', type: 'amount' },
      ],
    },
    valid: [
      [
        { qty: 1, price: 9.99 },
        { _id: 'r2', qty: '2', price: '1.005' },
      ],
      [],
    ],
    invalid: [
      [[{ qty: 'many' }], 'type'],
      [[{ price: 1 }], 'required'],
      [[{ qty: 1, nope: 1 }], 'unknownField'],
      ['rows', 'type'],
    ],
    normalise: [[[{ qty: '2', price: '1.005' }], [{ qty: 2, price: 1.01 }]]],
  },
  attachment: {
    field: { maxSize: 2048, accept: ['application/pdf', 'image/*'] },
    valid: [[file], [png], []],
    invalid: [
      [[{ ...file, size: 4096 }], 'maximum'],
      [[{ ...file, type: 'text/html' }], 'format'],
      [[{ id: 'x' }], 'required'],
      [[{ ...file, url: 'javascript:alert(1)' }], 'format'],
      [[{ ...file, extra: 1 }], 'unknownField'],
    ],
  },
  image: {
    valid: [[png]],
    invalid: [
      [[file], 'format'],
      [Array.from({ length: 51 }, () => png), 'tooManyItems'],
    ],
  },
  location: {
    valid: [
      { lat: 31.23, lng: 121.47, address: '上海' },
      { lat: '31.2', lng: '121.4' },
    ],
    invalid: [
      [{ lat: 91, lng: 0 }, 'maximum'],
      [{ lat: 0 }, 'required'],
      [[1, 2], 'type'],
      [{ lat: 0, lng: 0, x: 1 }, 'unknownField'],
    ],
    normalise: [
      [
        { lat: '31.2', lng: '121.4', address: ' 上海 ' },
        { lat: 31.2, lng: 121.4, address: '上海' },
      ],
    ],
  },
  signature: {
    valid: ['data:image/png;base64,iVBORw0KGgo=', 'file_123'],
    invalid: [
      ['data:text/html;base64,PHNjcmlwdD4=', 'format'],
      [1, 'type'],
    ],
  },
  rating: {
    field: { max: 5 },
    valid: [0, 5, '3'],
    invalid: [
      [6, 'maximum'],
      [2.5, 'type'],
      [-1, 'minimum'],
    ],
  },
  tags: {
    valid: [['vip', 'new'], 'single'],
    invalid: [
      [['x'.repeat(51)], 'maxLength'],
      [Array.from({ length: 51 }, (_, i) => `t${i}`), 'tooManyItems'],
      [[1], 'type'],
    ],
    normalise: [
      [
        [' vip ', 'vip', '', 'new'],
        ['vip', 'new'],
      ],
    ],
    dedupe: [[['VIP', 'New'], 'new\u001fvip']],
  },
};

for (const name of FIELD_TYPE_NAMES) runFieldTypeContract(fieldTypes[name], cases[name]);

describe('field-type registry', () => {
  it('registers every type name under its own name', () => {
    expect(FIELD_TYPE_NAMES).toHaveLength(27);
    for (const name of FIELD_TYPE_NAMES) expect(fieldTypes[name].name).toBe(name);
  });

  it('marks formula, autoNumber and lookup as computed, and nothing else', () => {
    const computed = FIELD_TYPE_NAMES.filter((n) => fieldTypes[n].computed).sort();
    expect(computed).toEqual(['autoNumber', 'formula', 'lookup']);
  });

  it('describes a multiple relation as a text array and a single one as text', () => {
    const rel = fieldTypes.relation;
    expect(rel.storageFor({ key: 'r', type: 'relation', target: 'x', multiple: true })).toBe('textArray');
    expect(rel.storageFor({ key: 'r', type: 'relation', target: 'x' })).toBe('text');
    expect(rel.operatorsFor({ key: 'r', type: 'relation', target: 'x' })).toContain('eq');
    expect(rel.operatorsFor({ key: 'r', type: 'relation', target: 'x', multiple: true })).not.toContain('eq');
  });

  it('describes the system fields with types and columns', () => {
    expect(Object.keys(systemFields).sort()).toEqual([
      'createdAt',
      'createdBy',
      'id',
      'ownerId',
      'updatedAt',
      'version',
    ]);
    expect(systemFields.createdAt).toMatchObject({ type: 'datetime', column: 'created_at' });
    expect(systemFields.ownerId).toMatchObject({ type: 'member', column: 'owner_id' });
  });

  it('puts amount options and select option labels into the UI hints', () => {
    expect(fieldTypes.amount.ui({ key: 'a', type: 'amount' })).toEqual({
      'ui:widget': 'amount',
      'ui:options': { precision: 2, currency: 'CNY' },
    });
    const ui = fieldTypes.select.ui({
      key: 's',
      type: 'select',
      options: [{ value: 'A', label: { en: 'Alpha' } }],
      ui: { width: 200, 'ui:placeholder': 'x' },
    });
    expect(ui['ui:placeholder']).toBe('x');
    expect(ui['ui:options']).toEqual({
      options: [{ value: 'A', label: { 'zh-CN': 'Alpha', en: 'Alpha' } }],
      width: 200,
    });
  });
});

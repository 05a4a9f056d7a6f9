import { describe, expect, it } from 'vitest';
import { checkEntityFormulas, computeRecord, evaluateRule, formulaOrder } from './compute.js';
import type { EntityDefinition, FieldDefinition } from './types.js';

const ctx = { now: new Date('2024-05-01T16:30:00Z'), timeZone: 'Asia/Shanghai' };

/** The contract example entity, plus a rule. */
const customer: EntityDefinition = {
  key: 'customer',
  label: { 'zh-CN': '客户', en: 'Customer' },
  fields: [
    { key: 'name', type: 'text', label: { 'zh-CN': '客户名称', en: 'Customer name' }, required: true },
    { key: 'discount', type: 'percent' },
    {
      key: 'items',
      type: 'subform',
      fields: [
        { key: 'qty', type: 'number' },
        { key: 'price', type: 'amount' },
        { key: 'amount', type: 'formula', formula: 'qty * price' },
      ],
    },
    {
      key: 'total',
      type: 'formula',
      label: { 'zh-CN': '合计', en: 'Total' },
      formula: 'SUM(items.amount)',
      precision: 2,
    },
    { key: 'net', type: 'formula', formula: 'total * (1 - discount)', precision: 2 },
    { key: 'signedAt', type: 'date' },
    { key: 'ageDays', type: 'formula', formula: 'DATEDIF(signedAt, TODAY(), "d")' },
  ],
  rules: [
    {
      key: 'positiveTotal',
      formula: 'total >= 0',
      message: { 'zh-CN': '合计不能为负', en: 'Total must not be negative' },
    },
  ],
};

function entity(fields: FieldDefinition[], rules: EntityDefinition['rules'] = []): EntityDefinition {
  return { key: 'e', fields, rules };
}

const f = (key: string, formula: string, extra: Partial<FieldDefinition> = {}): FieldDefinition => ({
  key,
  type: 'formula',
  formula,
  ...extra,
});

describe('checkEntityFormulas', () => {
  it('accepts the contract example', () => {
    expect(checkEntityFormulas(customer)).toEqual([]);
  });

  it('reports a syntax error on the formula path with its position, naming the field by label', () => {
    const issues = checkEntityFormulas(
      entity([
        { key: 'qty', type: 'number' },
        f('total', 'qty *', { label: { 'zh-CN': '合计', en: 'Total' } }),
      ]),
    );
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      field: 'fields.1.formula',
      code: 'formulaSyntax',
      params: { position: 5 },
    });
    expect(issues[0]?.message.en).toBe(
      'The formula of Total is invalid: Column 6: unexpected end of formula',
    );
    expect(issues[0]?.message['zh-CN']).toBe('合计 的公式有误：第 6 列：公式意外结束');
  });

  it('reports unknown field references, including unknown subform columns and deep paths', () => {
    const e = entity([
      { key: 'items', type: 'subform', fields: [{ key: 'qty', type: 'number' }] },
      { key: 'name', type: 'text' },
      f('a', 'price * 2'),
      f('b', 'SUM(items.price)'),
      f('c', 'SUM(name.x)'),
      f('d', 'a.b.c'),
    ]);
    const issues = checkEntityFormulas(e);
    expect(issues.map((i) => [i.field, i.code, i.params?.ref])).toEqual([
      ['fields.2.formula', 'formulaUnknownField', 'price'],
      ['fields.3.formula', 'formulaUnknownField', 'items.price'],
      ['fields.4.formula', 'formulaUnknownField', 'name.x'],
      ['fields.5.formula', 'formulaUnknownField', 'a.b.c'],
    ]);
    expect(issues[0]?.message.en).toContain('price');
    expect(issues[0]?.message['zh-CN']).toContain('price');
  });

  it('lets formulas read system fields', () => {
    expect(checkEntityFormulas(entity([f('age', 'DATEDIF(createdAt, TODAY(), "d") + version')]))).toEqual([]);
  });

  it('reports unknown functions and wrong argument counts', () => {
    const issues = checkEntityFormulas(
      entity([f('a', 'FOO(1) + ROUND()'), f('b', 'IF(1) & IFS(TRUE, 1, FALSE) & TODAY(1)')]),
    );
    expect(issues.map((i) => [i.field, i.code, i.params?.function])).toEqual([
      ['fields.0.formula', 'formulaUnknownFunction', 'FOO'],
      ['fields.0.formula', 'formulaArity', 'ROUND'],
      ['fields.1.formula', 'formulaArity', 'IF'],
      ['fields.1.formula', 'formulaArity', 'IFS'],
      ['fields.1.formula', 'formulaArity', 'TODAY'],
    ]);
    expect(issues[1]?.message.en).toContain('ROUND takes 1 to 2 arguments, got 0');
  });

  it('checks subform row formulas against sibling and parent fields', () => {
    const e = entity([
      { key: 'rate', type: 'number' },
      {
        key: 'items',
        type: 'subform',
        fields: [{ key: 'qty', type: 'number' }, f('ok', 'qty * rate'), f('bad', 'qty * nope')],
      },
    ]);
    const issues = checkEntityFormulas(e);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ field: 'fields.1.fields.2.formula', code: 'formulaUnknownField' });
  });

  it('checks rule formulas', () => {
    const issues = checkEntityFormulas(
      entity(
        [{ key: 'a', type: 'number' }],
        [
          { key: 'r', formula: 'a > b', message: 'x' },
          { key: 's', formula: 'a >', message: 'y' },
        ],
      ),
    );
    expect(issues.map((i) => [i.field, i.code])).toEqual([
      ['rules.0.formula', 'formulaUnknownField'],
      ['rules.1.formula', 'formulaSyntax'],
    ]);
  });

  it('reports a dependency cycle once, listing it in both languages', () => {
    const issues = checkEntityFormulas(entity([f('a', 'b + 1'), f('b', 'a * 2'), f('c', 'a')]));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      field: 'fields.0.formula',
      code: 'formulaCycle',
      params: { cycle: ['a', 'b', 'a'] },
    });
    expect(issues[0]?.message.en).toContain('a → b → a');
    expect(issues[0]?.message['zh-CN']).toContain('a → b → a');
    expect(issues[0]?.message['zh-CN']).toContain('循环引用');
  });

  it('reports a formula that references itself', () => {
    const issues = checkEntityFormulas(entity([f('a', 'a + 1')]));
    expect(issues).toEqual([
      expect.objectContaining({ code: 'formulaCycle', params: { cycle: ['a', 'a'] } }),
    ]);
  });

  it('reports a cycle through a subform column and back', () => {
    const e = entity([
      { key: 'items', type: 'subform', fields: [{ key: 'qty', type: 'number' }, f('share', 'qty / total')] },
      f('total', 'SUM(items.share)'),
    ]);
    const issues = checkEntityFormulas(e);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'formulaCycle', field: 'fields.0.fields.1.formula' });
    expect(issues[0]?.message.en).toContain('items.share → total → items.share');
  });

  it('reports each of two separate cycles', () => {
    const issues = checkEntityFormulas(entity([f('a', 'b'), f('b', 'a'), f('c', 'd'), f('d', 'c')]));
    expect(issues.map((i) => i.code)).toEqual(['formulaCycle', 'formulaCycle']);
  });

  it('never throws on a malformed definition', () => {
    const bad = {
      key: 'x',
      fields: [{ key: 'a', type: 'formula', formula: 42 }, null],
      rules: [null],
    } as unknown as EntityDefinition;
    expect(() => checkEntityFormulas(bad)).not.toThrow();
    expect(() => checkEntityFormulas({ key: 'x' } as unknown as EntityDefinition)).not.toThrow();
    expect(() => computeRecord(bad, { a: 1 }, ctx)).not.toThrow();
    expect(() => formulaOrder(bad)).not.toThrow();
  });
});

describe('formulaOrder', () => {
  it('puts subform row formulas first, then the parents that aggregate them, then their dependents', () => {
    expect(formulaOrder(customer)).toEqual(['items.amount', 'total', 'net', 'ageDays']);
  });

  it('orders by dependency, not by definition order', () => {
    expect(formulaOrder(entity([f('c', 'b + 1'), f('b', 'a + 1'), f('a', '1')]))).toEqual(['a', 'b', 'c']);
  });

  it('computes a parent formula before a row formula that reads it', () => {
    const e = entity([
      { key: 'items', type: 'subform', fields: [{ key: 'qty', type: 'number' }, f('line', 'qty * unit')] },
      f('unit', '2'),
    ]);
    expect(formulaOrder(e)).toEqual(['unit', 'items.line']);
  });
});

describe('computeRecord', () => {
  it('computes row formulas, aggregates and dependents, leaving the input untouched', () => {
    const input = {
      name: '甲',
      discount: 0.1,
      items: [
        { qty: 3, price: 19.99 },
        { qty: 1, price: 0.01 },
      ],
      signedAt: '2024-04-22',
    };
    const snapshot = JSON.parse(JSON.stringify(input));
    const r = computeRecord(customer, input, ctx);
    expect(r.errors).toEqual([]);
    expect(r.data).toEqual({
      ...snapshot,
      items: [
        { qty: 3, price: 19.99, amount: 59.97 },
        { qty: 1, price: 0.01, amount: 0.01 },
      ],
      total: 59.98,
      net: 53.98,
      ageDays: 10,
    });
    expect(input).toEqual(snapshot);
  });

  it('totals 1,000 rows of 0.01 to exactly 10.00', () => {
    const items = Array.from({ length: 1000 }, () => ({ qty: 1, price: 0.01 }));
    const r = computeRecord(customer, { items, discount: 0 }, ctx);
    expect(r.data.total).toBe(10);
    expect(r.data.net).toBe(10);
  });

  it('rounds to the field precision half up, and leaves other results unrounded', () => {
    const e = entity([
      { key: 'x', type: 'number' },
      f('r2', 'x / 3', { precision: 2 }),
      f('r0', 'x * 1.005', { precision: 0 }),
      f('raw', 'x / 8'),
      f('cents', '1.005', { precision: 2 }),
    ]);
    const r = computeRecord(e, { x: 10 }, ctx);
    expect(r.data).toMatchObject({ r2: 3.33, r0: 10, raw: 1.25, cents: 1.01 });
  });

  it('turns a failing formula into null plus an error saying why', () => {
    const e = entity([
      { key: 'a', type: 'number' },
      { key: 'b', type: 'number' },
      f('ratio', 'a / b', { label: { 'zh-CN': '比率', en: 'Ratio' } }),
      f('next', 'ratio + 1'),
    ]);
    const r = computeRecord(e, { a: 1, b: 0 }, ctx);
    expect(r.data.ratio).toBe(null);
    expect(r.data.next).toBe(1);
    expect(r.errors).toEqual([
      {
        field: 'ratio',
        code: 'DIV_ZERO',
        message: { 'zh-CN': '比率：除数为 0', en: 'Ratio: Division by zero' },
      },
    ]);
  });

  it('reports row formula errors with the row index', () => {
    const e = entity([
      { key: 'items', type: 'subform', fields: [{ key: 'q', type: 'number' }, f('inv', '1 / q')] },
    ]);
    const r = computeRecord(e, { items: [{ q: 2 }, { q: 0 }, 'junk'] }, ctx);
    expect(r.data.items).toEqual([{ q: 2, inv: 0.5 }, { q: 0, inv: null }, 'junk']);
    expect(r.errors.map((x) => [x.field, x.code])).toEqual([['items.1.inv', 'DIV_ZERO']]);
  });

  it('gives row formulas the parent fields and siblings, siblings first', () => {
    const e = entity([
      { key: 'rate', type: 'number' },
      { key: 'qty', type: 'number' },
      {
        key: 'items',
        type: 'subform',
        fields: [
          { key: 'qty', type: 'number' },
          f('line', 'qty * rate'),
          f('share', 'line / SUM(items.qty)'),
        ],
      },
    ]);
    const r = computeRecord(e, { rate: 2, qty: 100, items: [{ qty: 1 }, { qty: 3 }] }, ctx);
    expect(r.data.items).toEqual([
      { qty: 1, line: 2, share: 0.5 },
      { qty: 3, line: 6, share: 1.5 },
    ]);
  });

  it('stores dates as text and booleans as booleans', () => {
    const e = entity([
      { key: 'd', type: 'date' },
      f('due', 'DATEADD(d, 30, "d")'),
      f('late', 'TODAY() > d'),
      f('stamp', 'NOW()'),
      f('tags2', 'tags'),
    ]);
    const r = computeRecord(e, { d: '2024-04-01', tags: ['a', 'b'] }, ctx);
    expect(r.data).toMatchObject({ due: '2024-05-01', late: true, stamp: '2024-05-01T16:30:00.000Z' });
  });

  it('computes TODAY() per the context time zone', () => {
    const e = entity([f('today', 'TODAY()')]);
    expect(computeRecord(e, {}, ctx).data.today).toBe('2024-05-02');
    expect(computeRecord(e, {}, { ...ctx, timeZone: 'UTC' }).data.today).toBe('2024-05-01');
  });

  it('overwrites a formula value sent in the data', () => {
    expect(computeRecord(customer, { total: 999, items: [] }, ctx).data.total).toBe(0);
  });

  it('leaves cyclic formulas null with an error instead of looping', () => {
    const r = computeRecord(entity([f('a', 'b + 1'), f('b', 'a + 1')]), {}, ctx);
    expect(r.data).toEqual({ a: null, b: null });
    expect(r.errors.map((e) => e.code)).toEqual(['formulaCycle', 'formulaCycle']);
  });

  it('reports a formula with a syntax error in an unchecked definition', () => {
    const r = computeRecord(entity([f('a', '1 +')]), {}, ctx);
    expect(r.data.a).toBe(null);
    expect(r.errors[0]).toMatchObject({ field: 'a', code: 'formulaSyntax' });
  });

  it('ignores a subform value that is not a list', () => {
    const r = computeRecord(customer, { items: 'nope' }, ctx);
    expect(r.data.items).toBe('nope');
    expect(r.data.total).toBe(0);
  });

  it('does not read prototype properties as fields', () => {
    const e = entity([f('x', 'ISEMPTY(toString)')]);
    expect(computeRecord(e, {}, ctx).data.x).toBe(true);
  });
});

describe('evaluateRule', () => {
  const rule = (formula: string) => ({ key: 'r', formula, message: 'm' });

  it('returns true or false for a boolean rule', () => {
    expect(evaluateRule(customer, rule('total >= 0'), { total: 5 }, ctx)).toBe(true);
    expect(evaluateRule(customer, rule('total >= 0'), { total: -5 }, ctx)).toBe(false);
  });

  it('compares dates across fields', () => {
    const r = rule('OR(ISEMPTY(end), end >= start)');
    expect(evaluateRule(customer, r, { start: '2024-05-01', end: '2024-04-30' }, ctx)).toBe(false);
    expect(evaluateRule(customer, r, { start: '2024-05-01', end: null }, ctx)).toBe(true);
  });

  it('reads a number as true when non-zero', () => {
    expect(evaluateRule(customer, rule('LEN(name)'), { name: 'x' }, ctx)).toBe(true);
    expect(evaluateRule(customer, rule('LEN(name)'), { name: '' }, ctx)).toBe(false);
  });

  it('returns null when the rule cannot be evaluated', () => {
    expect(evaluateRule(customer, rule('1 / 0 > 1'), {}, ctx)).toBe(null);
    expect(evaluateRule(customer, rule('total >'), {}, ctx)).toBe(null);
    expect(evaluateRule(customer, rule('name'), { name: 'text' }, ctx)).toBe(null);
    expect(evaluateRule(customer, rule('NULL'), {}, ctx)).toBe(null);
  });

  it('sees subform columns', () => {
    expect(evaluateRule(customer, rule('COUNT(items) > 0'), { items: [{ qty: 1 }] }, ctx)).toBe(true);
    expect(evaluateRule(customer, rule('MAX(items.qty) <= 10'), { items: [{ qty: 11 }] }, ctx)).toBe(false);
  });
});

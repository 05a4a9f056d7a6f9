import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FormulaAst, FormulaBinaryOp } from './ast.js';
import { FORMULA_FUNCTIONS } from './catalogue.js';
import { evaluateFormula } from './evaluate.js';
import { parseFormula } from './parser.js';
import { context, value } from './test-helpers.js';

const BINARY_OPS: FormulaBinaryOp[] = [
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '&',
  '=',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  '&&',
  '||',
];
const NAMES = [...FORMULA_FUNCTIONS.map((f) => f.name), 'NOPE'];
const REFS: string[][] = [['a'], ['b'], ['items'], ['items', 'qty'], ['items', 'price'], ['d']];

const astArb: fc.Arbitrary<FormulaAst> = fc.letrec<{ node: FormulaAst }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(
      fc
        .oneof(fc.integer({ min: -1e6, max: 1e6 }), fc.double({ noNaN: true, noDefaultInfinity: true }))
        .map((n): FormulaAst => ({ kind: 'number', value: String(Math.abs(n)), pos: 0 })),
      fc
        .constantFrom('1e308', '0', '0.1', '1e-300', '999999999999999999999999')
        .map((v): FormulaAst => ({ kind: 'number', value: v, pos: 0 })),
      fc
        .string({ maxLength: 12, unit: 'binary' })
        .map((v): FormulaAst => ({ kind: 'string', value: v, pos: 0 })),
      fc
        .constantFrom('2024-02-29', '2024-05-01T10:00:00Z', 'd', 'm', 'y', 'h', '0.00', 'yyyy-MM-dd')
        .map((v): FormulaAst => ({ kind: 'string', value: v, pos: 0 })),
      fc.boolean().map((v): FormulaAst => ({ kind: 'boolean', value: v, pos: 0 })),
      fc.constant<FormulaAst>({ kind: 'null', pos: 0 }),
      fc.constantFrom(...REFS).map((path): FormulaAst => ({ kind: 'ref', path, pos: 0 })),
    ),
    fc
      .record({ op: fc.constantFrom<'-' | '+' | '!'>('-', '+', '!'), operand: tie('node') })
      .map(({ op, operand }): FormulaAst => ({ kind: 'unary', op, operand, pos: 0 })),
    fc
      .record({ op: fc.constantFrom(...BINARY_OPS), left: tie('node'), right: tie('node') })
      .map(({ op, left, right }): FormulaAst => ({ kind: 'binary', op, left, right, pos: 0 })),
    fc
      .record({ name: fc.constantFrom(...NAMES), args: fc.array(tie('node'), { maxLength: 4 }) })
      .map(({ name, args }): FormulaAst => ({ kind: 'call', name, args, pos: 0 })),
  ),
})).node;

const dataArb = fc.record({
  a: fc.oneof(fc.anything(), fc.double(), fc.string()),
  b: fc.oneof(fc.integer(), fc.constant(null), fc.constant('2024-01-31'), fc.string()),
  d: fc.oneof(
    fc.constant('2024-02-29'),
    fc.constant('2024-03-10T07:30:00Z'),
    fc.date({ noInvalidDate: false }),
    fc.string(),
  ),
  items: fc.oneof(
    fc.array(
      fc.record({
        qty: fc.oneof(fc.integer(), fc.constant(null), fc.string()),
        price: fc.oneof(fc.double(), fc.constant(null)),
      }),
      { maxLength: 5 },
    ),
    fc.anything(),
  ),
});

/** Fully parenthesised source for a tree (strings and numbers as literals). */
function render(node: FormulaAst): string {
  switch (node.kind) {
    case 'number':
      return node.value;
    case 'string':
      return JSON.stringify(node.value);
    case 'boolean':
      return node.value ? 'TRUE' : 'FALSE';
    case 'null':
      return 'NULL';
    case 'ref':
      return node.path.join('.');
    case 'call':
      return `${node.name}(${node.args.map(render).join(', ')})`;
    case 'unary':
      return `(${node.op}${render(node.operand)})`;
    case 'binary':
      return `(${render(node.left)} ${node.op} ${render(node.right)})`;
  }
}

function strip(node: FormulaAst): unknown {
  return JSON.parse(JSON.stringify(node, (k, v) => (k === 'pos' ? undefined : v)));
}

describe('properties', () => {
  it('parseFormula never throws on arbitrary text', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 })),
        (src) => {
          const r = parseFormula(src);
          expect(typeof r.ok).toBe('boolean');
          if (!r.ok) {
            expect(r.issue.position).toBeGreaterThanOrEqual(0);
            expect(r.issue.position).toBeLessThanOrEqual(src.length);
            expect(r.issue.message['zh-CN'].length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('parseFormula never throws on text built from formula characters', () => {
    const piece = fc.constantFrom(
      '(',
      ')',
      ',',
      '+',
      '-',
      '*',
      '/',
      '^',
      '&',
      '&&',
      '||',
      '!',
      '=',
      '<>',
      '<',
      '>=',
      '"',
      "'",
      '\\',
      '.',
      '1',
      '1.5',
      'e',
      'a',
      'items.qty',
      'SUM',
      'IF',
      ' ',
      'TRUE',
      'NULL',
      '（',
      '，',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (parts) => {
        const r = parseFormula(parts.join(''));
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 3000 },
    );
  });

  it('evaluateFormula never throws on arbitrary trees with arbitrary data', () => {
    fc.assert(
      fc.property(
        astArb,
        dataArb,
        fc.constantFrom('UTC', 'Asia/Shanghai', 'America/New_York'),
        (ast, data, tz) => {
          const r = evaluateFormula(ast, context(data, tz));
          if (r.ok) expect(r.value === undefined).toBe(false);
          else expect(r.code).toMatch(/^[A-Z_]+$/);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('a rendered tree parses back to the same tree', () => {
    fc.assert(
      fc.property(astArb, (ast) => {
        const src = render(ast);
        const r = parseFormula(src);
        if (src.length > 4000) return;
        if (!r.ok) {
          expect(r.issue.code).toBe('formulaTooDeep');
          return;
        }
        expect(strip(r.ast)).toEqual(strip(ast));
      }),
      { numRuns: 1000 },
    );
  });

  const decimal = fc
    .tuple(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.integer({ min: 0, max: 6 }))
    .map(([n, scale]) => {
      const s = (n < 0n ? -n : n).toString().padStart(scale + 1, '0');
      const text = scale === 0 ? s : `${s.slice(0, -scale)}.${s.slice(-scale)}`;
      return n < 0n ? `-${text}` : text;
    });

  it('a + b - b = a exactly for decimals written in the formula', () => {
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        expect(value(`(${a}) + (${b}) - (${b}) = (${a})`)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('a + b - b = a exactly for decimal field values', () => {
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        const na = Number(a);
        expect(value('a + b - b', { a: na, b: Number(b) })).toBe(na);
      }),
      { numRuns: 500 },
    );
  });

  it('SUM of cents is exact in any order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -100_000, max: 100_000 }), { maxLength: 200 }), (cents) => {
        const items = cents.map((c) => ({ amount: c / 100 }));
        const expected = cents.reduce((s, c) => s + c, 0);
        expect(value('SUM(items.amount) * 100', { items })).toBe(expected);
      }),
      { numRuns: 200 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import type { FormulaAst } from './ast.js';
import { parseFormula } from './parser.js';

function ast(src: string): FormulaAst {
  const r = parseFormula(src);
  if (!r.ok) throw new Error(r.issue.message.en);
  return r.ast;
}

/** A compact, fully parenthesised rendering of the tree, to assert structure. */
function show(node: FormulaAst): string {
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
      return `${node.name}(${node.args.map(show).join(', ')})`;
    case 'unary':
      return `(${node.op}${show(node.operand)})`;
    case 'binary':
      return `(${show(node.left)} ${node.op} ${show(node.right)})`;
  }
}

function issue(src: string) {
  const r = parseFormula(src);
  if (r.ok) throw new Error(`${src} parsed`);
  return r.issue;
}

describe('tokens', () => {
  it('reads numbers in plain, decimal, leading-dot and exponent forms exactly as written', () => {
    expect(show(ast('1'))).toBe('1');
    expect(show(ast('1.5'))).toBe('1.5');
    expect(show(ast('.5'))).toBe('.5');
    expect(show(ast('1e3'))).toBe('1e3');
    expect(show(ast('2.5E-2'))).toBe('2.5E-2');
  });

  it('reads both quote styles with backslash escapes and doubled quotes', () => {
    expect(ast('"a"')).toMatchObject({ kind: 'string', value: 'a' });
    expect(ast("'a'")).toMatchObject({ kind: 'string', value: 'a' });
    expect(ast('"say \\"hi\\"\\n"')).toMatchObject({ value: 'say "hi"\n' });
    expect(ast("'it\\'s'")).toMatchObject({ value: "it's" });
    expect(ast('"a""b"')).toMatchObject({ value: 'a"b' });
    expect(ast('"\\u4e2d"')).toMatchObject({ value: '中' });
    expect(ast('"客户"')).toMatchObject({ value: '客户' });
  });

  it('reads TRUE, FALSE and NULL in any case', () => {
    expect(ast('true')).toMatchObject({ kind: 'boolean', value: true });
    expect(ast('False')).toMatchObject({ kind: 'boolean', value: false });
    expect(ast('null')).toMatchObject({ kind: 'null' });
  });

  it('reads field references, dotted subform columns, and upper-cases function names', () => {
    expect(ast('qty')).toMatchObject({ kind: 'ref', path: ['qty'] });
    expect(ast('items.amount')).toMatchObject({ kind: 'ref', path: ['items', 'amount'] });
    expect(ast('sum(items.amount)')).toMatchObject({ kind: 'call', name: 'SUM' });
    expect(ast('TODAY()')).toMatchObject({ kind: 'call', name: 'TODAY', args: [] });
  });

  it('accepts full-width parentheses and commas typed on a Chinese keyboard', () => {
    expect(show(ast('IF（a，1，2）'))).toBe('IF(a, 1, 2)');
  });

  it('records the offset of each node', () => {
    const node = ast('qty  *  price');
    expect(node).toMatchObject({ kind: 'binary', pos: 5, left: { pos: 0 }, right: { pos: 8 } });
  });
});

describe('precedence and associativity', () => {
  it.each([
    ['1 + 2 * 3', '(1 + (2 * 3))'],
    ['(1 + 2) * 3', '((1 + 2) * 3)'],
    ['1 - 2 - 3', '((1 - 2) - 3)'],
    ['8 / 4 / 2', '((8 / 4) / 2)'],
    ['2 ^ 3 ^ 2', '(2 ^ (3 ^ 2))'],
    ['-2 ^ 2', '(-(2 ^ 2))'],
    ['2 ^ -1', '(2 ^ (-1))'],
    ['-a * b', '((-a) * b)'],
    ['a % b * c', '((a % b) * c)'],
    ['a & b + c', '(a & (b + c))'],
    ['a & b = c', '((a & b) = c)'],
    ['a + 1 > b * 2', '((a + 1) > (b * 2))'],
    ['a = 1 && b = 2 || c', '(((a = 1) && (b = 2)) || c)'],
    ['a || b && c', '(a || (b && c))'],
    ['!a && b', '((!a) && b)'],
    ['!(a && b)', '(!(a && b))'],
  ])('%s parses as %s', (src, expected) => {
    expect(show(ast(src))).toBe(expected);
  });

  it('normalises == to = and <> to !=', () => {
    expect(show(ast('a == b'))).toBe('(a = b)');
    expect(show(ast('a <> b'))).toBe('(a != b)');
    expect(show(ast('a != b'))).toBe('(a != b)');
  });

  it('parses every comparison operator', () => {
    for (const op of ['<', '<=', '>', '>=']) expect(show(ast(`a ${op} b`))).toBe(`(a ${op} b)`);
  });
});

describe('refs', () => {
  it('lists each referenced field path once, in order of appearance', () => {
    const r = parseFormula('IF(qty > 0, qty * price, SUM(items.amount)) + qty');
    expect(r.ok && r.refs).toEqual([['qty'], ['price'], ['items', 'amount']]);
  });

  it('lists no refs for a constant formula', () => {
    const r = parseFormula('1 + TODAY()');
    expect(r.ok && r.refs).toEqual([]);
  });
});

describe('syntax errors', () => {
  it('reports an empty formula', () => {
    expect(issue('')).toMatchObject({ code: 'formulaSyntax', position: 0 });
    expect(issue('   ').message.en).toContain('empty');
  });

  it('reports a missing operand at the end with its position', () => {
    const i = issue('1 +');
    expect(i).toMatchObject({ code: 'formulaSyntax', position: 3 });
    expect(i.message.en).toBe('Column 4: unexpected end of formula');
    expect(i.message['zh-CN']).toBe('第 4 列：公式意外结束');
  });

  it('reports an unclosed parenthesis and an unmatched one', () => {
    expect(issue('(1 + 2')).toMatchObject({ position: 6 });
    expect(issue('(1 + 2')).toMatchObject({
      message: { en: 'Column 7: unexpected end of formula, expected ")"' },
    });
    expect(issue('1 + 2)')).toMatchObject({ position: 5, message: { en: 'Column 6: unmatched ")"' } });
  });

  it('reports an unterminated string at its opening quote', () => {
    expect(issue('"abc')).toMatchObject({ position: 0 });
    expect(issue('1 & "abc').message.en).toContain('closing quote');
  });

  it('reports an unknown character', () => {
    expect(issue('a $ b')).toMatchObject({ position: 2 });
    expect(issue('a # b').message.en).toContain('unexpected character #');
    expect(issue('客户 + 1').message.en).toContain('unexpected character 客');
  });

  it('reports two operands without an operator between them', () => {
    const i = issue('qty price');
    expect(i.position).toBe(4);
    expect(i.message.en).toContain('missing an operator');
  });

  it('reports malformed numbers, escapes, paths and argument lists', () => {
    expect(issue('1e')).toMatchObject({ position: 1 });
    expect(issue('12abc').message.en).toContain('invalid number');
    expect(issue('1.2.3').code).toBe('formulaSyntax');
    expect(issue('"\\q"').message.en).toContain('invalid escape');
    expect(issue('"\\u12"').message.en).toContain('\\u');
    expect(issue('items.').message.en).toContain('field path');
    expect(issue('SUM(1 2)').message.en).toContain('expected "," or ")"');
    expect(issue('SUM(1,)').position).toBe(6);
    expect(issue('items.amount(1)').message.en).toContain('not a function name');
    expect(issue('* 2').position).toBe(0);
    expect(issue('1 + + ').code).toBe('formulaSyntax');
    expect(issue('a = = b').position).toBe(4);
  });

  it('refuses a source longer than 4,000 characters', () => {
    const src = `1${'+1'.repeat(2000)}`;
    expect(src.length).toBeGreaterThan(4000);
    expect(issue(src)).toMatchObject({ code: 'formulaTooLong' });
    expect(parseFormula(`1${'+1'.repeat(1999)}`).ok).toBe(true);
  });

  it('refuses nesting deeper than 64 levels instead of overflowing the stack', () => {
    expect(parseFormula(`${'('.repeat(63)}1${')'.repeat(63)}`).ok).toBe(true);
    expect(issue(`${'('.repeat(64)}1${')'.repeat(64)}`)).toMatchObject({ code: 'formulaTooDeep' });
    expect(issue(`${'ABS('.repeat(100)}1${')'.repeat(100)}`).code).toBe('formulaTooDeep');
    expect(issue('-'.repeat(100) + '1').code).toBe('formulaTooDeep');
    expect(issue(`${'2^'.repeat(100)}2`).code).toBe('formulaTooDeep');
    expect(issue('('.repeat(3999)).code).toBe('formulaTooDeep');
  });

  it('parses a long left-associative chain (it is not nesting)', () => {
    expect(parseFormula(`a${' + a'.repeat(900)}`).ok).toBe(true);
  });

  it('answers a non-string input with an issue instead of throwing', () => {
    expect(parseFormula(42 as unknown as string).ok).toBe(false);
  });
});

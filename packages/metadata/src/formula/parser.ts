import type { Message } from '../types.js';
import {
  FORMULA_MAX_DEPTH,
  FORMULA_MAX_LENGTH,
  type FormulaAst,
  type FormulaBinaryOp,
  type FormulaUnaryOp,
} from './ast.js';

/**
 * Tokenizer and Pratt parser for the formula language. Never throws: every problem comes back as an issue
 * with a stable code and the 0-based offset where it was found (messages say "column N", 1-based).
 *
 * Precedence, lowest first: `||`; `&&`; comparisons `= == != <> < <= > >=`; `&` (text join); `+ -`;
 * `* / %`; prefix `- + !`; `^` (right-associative, so `2^3^2` = 2^9 and `-2^2` = -4).
 */

export type FormulaSyntaxCode = 'formulaSyntax' | 'formulaTooLong' | 'formulaTooDeep';

export interface FormulaSyntaxIssue {
  code: FormulaSyntaxCode;
  message: Message;
  position: number;
}

export type ParseFormulaResult =
  | { ok: true; ast: FormulaAst; refs: string[][] }
  | { ok: false; issue: FormulaSyntaxIssue };

type TokenType = 'number' | 'string' | 'ident' | 'op' | 'lparen' | 'rparen' | 'comma' | 'eof';

interface Token {
  type: TokenType;
  /** number: the text; string: the decoded value; ident: the name (dotted for subform columns); op: the operator. */
  value: string;
  pos: number;
}

class SyntaxFailure {
  constructor(readonly issue: FormulaSyntaxIssue) {}
}

function fail(code: FormulaSyntaxCode, position: number, zh: string, en: string): never {
  throw new SyntaxFailure({ code, position, message: { 'zh-CN': zh, en } });
}

function syntax(position: number, zh: string, en: string): never {
  fail('formulaSyntax', position, `第 ${position + 1} 列：${zh}`, `Column ${position + 1}: ${en}`);
}

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;

/** Full-width punctuation a Chinese keyboard produces, read as its ASCII twin. */
const FULL_WIDTH: Record<string, string> = { '（': '(', '）': ')', '，': ',' };

const OPERATORS = [
  '&&',
  '||',
  '==',
  '!=',
  '<>',
  '<=',
  '>=',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '&',
  '=',
  '<',
  '>',
  '!',
];

function describe(t: Token): { zh: string; en: string } {
  switch (t.type) {
    case 'eof':
      return { zh: '公式意外结束', en: 'unexpected end of formula' };
    case 'string':
      return { zh: '此处不应出现文本', en: 'unexpected text value' };
    case 'number':
      return { zh: `此处不应出现数字 ${t.value}`, en: `unexpected number ${t.value}` };
    case 'ident':
      return { zh: `此处不应出现 ${t.value}`, en: `unexpected ${t.value}` };
    case 'comma':
      return { zh: '此处不应出现逗号', en: 'unexpected comma' };
    case 'rparen':
      return { zh: '此处不应出现右括号', en: 'unexpected ")"' };
    case 'lparen':
      return { zh: '此处不应出现左括号', en: 'unexpected "("' };
    default:
      return { zh: `此处不应出现运算符 ${t.value}`, en: `unexpected operator ${t.value}` };
  }
}

export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\u3000' || c === '\u00a0') {
      i++;
      continue;
    }
    const start = i;
    const fw = FULL_WIDTH[c];
    if (c === '(' || fw === '(') {
      tokens.push({ type: 'lparen', value: '(', pos: start });
      i++;
      continue;
    }
    if (c === ')' || fw === ')') {
      tokens.push({ type: 'rparen', value: ')', pos: start });
      i++;
      continue;
    }
    if (c === ',' || fw === ',') {
      tokens.push({ type: 'comma', value: ',', pos: start });
      i++;
      continue;
    }
    if (DIGIT.test(c) || (c === '.' && DIGIT.test(src[i + 1] ?? ''))) {
      while (i < n && DIGIT.test(src[i] as string)) i++;
      if (src[i] === '.') {
        i++;
        while (i < n && DIGIT.test(src[i] as string)) i++;
      }
      if (src[i] === 'e' || src[i] === 'E') {
        let j = i + 1;
        if (src[j] === '+' || src[j] === '-') j++;
        if (!DIGIT.test(src[j] ?? '')) syntax(i, '数字的指数部分不完整', 'incomplete exponent in a number');
        while (j < n && DIGIT.test(src[j] as string)) j++;
        i = j;
      }
      const text = src.slice(start, i);
      if (i < n && (IDENT_PART.test(src[i] as string) || src[i] === '.')) {
        syntax(start, `无效的数字 ${text}${src[i]}`, `invalid number ${text}${src[i]}`);
      }
      tokens.push({ type: 'number', value: text, pos: start });
      continue;
    }
    if (IDENT_START.test(c)) {
      i++;
      while (i < n && IDENT_PART.test(src[i] as string)) i++;
      while (src[i] === '.' && IDENT_START.test(src[i + 1] ?? '')) {
        i += 2;
        while (i < n && IDENT_PART.test(src[i] as string)) i++;
      }
      if (src[i] === '.') syntax(i, '字段路径不完整', 'incomplete field path');
      tokens.push({ type: 'ident', value: src.slice(start, i), pos: start });
      continue;
    }
    if (c === '"' || c === "'") {
      const read = readString(src, i, c);
      tokens.push({ type: 'string', value: read.value, pos: start });
      i = read.end;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (op) {
      tokens.push({ type: 'op', value: op, pos: start });
      i += op.length;
      continue;
    }
    const cp = src.codePointAt(i) ?? 0;
    const ch = String.fromCodePoint(cp);
    syntax(start, `无法识别的字符 ${ch}`, `unexpected character ${ch}`);
  }
  tokens.push({ type: 'eof', value: '', pos: n });
  return tokens;
}

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  '"': '"',
  "'": "'",
  '0': '\0',
  b: '\b',
  f: '\f',
  '/': '/',
};

/** Reads a quoted string starting at `start`; `end` is the offset after the closing quote. */
function readString(src: string, start: number, quote: string): { value: string; end: number } {
  let out = '';
  let i = start + 1;
  while (i < src.length) {
    const c = src[i] as string;
    if (c === quote) {
      if (src[i + 1] === quote) {
        // Excel style: a doubled quote is one quote.
        out += quote;
        i += 2;
        continue;
      }
      return { value: out, end: i + 1 };
    }
    if (c === '\\') {
      const e = src[i + 1];
      if (e === undefined) break;
      if (e === 'u') {
        const hex = src.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) syntax(i, '无效的 \\u 转义', 'invalid \\u escape');
        out += String.fromCharCode(Number.parseInt(hex, 16));
        i += 6;
        continue;
      }
      const mapped = ESCAPES[e];
      if (mapped === undefined) syntax(i, `无效的转义 \\${e}`, `invalid escape \\${e}`);
      out += mapped;
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
  return syntax(start, '文本缺少结束引号', 'text is missing its closing quote');
}

const BINARY: Record<string, { lbp: number; op: FormulaBinaryOp; right?: boolean }> = {
  '||': { lbp: 10, op: '||' },
  '&&': { lbp: 20, op: '&&' },
  '=': { lbp: 30, op: '=' },
  '==': { lbp: 30, op: '=' },
  '!=': { lbp: 30, op: '!=' },
  '<>': { lbp: 30, op: '!=' },
  '<': { lbp: 30, op: '<' },
  '<=': { lbp: 30, op: '<=' },
  '>': { lbp: 30, op: '>' },
  '>=': { lbp: 30, op: '>=' },
  '&': { lbp: 40, op: '&' },
  '+': { lbp: 50, op: '+' },
  '-': { lbp: 50, op: '-' },
  '*': { lbp: 60, op: '*' },
  '/': { lbp: 60, op: '/' },
  '%': { lbp: 60, op: '%' },
  '^': { lbp: 80, op: '^', right: true },
};
const PREFIX_BP = 70;

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.i] ?? (this.tokens[this.tokens.length - 1] as Token);
  }

  private next(): Token {
    const t = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }

  parseAll(): FormulaAst {
    if (this.peek().type === 'eof') syntax(0, '公式为空', 'the formula is empty');
    const ast = this.expr(0, 1);
    const t = this.peek();
    if (t.type !== 'eof') {
      if (t.type === 'rparen') syntax(t.pos, '多余的右括号', 'unmatched ")"');
      const d = describe(t);
      syntax(t.pos, `${d.zh}（缺少运算符？）`, `${d.en} (missing an operator?)`);
    }
    return ast;
  }

  private expr(minBp: number, depth: number): FormulaAst {
    if (depth > FORMULA_MAX_DEPTH) {
      const pos = this.peek().pos;
      fail(
        'formulaTooDeep',
        pos,
        `第 ${pos + 1} 列：公式嵌套超过 ${FORMULA_MAX_DEPTH} 层`,
        `Column ${pos + 1}: the formula is nested more than ${FORMULA_MAX_DEPTH} levels deep`,
      );
    }
    let left = this.prefix(depth);
    for (;;) {
      const t = this.peek();
      if (t.type !== 'op') break;
      const info = BINARY[t.value];
      if (!info) {
        const d = describe(t);
        syntax(t.pos, d.zh, d.en);
      }
      if (info.lbp <= minBp) break;
      this.next();
      const right = this.expr(info.right ? info.lbp - 1 : info.lbp, depth + 1);
      left = { kind: 'binary', op: info.op, left, right, pos: t.pos };
    }
    return left;
  }

  private prefix(depth: number): FormulaAst {
    const t = this.next();
    switch (t.type) {
      case 'number':
        return { kind: 'number', value: t.value, pos: t.pos };
      case 'string':
        return { kind: 'string', value: t.value, pos: t.pos };
      case 'lparen': {
        const inner = this.expr(0, depth + 1);
        const close = this.next();
        if (close.type !== 'rparen') {
          const d = describe(close);
          syntax(close.pos, `${d.zh}，缺少右括号`, `${d.en}, expected ")"`);
        }
        return inner;
      }
      case 'op': {
        if (t.value === '-' || t.value === '+' || t.value === '!') {
          const operand = this.expr(PREFIX_BP, depth + 1);
          return { kind: 'unary', op: t.value as FormulaUnaryOp, operand, pos: t.pos };
        }
        const d = describe(t);
        return syntax(t.pos, d.zh, d.en);
      }
      case 'ident':
        return this.ident(t, depth);
      default: {
        const d = describe(t);
        return syntax(t.pos, d.zh, d.en);
      }
    }
  }

  private ident(t: Token, depth: number): FormulaAst {
    const upper = t.value.toUpperCase();
    if (this.peek().type === 'lparen') {
      if (t.value.includes('.')) syntax(t.pos, `${t.value} 不是函数名`, `${t.value} is not a function name`);
      this.next();
      const args: FormulaAst[] = [];
      if (this.peek().type === 'rparen') {
        this.next();
        return { kind: 'call', name: upper, args, pos: t.pos };
      }
      for (;;) {
        args.push(this.expr(0, depth + 1));
        const sep = this.next();
        if (sep.type === 'rparen') break;
        if (sep.type !== 'comma') {
          const d = describe(sep);
          syntax(sep.pos, `${d.zh}，应为逗号或右括号`, `${d.en}, expected "," or ")"`);
        }
      }
      return { kind: 'call', name: upper, args, pos: t.pos };
    }
    if (upper === 'TRUE' || upper === 'FALSE')
      return { kind: 'boolean', value: upper === 'TRUE', pos: t.pos };
    if (upper === 'NULL') return { kind: 'null', pos: t.pos };
    return { kind: 'ref', path: t.value.split('.'), pos: t.pos };
  }
}

/** Every field path a syntax tree references, each once, in order of appearance. */
export function collectRefs(ast: FormulaAst): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  const walk = (node: FormulaAst): void => {
    switch (node.kind) {
      case 'ref': {
        const k = node.path.join('.');
        if (!seen.has(k)) {
          seen.add(k);
          out.push([...node.path]);
        }
        return;
      }
      case 'call':
        for (const a of node.args) walk(a);
        return;
      case 'unary':
        walk(node.operand);
        return;
      case 'binary':
        walk(node.left);
        walk(node.right);
        return;
      default:
        return;
    }
  };
  walk(ast);
  return out;
}

/** Parse a formula. Never throws. */
export function parseFormula(src: string): ParseFormulaResult {
  if (typeof src !== 'string') {
    return {
      ok: false,
      issue: {
        code: 'formulaSyntax',
        position: 0,
        message: { 'zh-CN': '公式必须是文本', en: 'A formula must be text' },
      },
    };
  }
  if (src.length > FORMULA_MAX_LENGTH) {
    return {
      ok: false,
      issue: {
        code: 'formulaTooLong',
        position: FORMULA_MAX_LENGTH,
        message: {
          'zh-CN': `公式过长（最多 ${FORMULA_MAX_LENGTH} 个字符）`,
          en: `The formula is too long (at most ${FORMULA_MAX_LENGTH} characters)`,
        },
      },
    };
  }
  try {
    const ast = new Parser(tokenize(src)).parseAll();
    return { ok: true, ast, refs: collectRefs(ast) };
  } catch (e) {
    if (e instanceof SyntaxFailure) return { ok: false, issue: e.issue };
    // A stack overflow or a bug must still not escape to the caller.
    return {
      ok: false,
      issue: {
        code: 'formulaSyntax',
        position: 0,
        message: { 'zh-CN': '无法解析公式', en: 'The formula could not be parsed' },
      },
    };
  }
}

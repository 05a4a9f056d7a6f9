/**
 * The formula syntax tree. Plain JSON (no classes) so it can be cached, logged and sent to an editor.
 * `pos` is the 0-based offset of the node's first character in the source.
 */

export type FormulaBinaryOp =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '^'
  | '&'
  | '='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | '&&'
  | '||';

export type FormulaUnaryOp = '-' | '+' | '!';

export type FormulaAst =
  /** `value` is the decimal text as written (`1.5`, `1e3`), read exactly with big.js. */
  | { kind: 'number'; value: string; pos: number }
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'boolean'; value: boolean; pos: number }
  | { kind: 'null'; pos: number }
  /** A field reference: `['qty']`, or a subform column `['items', 'amount']`. */
  | { kind: 'ref'; path: string[]; pos: number }
  /** `name` is upper-cased. */
  | { kind: 'call'; name: string; args: FormulaAst[]; pos: number }
  | { kind: 'unary'; op: FormulaUnaryOp; operand: FormulaAst; pos: number }
  | { kind: 'binary'; op: FormulaBinaryOp; left: FormulaAst; right: FormulaAst; pos: number };

/**
 * A formula's result as the outside world sees it: numbers are JS numbers (converted from exact decimals),
 * dates are `YYYY-MM-DD` strings, date-times ISO strings (`2024-05-01T08:00:00.000Z`), lists are arrays.
 */
export type FormulaValue = number | string | boolean | null | FormulaValue[];

/** What an evaluation can see: field values by path, the current instant and the user's time zone. */
export interface FormulaContext {
  /**
   * The value at a field path: `['qty']` → the field's value; `['items', 'amount']` → the list of that
   * column's values over the subform's rows; `['items']` → the rows. Return undefined for no value.
   */
  get(path: string[]): unknown;
  now: Date;
  /** IANA time zone name, e.g. `Asia/Shanghai`: TODAY(), YEAR()… of date-times are taken there. */
  timeZone: string;
}

/** Limits on a formula's source. */
export const FORMULA_MAX_LENGTH = 4000;
export const FORMULA_MAX_DEPTH = 64;

export {
  FORMULA_MAX_DEPTH,
  FORMULA_MAX_LENGTH,
  type FormulaAst,
  type FormulaBinaryOp,
  type FormulaContext,
  type FormulaUnaryOp,
  type FormulaValue,
} from './ast.js';
export { FORMULA_FUNCTIONS, getFormulaFunction } from './catalogue.js';
export { type EvaluateFormulaResult, evaluateFormula } from './evaluate.js';
export type { FormulaFunctionCategory, FormulaFunctionInfo } from './functions.js';
export {
  collectRefs as formulaRefs,
  type FormulaSyntaxCode,
  type FormulaSyntaxIssue,
  type ParseFormulaResult,
  parseFormula,
} from './parser.js';

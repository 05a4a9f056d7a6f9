export {
  FORMULA_MAX_DEPTH,
  FORMULA_MAX_LENGTH,
  type FormulaAst,
  type FormulaBinaryOp,
  type FormulaContext,
  type FormulaUnaryOp,
  type FormulaValue,
} from './ast.js';
export { type EvaluateFormulaResult, evaluateFormula } from './evaluate.js';
export {
  FORMULA_FUNCTIONS,
  type FormulaFunctionCategory,
  type FormulaFunctionInfo,
  getFormulaFunction,
} from './functions.js';
export {
  collectRefs as formulaRefs,
  type FormulaSyntaxCode,
  type FormulaSyntaxIssue,
  type ParseFormulaResult,
  parseFormula,
} from './parser.js';

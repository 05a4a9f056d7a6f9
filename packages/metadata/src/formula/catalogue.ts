import { FUNCTION_DOCS, type FunctionDoc } from './function-docs.js';
import { type FormulaFunctionInfo, FUNCTION_CORES } from './functions.js';

// The documented catalogue: a module of its own, imported by what shows the functions (the formula editor,
// the docs). Evaluating and checking formulas use functions.ts only (`functionCore`), so a browser chunk
// that evaluates formulas does not carry the descriptions.

/** The function catalogue, sorted by name, with each function's syntax, description and example. */
export const FORMULA_FUNCTIONS: readonly FormulaFunctionInfo[] = Object.freeze(
  [...FUNCTION_CORES]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((f) => ({ ...f, ...(FUNCTION_DOCS[f.name] as FunctionDoc) })),
);

const byName = new Map(FORMULA_FUNCTIONS.map((f) => [f.name, f]));

export function getFormulaFunction(name: string): FormulaFunctionInfo | undefined {
  return byName.get(name.toUpperCase());
}

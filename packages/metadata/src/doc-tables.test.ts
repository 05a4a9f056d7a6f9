import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fieldTypeTable, formulaFunctionTable } from './doc-tables.js';
import { FIELD_TYPE_NAMES } from './field-types/index.js';
import { FORMULA_FUNCTIONS } from './formula/catalogue.js';

/** The generated part of a doc page, between `<!-- name:start -->` and `<!-- name:end -->`. */
function generated(page: string, name: string): string | undefined {
  const doc = readFileSync(new URL(`../../../docs/${page}`, import.meta.url), 'utf8');
  return new RegExp(`<!-- ${name}:start -->\\n([\\s\\S]*?)\\n<!-- ${name}:end -->`).exec(doc)?.[1];
}

describe('reference tables in docs/', () => {
  it('field-types.md lists every field type exactly as the registry declares it', () => {
    const table = generated('field-types.md', 'field-type-table');
    expect(table).toBe(fieldTypeTable());
    for (const name of FIELD_TYPE_NAMES) expect(table).toContain(`| \`${name}\` |`);
  });

  it('formulas.md lists every function exactly as the catalogue declares it', () => {
    const table = generated('formulas.md', 'formula-function-table');
    expect(table).toBe(formulaFunctionTable());
    for (const f of FORMULA_FUNCTIONS) expect(table).toContain(f.syntax);
  });
});

// Rewrites the generated reference tables in docs/ from the registries (`pnpm docs:tables`);
// packages/metadata/src/doc-tables.test.ts fails when they are out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { fieldTypeTable, formulaFunctionTable } from '../packages/metadata/src/doc-tables.js';

const root = new URL('../docs/', import.meta.url);
const tables: [string, string, string][] = [
  ['field-types.md', 'field-type-table', fieldTypeTable()],
  ['formulas.md', 'formula-function-table', formulaFunctionTable()],
];
for (const [page, name, table] of tables) {
  const file = new URL(page, root);
  const doc = readFileSync(file, 'utf8');
  const re = new RegExp(`(<!-- ${name}:start -->\\n)[\\s\\S]*?(<!-- ${name}:end -->)`);
  if (!re.test(doc)) throw new Error(`${page}: markers <!-- ${name}:start/end --> not found`);
  writeFileSync(
    file,
    doc.replace(re, (_, a: string, b: string) => `${a}${table}\n${b}`),
  );
  console.log(`updated docs/${page}`);
}

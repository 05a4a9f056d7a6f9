import { fieldTypes } from './field-types/index.js';
import { FORMULA_FUNCTIONS } from './formula/catalogue.js';

/**
 * Reference tables of the documentation, rendered from the registries so the docs cannot drift from the
 * code: doc-tables.test.ts compares them with docs/field-types.md and docs/formulas.md.
 */

/** docs/field-types.md: every field type. */
export function fieldTypeTable(): string {
  const head =
    '| type | 中文 | English | type-specific properties | filter operators | sort | index | search |\n' +
    '|---|---|---|---|---|---|---|---|';
  const rows = Object.values(fieldTypes).map((t) => {
    const props = Object.keys((t.definitionSchema.properties as Record<string, unknown> | undefined) ?? {});
    const required = new Set((t.definitionSchema.required as string[] | undefined) ?? []);
    const propList = props.map((p) => (required.has(p) ? `**${p}**` : p)).join(', ') || '—';
    const yes = (b: boolean) => (b ? '✓' : '');
    const ops = t.operators.join(', ') || '—';
    return `| \`${t.name}\` | ${t.label['zh-CN']} | ${t.label.en} | ${propList} | ${ops} | ${yes(t.sortable)} | ${yes(t.indexable)} | ${yes(t.searchable)} |`;
  });
  return [head, ...rows].join('\n');
}

/** docs/formulas.md: every function. */
export function formulaFunctionTable(): string {
  const head = '| function | category | 说明 | description | example |\n|---|---|---|---|---|';
  const rows = FORMULA_FUNCTIONS.map(
    (f) =>
      `| \`${f.syntax}\` | ${f.category} | ${f.description['zh-CN']} | ${f.description.en} | \`${f.example}\` |`,
  );
  return [head, ...rows].join('\n');
}

import type {
  computeRecord,
  defaultValues,
  EntityDefinition,
  FieldDefinition,
  hiddenFields,
  linkageValues,
  parseFormula,
  rowDefaults,
} from '@formwork/metadata';

/**
 * What a form evaluates — formulas, show/hide rules, default values, data linkage — with metadata's formula
 * engine (its parser, its evaluator and the function catalogue: ~13 kB gzipped). The engine is a chunk of its
 * own (logic-engine.ts), fetched for the forms that evaluate something. A form that evaluates nothing (no
 * formula field, show/hide rule, default value or data linkage, in subforms neither) runs `PLAIN_LOGIC`,
 * which answers what the engine answers for such a form.
 */
export interface FormLogic {
  computeRecord: typeof computeRecord;
  defaultValues: typeof defaultValues;
  hiddenFields: typeof hiddenFields;
  linkageValues: typeof linkageValues;
  parseFormula: typeof parseFormula;
  rowDefaults: typeof rowDefaults;
}

function evaluates(f: FieldDefinition): boolean {
  return (
    f.type === 'formula' ||
    f.visibleWhen !== undefined ||
    f.defaultValue !== undefined ||
    (f.fill?.length ?? 0) > 0 ||
    (f.fields ?? []).some(evaluates)
  );
}

/** Whether a form of `entity` evaluates anything (and so needs the engine). */
export function needsFormLogic(entity: EntityDefinition): boolean {
  return entity.fields.some(evaluates);
}

/** The form logic of an entity that has nothing to evaluate. */
export const PLAIN_LOGIC: FormLogic = {
  computeRecord: (_entity, data) => ({ data: { ...data }, errors: [] }),
  defaultValues: () => ({}),
  hiddenFields: () => [],
  linkageValues: () => ({}),
  parseFormula: () => {
    throw new Error('PLAIN_LOGIC parses no formula: the form has none');
  },
  rowDefaults: () => ({}),
};

let engine: FormLogic | undefined;
let loading: Promise<FormLogic> | undefined;

/** Fetches the formula engine (once; a failed fetch is retried by the next call). */
export function loadFormLogic(): Promise<FormLogic> {
  loading ??= import('./logic-engine.js').then(
    (m) => {
      engine = m;
      return m;
    },
    (e: unknown) => {
      loading = undefined;
      throw e;
    },
  );
  return loading;
}

/**
 * The logic a form of `entity` runs, when it can run now: `PLAIN_LOGIC` for a form that evaluates nothing,
 * the engine once fetched, else null (`loadFormLogic` first).
 */
export function formLogicFor(entity: EntityDefinition): FormLogic | null {
  if (!needsFormLogic(entity)) return PLAIN_LOGIC;
  return engine ?? null;
}

/** Fetches what a form of `entity` needs to run (nothing for a form that evaluates nothing). */
export async function prepareFormLogic(entity: EntityDefinition): Promise<FormLogic> {
  return formLogicFor(entity) ?? loadFormLogic();
}

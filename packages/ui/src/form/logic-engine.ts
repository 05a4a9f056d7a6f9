// The form's formula engine (see logic.ts): metadata's formula parser and evaluator with the form logic built
// on them — a chunk of its own, fetched for the forms that evaluate something.
export {
  computeRecord,
  defaultValues,
  hiddenFields,
  linkageValues,
  parseFormula,
  rowDefaults,
} from '@formwork/metadata';

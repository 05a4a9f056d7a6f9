import type { ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { JsonSchema } from './field-types/index.js';

/**
 * A fresh Ajv (draft 2020-12) with the standard formats and Formwork's `x-*` annotations. Each compiled
 * entity owns its instance, so an evicted entity frees its compiled code with it.
 */
export function newAjv(): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    allowUnionTypes: true,
    logger: false,
  });
  addFormats(ajv);
  ajv.addVocabulary(['x-label', 'x-type', 'x-entity']);
  return ajv;
}

export function compileSchema(schema: JsonSchema): ValidateFunction {
  return newAjv().compile(schema);
}

export * from './auto-number.js';
export { isValidTimeZone } from './calendar.js';
export * from './compute.js';
export { parseNumberText, roundDecimal } from './decimal.js';
export * from './diff-entity.js';
export * from './errors.js';
export * from './field-types/index.js';
export * from './filter.js';
export * from './filter-validate.js';
export * from './form-logic.js';
export * from './formula/index.js';
export { localize, resolveLocale, toMessage } from './i18n.js';
export * from './json-schema.js';
export {
  ENTITY_KEY_PATTERN,
  entityDefinitionSchema,
  FIELD_KEY_PATTERN,
  fieldDefinitionSchema,
  parseEntityDefinition,
  RESERVED_FIELD_KEYS,
} from './parse-definition.js';
export * from './period.js';
export { foldText, isEmptyValue, phoneDedupeKey, toHalfWidth } from './text-normalise.js';
export * from './types.js';
export {
  type CompiledEntity,
  checkRules,
  clearCompiledEntities,
  compileEntity,
  compileEntityCached,
  type RuleContext,
  type ValidateOptions,
  validationMessages,
} from './validate.js';

export { FormRenderer, fieldTitle, formUiSchema, isEditableType, prepareForm } from './FormRenderer.js';
export {
  browserTimeZone,
  type FieldState,
  FormRuntime,
  loadValidation,
  type RuntimeOptions,
} from './runtime.js';
export { sanitizeHtml } from './sanitize.js';
export { type FieldSpec, fieldSpecs, SchemaForm, type SchemaFormProps, uiOptions } from './schema-form.js';
export {
  FieldTemplate,
  type FieldTemplateProps,
  ObjectFieldTemplate,
  type ObjectFieldTemplateProps,
} from './templates.js';
export type {
  FieldAccess,
  FileValue,
  FormRendererProps,
  FormServices,
  FormworkContext,
  LocationValue,
  RegistryWidgetsType,
  Widget,
  WidgetOptions,
  WidgetProps,
  WidgetRegistry,
} from './types.js';
export { formatAmount, groupThousands } from './widgets/common.js';
export { acceptsType } from './widgets/files.js';
export * from './widgets/index.js';
export { displayText, recordLabel } from './widgets/relation.js';

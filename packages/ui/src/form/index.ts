export { FormRenderer, fieldTitle, formUiSchema, isEditableType } from './FormRenderer.js';
export { browserTimeZone, FormRuntime, type RuntimeOptions } from './runtime.js';
export { sanitizeHtml } from './sanitize.js';
export { FieldTemplate, ObjectFieldTemplate, WidgetField } from './templates.js';
export type {
  FieldAccess,
  FileValue,
  FormRendererProps,
  FormServices,
  FormworkContext,
  LocationValue,
} from './types.js';
export { formatAmount, groupThousands } from './widgets/common.js';
export { acceptsType } from './widgets/files.js';
export * from './widgets/index.js';
export { displayText, recordLabel } from './widgets/relation.js';

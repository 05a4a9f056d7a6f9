import type { FieldDefinition, Issue, JsonSchema } from '@formwork/metadata';
import { type FormEvent, memo, type ReactElement, type ReactNode, useMemo } from 'react';
import { FieldTemplate, ObjectFieldTemplate } from './templates.js';
import type { FormworkContext, RegistryWidgetsType, WidgetOptions, WidgetRegistry } from './types.js';
import { useRuntime } from './widgets/common.js';

/**
 * Formwork's form renderer: rjsf's contract — a JSON Schema, a UI schema (`ui:order`, `ui:widget`,
 * `ui:options`, `ui:readonly`…) and a registry of widgets with rjsf's props — without rjsf's form-wide state
 * (ADR 0012). The values live in the `FormRuntime`; each field subscribes to its own value, visibility and
 * errors, so a keystroke re-renders the field typed into and whatever it changes, never the other fields.
 * Entity schemas are flat objects (subforms are one widget), which is all this renderer draws.
 */

/** One property of the schema, resolved once per schema and UI schema. */
export interface FieldSpec {
  key: string;
  /** `root_<key>`, as rjsf names it. */
  id: string;
  /** The `ui:widget` name. */
  widget: string;
  options: WidgetOptions;
  schema: JsonSchema;
  uiSchema: JsonSchema;
  label: string;
  required: boolean;
  readonly: boolean;
  disabled: boolean;
  autofocus: boolean;
  placeholder: string | undefined;
  /** The field definition (`ui:options.fw`). */
  field: FieldDefinition | undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `ui:options` merged with the other `ui:*` keys, prefix removed (rjsf's `getUiOptions`). */
export function uiOptions(ui: JsonSchema): WidgetOptions {
  const out: WidgetOptions = {};
  for (const [k, v] of Object.entries(ui)) {
    if (!k.startsWith('ui:')) continue;
    if (k === 'ui:options') {
      if (isObject(v)) Object.assign(out, v);
    } else out[k.slice(3)] = v;
  }
  return out;
}

/** The properties in `ui:order` (`*` stands for the ones not named), else in schema order. */
function ordered(properties: string[], order: unknown): string[] {
  if (!Array.isArray(order)) return properties;
  const named = order.filter((k): k is string => typeof k === 'string');
  const known = named.filter((k) => k === '*' || properties.includes(k));
  const rest = properties.filter((k) => !known.includes(k));
  const at = known.indexOf('*');
  if (at < 0) return [...known, ...rest];
  return [...known.slice(0, at), ...rest, ...known.slice(at + 1)];
}

/** Default widgets by JSON type, for properties the UI schema names none for. */
function defaultWidget(schema: JsonSchema): string {
  const t = Array.isArray(schema.type) ? schema.type.find((x) => x !== 'null') : schema.type;
  if (t === 'boolean') return 'checkbox';
  if (t === 'number' || t === 'integer') return 'updown';
  return 'text';
}

/** The fields of a (flat, object) schema with their widgets and options. */
export function fieldSpecs(
  schema: JsonSchema,
  uiSchema: JsonSchema,
  form: { readonly?: boolean; disabled?: boolean } = {},
): FieldSpec[] {
  const properties = isObject(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  return ordered(Object.keys(properties), uiSchema['ui:order']).map((key) => {
    const s = (isObject(properties[key]) ? properties[key] : {}) as JsonSchema;
    const ui = (isObject(uiSchema[key]) ? uiSchema[key] : {}) as JsonSchema;
    const options = uiOptions(ui);
    const title = typeof ui['ui:title'] === 'string' ? ui['ui:title'] : s.title;
    return {
      key,
      id: `root_${key}`,
      widget: typeof options.widget === 'string' ? options.widget : defaultWidget(s),
      options,
      schema: s,
      uiSchema: ui,
      label: typeof title === 'string' ? title : key,
      required: required.has(key),
      readonly: Boolean(form.readonly || s.readOnly === true || options.readonly === true),
      disabled: Boolean(form.disabled || options.disabled === true),
      autofocus: options.autofocus === true,
      placeholder: typeof options.placeholder === 'string' ? options.placeholder : undefined,
      field: isObject(options.fw) ? (options.fw as unknown as FieldDefinition) : undefined,
    };
  });
}

const NONE: string[] = [];
const noop = () => undefined;

/** One field: subscribes to its value, visibility and issues (one channel); hidden fields render nothing. */
const SchemaField = memo(function SchemaField(props: {
  spec: FieldSpec;
  registry: WidgetRegistry;
  onChange(value: unknown): void;
}) {
  const { spec, registry, onChange } = props;
  const ctx = registry.formContext;
  const runtime = ctx.runtime;
  const key = spec.key;
  const { value, hidden, issues } = useRuntime(runtime, `field:${key}`, () => runtime.fieldState(key));
  if (hidden || spec.widget === 'hidden') return null;
  const rawErrors = ownMessages(issues, key, ctx.locale);
  const Widget = registry.widgets[spec.widget] ?? registry.widgets.text;
  return (
    <FieldTemplate
      id={spec.id}
      name={key}
      field={spec.field}
      label={spec.label}
      required={spec.required}
      issues={issues}
      ctx={ctx}
    >
      {Widget ? (
        <Widget
          id={spec.id}
          name={key}
          label={spec.label}
          value={value}
          required={spec.required}
          disabled={spec.disabled}
          readonly={spec.readonly || runtime.isReadOnly(key)}
          autofocus={spec.autofocus}
          {...(spec.placeholder !== undefined ? { placeholder: spec.placeholder } : {})}
          schema={spec.schema}
          uiSchema={spec.uiSchema}
          options={spec.options}
          registry={registry}
          rawErrors={rawErrors}
          onChange={onChange}
          onBlur={noop}
          onFocus={noop}
        />
      ) : null}
    </FieldTemplate>
  );
});

function ownMessages(issues: readonly Issue[], key: string, locale: FormworkContext['locale']): string[] {
  if (issues.length === 0) return NONE;
  const own = issues.filter((i) => i.field === key);
  return own.length === 0 ? NONE : own.map((i) => i.message[locale]);
}

export interface SchemaFormProps {
  schema: JsonSchema;
  uiSchema: JsonSchema;
  widgets: RegistryWidgetsType;
  formContext: FormworkContext;
  readonly?: boolean;
  disabled?: boolean;
  onSubmit(): void;
  /** Below the fields, inside the `<form>` (the submit button). */
  children?: ReactNode;
}

/** A `<form>` with one field per schema property, laid out by the entity's sections. */
export function SchemaForm(props: SchemaFormProps): ReactElement {
  const { schema, uiSchema, widgets, formContext, readonly, disabled, onSubmit } = props;
  const specs = useMemo(
    () => fieldSpecs(schema, uiSchema, { readonly, disabled }),
    [schema, uiSchema, readonly, disabled],
  );
  const registry = useMemo<WidgetRegistry>(() => ({ widgets, formContext }), [widgets, formContext]);
  const runtime = formContext.runtime;
  const fields = useMemo(
    () =>
      new Map(
        specs.map((s) => [
          s.key,
          <SchemaField
            key={s.key}
            spec={s}
            registry={registry}
            onChange={(v: unknown) => runtime.setValue(s.key, v)}
          />,
        ]),
      ),
    [specs, registry, runtime],
  );
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    onSubmit();
  };
  return (
    <form className="fw-schema-form" noValidate onSubmit={submit}>
      <ObjectFieldTemplate entity={formContext.entity} locale={formContext.locale} fields={fields} />
      {props.children}
    </form>
  );
}

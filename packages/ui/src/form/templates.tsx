import { type FieldDefinition, localize } from '@formwork/metadata';
import type { FieldProps, FieldTemplateProps, ObjectFieldTemplateProps, WidgetProps } from '@rjsf/utils';
import { getUiOptions } from '@rjsf/utils';
import type { ReactElement } from 'react';
import type { FormworkContext } from './types.js';
import { useRuntime } from './widgets/common.js';

/** Field types that take the whole row of a multi-column section. */
const FULL_WIDTH = new Set([
  'subform',
  'longText',
  'richText',
  'attachment',
  'image',
  'signature',
  'location',
]);

/**
 * One top-level field: label, widget, errors (client and server, in the user's language) and help. It
 * subscribes to its own `hidden:` and `issues:` channels only.
 */
export function FieldTemplate(props: FieldTemplateProps) {
  const ctx = props.registry.formContext as FormworkContext;
  const key = String(props.fieldPathId.path[0] ?? '');
  const depth = props.fieldPathId.path.length;
  const runtime = ctx.runtime;
  const hidden = useRuntime(runtime, `hidden:${key}`, () => (depth === 1 ? runtime.isHidden(key) : false));
  const issues = useRuntime(runtime, `issues:${key}`, () =>
    depth === 1 ? runtime.issuesFor(key) : runtime.issuesFor('\u0000'),
  );
  if (depth !== 1) return props.children;
  if (hidden || props.hidden) return null;
  const field = (props.uiSchema?.['ui:options'] as { fw?: FieldDefinition } | undefined)?.fw;
  const type = field?.type ?? 'text';
  const own = issues.filter((i) => i.field === key || (type !== 'subform' && i.field.startsWith(`${key}.`)));
  const label = field ? localize(field.label, ctx.locale, key) : props.label;
  const help = field?.description !== undefined ? localize(field.description, ctx.locale, '') : '';
  const labelFor = type === 'richText' || type === 'subform' || type === 'location' ? undefined : props.id;
  return (
    <div
      className={`fw-field fw-type-${type}${FULL_WIDTH.has(type) ? ' fw-span-full' : ''}${own.length > 0 ? ' fw-field-invalid' : ''}`}
      data-field={key}
    >
      <label className="fw-label" htmlFor={labelFor} id={`${props.id}__label`}>
        {label}
        {props.required ? <span className="fw-required"> *</span> : null}
      </label>
      {props.children}
      {own.map((i) => (
        <div key={`${i.field}|${i.code}`} className="fw-error" role="alert" id={`${props.id}__error`}>
          {i.message[ctx.locale]}
        </div>
      ))}
      {help !== '' ? <div className="fw-help">{help}</div> : null}
    </div>
  );
}

/** The root object: fields without a section first, then each section in its columns. */
export function ObjectFieldTemplate(props: ObjectFieldTemplateProps) {
  const ctx = props.registry.formContext as FormworkContext;
  if (props.fieldPathId.path.length > 0) {
    return <div>{props.properties.map((p) => p.content)}</div>;
  }
  const byName = new Map(props.properties.map((p) => [p.name, p.content]));
  const sections = ctx.entity.layout?.sections ?? [];
  const placed = new Set(sections.flatMap((s) => s.fields));
  const loose: ReactElement[] = [];
  for (const f of ctx.entity.fields) {
    const c = byName.get(f.key);
    if (c && !placed.has(f.key)) loose.push(c);
  }
  const cols = (n: number | undefined) => ({ '--fw-cols': String(n ?? 1) }) as React.CSSProperties;
  return (
    <div className="fw-body">
      {loose.length > 0 && (
        <div className="fw-grid" style={cols(1)}>
          {loose}
        </div>
      )}
      {sections.map((s) => {
        const items = s.fields.map((k) => byName.get(k)).filter((c): c is ReactElement => c !== undefined);
        return (
          <details key={s.key} className="fw-section" open={!s.collapsed} data-section={s.key}>
            <summary>{localize(s.label, ctx.locale, s.key)}</summary>
            <div className="fw-grid" style={cols(s.columns)}>
              {items}
            </div>
          </details>
        );
      })}
    </div>
  );
}

/** Renders the widget named in `ui:widget` for schemas rjsf has no widget slot for (objects, untyped). */
export function WidgetField(props: FieldProps) {
  const options = getUiOptions(props.uiSchema);
  const name = typeof options.widget === 'string' ? options.widget : 'text';
  const Widget = props.registry.widgets[name];
  if (!Widget) return null;
  const widgetProps = {
    id: props.fieldPathId.$id,
    name: props.name,
    label: props.title ?? props.name,
    value: props.formData,
    required: props.required,
    disabled: props.disabled,
    readonly: props.readonly || props.uiSchema?.['ui:readonly'] === true,
    schema: props.schema,
    uiSchema: props.uiSchema,
    options,
    registry: props.registry,
    onChange: (v: unknown) => props.onChange(v as never, props.fieldPathId.path),
    onBlur: () => undefined,
    onFocus: () => undefined,
  } as unknown as WidgetProps;
  return <Widget {...widgetProps} />;
}

import { type EntityDefinition, type FieldDefinition, type Issue, localize } from '@formwork/metadata';
import type { CSSProperties, ReactElement, ReactNode } from 'react';
import type { FormworkContext } from './types.js';

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

/** Types whose widget is not one labellable input (the label names a group instead). */
const NO_LABEL_FOR = new Set(['richText', 'subform', 'location']);

export interface FieldTemplateProps {
  /** The input's id (`root_<key>`): the label points at it, errors are `<id>__error`. */
  id: string;
  /** The field key. */
  name: string;
  field: FieldDefinition | undefined;
  /** The schema title, when there is no field definition. */
  label: string;
  required: boolean;
  /** Issues on this field and everything under it (`items.0.qty`). */
  issues: readonly Issue[];
  ctx: FormworkContext;
  children: ReactNode;
}

/**
 * The frame of one top-level field: label, widget, errors (client and server, in the user's language) and
 * help text. The caller decides whether it is shown (show/hide rules, field access).
 */
export function FieldTemplate(props: FieldTemplateProps): ReactElement {
  const { field, ctx, name: key } = props;
  const type = field?.type ?? 'text';
  const own = props.issues.filter(
    (i) => i.field === key || (type !== 'subform' && i.field.startsWith(`${key}.`)),
  );
  const label = field ? localize(field.label, ctx.locale, key) : props.label;
  const help = field?.description !== undefined ? localize(field.description, ctx.locale, '') : '';
  return (
    <div
      className={`fw-field fw-type-${type}${FULL_WIDTH.has(type) ? ' fw-span-full' : ''}${own.length > 0 ? ' fw-field-invalid' : ''}`}
      data-field={key}
    >
      <label
        className="fw-label"
        htmlFor={NO_LABEL_FOR.has(type) ? undefined : props.id}
        id={`${props.id}__label`}
      >
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

export interface ObjectFieldTemplateProps {
  entity: EntityDefinition;
  locale: FormworkContext['locale'];
  /** The rendered fields by key. */
  fields: ReadonlyMap<string, ReactElement>;
}

/** The record: fields without a section first, then each section in its columns. */
export function ObjectFieldTemplate(props: ObjectFieldTemplateProps): ReactElement {
  const { entity, locale, fields } = props;
  const sections = entity.layout?.sections ?? [];
  const placed = new Set(sections.flatMap((s) => s.fields));
  const loose: ReactElement[] = [];
  for (const [key, content] of fields) if (!placed.has(key)) loose.push(content);
  const cols = (n: number | undefined) => ({ '--fw-cols': String(n ?? 1) }) as CSSProperties;
  return (
    <div className="fw-body">
      {loose.length > 0 && (
        <div className="fw-grid" style={cols(1)}>
          {loose}
        </div>
      )}
      {sections.map((s) => {
        const items = s.fields.map((k) => fields.get(k)).filter((c): c is ReactElement => c !== undefined);
        return (
          <details key={s.key} className="fw-section" open={!s.collapsed} data-section={s.key}>
            <summary>{localize(s.label, locale, s.key)}</summary>
            <div className="fw-grid" style={cols(s.columns)}>
              {items}
            </div>
          </details>
        );
      })}
    </div>
  );
}

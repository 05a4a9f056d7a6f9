import {
  defaultValues,
  type EntityDefinition,
  type FieldDefinition,
  getFieldType,
  localize,
  toJsonSchema,
  toUiSchema,
} from '@formwork/metadata';
import type { IChangeEvent } from '@rjsf/core';
import Form from '@rjsf/core';
import type { RJSFSchema, UiSchema } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import { Alert, Button } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { uiT } from '../i18n/index.js';
import { browserTimeZone, FormRuntime } from './runtime.js';
import { FORM_CSS } from './styles.js';
import { FieldTemplate, ObjectFieldTemplate, WidgetField } from './templates.js';
import type { FieldAccess, FormRendererProps, FormServices, FormworkContext } from './types.js';
import { useRuntime } from './widgets/common.js';
import { formworkWidgets } from './widgets/index.js';
import { recordLabel } from './widgets/relation.js';

/** Schemas rjsf cannot give a widget slot (objects, untyped values) are rendered through `WidgetField`. */
const AS_FIELD = new Set(['location', 'lookup']);

/** The rjsf UI schema of an entity: the registry's widgets plus the field definition for each widget. */
export function formUiSchema(
  entity: EntityDefinition,
  locale: 'zh-CN' | 'en',
  opts: { readonly?: boolean; fieldAccess?: Record<string, FieldAccess> } = {},
): UiSchema {
  const base = toUiSchema(entity, { locale }) as Record<string, unknown>;
  const ui: Record<string, unknown> = { ...base, 'ui:submitButtonOptions': { norender: true } };
  for (const field of entity.fields) {
    const own = { ...((base[field.key] as Record<string, unknown> | undefined) ?? {}) };
    own['ui:options'] = { ...((own['ui:options'] as Record<string, unknown> | undefined) ?? {}), fw: field };
    if (AS_FIELD.has(field.type)) own['ui:field'] = 'fwWidget';
    if (opts.readonly || opts.fieldAccess?.[field.key] === 'readOnly') own['ui:readonly'] = true;
    ui[field.key] = own;
  }
  return ui as UiSchema;
}

/** A stable services object that always calls the host's latest services. */
function latestServices(runtime: FormRuntime): FormServices {
  return new Proxy({} as FormServices, {
    get(_target, key) {
      const s = runtime.services as unknown as Record<PropertyKey, unknown>;
      const v = s[key];
      return typeof v === 'function' ? v.bind(runtime.services) : v;
    },
    has(_target, key) {
      return key in runtime.services;
    },
  });
}

let cssInjected = false;
function useFormCss(): void {
  useEffect(() => {
    if (cssInjected || typeof document === 'undefined') return;
    cssInjected = true;
    const style = document.createElement('style');
    style.dataset.formwork = 'form';
    style.textContent = FORM_CSS;
    document.head.appendChild(style);
  }, []);
}

function RecordBanner({ ctx }: { ctx: FormworkContext }) {
  const { runtime, locale, t, entity } = ctx;
  const issues = useRuntime(runtime, 'issues:', () => runtime.recordIssues());
  const dupes = useRuntime(runtime, 'duplicates', () => runtime.duplicateRecords());
  const title = (r: Record<string, unknown>) => {
    const tf = entity.titleField;
    const v = tf ? r[tf] : undefined;
    return typeof v === 'string' && v !== '' ? v : recordLabel(r);
  };
  const shown = dupes.slice(0, 3).map(title).join('、');
  return (
    <>
      {dupes.length > 0 && (
        <Alert
          type="warning"
          showIcon
          role="status"
          data-testid="fw-duplicates"
          title={t('form.duplicates', {
            names: dupes.length > 3 ? t('form.duplicatesMore', { names: shown, count: dupes.length }) : shown,
          })}
          style={{ marginBottom: 12 }}
        />
      )}
      {issues.map((i) => (
        <Alert
          key={`${i.code}|${i.message.en}`}
          type="error"
          showIcon
          role="alert"
          title={i.message[locale]}
          style={{ marginBottom: 12 }}
        />
      ))}
    </>
  );
}

function SubmitBar({ ctx, label, busy }: { ctx: FormworkContext; label: string; busy: boolean }) {
  return (
    <div className="fw-footer">
      <Button type="primary" htmlType="submit" size="large" loading={busy} className="fw-touch">
        {busy ? ctx.t('form.submitting') : label}
      </Button>
    </div>
  );
}

/**
 * The same object as long as the value is JSON-equal to the previous one: hosts may pass inline objects
 * (`value={{ ...record }}`) without resetting the form or re-deriving rjsf's state on every render.
 */
function useStable<T>(value: T): T {
  const ref = useRef<{ json: string; value: T } | null>(null);
  let json: string;
  try {
    json = JSON.stringify(value) ?? 'undefined';
  } catch {
    return value;
  }
  if (!ref.current || ref.current.json !== json) ref.current = { json, value };
  return ref.current.value;
}

/**
 * Renders an entity's form from its JSON Schema and UI schema with rjsf and Formwork's widgets. Validation is
 * the server's (`compileEntity(...).validate` + rules), formulas use the one evaluator, show/hide rules,
 * defaults and data linkage come from the definition. Values are submitted without computed, hidden or
 * read-only fields.
 */
export function FormRenderer(props: FormRendererProps) {
  const { locale, services } = props;
  const entity = useStable(props.entity);
  const value = useStable(props.value);
  const fieldAccess = useStable(props.fieldAccess);
  const serverIssues = useStable(props.serverIssues);
  const mode = props.mode ?? (value ? 'edit' : 'create');
  useFormCss();
  const t = uiT(locale);
  const onChangeRef = useRef(props.onChange);
  onChangeRef.current = props.onChange;
  // rjsf re-derives its state from the `formData` prop whenever any prop changes, so the prop is always the
  // runtime's latest data; `version` re-renders when the runtime changed values itself (data linkage).
  const [, setVersion] = useState(0);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);

  // A new services object from the host does not reset the form: the runtime reads the latest one.
  // biome-ignore lint/correctness/useExhaustiveDependencies: services are deliberately not a dependency
  const runtime = useMemo(() => {
    const tz = services.timeZone ?? browserTimeZone();
    const initial =
      mode === 'create'
        ? {
            ...defaultValues(entity, { now: services.now(), timeZone: tz, user: services.currentUser }),
            ...(value ?? {}),
          }
        : { ...(value ?? {}) };
    const recordId = typeof value?.id === 'string' ? value.id : undefined;
    return new FormRuntime({
      entity,
      services,
      initial,
      ...(fieldAccess ? { fieldAccess } : {}),
      ...(recordId ? { recordId } : {}),
      applyData: () => setVersion((v) => v + 1),
    });
  }, [entity, value, mode, fieldAccess]);
  runtime.services = services;

  useEffect(() => () => runtime.dispose(), [runtime]);

  useEffect(() => {
    runtime.setServerIssues(serverIssues ?? []);
  }, [runtime, serverIssues]);

  const ctx = useMemo<FormworkContext>(
    () => ({ entity, locale, services: latestServices(runtime), runtime, t, mode, names: new Map() }),
    [entity, locale, runtime, t, mode],
  );
  const schema = useMemo(() => toJsonSchema(entity, { locale }) as RJSFSchema, [entity, locale]);
  const uiSchema = useMemo(
    () =>
      formUiSchema(entity, locale, { readonly: mode === 'view', ...(fieldAccess ? { fieldAccess } : {}) }),
    [entity, locale, mode, fieldAccess],
  );
  const fields = useMemo(() => ({ fwWidget: WidgetField }), []);
  const templates = useMemo(() => ({ FieldTemplate, ObjectFieldTemplate }), []);
  const rootRef = useRef<HTMLDivElement>(null);
  const submitLabel = props.submitLabel ?? t('form.submit');
  // One element per state, so re-rendering the host does not hand rjsf new children.
  const footer = useMemo(
    () => (mode === 'view' ? <span /> : <SubmitBar ctx={ctx} label={submitLabel} busy={busy} />),
    [mode, ctx, submitLabel, busy],
  );

  const handleChange = (e: IChangeEvent) => {
    runtime.update((e.formData ?? {}) as Record<string, unknown>);
    onChangeRef.current?.(runtime.computed);
  };

  const handleSubmit = async () => {
    if (busy || mode === 'view') return;
    const r = runtime.validate();
    if (!r.ok) {
      setFailed(true);
      const first = r.issues.find((i) => i.field !== '')?.field.split('.')[0];
      const el = first ? rootRef.current?.querySelector<HTMLElement>(`[data-field="${first}"]`) : undefined;
      el?.scrollIntoView?.({ block: 'center' });
      el?.querySelector<HTMLElement>('input, textarea, [tabindex], button')?.focus?.();
      return;
    }
    setFailed(false);
    setBusy(true);
    try {
      await props.onSubmit(r.value);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="fw-form" ref={rootRef} lang={locale}>
      <RecordBanner ctx={ctx} />
      {failed && <Alert type="error" showIcon title={t('form.fixErrors')} style={{ marginBottom: 12 }} />}
      <Form
        schema={schema}
        uiSchema={uiSchema}
        formData={runtime.data}
        validator={validator}
        widgets={formworkWidgets}
        fields={fields}
        templates={templates}
        formContext={ctx}
        noValidate
        noHtml5Validate
        showErrorList={false}
        readonly={mode === 'view'}
        experimental_defaultFormStateBehavior={{
          arrayMinItems: { populate: 'never' },
          emptyObjectFields: 'skipDefaults',
        }}
        onChange={handleChange}
        onSubmit={() => void handleSubmit()}
      >
        {footer}
      </Form>
    </div>
  );
}

/** The label of a field in a locale (for hosts showing field names next to the form). */
export function fieldTitle(field: FieldDefinition, locale: 'zh-CN' | 'en'): string {
  return localize(field.label, locale, field.key);
}

/** Whether the form shows an input for this field type (computed types are display-only). */
export function isEditableType(field: FieldDefinition): boolean {
  return !(getFieldType(field.type)?.computed ?? true);
}

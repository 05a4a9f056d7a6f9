import {
  type EntityDefinition,
  type FieldDefinition,
  getFieldType,
  type JsonSchema,
  localize,
  toJsonSchema,
  toUiSchema,
} from '@formwork/metadata';
import { Alert, Button, ConfigProvider, Spin, theme } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { uiT } from '../i18n/index.js';
import { preloadSelect } from '../views/deferred-select.js';
import { type FormLogic, formLogicFor, prepareFormLogic } from './logic.js';
import { browserTimeZone, FormRuntime, loadValidation } from './runtime.js';
import { SchemaForm } from './schema-form.js';
import { FORM_CSS, formThemeVars } from './styles.js';
import type { FieldAccess, FormRendererProps, FormServices, FormworkContext } from './types.js';
import { useRuntime } from './widgets/common.js';
import { formworkWidgets } from './widgets/index.js';
import { recordLabel } from './widgets/relation.js';

/** The UI schema of an entity: the registry's widgets plus the field definition for each widget. */
export function formUiSchema(
  entity: EntityDefinition,
  locale: 'zh-CN' | 'en',
  opts: { readonly?: boolean; fieldAccess?: Record<string, FieldAccess> } = {},
): JsonSchema {
  const base = toUiSchema(entity, { locale });
  const ui: JsonSchema = { ...base };
  for (const field of entity.fields) {
    const own = { ...((base[field.key] as JsonSchema | undefined) ?? {}) };
    own['ui:options'] = { ...((own['ui:options'] as JsonSchema | undefined) ?? {}), fw: field };
    if (opts.readonly || opts.fieldAccess?.[field.key] === 'readOnly') own['ui:readonly'] = true;
    ui[field.key] = own;
  }
  return ui;
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
function injectFormCss(): void {
  if (cssInjected || typeof document === 'undefined') return;
  cssInjected = true;
  const style = document.createElement('style');
  style.dataset.formwork = 'form';
  style.textContent = FORM_CSS;
  document.head.appendChild(style);
}
function useFormCss(): void {
  useEffect(injectFormCss, []);
}

/**
 * One-time work of the first form, done ahead (a host calls it at idle time after loading this module): the
 * strings of the locale and the form's CSS, and — for an entity whose form evaluates formulas, rules, defaults
 * or linkage — the formula engine. Opening the form then only renders it.
 */
export function prepareForm(locale: 'zh-CN' | 'en', entity?: EntityDefinition): void {
  uiT(locale);
  injectFormCss();
  if (entity) prepareFormLogic(entity).catch(() => undefined);
}

/**
 * The logic a form of `entity` runs (logic.ts): at once when it has it, else null until the formula engine
 * has been fetched. A failed fetch is retried after a moment.
 */
function useFormLogic(entity: EntityDefinition): FormLogic | null {
  const [, setArrived] = useState(0);
  const logic = formLogicFor(entity);
  useEffect(() => {
    if (logic) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const fetch = () => {
      prepareFormLogic(entity).then(
        () => live && setArrived((n) => n + 1),
        () => {
          if (live) timer = setTimeout(fetch, 2000);
        },
      );
    };
    fetch();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [entity, logic]);
  return logic;
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
 * (`value={{ ...record }}`) without resetting the form on every render.
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
 * Renders an entity's form from its JSON Schema and UI schema with Formwork's widgets (`SchemaForm`, rjsf's
 * contract). Validation is the server's (`compileEntity(...).validate` + rules, loaded when the user starts
 * filling in the form), formulas use the one evaluator, show/hide rules, defaults and data linkage come from
 * the definition. Values are submitted without computed, hidden or read-only fields.
 */
export function FormRenderer(props: FormRendererProps) {
  const entity = useStable(props.entity);
  const logic = useFormLogic(entity);
  if (!logic) {
    // The formula engine is on its way (a form opened before the idle-time preload fetched it).
    return (
      <div className="fw-form" aria-busy="true" style={{ padding: '48px 0', textAlign: 'center' }}>
        <Spin />
      </div>
    );
  }
  return <LoadedForm {...props} entity={entity} logic={logic} />;
}

function LoadedForm(props: FormRendererProps & { logic: FormLogic }) {
  const { locale, services, logic } = props;
  const entity = props.entity;
  const value = useStable(props.value);
  const fieldAccess = useStable(props.fieldAccess);
  const serverIssues = useStable(props.serverIssues);
  const mode = props.mode ?? (value ? 'edit' : 'create');
  useFormCss();
  const t = uiT(locale);
  const onChangeRef = useRef(props.onChange);
  onChangeRef.current = props.onChange;
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);

  // A new services object from the host does not reset the form: the runtime reads the latest one.
  // biome-ignore lint/correctness/useExhaustiveDependencies: services are deliberately not a dependency
  const runtime = useMemo(() => {
    const tz = services.timeZone ?? browserTimeZone();
    const initial =
      mode === 'create'
        ? {
            ...logic.defaultValues(entity, { now: services.now(), timeZone: tz, user: services.currentUser }),
            ...(value ?? {}),
          }
        : { ...(value ?? {}) };
    const recordId = typeof value?.id === 'string' ? value.id : undefined;
    return new FormRuntime({
      entity,
      services,
      initial,
      logic,
      ...(fieldAccess ? { fieldAccess } : {}),
      ...(recordId ? { recordId } : {}),
    });
  }, [entity, value, mode, fieldAccess, logic]);
  runtime.services = services;

  useEffect(() => () => runtime.dispose(), [runtime]);

  // Every change (a keystroke, a pick, data linkage) reaches the host with the formulas computed.
  useEffect(() => runtime.subscribe('data', () => onChangeRef.current?.(runtime.computed)), [runtime]);

  useEffect(() => {
    runtime.setServerIssues(serverIssues ?? []);
  }, [runtime, serverIssues]);

  const ctx = useMemo<FormworkContext>(
    () => ({ entity, locale, services: latestServices(runtime), runtime, t, mode, names: new Map() }),
    [entity, locale, runtime, t, mode],
  );
  const schema = useMemo(() => toJsonSchema(entity, { locale }), [entity, locale]);
  const uiSchema = useMemo(
    () =>
      formUiSchema(entity, locale, { readonly: mode === 'view', ...(fieldAccess ? { fieldAccess } : {}) }),
    [entity, locale, mode, fieldAccess],
  );
  const { token } = theme.useToken();
  const { componentSize } = ConfigProvider.useConfig();
  const themeVars = useMemo(
    () => formThemeVars(token as unknown as Record<string, unknown>, componentSize),
    [token, componentSize],
  );
  const rootRef = useRef<HTMLDivElement>(null);
  const submitLabel = props.submitLabel ?? t('form.submit');
  const submitting = useRef(false);

  const handleSubmit = async () => {
    if (submitting.current || mode === 'view') return;
    submitting.current = true;
    setBusy(true);
    let r: Awaited<ReturnType<FormRuntime['validate']>>;
    try {
      r = await runtime.validate();
    } catch (e) {
      submitting.current = false;
      setBusy(false);
      throw e;
    }
    if (!r.ok) {
      submitting.current = false;
      setBusy(false);
      setFailed(true);
      const first = r.issues.find((i) => i.field !== '')?.field.split('.')[0];
      const el = first ? rootRef.current?.querySelector<HTMLElement>(`[data-field="${first}"]`) : undefined;
      el?.scrollIntoView?.({ block: 'center' });
      el?.querySelector<HTMLElement>('input, textarea, [tabindex], button')?.focus?.();
      return;
    }
    setFailed(false);
    try {
      await props.onSubmit(r.value);
    } finally {
      submitting.current = false;
      setBusy(false);
    }
  };

  return (
    // Focusing or pressing a field means filling in the form: fetch the validator now, not on submit, and
    // antd's Select before the user reaches a select.
    <div
      className="fw-form"
      ref={rootRef}
      lang={locale}
      style={themeVars}
      onFocusCapture={mode === 'view' ? undefined : startFilling}
      onPointerDownCapture={mode === 'view' ? undefined : startFilling}
    >
      <RecordBanner ctx={ctx} />
      {failed && <Alert type="error" showIcon title={t('form.fixErrors')} style={{ marginBottom: 12 }} />}
      <SchemaForm
        schema={schema}
        uiSchema={uiSchema}
        widgets={formworkWidgets}
        formContext={ctx}
        readonly={mode === 'view'}
        onSubmit={() => void handleSubmit()}
      >
        {mode === 'view' ? null : <SubmitBar ctx={ctx} label={submitLabel} busy={busy} />}
      </SchemaForm>
    </div>
  );
}

function startFilling(): void {
  loadValidation().catch(() => undefined);
  preloadSelect();
}

/** The label of a field in a locale (for hosts showing field names next to the form). */
export function fieldTitle(field: FieldDefinition, locale: 'zh-CN' | 'en'): string {
  return localize(field.label, locale, field.key);
}

/** Whether the form shows an input for this field type (computed types are display-only). */
export function isEditableType(field: FieldDefinition): boolean {
  return !(getFieldType(field.type)?.computed ?? true);
}

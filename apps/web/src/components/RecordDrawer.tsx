import type { FieldError, RecordData } from '@formwork/client';
import { type EntityDefinition, type Issue, localize } from '@formwork/metadata';
import { formatDateTime } from '@formwork/ui/views';
import { Alert, Button, Drawer, Spin } from 'antd';
import { lazy, type ReactNode, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.js';
import { useApp } from '../context.js';
import { formServices } from '../services.js';
import { useAppApi } from './LazyApp.js';

// The form renderer and its widgets are their own chunk. A page that leads to a form (the record list) preloads
// it while the browser is idle, so opening the form renders at once instead of first fetching and compiling it.
type FormModule = typeof import('@formwork/ui/form');
let formModule: FormModule | undefined;
let formLoading: Promise<FormModule> | undefined;
function loadForm(): Promise<FormModule> {
  formLoading ??= import('@formwork/ui/form').then(
    (m) => {
      formModule = m;
      return m;
    },
    (e: unknown) => {
      formLoading = undefined; // retried by the next call
      throw e;
    },
  );
  return formLoading;
}
const LazyFormRenderer = lazy(() => loadForm().then((m) => ({ default: m.FormRenderer })));

/**
 * Fetch the form's chunk and prepare it now (idle time on a page with a "new" or "open" action), with the
 * formula engine when the entity's form evaluates formulas, rules, defaults or linkage.
 */
export function preloadForm(locale: 'zh-CN' | 'en', entity?: EntityDefinition): void {
  loadForm().then(
    (m) => m.prepareForm(locale, entity),
    () => undefined,
  );
}

/** Field errors of an API error as issues the form shows on the fields (already in the user's language). */
export function toIssues(fields: readonly FieldError[]): Issue[] {
  return fields.map((f) => ({
    field: f.field,
    code: f.code,
    message: { 'zh-CN': f.message, en: f.message },
    ...(f.params ? { params: f.params } : {}),
  }));
}

export interface Conflict {
  name: string | null;
  at: string;
}

/** Who changed the record last and when (from its history), to explain a 409. */
export async function describeConflict(
  app: ReturnType<typeof useApp>,
  entity: string,
  id: string,
): Promise<{ latest: RecordData; conflict: Conflict }> {
  const [latest, history] = await Promise.all([
    app.api.client.records.get(entity, id),
    app.api.client.records.history(entity, id).catch(() => []),
  ]);
  const last = history[0];
  const actor = last?.actor ?? latest.createdBy;
  return {
    latest,
    conflict: { name: actor ? (app.names.get(actor) ?? null) : null, at: last?.at ?? latest.updatedAt },
  };
}

export function ConflictAlert(props: { conflict: Conflict; onReload(): void }): ReactNode {
  const { t } = useTranslation('web');
  const time = formatDateTime(props.conflict.at).slice(11);
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="conflict"
      style={{ marginBottom: 16 }}
      message={
        props.conflict.name
          ? t('records.conflict', { name: props.conflict.name, time })
          : t('records.conflictUnknown')
      }
      description={t('records.conflictHint')}
      action={
        <Button size="small" onClick={props.onReload}>
          {t('records.reload')}
        </Button>
      }
    />
  );
}

/** Create or edit a record in a drawer (full width on phones). */
export function RecordDrawer(props: {
  entity: EntityDefinition;
  record?: RecordData | null;
  open: boolean;
  onClose(): void;
  onSaved(record: RecordData): void;
}): ReactNode {
  const app = useApp();
  const { t } = useTranslation('web');
  const { message } = useAppApi();
  const [issues, setIssues] = useState<Issue[]>([]);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [record, setRecord] = useState<RecordData | null>(props.record ?? null);
  const [formKey, setFormKey] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const services = useMemo(
    () =>
      formServices({
        api: app.api,
        entity: props.entity,
        entities: app.entities,
        user: { id: app.session.user.id, name: app.session.user.name },
        names: app.names,
        users: app.users,
      }),
    [app.api, props.entity, app.entities, app.session.user, app.names, app.users],
  );
  const editing = record !== null;
  const label = localize(props.entity.label, app.locale, props.entity.key);
  // Loaded already (preloaded): render it at once, without a round through Suspense. Chosen once, so the form
  // is never remounted (and what was typed lost) when the chunk arrives while the drawer is open.
  const [FormRenderer] = useState(() => formModule?.FormRenderer ?? LazyFormRenderer);

  const submit = async (value: Record<string, unknown>) => {
    setIssues([]);
    setError(null);
    try {
      const saved = editing
        ? await app.api.client.records.update(props.entity.key, record.id, value, { version: record.version })
        : await app.api.client.records.create(props.entity.key, value);
      message.success(t(editing ? 'records.updated' : 'records.created'));
      props.onSaved(saved);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'VERSION_CONFLICT' && record) {
        const { conflict: c } = await describeConflict(app, props.entity.key, record.id);
        setConflict(c);
        return;
      }
      if (e instanceof ApiError && e.fields.length > 0) {
        setIssues(toIssues(e.fields));
        setError(t('records.fixErrors'));
        return;
      }
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  const reload = async () => {
    if (!record) return;
    const latest = await app.api.client.records.get(props.entity.key, record.id);
    setRecord(latest);
    setConflict(null);
    setIssues([]);
    setFormKey((k) => k + 1);
  };

  return (
    <Drawer
      open={props.open}
      onClose={props.onClose}
      width={app.mobile ? '100%' : 760}
      title={t(editing ? 'records.editTitle' : 'records.newTitle', { entity: label })}
      destroyOnHidden
      data-testid="record-drawer"
      styles={{ body: { paddingInline: app.mobile ? 12 : 24 } }}
    >
      {conflict && <ConflictAlert conflict={conflict} onReload={() => void reload()} />}
      {error && !conflict && (
        <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="form-error" />
      )}
      <Suspense fallback={<Spin />}>
        <FormRenderer
          key={formKey}
          entity={props.entity}
          locale={app.locale}
          services={services}
          mode={editing ? 'edit' : 'create'}
          {...(record ? { value: record } : {})}
          serverIssues={issues}
          fieldAccess={app.fieldAccess(props.entity.key)}
          onSubmit={submit}
          submitLabel={t('records.save')}
        />
      </Suspense>
    </Drawer>
  );
}

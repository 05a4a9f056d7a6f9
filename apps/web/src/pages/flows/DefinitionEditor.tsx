import type { Issue } from '@formwork/metadata';
import { Alert, App, Button, Popconfirm, Result, Space, Tag, Typography } from 'antd';
import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api.js';
import { useApp } from '../../context.js';
import { navigate } from '../../router.js';
import { errorText, useWorkflow } from './common.js';
import type { DefinitionDetail, DefinitionKind } from './flow-api.js';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
type Busy = null | 'save' | 'validate' | 'publish';

/**
 * The draft of one blueprint or automation being edited: loading, the unsaved-changes flag, the issues
 * the server reported (shown on the page), and save / validate / publish with their messages.
 * `canSave` may refuse a save first (an editor with its own input errors says why).
 */
export function useDefinitionDraft<T extends object>(
  kind: Exclude<DefinitionKind, 'flow'>,
  key: string,
  opts: { onLoad?: (d: DefinitionDetail<T>) => void | Promise<void>; canSave?: () => string | null } = {},
) {
  const { t } = useTranslation('flows');
  const { message } = App.useApp();
  const wf = useWorkflow();
  const api = useMemo(() => wf.definitions<T>(kind), [wf, kind]);
  const [detail, setDetail] = useState<DefinitionDetail<T> | null>(null);
  const [draft, setDraft] = useState<T | null>(null);
  const [missing, setMissing] = useState<string | null>(null);
  const [issues, setIssues] = useState<Issue[]>([]);
  const [busy, setBusy] = useState<Busy>(null);
  const { onLoad, canSave } = opts;

  const load = useCallback(async () => {
    try {
      const d = await api.get(key);
      setDetail(d);
      setDraft(d.draft);
      await onLoad?.(d);
    } catch (e) {
      setMissing(errorText(e));
    }
  }, [api, key, onLoad]);
  useEffect(() => {
    void load();
  }, [load]);

  const fail = (e: unknown) => {
    if (e instanceof ApiError && e.fields.length > 0) {
      setIssues(
        e.fields.map((f) => ({
          field: f.field,
          code: f.code,
          message: { 'zh-CN': f.message, en: f.message },
        })),
      );
    }
    message.error(errorText(e));
  };
  const accept = (d: DefinitionDetail<T>) => {
    setDetail(d);
    setDraft(d.draft);
    setIssues([]);
  };
  const run = async (what: Exclude<Busy, null>, work: () => Promise<void>): Promise<boolean> => {
    setBusy(what);
    try {
      await work();
      return true;
    } catch (e) {
      fail(e);
      return false;
    } finally {
      setBusy(null);
    }
  };
  const dirty = detail !== null && draft !== null && !same(draft, detail.draft);
  const save = async (): Promise<boolean> => {
    const refusal = canSave?.() ?? null;
    if (refusal) {
      message.error(refusal);
      return false;
    }
    if (!detail || !draft) return false;
    return run('save', async () => {
      accept(await api.update(detail.key, draft));
      message.success(t('common.saved'));
    });
  };
  const validate = () =>
    run('validate', async () => {
      if (!draft) return;
      const r = await api.validate(draft);
      setIssues([...r.issues, ...r.warnings]);
      if (r.ok) message.success(t('common.valid'));
      else message.error(t('common.invalid', { count: r.issues.length }));
    });
  const publish = async () => {
    if (!detail || (dirty && !(await save()))) return;
    await run('publish', async () => {
      const d = await api.publish(detail.key);
      accept(d);
      message.success(t('designer.published', { v: d.publishedVersion }));
    });
  };
  return { detail, setDetail, draft, setDraft, missing, issues, busy, dirty, fail, save, validate, publish };
}

/** Save, validate and publish (with a confirmation) for a definition being edited. */
export function DefinitionToolbar(props: {
  state: Pick<ReturnType<typeof useDefinitionDraft>, 'busy' | 'dirty' | 'save' | 'validate' | 'publish'>;
  saveLabel: string;
  /** Prefix of the buttons' test ids (`<prefix>-save`, `<prefix>-publish`). */
  testId: string;
}): ReactNode {
  const { t } = useTranslation('flows');
  const { busy, dirty, save, validate, publish } = props.state;
  return (
    <Space wrap>
      <Button
        disabled={!dirty}
        loading={busy === 'save'}
        onClick={() => void save()}
        data-testid={`${props.testId}-save`}
      >
        {props.saveLabel}
      </Button>
      <Button loading={busy === 'validate'} onClick={() => void validate()}>
        {t('common.validate')}
      </Button>
      <Popconfirm
        title={t('designer.publishConfirm')}
        okText={t('common.publish')}
        cancelText={t('common.cancel')}
        onConfirm={publish}
      >
        <Button type="primary" loading={busy === 'publish'} data-testid={`${props.testId}-publish`}>
          {t('common.publish')}
        </Button>
      </Popconfirm>
    </Space>
  );
}

/** The issues the server reported on a definition (warnings in amber). */
export function DefinitionIssues(props: { issues: Issue[] }): ReactNode {
  const app = useApp();
  return props.issues.map((i) => (
    <Alert
      key={`${i.field}|${i.code}|${i.message.en}`}
      type={i.code === 'assigneesMayBeEmpty' ? 'warning' : 'error'}
      showIcon
      title={i.message[app.locale]}
      description={i.field ? <code>{i.field}</code> : undefined}
      style={{ marginBottom: 8 }}
    />
  ));
}

/** A definition that could not be loaded: the reason and the way back to its list. */
export function DefinitionMissing(props: { reason: string; backTab: string }): ReactNode {
  const { t } = useTranslation('flows');
  return (
    <Result
      status="404"
      title={props.reason}
      extra={
        <Button onClick={() => navigate(`/admin/flows?tab=${props.backTab}`)}>{t('common.back')}</Button>
      }
    />
  );
}

/**
 * The head of a definition editor: the way back to its list, its name, what it applies to, whether it is
 * published or has unsaved changes, `extra` controls, the toolbar and the server's issues.
 */
export function DefinitionHeader(props: {
  state: Pick<
    ReturnType<typeof useDefinitionDraft>,
    'busy' | 'dirty' | 'issues' | 'save' | 'validate' | 'publish'
  > & {
    detail: { publishedVersion: number | null } | null;
  };
  name: string;
  subtitle: ReactNode;
  backTab: string;
  saveLabel: string;
  testId: string;
  extra?: ReactNode;
}): ReactNode {
  const { t } = useTranslation('flows');
  const { detail, dirty, issues } = props.state;
  return (
    <>
      <Button
        type="link"
        style={{ paddingInline: 0 }}
        onClick={() => navigate(`/admin/flows?tab=${props.backTab}`)}
      >
        ← {t(`admin.tabs.${props.backTab}`)}
      </Button>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Space wrap>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {props.name}
          </Typography.Title>
          <Typography.Text type="secondary">{props.subtitle}</Typography.Text>
          {detail?.publishedVersion != null ? (
            <Tag color="success">{t('admin.published', { v: detail.publishedVersion })}</Tag>
          ) : (
            <Tag>{t('admin.notPublished')}</Tag>
          )}
          {dirty && <Tag color="orange">{t('designer.unsaved')}</Tag>}
          {props.extra}
        </Space>
        <DefinitionToolbar state={props.state} saveLabel={props.saveLabel} testId={props.testId} />
      </Space>
      <DefinitionIssues issues={issues} />
    </>
  );
}

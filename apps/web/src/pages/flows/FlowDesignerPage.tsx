import { CheckCircleOutlined, CloudUploadOutlined, HistoryOutlined, SaveOutlined } from '@ant-design/icons';
import { type Issue, localize } from '@formwork/metadata';
import { type FlowDefinition, FlowDesigner, type NamedOption } from '@formwork/ui/flow';
import { formatDateTime } from '@formwork/ui/views';
import {
  App,
  Button,
  Drawer,
  Popconfirm,
  Result,
  Space,
  Spin,
  Tag,
  Timeline,
  Tooltip,
  Typography,
} from 'antd';
import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api.js';
import { toIssues } from '../../components/RecordDrawer.js';
import { useApp } from '../../context.js';
import { navigate } from '../../router.js';
import { errorText, textIn, useWorkflow } from './common.js';
import type { DefinitionDetail } from './flow-api.js';
import { useFlowStrings } from './flow-strings.js';

/** Names the designer can pick: roles (by key), departments, members and the other flows. */
export function useDirectory(): {
  roles?: NamedOption[];
  departments?: NamedOption[];
  members: NamedOption[];
  flows?: NamedOption[];
} {
  const app = useApp();
  const wf = useWorkflow();
  const [roles, setRoles] = useState<NamedOption[] | undefined>();
  const [departments, setDepartments] = useState<NamedOption[] | undefined>();
  const [flows, setFlows] = useState<NamedOption[] | undefined>();
  useEffect(() => {
    let live = true;
    wf.roles().then(
      (list) => live && setRoles(list.map((r) => ({ id: r.key, name: textIn(r.name, app.locale, r.key) }))),
      () => undefined,
    );
    app.api.departments().then(
      (list) => live && setDepartments(list),
      () => undefined,
    );
    wf.definitions('flow')
      .list()
      .then(
        (list) => live && setFlows(list.map((f) => ({ id: f.key, name: textIn(f.name, app.locale, f.key) }))),
        () => undefined,
      );
    return () => {
      live = false;
    };
  }, [wf, app.api, app.locale]);
  const members = app.users
    .filter((u) => u.status !== 'disabled')
    .map((u) => ({ id: u.id, name: u.name || u.email }));
  return {
    members,
    ...(roles ? { roles } : {}),
    ...(departments ? { departments } : {}),
    ...(flows ? { flows } : {}),
  };
}

/** The flow designer page: draw the flow, save the draft, validate against the workspace, publish. */
export default function FlowDesignerPage(props: { flowKey: string }): ReactNode {
  useFlowStrings();
  const app = useApp();
  const { t } = useTranslation('flows');
  const { message } = App.useApp();
  const wf = useWorkflow();
  const api = useMemo(() => wf.definitions<FlowDefinition>('flow'), [wf]);
  const dir = useDirectory();
  const [detail, setDetail] = useState<DefinitionDetail<FlowDefinition> | null>(null);
  const [missing, setMissing] = useState<string | null>(null);
  const [serverIssues, setServerIssues] = useState<Issue[]>([]);
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState<null | 'save' | 'validate' | 'publish'>(null);
  const [versions, setVersions] = useState(false);

  const load = useCallback(async () => {
    try {
      setDetail(await api.get(props.flowKey));
    } catch (e) {
      setMissing(errorText(e));
    }
  }, [api, props.flowKey]);
  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
    };
    globalThis.addEventListener('beforeunload', warn);
    return () => globalThis.removeEventListener('beforeunload', warn);
  }, [dirty]);

  if (missing) {
    return (
      <Result
        status="404"
        title={t('designer.notFound')}
        subTitle={missing}
        extra={<Button onClick={() => navigate('/admin/flows')}>{t('designer.back')}</Button>}
      />
    );
  }
  const entity = detail ? app.entities.find((e) => e.key === detail.entity) : undefined;
  if (!detail || !entity)
    return (
      <Spin size="large" tip={t('designer.loading')} style={{ display: 'block', margin: '64px auto' }} />
    );

  /** Issues the server answered in one language: the designer shows them on their nodes. */
  const asIssues = (e: unknown): Issue[] => (e instanceof ApiError ? toIssues(e.fields) : []);

  const save = async (def: FlowDefinition, markSaved: (d: FlowDefinition) => void) => {
    setBusy('save');
    try {
      const saved = await api.update(detail.key, def);
      markSaved(def);
      setDetail(saved);
      setDirty(false);
      message.success(t('designer.saved'));
      return true;
    } catch (e) {
      const issues = asIssues(e);
      if (issues.length > 0) setServerIssues(issues);
      message.error(errorText(e));
      return false;
    } finally {
      setBusy(null);
    }
  };

  return (
    <div data-testid="flow-designer-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} wrap>
        <div>
          <Button
            type="link"
            style={{ paddingInline: 0 }}
            onClick={() => {
              if (!dirty || globalThis.confirm(t('designer.leave'))) navigate('/admin/flows?tab=flows');
            }}
          >
            ← {t('designer.back')}
          </Button>
          <Space wrap>
            <Typography.Title level={3} style={{ margin: 0 }} data-testid="flow-title">
              {textIn(detail.draft.name, app.locale, detail.key)}
            </Typography.Title>
            <Typography.Text type="secondary">
              {localize(entity.label, app.locale, entity.key)} · <code>{detail.key}</code>
            </Typography.Text>
            {detail.publishedVersion !== null ? (
              <Tag color="success" data-testid="published-version">
                {t('admin.published', { v: detail.publishedVersion })}
              </Tag>
            ) : (
              <Tag>{t('admin.notPublished')}</Tag>
            )}
            {detail.changed && detail.publishedVersion !== null && (
              <Tag color="warning">{t('admin.changed')}</Tag>
            )}
            {dirty && <Tag color="orange">{t('designer.unsaved')}</Tag>}
          </Space>
        </div>
      </Space>
      <FlowDesigner
        key={detail.key}
        value={detail.draft}
        entity={entity}
        locale={app.locale}
        members={dir.members}
        {...(dir.roles ? { roles: dir.roles } : {})}
        {...(dir.departments ? { departments: dir.departments } : {})}
        {...(dir.flows ? { flows: dir.flows.filter((f) => f.id !== detail.key) } : {})}
        serverIssues={serverIssues}
        onChange={(_def, info) => {
          setDirty(info.dirty);
          if (serverIssues.length > 0) setServerIssues([]);
        }}
        actions={(d) => (
          <>
            <Tooltip title={d.canSave ? undefined : t('designer.cannotSave')}>
              <Button
                icon={<SaveOutlined />}
                disabled={!d.dirty || !d.canSave}
                loading={busy === 'save'}
                onClick={() => void save(d.definition, d.markSaved)}
                data-testid="flow-save"
              >
                {t('designer.save')}
              </Button>
            </Tooltip>
            <Button
              icon={<CheckCircleOutlined />}
              loading={busy === 'validate'}
              disabled={!d.canSave}
              data-testid="flow-validate"
              onClick={async () => {
                setBusy('validate');
                try {
                  const r = await api.validate(d.definition);
                  setServerIssues([...r.issues, ...r.warnings]);
                  if (r.ok)
                    message.success(
                      r.warnings.length > 0
                        ? `${t('designer.valid')} · ${t('designer.warnings', { count: r.warnings.length })}`
                        : t('designer.valid'),
                    );
                  else message.error(t('designer.invalid', { count: r.issues.length }));
                } catch (e) {
                  message.error(errorText(e));
                } finally {
                  setBusy(null);
                }
              }}
            >
              {t('designer.validate')}
            </Button>
            <Popconfirm
              title={t('designer.publishConfirm')}
              okText={t('designer.publish')}
              cancelText={t('common.cancel')}
              disabled={!d.canSave}
              onConfirm={async () => {
                if (d.dirty && !(await save(d.definition, d.markSaved))) return;
                setBusy('publish');
                try {
                  const r = await api.publish(detail.key);
                  setDetail(r);
                  setServerIssues([]);
                  message.success(t('designer.published', { v: r.publishedVersion }));
                } catch (e) {
                  const issues = asIssues(e);
                  setServerIssues(issues);
                  message.error(
                    issues.length > 0 ? t('designer.publishFailed', { count: issues.length }) : errorText(e),
                  );
                } finally {
                  setBusy(null);
                }
              }}
            >
              <Button
                type="primary"
                icon={<CloudUploadOutlined />}
                loading={busy === 'publish'}
                disabled={!d.canSave}
                data-testid="flow-publish"
              >
                {t('designer.publish')}
              </Button>
            </Popconfirm>
            <Button icon={<HistoryOutlined />} onClick={() => setVersions(true)} data-testid="flow-versions">
              {t('designer.versions')}
            </Button>
          </>
        )}
      />
      <Drawer
        open={versions}
        onClose={() => setVersions(false)}
        title={t('designer.versions')}
        data-testid="versions-drawer"
      >
        {detail.versions.length === 0 ? (
          <Typography.Text type="secondary">{t('designer.noVersions')}</Typography.Text>
        ) : (
          <Timeline
            items={detail.versions.map((v) => ({
              key: v.version,
              color: v.version === detail.publishedVersion ? 'green' : 'gray',
              content: (
                <div data-testid="version-entry">
                  <strong>v{v.version}</strong>{' '}
                  {v.version === detail.publishedVersion && (
                    <Tag color="success">{t('designer.current')}</Tag>
                  )}
                  <div>
                    <Typography.Text type="secondary">
                      {t('designer.publishedBy', {
                        name: v.publishedBy
                          ? (app.names.get(v.publishedBy) ?? v.publishedBy.slice(0, 8))
                          : '—',
                        time: formatDateTime(v.publishedAt),
                      })}
                    </Typography.Text>
                  </div>
                </div>
              ),
            }))}
          />
        )}
      </Drawer>
    </div>
  );
}

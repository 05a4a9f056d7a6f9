import type { RecordData } from '@formwork/client';
import { type Issue, localize } from '@formwork/metadata';
import { formatDateTime } from '@formwork/ui/views';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Input,
  Modal,
  Popconfirm,
  Radio,
  Result,
  Row,
  Select,
  Space,
  Spin,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import {
  type CSSProperties,
  lazy,
  type ReactNode,
  Suspense,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, recordTitle } from '../../api.js';
import { toIssues } from '../../components/RecordDrawer.js';
import { useApp } from '../../context.js';
import { navigate, queryParam, useLocation } from '../../router.js';
import { formServices } from '../../services.js';
import { announceTasksChanged, errorText, flowRef, useFlowInfos, useWorkflow } from './common.js';
import { FlowHistory } from './FlowHistory.js';
import type { HistoryEntry, Instance, TaskActionBody } from './flow-api.js';
import {
  changedFields,
  commentRequired,
  flowName,
  instanceActions,
  instanceTone,
  nodeLabel,
  type RejectOption,
  rejectOptions,
  type TaskActionKind,
  taskActions,
  taskFieldAccess,
} from './inbox.js';

const FormRenderer = lazy(() => import('@formwork/ui/form').then((m) => ({ default: m.FormRenderer })));

type Dialog =
  | { kind: TaskActionKind; taskId: string }
  | { kind: 'withdraw' | 'urge' | 'instanceComment' }
  | null;

/**
 * One flow instance as its participant sees it: the record form with the field permissions of the
 * viewer's task node, the 流转记录, and the actions the node allows (approve, reject to a chosen target,
 * transfer, add signer, comment; withdraw and urge for the submitter).
 */
export default function TaskPage(props: { instanceId: string }): ReactNode {
  const app = useApp();
  const { t } = useTranslation('flows');
  const { message } = App.useApp();
  const wf = useWorkflow();
  const path = useLocation();
  const wantedTask = queryParam(path, 'task');
  const [instance, setInstance] = useState<Instance | null>(null);
  const [history, setHistory] = useState<HistoryEntry[]>([]);
  const [record, setRecord] = useState<RecordData | null>(null);
  const [recordError, setRecordError] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [issues, setIssues] = useState<Issue[]>([]);
  const [formKey, setFormKey] = useState(0);
  const [dialog, setDialog] = useState<Dialog>(null);
  const latest = useRef<Record<string, unknown>>({});

  const load = useCallback(async () => {
    try {
      const [inst, hist] = await Promise.all([wf.instance(props.instanceId), wf.history(props.instanceId)]);
      setInstance(inst);
      setHistory(hist);
      try {
        // Through the instance: an approver sees the record even outside their roles' data scope.
        const r = await wf.instanceRecord(props.instanceId);
        setRecord(r);
        latest.current = { ...r };
        setRecordError(null);
      } catch (e) {
        setRecordError(errorText(e));
      }
      setFormKey((k) => k + 1);
    } catch (e) {
      setFailed(errorText(e));
    }
  }, [wf, props.instanceId]);
  useEffect(() => {
    void load();
  }, [load]);

  const flows = useFlowInfos(instance ? [instance] : []);
  const flow = instance ? flows.get(flowRef(instance.flow, instance.version)) : undefined;
  const entity = instance ? app.entities.find((e) => e.key === instance.entity) : undefined;
  const me = app.session.user.id;
  const myTask = instance?.myTasks.find((x) => x.id === wantedTask) ?? instance?.myTasks[0];
  const node = myTask ? flow?.nodes.find((n) => n.id === myTask.nodeId) : undefined;
  const access = useMemo(
    () =>
      entity ? taskFieldAccess(entity, myTask, app.fieldAccess(entity.key)) : { access: {}, editable: [] },
    [entity, myTask, app],
  );
  const services = useMemo(
    () =>
      entity
        ? formServices({
            api: app.api,
            entity,
            entities: app.entities,
            user: { id: me, name: app.session.user.name },
            names: app.names,
            users: app.users,
          })
        : null,
    [app, entity, me],
  );

  if (failed) {
    return (
      <Result
        status="warning"
        title={t('task.loadFailed', { message: failed })}
        extra={<Button onClick={() => navigate('/tasks')}>{t('task.back')}</Button>}
      />
    );
  }
  if (!instance) return <Spin size="large" style={{ display: 'block', margin: '64px auto' }} />;

  const actions = myTask ? taskActions(myTask, node) : [];
  const whole = instanceActions(instance, me, history);
  const editable = access.editable.length > 0 && !!myTask;

  const done = async (kind: string) => {
    message.success(
      kind === 'withdraw' ? t('task.withdrawn') : kind === 'urge' ? t('task.urged') : t(`task.done.${kind}`),
    );
    setDialog(null);
    setIssues([]);
    announceTasksChanged();
    await load();
  };
  const failedAction = (e: unknown) => {
    if (e instanceof ApiError && e.fields.some((f) => entity?.fields.some((x) => x.key === f.field))) {
      setIssues(toIssues(e.fields));
      message.error(t('task.fixErrors'));
      setDialog(null);
      return;
    }
    message.error(errorText(e));
  };

  const act = async (body: TaskActionBody, taskId: string) => {
    try {
      await wf.act(taskId, body);
      await done(body.type);
    } catch (e) {
      failedAction(e);
    }
  };
  const fieldsToSend = () => (record ? changedFields(record, latest.current, access.editable) : {});

  const recordName = entity && record ? recordTitle(entity, record) : `#${instance.recordId.slice(0, 8)}`;
  const submitterName = app.names.get(instance.submitter) ?? instance.submitter.slice(0, 8);
  const current = instance.activeNodes.map((n) => nodeLabel(flow, n, app.locale)).join('、');

  const form = (
    <Card
      size="small"
      title={t('task.record')}
      extra={
        entity && record ? (
          <Typography.Link onClick={() => navigate(`/e/${entity.key}/r/${record.id}`)}>
            {localize(entity.label, app.locale, entity.key)}
          </Typography.Link>
        ) : null
      }
    >
      {editable && <Alert type="info" showIcon title={t('task.editableHint')} style={{ marginBottom: 12 }} />}
      {recordError && <Alert type="warning" showIcon title={recordError} />}
      {entity && record && services && (
        <div className="fw-task-form" data-testid="task-form">
          <Suspense fallback={<Spin />}>
            <FormRenderer
              key={formKey}
              entity={entity}
              value={record}
              locale={app.locale}
              services={services}
              mode={editable ? 'edit' : 'view'}
              fieldAccess={access.access}
              serverIssues={issues}
              onChange={(v) => {
                latest.current = v;
              }}
              onSubmit={() => undefined}
            />
          </Suspense>
        </div>
      )}
    </Card>
  );
  const timeline = (
    <Card size="small" title={t('task.history')} data-testid="flow-history-card">
      <FlowHistory entries={history} flow={flow} entity={entity} />
    </Card>
  );

  return (
    <div data-testid="task-page" data-status={instance.status}>
      <style>
        {
          '.fw-task-form .fw-footer { display: none; } .fw-flow-comment { margin: 4px 0; padding: 4px 8px; border-inline-start: 3px solid #d9d9d9; color: rgba(0,0,0,0.75); background: #fafafa; }'
        }
      </style>
      <Button type="link" style={{ paddingInline: 0 }} onClick={() => navigate('/tasks')}>
        ← {t('task.back')}
      </Button>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} wrap>
        <div>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="task-title">
            {recordName}
          </Typography.Title>
          <Space wrap size={6}>
            <span>{flowName(flow, instance.flow, app.locale)}</span>
            <Tag color={instanceTone(instance.status)} data-testid="instance-status">
              {t(`status.instance.${instance.status}`)}
            </Tag>
            <Typography.Text type="secondary">
              {t('task.startedBy', { name: submitterName, time: formatDateTime(instance.startedAt) })} ·{' '}
              {t('task.version', { v: instance.version })}
            </Typography.Text>
            {current && (
              <Typography.Text type="secondary">
                {t('task.currentNodes')}：{current}
              </Typography.Text>
            )}
          </Space>
        </div>
      </Space>
      {myTask ? (
        <Alert
          type={myTask.kind === 'resubmit' ? 'warning' : 'info'}
          showIcon
          data-testid="my-task"
          title={
            myTask.kind === 'resubmit'
              ? t('task.returned')
              : t('task.yourTask', { node: nodeLabel(flow, myTask.nodeId, app.locale) })
          }
          description={myTask.dueAt ? t('task.due', { time: formatDateTime(myTask.dueAt) }) : undefined}
          style={{ marginBottom: 12 }}
        />
      ) : (
        instance.status === 'active' && (
          <Alert type="info" title={t('task.noTask')} style={{ marginBottom: 12 }} />
        )
      )}
      {app.mobile ? (
        <Tabs
          items={[
            { key: 'form', label: t('task.record'), children: form },
            { key: 'history', label: t('task.history'), children: timeline },
          ]}
        />
      ) : (
        <Row gutter={16}>
          <Col span={15}>{form}</Col>
          <Col span={9}>{timeline}</Col>
        </Row>
      )}
      {(actions.length > 0 || whole.length > 0) && (
        <div className="fw-task-actions" data-testid="task-actions" style={actionBar(app.mobile)}>
          <Space wrap>
            {myTask &&
              actions.map((a) => (
                <Button
                  key={a}
                  type={a === 'approve' || a === 'submit' ? 'primary' : 'default'}
                  danger={a === 'reject'}
                  data-testid={`action-${a}`}
                  onClick={() => setDialog({ kind: a, taskId: myTask.id })}
                >
                  {a === 'submit' && myTask.kind === 'resubmit' ? t('task.resubmit') : t(`task.${a}`)}
                </Button>
              ))}
            {whole.includes('withdraw') && (
              <Popconfirm
                title={t('task.withdrawConfirm')}
                okText={t('task.confirm')}
                cancelText={t('task.cancel')}
                onConfirm={async () => {
                  try {
                    await wf.instanceAction(instance.id, 'withdraw');
                    await done('withdraw');
                  } catch (e) {
                    failedAction(e);
                  }
                }}
              >
                <Button data-testid="action-withdraw">{t('task.withdraw')}</Button>
              </Popconfirm>
            )}
            {whole.includes('urge') && (
              <Popconfirm
                title={t('task.urgeConfirm')}
                okText={t('task.confirm')}
                cancelText={t('task.cancel')}
                onConfirm={async () => {
                  try {
                    await wf.instanceAction(instance.id, 'urge');
                    await done('urge');
                  } catch (e) {
                    failedAction(e);
                  }
                }}
              >
                <Button data-testid="action-urge">{t('task.urge')}</Button>
              </Popconfirm>
            )}
            {!myTask && whole.includes('comment') && (
              <Button
                data-testid="action-instance-comment"
                onClick={() => setDialog({ kind: 'instanceComment' })}
              >
                {t('task.comment')}
              </Button>
            )}
          </Space>
        </div>
      )}
      {dialog && (
        <ActionDialog
          dialog={dialog}
          node={node}
          rejectOptions={rejectOptions(node, instance, flow)}
          flowLabel={(id) => nodeLabel(flow, id, app.locale)}
          me={me}
          onCancel={() => setDialog(null)}
          onSubmit={async (input) => {
            if (dialog.kind === 'instanceComment') {
              try {
                await wf.instanceAction(instance.id, 'comment', input.comment);
                await done('comment');
              } catch (e) {
                failedAction(e);
              }
              return;
            }
            if (!('taskId' in dialog)) return;
            const c = input.comment ? { comment: input.comment } : {};
            const fields = fieldsToSend();
            const withFields = Object.keys(fields).length > 0 ? { fields } : {};
            const body: TaskActionBody =
              dialog.kind === 'approve'
                ? { type: 'approve', ...c, ...withFields }
                : dialog.kind === 'reject'
                  ? { type: 'reject', ...c, ...withFields, ...(input.to ? { to: input.to } : {}) }
                  : dialog.kind === 'submit'
                    ? { type: 'submit', ...c, ...withFields }
                    : dialog.kind === 'transfer'
                      ? { type: 'transfer', to: input.to ?? '', ...c }
                      : dialog.kind === 'addSigner'
                        ? {
                            type: 'addSigner',
                            members: input.members ?? [],
                            position: input.position ?? 'before',
                            ...c,
                          }
                        : { type: 'comment', comment: input.comment ?? '' };
            await act(body, dialog.taskId);
          }}
        />
      )}
    </div>
  );
}

function actionBar(mobile: boolean): CSSProperties {
  return {
    position: 'sticky',
    bottom: 0,
    background: '#fff',
    borderTop: '1px solid #f0f0f0',
    padding: mobile ? '8px 4px' : '12px 0',
    marginTop: 16,
    zIndex: 5,
  };
}

/** The dialog of one action: a comment (required where the node says so) and the action's own choices. */
function ActionDialog(props: {
  dialog: NonNullable<Dialog>;
  node: Parameters<typeof commentRequired>[1];
  rejectOptions: RejectOption[];
  flowLabel(id: string): string;
  me: string;
  onCancel(): void;
  onSubmit(input: {
    comment?: string;
    to?: string;
    members?: string[];
    position?: 'before' | 'after';
  }): Promise<void>;
}): ReactNode {
  const app = useApp();
  const { t } = useTranslation('flows');
  const kind = props.dialog.kind;
  const [comment, setComment] = useState('');
  const [to, setTo] = useState<string | undefined>(
    kind === 'reject' ? props.rejectOptions[0]?.value : undefined,
  );
  const [members, setMembers] = useState<string[]>([]);
  const [position, setPosition] = useState<'before' | 'after'>('before');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const needsComment =
    kind === 'instanceComment' ||
    (kind !== 'withdraw' && kind !== 'urge' && commentRequired(kind, props.node));
  const people = app.users
    .filter((u) => u.status !== 'disabled' && u.id !== props.me)
    .map((u) => ({ value: u.id, label: u.name || u.email }));
  const title = kind === 'instanceComment' ? t('task.comment') : t(`task.${kind}`);
  const ok = async () => {
    if (needsComment && comment.trim() === '') {
      setError(t('task.commentRequired'));
      return;
    }
    if ((kind === 'transfer' && !to) || (kind === 'addSigner' && members.length === 0)) {
      setError(t('task.memberRequired'));
      return;
    }
    setBusy(true);
    try {
      await props.onSubmit({
        ...(comment.trim() ? { comment: comment.trim() } : {}),
        ...(to ? { to } : {}),
        ...(kind === 'addSigner' ? { members, position } : {}),
      });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={title}
      onCancel={props.onCancel}
      onOk={() => void ok()}
      okText={title}
      cancelText={t('task.cancel')}
      confirmLoading={busy}
      okButtonProps={{ danger: kind === 'reject', 'data-testid': 'action-confirm' } as never}
      destroyOnHidden
    >
      <Space orientation="vertical" style={{ width: '100%' }} data-testid="action-dialog">
        {kind === 'reject' && props.rejectOptions.length > 0 && (
          <div>
            <div style={{ marginBottom: 4 }}>{t('task.rejectTo')}</div>
            <Radio.Group
              value={to}
              onChange={(e) => setTo(e.target.value as string)}
              data-testid="reject-to"
              options={props.rejectOptions.map((o) => ({
                value: o.value,
                label:
                  o.kind === 'node'
                    ? t('task.rejectTargets.node', { node: props.flowLabel(o.value) })
                    : t(`task.rejectTargets.${o.kind}`),
              }))}
              style={{ display: 'flex', flexDirection: 'column', gap: 4 }}
            />
          </div>
        )}
        {kind === 'transfer' && (
          <Select
            aria-label={t('task.transferTo')}
            placeholder={t('task.transferTo')}
            showSearch={{ optionFilterProp: 'label' }}
            value={to}
            onChange={(v: string) => setTo(v)}
            options={people}
            style={{ width: '100%' }}
          />
        )}
        {kind === 'addSigner' && (
          <>
            <Select
              mode="multiple"
              aria-label={t('task.signers')}
              placeholder={t('task.signers')}
              showSearch={{ optionFilterProp: 'label' }}
              value={members}
              onChange={(v: string[]) => setMembers(v)}
              options={people}
              style={{ width: '100%' }}
            />
            <Radio.Group
              value={position}
              onChange={(e) => setPosition(e.target.value as 'before' | 'after')}
              options={[
                { value: 'before', label: t('task.before') },
                { value: 'after', label: t('task.after') },
              ]}
              style={{ display: 'flex', flexDirection: 'column', gap: 4 }}
            />
          </>
        )}
        <Input.TextArea
          aria-label={t('task.commentLabel')}
          placeholder={t('task.commentPlaceholder')}
          autoSize={{ minRows: 3, maxRows: 8 }}
          maxLength={5000}
          value={comment}
          onChange={(e) => {
            setComment(e.target.value);
            setError(null);
          }}
          data-testid="action-comment-text"
        />
        {error && <Alert type="error" showIcon title={error} data-testid="action-error" />}
      </Space>
    </Modal>
  );
}

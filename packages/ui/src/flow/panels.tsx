import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined } from '@ant-design/icons';
import { localize } from '@formwork/metadata';
import type {
  ApprovalData,
  ApprovalMode,
  EdgeData,
  EmptyAssignee,
  FillInData,
  FlowDefinition,
  FlowEdge,
  FlowNode,
  RejectTarget,
  WaitData,
} from '@formwork/workflow';
import { Alert, Button, Checkbox, InputNumber, Radio, Select, Space, Switch, Tooltip } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ActionsEditor } from './actions-editor.js';
import { edgeText, nodeTitle } from './describe.js';
import {
  AssigneeRulesEditor,
  ConditionEditor,
  DeadlineEditor,
  DurationInput,
  FieldAccessEditor,
  LabelEditor,
  Prop,
  Section,
  useEnv,
} from './editors.js';
import { canConnect, type DesignerIssue, type FlowCommand, outgoing } from './model.js';

type Dispatch = (cmd: FlowCommand) => void;

/** The issues of the selection, as a list of alerts. */
export function IssueList(props: { issues: DesignerIssue[]; onPick?(i: DesignerIssue): void }): ReactNode {
  const env = useEnv();
  if (props.issues.length === 0) return null;
  return (
    <div className="fw-flow-issues" data-testid="issue-list">
      {props.issues.map((i) => (
        <Alert
          key={`${i.field}|${i.code}|${i.message.en}`}
          type={i.severity === 'error' ? 'error' : 'warning'}
          showIcon
          role={i.severity === 'error' ? 'alert' : 'status'}
          data-code={i.code}
          title={
            props.onPick && (i.node || i.edge) ? (
              <button type="button" className="fw-flow-linklike" onClick={() => props.onPick?.(i)}>
                {i.message[env.locale]}
              </button>
            ) : (
              i.message[env.locale]
            )
          }
          style={{ marginBottom: 6 }}
        />
      ))}
    </div>
  );
}

/** The flow itself: its name, key and form, and every problem (click one to go to its node). */
export function FlowPanel(props: {
  def: FlowDefinition;
  dispatch: Dispatch;
  issues: DesignerIssue[];
}): ReactNode {
  const { t } = useTranslation('flow');
  const env = useEnv();
  const { def, dispatch } = props;
  return (
    <div data-testid="flow-panel">
      <Section title={t('panel.flow')}>
        <LabelEditor
          zhLabel={t('panel.nameZh')}
          enLabel={t('panel.nameEn')}
          value={def.name}
          onChange={(name) => dispatch({ type: 'updateFlow', patch: { name }, group: 'name' })}
        />
        <div className="fw-flow-meta">
          <span>{t('panel.key')}</span>
          <code>{def.key}</code>
        </div>
        <div className="fw-flow-meta">
          <span>{t('panel.entity')}</span>
          <span>{localize(env.entity.label, env.locale, env.entity.key)}</span>
        </div>
      </Section>
      <Section title={t('panel.problems')} testId="flow-problems">
        {props.issues.length === 0 ? (
          <div className="fw-flow-help">{t('panel.noProblems')}</div>
        ) : (
          <IssueList
            issues={props.issues}
            onPick={(i) =>
              dispatch({
                type: 'select',
                selection: i.node ? { kind: 'node', id: i.node } : { kind: 'edge', id: i.edge as string },
              })
            }
          />
        )}
      </Section>
    </div>
  );
}

/** Connect the node to another one without dragging (keyboard users, precise work), and its exits. */
function NextSteps(props: { def: FlowDefinition; node: FlowNode; dispatch: Dispatch }): ReactNode {
  const { t } = useTranslation('flow');
  const env = useEnv();
  const { def, node, dispatch } = props;
  const [target, setTarget] = useState<string | undefined>();
  const [handle, setHandle] = useState<'approved' | 'rejected'>('approved');
  if (node.type === 'end') return null;
  const twoExits = node.type === 'approval' || node.type === 'subFlow';
  const candidates = def.nodes.filter((n) => canConnect(def, node.id, n.id, twoExits ? handle : null));
  const outs = outgoing(def, node.id);
  return (
    <Section title={t('panel.next')} testId="next-steps">
      {outs.length === 0 ? (
        <div className="fw-flow-help">{t('panel.noOutgoing')}</div>
      ) : (
        <ul className="fw-flow-outs">
          {outs.map((e) => {
            const target = def.nodes.find((n) => n.id === e.target);
            const words = edgeText(def, e, env.entity, env.dir, env.locale, t);
            return (
              <li key={e.id} data-edge={e.id}>
                <button
                  type="button"
                  className="fw-flow-linklike"
                  onClick={() => dispatch({ type: 'select', selection: { kind: 'edge', id: e.id } })}
                >
                  → {target ? nodeTitle(target, env.locale, t) : e.target}
                  {words ? ` · ${words}` : ''}
                </button>
                <Button
                  size="small"
                  type="text"
                  icon={<DeleteOutlined />}
                  aria-label={t('panel.deleteEdge')}
                  onClick={() => dispatch({ type: 'removeEdges', ids: [e.id] })}
                />
              </li>
            );
          })}
        </ul>
      )}
      {twoExits && (
        <Prop label={t('panel.handle')}>
          {(id) => (
            <Select
              id={id}
              value={handle}
              style={{ width: '100%' }}
              options={[
                { value: 'approved', label: t('canvas.approved') },
                { value: 'rejected', label: t('canvas.rejected') },
              ]}
              onChange={(h: 'approved' | 'rejected') => setHandle(h)}
            />
          )}
        </Prop>
      )}
      <Prop label={t('panel.connectTo')}>
        {(id) => (
          <Space.Compact block>
            <Select
              id={id}
              value={target}
              placeholder={t('panel.connectPlaceholder')}
              style={{ width: '100%' }}
              showSearch={{ optionFilterProp: 'label' }}
              options={candidates.map((n) => ({
                value: n.id,
                label: `${nodeTitle(n, env.locale, t)} (${n.id})`,
              }))}
              onChange={(v: string) => setTarget(v)}
            />
            <Button
              disabled={!target}
              data-testid="connect-button"
              onClick={() => {
                if (!target) return;
                dispatch({
                  type: 'connect',
                  source: node.id,
                  target,
                  sourceHandle: twoExits ? handle : null,
                });
                setTarget(undefined);
                dispatch({ type: 'select', selection: { kind: 'node', id: node.id } });
              }}
            >
              {t('panel.connect')}
            </Button>
          </Space.Compact>
        )}
      </Prop>
    </Section>
  );
}

function ApprovalSettings(props: {
  node: FlowNode & { type: 'approval' };
  set(d: ApprovalData, group?: string): void;
}): ReactNode {
  const { t } = useTranslation('flow');
  const d = props.node.data;
  const set = props.set;
  const rejectTo = d.rejectTo ?? ['end'];
  const targets: RejectTarget[] = ['end', 'submitter', 'node'];
  return (
    <>
      <Section title={t('approval.mode')}>
        <Radio.Group
          aria-label={t('approval.mode')}
          value={d.mode ?? 'or'}
          onChange={(e) => {
            const mode = e.target.value as ApprovalMode;
            const { threshold: _drop, ...rest } = d;
            set(mode === 'threshold' ? { ...rest, mode, threshold: d.threshold ?? 0.6 } : { ...rest, mode });
          }}
          options={(['or', 'and', 'sequential', 'threshold'] as const).map((m) => ({
            value: m,
            label: t(`approval.modes.${m}`),
          }))}
          style={{ display: 'flex', flexDirection: 'column', gap: 4 }}
        />
        {(d.mode ?? 'or') === 'threshold' && (
          <Prop label={t('approval.threshold')} help={t('approval.thresholdHint')}>
            {(id) => (
              <InputNumber
                id={id}
                min={1}
                max={100}
                precision={0}
                addonAfter="%"
                value={Math.round((d.threshold ?? 0.6) * 100)}
                onChange={(v) =>
                  set({ ...d, threshold: (typeof v === 'number' ? v : 60) / 100 }, 'threshold')
                }
              />
            )}
          </Prop>
        )}
      </Section>
      <Section title={t('approval.reject')} testId="reject-settings">
        <fieldset className="fw-flow-prop fw-flow-fieldset">
          <legend className="fw-flow-prop-label">{t('approval.rejectTo')}</legend>
          <Checkbox.Group
            value={rejectTo}
            options={targets.map((x) => ({ value: x, label: t(`approval.rejectTargets.${x}`) }))}
            onChange={(v) => {
              const chosen = v as RejectTarget[];
              if (chosen.length === 0) return;
              // Keep the default first.
              const first = rejectTo[0] && chosen.includes(rejectTo[0]) ? [rejectTo[0]] : [];
              set({ ...d, rejectTo: [...first, ...chosen.filter((x) => !first.includes(x))] });
            }}
          />
        </fieldset>
        <Prop label={t('approval.rejectDefault')}>
          {(id) => (
            <Select
              id={id}
              value={rejectTo.find((x) => x !== 'node') ?? rejectTo[0]}
              style={{ width: '100%' }}
              options={rejectTo
                .filter((x) => x !== 'node')
                .map((x) => ({ value: x, label: t(`approval.rejectTargets.${x}`) }))}
              onChange={(x: RejectTarget) => set({ ...d, rejectTo: [x, ...rejectTo.filter((y) => y !== x)] })}
            />
          )}
        </Prop>
        <Checkbox
          checked={d.commentOnReject !== false}
          onChange={(e) => {
            const { commentOnReject: _drop, ...rest } = d;
            set(e.target.checked ? rest : { ...rest, commentOnReject: false });
          }}
        >
          {t('approval.commentOnReject')}
        </Checkbox>
        <Checkbox
          checked={d.commentOnApprove === true}
          onChange={(e) => {
            const { commentOnApprove: _drop, ...rest } = d;
            set(e.target.checked ? { ...rest, commentOnApprove: true } : rest);
          }}
        >
          {t('approval.commentOnApprove')}
        </Checkbox>
      </Section>
      <Section title={t('approval.actions')}>
        <Space>
          <Switch
            aria-label={t('approval.allowTransfer')}
            checked={d.allowTransfer !== false}
            onChange={(v) => {
              const { allowTransfer: _drop, ...rest } = d;
              set(v ? rest : { ...rest, allowTransfer: false });
            }}
          />
          {t('approval.allowTransfer')}
          <Switch
            aria-label={t('approval.allowAddSigner')}
            checked={d.allowAddSigner !== false}
            onChange={(v) => {
              const { allowAddSigner: _drop, ...rest } = d;
              set(v ? rest : { ...rest, allowAddSigner: false });
            }}
          />
          {t('approval.allowAddSigner')}
        </Space>
      </Section>
    </>
  );
}

function EmptyAssigneeEditor(props: {
  value: EmptyAssignee | undefined;
  onChange(v: EmptyAssignee | undefined): void;
}) {
  const { t } = useTranslation('flow');
  const mode = props.value?.action ?? 'unset';
  return (
    <Section title={t('approval.empty')} testId="empty-assignee">
      <Radio.Group
        aria-label={t('approval.empty')}
        value={mode}
        onChange={(e) => {
          const v = e.target.value as 'unset' | 'autoApprove' | 'assign';
          props.onChange(
            v === 'unset'
              ? undefined
              : v === 'autoApprove'
                ? { action: 'autoApprove' }
                : { action: 'assign', to: [] },
          );
        }}
        options={(['unset', 'autoApprove', 'assign'] as const).map((x) => ({
          value: x,
          label: t(`approval.emptyModes.${x}`),
        }))}
      />
      {props.value?.action === 'assign' && (
        <AssigneeRulesEditor
          label={t('approval.emptyModes.assign')}
          value={props.value.to}
          onChange={(to) => props.onChange({ action: 'assign', to })}
        />
      )}
    </Section>
  );
}

function HumanSettings(props: {
  node: FlowNode & { type: 'approval' | 'fillIn' };
  set(d: ApprovalData | FillInData, group?: string): void;
}): ReactNode {
  const { t } = useTranslation('flow');
  const { node, set } = props;
  const d = node.data;
  const fillIn = node.type === 'fillIn';
  return (
    <>
      <Section title={t('assignees.title')} testId="assignees">
        <AssigneeRulesEditor
          label={t('assignees.title')}
          value={d.assignees}
          onChange={(assignees) => set({ ...d, assignees })}
        />
      </Section>
      {node.type === 'approval' && <ApprovalSettings node={node} set={set} />}
      {fillIn && (
        <Section title={t('approval.actions')}>
          <Space>
            <Switch
              aria-label={t('approval.allowTransfer')}
              checked={d.allowTransfer !== false}
              onChange={(v) => {
                const { allowTransfer: _drop, ...rest } = d;
                set(v ? rest : { ...rest, allowTransfer: false });
              }}
            />
            {t('approval.allowTransfer')}
          </Space>
        </Section>
      )}
      <EmptyAssigneeEditor
        value={d.emptyAssignee}
        onChange={(v) => {
          const { emptyAssignee: _drop, ...rest } = d;
          set(v ? { ...rest, emptyAssignee: v } : rest);
        }}
      />
      <Section title={t('fields.title')}>
        <FieldAccessEditor
          fields={d.fields}
          defaultAccess={d.defaultAccess}
          fallback={fillIn ? 'editable' : 'readOnly'}
          onChange={(fields, defaultAccess) => {
            const { fields: _f, defaultAccess: _d, ...rest } = d;
            set({ ...rest, ...(fields ? { fields } : {}), ...(defaultAccess ? { defaultAccess } : {}) });
          }}
        />
      </Section>
      <Section title={t('deadline.title')}>
        <DeadlineEditor
          value={d.deadline}
          allowReject={!fillIn}
          onChange={(deadline) => {
            const { deadline: _drop, ...rest } = d;
            set(deadline ? { ...rest, deadline } : rest, 'deadline');
          }}
        />
      </Section>
    </>
  );
}

function WaitSettings(props: { data: WaitData; set(d: WaitData, group?: string): void }): ReactNode {
  const { t } = useTranslation('flow');
  const env = useEnv();
  const d = props.data as {
    label?: WaitData['label'];
    duration?: { days?: number };
    untilField?: string;
    offset?: { days?: number };
    direction?: 'before' | 'after';
  };
  const mode = d.untilField !== undefined ? 'untilField' : 'duration';
  const label = d.label !== undefined ? { label: d.label } : {};
  const dateFields = env.entity.fields
    .filter((f) => f.type === 'date' || f.type === 'datetime')
    .map((f) => ({ value: f.key, label: localize(f.label, env.locale, f.key) }));
  return (
    <Section title={t('wait.mode')}>
      <Radio.Group
        aria-label={t('wait.mode')}
        value={mode}
        onChange={(e) =>
          props.set(
            e.target.value === 'duration'
              ? { ...label, duration: { days: 1 } }
              : { ...label, untilField: dateFields[0]?.value ?? '' },
          )
        }
        options={(['duration', 'untilField'] as const).map((x) => ({
          value: x,
          label: t(`wait.modes.${x}`),
        }))}
      />
      {mode === 'duration' ? (
        <div className="fw-flow-prop">
          <div className="fw-flow-prop-label">{t('wait.duration')}</div>
          <DurationInput
            label={t('wait.duration')}
            value={d.duration}
            onChange={(duration) => props.set({ ...label, duration }, 'duration')}
          />
        </div>
      ) : (
        <>
          <Prop label={t('wait.field')}>
            {(id) => (
              <Select
                id={id}
                value={d.untilField || undefined}
                style={{ width: '100%' }}
                options={dateFields}
                onChange={(untilField: string) =>
                  props.set({ ...(props.data as object), untilField } as WaitData)
                }
              />
            )}
          </Prop>
          <div className="fw-flow-prop">
            <div className="fw-flow-prop-label">{t('wait.offset')}</div>
            <DurationInput
              label={t('wait.offset')}
              value={d.offset}
              onChange={(offset) => props.set({ ...(props.data as object), offset } as WaitData, 'offset')}
            />
          </div>
          <Prop label={t('wait.direction')}>
            {(id) => (
              <Select
                id={id}
                value={d.direction ?? 'after'}
                style={{ width: 140 }}
                options={[
                  { value: 'before', label: t('wait.before') },
                  { value: 'after', label: t('wait.after') },
                ]}
                onChange={(direction: 'before' | 'after') =>
                  props.set({ ...(props.data as object), direction } as WaitData)
                }
              />
            )}
          </Prop>
        </>
      )}
    </Section>
  );
}

/** The settings of the selected node, by its kind. */
export function NodePanel(props: {
  def: FlowDefinition;
  node: FlowNode;
  dispatch: Dispatch;
  issues: DesignerIssue[];
}): ReactNode {
  const { t } = useTranslation('flow');
  const env = useEnv();
  const { def, node, dispatch } = props;
  const set = (data: FlowNode['data'], group?: string) =>
    dispatch({ type: 'setNodeData', id: node.id, data, ...(group ? { group: `${node.id}:${group}` } : {}) });
  const kindName =
    node.type === 'end'
      ? t(`kinds.end${node.data.outcome[0]?.toUpperCase()}${node.data.outcome.slice(1)}`)
      : t(`kinds.${node.type}`);
  return (
    <div data-testid="node-panel" data-node={node.id}>
      <div className="fw-flow-panel-head">
        <div>
          <strong>{kindName}</strong>
          <div className="fw-flow-help">{t(`kindHelp.${node.type}`)}</div>
        </div>
        <Tooltip title={node.type === 'start' ? t('panel.startUndeletable') : undefined}>
          <Button
            danger
            icon={<DeleteOutlined />}
            aria-label={t('panel.deleteNode')}
            disabled={node.type === 'start'}
            onClick={() => dispatch({ type: 'removeNodes', ids: [node.id] })}
            data-testid="delete-node"
          />
        </Tooltip>
      </div>
      <IssueList issues={props.issues} />
      <Section title={t('panel.basic')}>
        <LabelEditor
          zhLabel={t('panel.labelZh')}
          enLabel={t('panel.labelEn')}
          value={node.data.label}
          onChange={(label) => {
            const { label: _drop, ...rest } = node.data as { label?: unknown };
            set((label === undefined ? rest : { ...rest, label }) as FlowNode['data'], 'label');
          }}
        />
        <div className="fw-flow-meta">
          <span>{t('panel.nodeId')}</span>
          <code>{node.id}</code>
        </div>
      </Section>
      {(node.type === 'approval' || node.type === 'fillIn') && <HumanSettings node={node} set={set} />}
      {node.type === 'start' && (
        <Section title={t('fields.title')}>
          <FieldAccessEditor
            help={t('fields.startHint')}
            fields={node.data.fields}
            defaultAccess={node.data.defaultAccess}
            fallback="editable"
            onChange={(fields, defaultAccess) => {
              const { fields: _f, defaultAccess: _d, ...rest } = node.data;
              set({ ...rest, ...(fields ? { fields } : {}), ...(defaultAccess ? { defaultAccess } : {}) });
            }}
          />
        </Section>
      )}
      {node.type === 'cc' && (
        <Section title={t('cc.to')} testId="cc-to">
          <AssigneeRulesEditor
            label={t('cc.to')}
            value={node.data.to}
            onChange={(to) => set({ ...node.data, to })}
          />
        </Section>
      )}
      {node.type === 'action' && (
        <Section title={t('action.title')}>
          <ActionsEditor
            value={node.data.actions ?? []}
            onChange={(actions) => set({ ...node.data, actions }, 'actions')}
          />
        </Section>
      )}
      {node.type === 'wait' && <WaitSettings data={node.data} set={set} />}
      {node.type === 'subFlow' && (
        <Section title={t('subFlow.flow')}>
          <Prop label={t('subFlow.flow')}>
            {(id) => (
              <Select
                id={id}
                value={node.data.flow || undefined}
                style={{ width: '100%' }}
                notFoundContent={t('subFlow.noFlows')}
                options={(env.dir.flows ?? [])
                  .filter((f) => f.id !== def.key)
                  .map((f) => ({ value: f.id, label: f.name }))}
                onChange={(flow: string) => set({ ...node.data, flow })}
              />
            )}
          </Prop>
          <Checkbox
            checked={node.data.wait !== false}
            onChange={(e) => {
              const { wait: _drop, ...rest } = node.data;
              set(e.target.checked ? rest : { ...rest, wait: false });
            }}
          >
            {t('subFlow.wait')}
          </Checkbox>
        </Section>
      )}
      {node.type === 'end' && (
        <Section title={t('end.outcome')}>
          <Radio.Group
            aria-label={t('end.outcome')}
            value={node.data.outcome}
            onChange={(e) => set({ ...node.data, outcome: e.target.value })}
            options={(['approved', 'rejected', 'cancelled'] as const).map((o) => ({
              value: o,
              label: t(`outcomes.${o}`),
            }))}
          />
        </Section>
      )}
      {node.type === 'condition' && <Branches def={def} node={node} dispatch={dispatch} />}
      <NextSteps def={def} node={node} dispatch={dispatch} />
    </div>
  );
}

/** The branches of a condition node in the order they are tried, with up/down. */
function Branches(props: { def: FlowDefinition; node: FlowNode; dispatch: Dispatch }): ReactNode {
  const { t } = useTranslation('flow');
  const env = useEnv();
  const branches = outgoing(props.def, props.node.id);
  return (
    <Section title={t('condition.branches')} testId="branches">
      <div className="fw-flow-help">
        {branches.length === 0 ? t('condition.noBranches') : t('condition.branchesHint')}
      </div>
      <ol className="fw-flow-branches">
        {branches.map((e, i) => {
          const target = props.def.nodes.find((n) => n.id === e.target);
          return (
            <li key={e.id}>
              <button
                type="button"
                className="fw-flow-linklike"
                onClick={() => props.dispatch({ type: 'select', selection: { kind: 'edge', id: e.id } })}
              >
                {edgeText(props.def, e, env.entity, env.dir, env.locale, t)} →{' '}
                {target ? nodeTitle(target, env.locale, t) : e.target}
              </button>
              {!e.data?.default && (
                <span>
                  <Button
                    size="small"
                    type="text"
                    icon={<ArrowUpOutlined />}
                    aria-label={t('condition.moveUp')}
                    disabled={i === 0}
                    onClick={() => props.dispatch({ type: 'moveBranch', id: e.id, step: -1 })}
                  />
                  <Button
                    size="small"
                    type="text"
                    icon={<ArrowDownOutlined />}
                    aria-label={t('condition.moveDown')}
                    disabled={branches[i + 1] === undefined || branches[i + 1]?.data?.default === true}
                    onClick={() => props.dispatch({ type: 'moveBranch', id: e.id, step: 1 })}
                  />
                </span>
              )}
            </li>
          );
        })}
      </ol>
    </Section>
  );
}

/** The selected edge: a branch's condition, or what a plain / rejection edge means. */
export function EdgePanel(props: {
  def: FlowDefinition;
  edge: FlowEdge;
  dispatch: Dispatch;
  issues: DesignerIssue[];
}): ReactNode {
  const { t } = useTranslation('flow');
  const env = useEnv();
  const { def, edge, dispatch } = props;
  const source = def.nodes.find((n) => n.id === edge.source);
  const target = def.nodes.find((n) => n.id === edge.target);
  const data = edge.data ?? {};
  const set = (next: EdgeData, group?: string) =>
    dispatch({
      type: 'setEdgeData',
      id: edge.id,
      data: next,
      ...(group ? { group: `${edge.id}:${group}` } : {}),
    });
  return (
    <div data-testid="edge-panel" data-edge={edge.id}>
      <div className="fw-flow-panel-head">
        <div>
          <strong>
            {t('condition.edgeFrom', {
              from: source ? nodeTitle(source, env.locale, t) : edge.source,
              to: target ? nodeTitle(target, env.locale, t) : edge.target,
            })}
          </strong>
        </div>
        <Button
          danger
          icon={<DeleteOutlined />}
          aria-label={t('panel.deleteEdge')}
          onClick={() => dispatch({ type: 'removeEdges', ids: [edge.id] })}
          data-testid="delete-edge"
        />
      </div>
      <IssueList issues={props.issues} />
      {source?.type === 'condition' ? (
        <>
          <Section title={t('panel.basic')}>
            <LabelEditor
              zhLabel={t('condition.labelZh')}
              enLabel={t('condition.labelEn')}
              value={data.label}
              onChange={(label) => {
                const { label: _drop, ...rest } = data;
                set(label === undefined ? rest : { ...rest, label }, 'label');
              }}
            />
            <Checkbox
              checked={data.default === true}
              onChange={(e) => {
                const { default: _d, condition: _c, ...rest } = data;
                set(e.target.checked ? { ...rest, default: true } : rest);
              }}
              data-testid="default-branch"
            >
              {t('condition.default')}
            </Checkbox>
          </Section>
          {!data.default && (
            <Section title={t('condition.title')}>
              <ConditionEditor
                edgeId={edge.id}
                value={data.condition}
                onChange={(condition) => {
                  const { condition: _drop, ...rest } = data;
                  set(condition ? { ...rest, condition } : rest, 'condition');
                }}
              />
            </Section>
          )}
        </>
      ) : (
        <div className="fw-flow-help">
          {edge.sourceHandle === 'rejected'
            ? t('condition.rejectedEdge')
            : source?.type === 'approval' || source?.type === 'subFlow'
              ? t('condition.approvedEdge')
              : t('condition.plainEdge')}
        </div>
      )}
    </div>
  );
}

import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { type FilterNode, localize } from '@formwork/metadata';
import {
  ActionsEditor,
  AssigneeRulesEditor,
  type Blueprint,
  type BlueprintStage,
  type BlueprintTransition,
  DurationInput,
  FlowEditorsProvider,
  LabelEditor,
  Prop,
} from '@formwork/ui/flow';
import { FilterBuilder } from '@formwork/ui/views';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Collapse,
  Input,
  InputNumber,
  Select,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../../context.js';
import { textIn } from './common.js';
import { DefinitionHeader, DefinitionMissing, useDefinitionDraft } from './DefinitionEditor.js';
import { useDirectory } from './FlowDesignerPage.js';
import { useFlowStrings } from './flow-strings.js';

/** The blueprint of a stage field as a form: stages (probability, SLA, on-enter actions) and allowed moves. */
export default function BlueprintEditorPage(props: { blueprintKey: string }): ReactNode {
  useFlowStrings();
  const app = useApp();
  const { t } = useTranslation('flows');
  const dir = useDirectory();
  const state = useDefinitionDraft<Blueprint>('blueprint', props.blueprintKey);
  const { detail, draft, setDraft, missing } = state;

  if (missing) return <DefinitionMissing reason={missing} backTab="blueprints" />;
  const entity = detail ? app.entities.find((e) => e.key === detail.entity) : undefined;
  if (!detail || !draft || !entity)
    return <Spin size="large" style={{ display: 'block', margin: '64px auto' }} />;
  const field = entity.fields.find((f) => f.key === draft.field);
  const options = field?.options ?? [];
  const set = (patch: Partial<Blueprint>) => setDraft({ ...draft, ...patch });
  const setStage = (i: number, s: BlueprintStage) =>
    set({ stages: draft.stages.map((x, j) => (j === i ? s : x)) });
  const setTransition = (i: number, tr: BlueprintTransition) =>
    set({ transitions: draft.transitions.map((x, j) => (j === i ? tr : x)) });
  const stageName = (key: string) => {
    const s = draft.stages.find((x) => x.key === key);
    return (
      textIn(s?.label, app.locale, '') ||
      localize(options.find((o) => o.value === key)?.label, app.locale, key)
    );
  };
  const stageOptions = draft.stages.map((s) => ({ value: s.key, label: stageName(s.key) }));
  const notOptions = draft.stages.filter((s) => !options.some((o) => o.value === s.key)).map((s) => s.key);
  const fieldOptions = entity.fields.map((f) => ({
    value: f.key,
    label: localize(f.label, app.locale, f.key),
  }));

  return (
    <FlowEditorsProvider entity={entity} locale={app.locale} dir={dir}>
      <div data-testid="blueprint-editor">
        <DefinitionHeader
          state={state}
          name={textIn(draft.name, app.locale, draft.key)}
          subtitle={
            <>
              {localize(entity.label, app.locale, entity.key)} · {t('blueprint.field')}：
              {localize(field?.label, app.locale, draft.field)}
            </>
          }
          backTab="blueprints"
          saveLabel={t('blueprint.save')}
          testId="blueprint"
        />
        {notOptions.length > 0 && (
          <Alert
            type="warning"
            showIcon
            title={t('blueprint.missingOptions', { stages: notOptions.join('、') })}
            style={{ marginBottom: 8 }}
          />
        )}
        <Card size="small" style={{ marginBottom: 12 }}>
          <Space wrap align="end">
            <LabelEditor
              zhLabel={t('admin.nameZh')}
              enLabel={t('admin.nameEn')}
              value={draft.name}
              onChange={(name) => {
                const { name: _drop, ...rest } = draft;
                setDraft(name ? { ...rest, name } : rest);
              }}
            />
            <Prop label={t('blueprint.initial')}>
              {(id) => (
                <Select
                  id={id}
                  allowClear
                  value={draft.initial}
                  style={{ minWidth: 200 }}
                  options={stageOptions}
                  onChange={(v: string | undefined) => {
                    const { initial: _drop, ...rest } = draft;
                    setDraft(v ? { ...rest, initial: v } : rest);
                  }}
                />
              )}
            </Prop>
          </Space>
        </Card>

        <Typography.Title level={4}>{t('blueprint.stages')}</Typography.Title>
        <Space orientation="vertical" style={{ width: '100%' }} data-testid="blueprint-stages">
          {draft.stages.map((s, i) => (
            <Card
              // biome-ignore lint/suspicious/noArrayIndexKey: a stage's key may be edited; the position is its identity here
              key={`${s.key}-${i}`}
              size="small"
              data-testid={`blueprint-stage-${s.key}`}
              title={
                <Space>
                  <Tag>{i + 1}</Tag>
                  {stageName(s.key)}
                  {s.final && <Tag color="blue">{t('blueprint.final')}</Tag>}
                  {s.probability !== undefined && <Tag>{s.probability}%</Tag>}
                </Space>
              }
              extra={
                <Space>
                  <Button
                    size="small"
                    icon={<ArrowUpOutlined />}
                    disabled={i === 0}
                    aria-label="up"
                    onClick={() => {
                      const next = [...draft.stages];
                      next.splice(i - 1, 0, ...next.splice(i, 1));
                      set({ stages: next });
                    }}
                  />
                  <Button
                    size="small"
                    icon={<ArrowDownOutlined />}
                    disabled={i === draft.stages.length - 1}
                    aria-label="down"
                    onClick={() => {
                      const next = [...draft.stages];
                      next.splice(i + 1, 0, ...next.splice(i, 1));
                      set({ stages: next });
                    }}
                  />
                  <Button
                    size="small"
                    danger
                    icon={<DeleteOutlined />}
                    aria-label={t('blueprint.remove')}
                    disabled={draft.stages.length <= 1}
                    onClick={() => set({ stages: draft.stages.filter((_, j) => j !== i) })}
                  />
                </Space>
              }
            >
              <Space wrap align="start">
                <Prop label={t('blueprint.stageKey')}>
                  {(id) => (
                    <Select
                      id={id}
                      value={s.key}
                      style={{ minWidth: 180 }}
                      options={options.map((o) => ({
                        value: o.value,
                        label: localize(o.label, app.locale, o.value),
                      }))}
                      onChange={(key: string) => setStage(i, { ...s, key })}
                    />
                  )}
                </Prop>
                <Prop label={t('blueprint.probability')}>
                  {(id) => (
                    <InputNumber
                      id={id}
                      min={0}
                      max={100}
                      value={s.probability ?? null}
                      onChange={(v) => {
                        const { probability: _drop, ...rest } = s;
                        setStage(i, typeof v === 'number' ? { ...rest, probability: v } : rest);
                      }}
                    />
                  )}
                </Prop>
                <Checkbox
                  checked={s.final === true}
                  onChange={(e) => {
                    const { final: _drop, sla: _sla, ...rest } = s;
                    setStage(
                      i,
                      e.target.checked
                        ? { ...rest, final: true }
                        : { ...rest, ...(s.sla ? { sla: s.sla } : {}) },
                    );
                  }}
                  style={{ marginTop: 26 }}
                >
                  {t('blueprint.final')}
                </Checkbox>
              </Space>
              <Collapse
                size="small"
                ghost
                items={[
                  {
                    key: 'details',
                    label: t('blueprint.details'),
                    children: (
                      <Space orientation="vertical" style={{ width: '100%' }}>
                        <LabelEditor
                          zhLabel={`${t('blueprint.label')}（中文）`}
                          enLabel={`${t('blueprint.label')} (English)`}
                          value={s.label}
                          onChange={(label) => {
                            const { label: _drop, ...rest } = s;
                            setStage(i, label ? { ...rest, label } : rest);
                          }}
                        />
                        {!s.final && (
                          <>
                            <Checkbox
                              checked={s.sla !== undefined}
                              onChange={(e) => {
                                const { sla: _drop, ...rest } = s;
                                setStage(
                                  i,
                                  e.target.checked ? { ...rest, sla: { after: { days: 7 } } } : rest,
                                );
                              }}
                            >
                              {t('blueprint.sla')}
                            </Checkbox>
                            {s.sla && (
                              <>
                                <DurationInput
                                  label={t('blueprint.sla')}
                                  value={s.sla.after}
                                  onChange={(after) => setStage(i, { ...s, sla: { ...s.sla, after } })}
                                />
                                <AssigneeRulesEditor
                                  label={t('blueprint.slaNotify')}
                                  value={s.sla.escalate?.notify}
                                  onChange={(notify) => {
                                    const { notify: _drop, ...esc } = s.sla?.escalate ?? {};
                                    const next = notify.length > 0 ? { ...esc, notify } : esc;
                                    setStage(i, {
                                      ...s,
                                      sla: {
                                        after: s.sla?.after ?? { days: 7 },
                                        ...(Object.keys(next).length > 0 ? { escalate: next } : {}),
                                      },
                                    });
                                  }}
                                />
                                <Prop label={t('blueprint.slaOwner')}>
                                  {(id) => (
                                    <Select
                                      id={id}
                                      mode="multiple"
                                      value={s.sla?.escalate?.setOwner ?? []}
                                      style={{ width: '100%' }}
                                      showSearch={{ optionFilterProp: 'label' }}
                                      options={dir.members.map((m) => ({ value: m.id, label: m.name }))}
                                      onChange={(ids: string[]) => {
                                        const { setOwner: _drop, ...esc } = s.sla?.escalate ?? {};
                                        const next = ids.length > 0 ? { ...esc, setOwner: ids } : esc;
                                        setStage(i, {
                                          ...s,
                                          sla: {
                                            after: s.sla?.after ?? { days: 7 },
                                            ...(Object.keys(next).length > 0 ? { escalate: next } : {}),
                                          },
                                        });
                                      }}
                                    />
                                  )}
                                </Prop>
                              </>
                            )}
                          </>
                        )}
                        <div className="fw-flow-prop-label">{t('blueprint.onEnter')}</div>
                        <ActionsEditor
                          value={s.onEnter ?? []}
                          onChange={(onEnter) => {
                            const { onEnter: _drop, ...rest } = s;
                            setStage(i, onEnter.length > 0 ? { ...rest, onEnter } : rest);
                          }}
                        />
                      </Space>
                    ),
                  },
                ]}
              />
            </Card>
          ))}
          <Space>
            <Button
              icon={<PlusOutlined />}
              onClick={() => {
                const free = options.find((o) => !draft.stages.some((s) => s.key === o.value));
                if (free) set({ stages: [...draft.stages, { key: free.value }] });
              }}
              disabled={!options.some((o) => !draft.stages.some((s) => s.key === o.value))}
            >
              {t('blueprint.addStage')}
            </Button>
          </Space>
        </Space>

        <Typography.Title level={4} style={{ marginTop: 16 }}>
          {t('blueprint.transitions')}
        </Typography.Title>
        <Space orientation="vertical" style={{ width: '100%' }} data-testid="blueprint-transitions">
          {draft.transitions.map((tr, i) => (
            <Card
              // biome-ignore lint/suspicious/noArrayIndexKey: a rule's key may be edited; the position is its identity here
              key={`${tr.key}-${i}`}
              size="small"
              data-testid={`blueprint-transition-${tr.key}`}
              title={
                <Space wrap>
                  <code>{tr.key}</code>
                  <span>
                    {(Array.isArray(tr.from) ? tr.from : [tr.from])
                      .map((f) => (f === '*' ? t('blueprint.any') : stageName(f)))
                      .join(' / ')}{' '}
                    → {stageName(tr.to)}
                  </span>
                </Space>
              }
              extra={
                <Button
                  size="small"
                  danger
                  icon={<DeleteOutlined />}
                  aria-label={t('blueprint.remove')}
                  onClick={() => set({ transitions: draft.transitions.filter((_, j) => j !== i) })}
                />
              }
            >
              <Space wrap align="start">
                <Prop label={t('blueprint.transitionKey')}>
                  {(id) => (
                    <Input
                      id={id}
                      value={tr.key}
                      onChange={(e) =>
                        setTransition(i, {
                          ...tr,
                          key: e.target.value.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 100),
                        })
                      }
                    />
                  )}
                </Prop>
                <Prop label={t('blueprint.from')}>
                  {(id) => (
                    <Select
                      id={id}
                      mode="multiple"
                      value={Array.isArray(tr.from) ? tr.from : [tr.from]}
                      style={{ minWidth: 200 }}
                      options={[{ value: '*', label: t('blueprint.any') }, ...stageOptions]}
                      onChange={(v: string[]) => {
                        const list =
                          v.includes('*') && v[v.length - 1] === '*' ? ['*'] : v.filter((x) => x !== '*');
                        if (list.length > 0)
                          setTransition(i, { ...tr, from: list.length === 1 ? (list[0] as string) : list });
                      }}
                    />
                  )}
                </Prop>
                <Prop label={t('blueprint.to')}>
                  {(id) => (
                    <Select
                      id={id}
                      value={tr.to}
                      style={{ minWidth: 160 }}
                      options={stageOptions}
                      onChange={(to: string) => setTransition(i, { ...tr, to })}
                    />
                  )}
                </Prop>
              </Space>
              <Space orientation="vertical" style={{ width: '100%', marginTop: 8 }}>
                <div className="fw-flow-prop-label">{t('blueprint.allowed')}</div>
                <Space wrap>
                  <Select
                    mode="multiple"
                    aria-label={t('blueprint.roles')}
                    placeholder={t('blueprint.roles')}
                    value={tr.allowed?.roles ?? []}
                    style={{ minWidth: 200 }}
                    options={(dir.roles ?? []).map((r) => ({ value: r.id, label: r.name }))}
                    onChange={(roles: string[]) => setTransition(i, withAllowed(tr, { roles }))}
                  />
                  <Select
                    mode="multiple"
                    aria-label={t('blueprint.members')}
                    placeholder={t('blueprint.members')}
                    value={tr.allowed?.members ?? []}
                    style={{ minWidth: 200 }}
                    showSearch={{ optionFilterProp: 'label' }}
                    options={dir.members.map((m) => ({ value: m.id, label: m.name }))}
                    onChange={(members: string[]) => setTransition(i, withAllowed(tr, { members }))}
                  />
                  <Checkbox
                    checked={tr.allowed?.owner === true}
                    onChange={(e) => setTransition(i, withAllowed(tr, { owner: e.target.checked }))}
                  >
                    {t('blueprint.owner')}
                  </Checkbox>
                </Space>
                <Prop label={t('blueprint.required')}>
                  {(id) => (
                    <Select
                      id={id}
                      mode="multiple"
                      value={tr.requiredFields ?? []}
                      style={{ width: '100%' }}
                      options={fieldOptions}
                      showSearch={{ optionFilterProp: 'label' }}
                      onChange={(v: string[]) => {
                        const { requiredFields: _drop, ...rest } = tr;
                        setTransition(i, v.length > 0 ? { ...rest, requiredFields: v } : rest);
                      }}
                    />
                  )}
                </Prop>
                <div className="fw-flow-prop-label">{t('blueprint.condition')}</div>
                <FilterBuilder
                  // biome-ignore lint/suspicious/noArrayIndexKey: one filter draft per rule position
                  key={`${tr.key}-${i}`}
                  entity={entity}
                  value={tr.condition}
                  locale={app.locale}
                  members={dir.members}
                  departments={dir.departments ?? []}
                  onChange={(condition: FilterNode | undefined) => {
                    const { condition: _drop, ...rest } = tr;
                    setTransition(i, condition ? { ...rest, condition } : rest);
                  }}
                />
                {tr.condition && (
                  <LabelEditor
                    zhLabel={`${t('blueprint.conditionMessage')}（中文）`}
                    enLabel={`${t('blueprint.conditionMessage')} (English)`}
                    value={tr.conditionMessage}
                    onChange={(conditionMessage) => {
                      const { conditionMessage: _drop, ...rest } = tr;
                      setTransition(i, conditionMessage ? { ...rest, conditionMessage } : rest);
                    }}
                  />
                )}
              </Space>
            </Card>
          ))}
          <Button
            icon={<PlusOutlined />}
            data-testid="blueprint-add-transition"
            onClick={() => {
              const first = draft.stages[0]?.key ?? '*';
              const last = draft.stages[draft.stages.length - 1]?.key ?? first;
              let n = draft.transitions.length + 1;
              while (draft.transitions.some((x) => x.key === `move${n}`)) n++;
              set({ transitions: [...draft.transitions, { key: `move${n}`, from: first, to: last }] });
            }}
          >
            {t('blueprint.addTransition')}
          </Button>
        </Space>
      </div>
    </FlowEditorsProvider>
  );
}

function withAllowed(
  tr: BlueprintTransition,
  patch: { roles?: string[]; members?: string[]; owner?: boolean },
): BlueprintTransition {
  const next: NonNullable<BlueprintTransition['allowed']> = { ...(tr.allowed ?? {}) };
  if (patch.roles !== undefined) {
    if (patch.roles.length > 0) next.roles = patch.roles;
    else delete next.roles;
  }
  if (patch.members !== undefined) {
    if (patch.members.length > 0) next.members = patch.members;
    else delete next.members;
  }
  if (patch.owner !== undefined) {
    if (patch.owner) next.owner = true;
    else delete next.owner;
  }
  const { allowed: _drop, ...rest } = tr;
  return Object.keys(next).length > 0 ? { ...rest, allowed: next } : rest;
}

import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  type EntityDefinition,
  type FilterNode,
  type I18nText,
  type Locale,
  localize,
} from '@formwork/metadata';
import type { AssigneeRule, Deadline, Duration, EdgeCondition } from '@formwork/workflow';
import { Button, Checkbox, Input, InputNumber, Radio, Select, Space } from 'antd';
import { createContext, type ReactNode, useContext, useEffect, useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { FilterBuilder } from '../views/FilterBuilder.js';
import type { Directory } from './describe.js';
import { FLOW_CSS } from './styles.js';

export type FieldAccess = 'editable' | 'readOnly' | 'hidden';

/** What every editor of the panel needs: the entity, the language and the names to pick from. */
export interface DesignerEnv {
  entity: EntityDefinition;
  locale: Locale;
  dir: Directory;
  /** The entities an action may create or update records in (automations); none in a flow. */
  entities?: readonly EntityDefinition[];
}

export const EnvContext = createContext<DesignerEnv | null>(null);

/**
 * Lets the flow editors (assignee rules, durations, actions…) be used outside the designer, e.g. on a
 * blueprint or automation screen: gives them the entity, language and names, and the designer's styles.
 */
export function FlowEditorsProvider(props: DesignerEnv & { children: ReactNode }): ReactNode {
  useFlowCss();
  const { children, entity, locale, dir, entities } = props;
  const env = useMemo(
    () => ({ entity, locale, dir, ...(entities ? { entities } : {}) }),
    [entity, locale, dir, entities],
  );
  return <EnvContext.Provider value={env}>{children}</EnvContext.Provider>;
}

let cssInjected = false;
/** Adds the designer's styles to the page once. */
export function useFlowCss(): void {
  useEffect(() => {
    if (cssInjected || typeof document === 'undefined') return;
    cssInjected = true;
    const style = document.createElement('style');
    style.dataset.formwork = 'flow';
    style.textContent = FLOW_CSS;
    document.head.appendChild(style);
  }, []);
}

export function useEnv(): DesignerEnv {
  const env = useContext(EnvContext);
  if (!env) throw new Error('flow editors outside the FlowDesigner');
  return env;
}

/** A labelled property: the label points at the control (`htmlFor`), so it is reachable by its name. */
export function Prop(props: {
  label: string;
  help?: string;
  children: (id: string) => ReactNode;
}): ReactNode {
  const id = useId();
  return (
    <div className="fw-flow-prop">
      <label htmlFor={id} className="fw-flow-prop-label">
        {props.label}
      </label>
      {props.children(id)}
      {props.help && <div className="fw-flow-help">{props.help}</div>}
    </div>
  );
}

export function Section(props: { title: string; children: ReactNode; testId?: string }): ReactNode {
  return (
    <section className="fw-flow-section" data-testid={props.testId}>
      <h4>{props.title}</h4>
      {props.children}
    </section>
  );
}

export function setLang(text: I18nText | undefined, locale: Locale, v: string): I18nText | undefined {
  const base = typeof text === 'string' ? { 'zh-CN': text, en: text } : { ...(text ?? {}) };
  if (v === '') delete base[locale];
  else base[locale] = v;
  return Object.keys(base).length === 0 ? undefined : base;
}

export function langOf(text: I18nText | undefined, locale: Locale): string {
  if (typeof text === 'string') return text;
  return text?.[locale] ?? '';
}

/** Chinese and English inputs for a label. */
export function LabelEditor(props: {
  value: I18nText | undefined;
  onChange(v: I18nText | undefined): void;
  zhLabel: string;
  enLabel: string;
}): ReactNode {
  return (
    <>
      <Prop label={props.zhLabel}>
        {(id) => (
          <Input
            id={id}
            value={langOf(props.value, 'zh-CN')}
            maxLength={500}
            onChange={(e) => props.onChange(setLang(props.value, 'zh-CN', e.target.value))}
          />
        )}
      </Prop>
      <Prop label={props.enLabel}>
        {(id) => (
          <Input
            id={id}
            value={langOf(props.value, 'en')}
            maxLength={500}
            onChange={(e) => props.onChange(setLang(props.value, 'en', e.target.value))}
          />
        )}
      </Prop>
    </>
  );
}

export const searchable = {
  showSearch: { optionFilterProp: 'label' as const },
};

/** The member fields of the entity a rule can name (plus owner and creator). */
export function memberFields(
  entity: EntityDefinition,
  locale: Locale,
): Array<{ value: string; label: string }> {
  const own = entity.fields
    .filter((f) => f.type === 'member')
    .map((f) => ({ value: f.key, label: localize(f.label, locale, f.key) }));
  const sys = [
    { value: 'ownerId', label: locale === 'en' ? 'Owner' : '负责人' },
    { value: 'createdBy', label: locale === 'en' ? 'Created by' : '创建人' },
  ];
  return [...own, ...sys.filter((s) => !own.some((o) => o.value === s.value))];
}

/** Assignee rules: members, roles, department head N levels up, a member field, the submitter. */
export function AssigneeRulesEditor(props: {
  value: AssigneeRule[] | undefined;
  onChange(v: AssigneeRule[]): void;
  label: string;
  testId?: string;
}): ReactNode {
  const { t } = useTranslation('flow');
  const env = useEnv();
  const rules = props.value ?? [];
  const set = (i: number, r: AssigneeRule) => props.onChange(rules.map((x, j) => (j === i ? r : x)));
  const fresh = (type: AssigneeRule['type']): AssigneeRule => {
    if (type === 'member') return { type, members: [] };
    if (type === 'role') return { type, roles: [] };
    if (type === 'departmentHead') return { type, levels: 1 };
    if (type === 'field') return { type, field: memberFields(env.entity, env.locale)[0]?.value ?? '' };
    return { type: 'submitter' };
  };
  const types: AssigneeRule['type'][] = ['role', 'member', 'departmentHead', 'field', 'submitter'];
  return (
    <div className="fw-flow-rules" data-testid={props.testId}>
      <div className="fw-flow-prop-label">{props.label}</div>
      {rules.length === 0 && <div className="fw-flow-help">{t('assignees.none')}</div>}
      {rules.map((r, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rules have no identity of their own
        <div key={i} className="fw-flow-rule" data-testid="assignee-rule">
          <Space.Compact block>
            <Select
              aria-label={t('assignees.type')}
              value={r.type}
              style={{ width: 150 }}
              onChange={(type: AssigneeRule['type']) => set(i, fresh(type))}
              options={types.map((x) => ({ value: x, label: t(`assignees.types.${x}`) }))}
            />
            <Button
              aria-label={t('assignees.remove')}
              icon={<DeleteOutlined />}
              onClick={() => props.onChange(rules.filter((_, j) => j !== i))}
            />
          </Space.Compact>
          {r.type === 'member' && (
            <Select
              mode="multiple"
              aria-label={t('assignees.members')}
              placeholder={t('assignees.members')}
              value={r.members}
              style={{ width: '100%' }}
              {...searchable}
              onChange={(members: string[]) => set(i, { type: 'member', members })}
              options={(env.dir.members ?? []).map((m) => ({ value: m.id, label: m.name }))}
            />
          )}
          {r.type === 'role' && (
            <Select
              mode="multiple"
              aria-label={t('assignees.roles')}
              placeholder={t('assignees.roles')}
              value={r.roles}
              style={{ width: '100%' }}
              {...searchable}
              onChange={(roles: string[]) => set(i, { type: 'role', roles })}
              options={(env.dir.roles ?? []).map((m) => ({ value: m.id, label: m.name }))}
            />
          )}
          {r.type === 'departmentHead' && (
            <Space wrap>
              <InputNumber
                aria-label={t('assignees.levelsLabel')}
                min={1}
                max={20}
                precision={0}
                value={r.levels ?? 1}
                onChange={(v) => set(i, { ...r, levels: typeof v === 'number' ? v : 1 })}
                addonAfter={t('assignees.levels', { n: '' }).trim()}
              />
              <Checkbox
                checked={r.skipSelf === true}
                onChange={(e) => {
                  const { skipSelf: _drop, ...rest } = r;
                  set(i, e.target.checked ? { ...rest, skipSelf: true } : rest);
                }}
              >
                {t('assignees.skipSelf')}
              </Checkbox>
            </Space>
          )}
          {r.type === 'field' && (
            <Select
              aria-label={t('assignees.field')}
              value={r.field || undefined}
              style={{ width: '100%' }}
              onChange={(field: string) => set(i, { type: 'field', field })}
              options={memberFields(env.entity, env.locale)}
            />
          )}
        </div>
      ))}
      <Button
        size="small"
        icon={<PlusOutlined />}
        onClick={() =>
          props.onChange([...rules, fresh((env.dir.roles?.length ?? 0) > 0 ? 'role' : 'member')])
        }
      >
        {t('assignees.add')}
      </Button>
      {rules.length > 1 && <div className="fw-flow-help">{t('assignees.union')}</div>}
    </div>
  );
}

/** Days, hours and minutes; never empty (a cleared duration is 0 minutes). */
export function DurationInput(props: {
  value: Duration | undefined;
  onChange(v: Duration): void;
  label: string;
}) {
  const { t } = useTranslation('flow');
  const v = props.value ?? {};
  const set = (part: keyof Duration, n: number | null) => {
    const next: Duration = { ...v };
    if (n === null || n === 0) delete next[part];
    else next[part] = n;
    props.onChange(Object.keys(next).length > 0 ? next : { minutes: 0 });
  };
  return (
    <fieldset className="fw-flow-duration" aria-label={props.label}>
      {(['days', 'hours', 'minutes'] as const).map((part) => (
        <InputNumber
          key={part}
          aria-label={`${props.label} ${t(`duration.${part}`)}`}
          min={0}
          max={part === 'days' ? 3650 : part === 'hours' ? 87600 : 5256000}
          precision={0}
          value={v[part] ?? null}
          placeholder="0"
          onChange={(n) => set(part, typeof n === 'number' ? n : null)}
          addonAfter={t(`duration.${part}`)}
          style={{ width: 132 }}
        />
      ))}
    </fieldset>
  );
}

/** Per-field access at a node: editable / read-only / hidden, and the access of the fields not listed. */
export function FieldAccessEditor(props: {
  fields: Record<string, FieldAccess> | undefined;
  defaultAccess: FieldAccess | undefined;
  fallback: FieldAccess;
  onChange(fields: Record<string, FieldAccess> | undefined, defaultAccess: FieldAccess | undefined): void;
  help?: string;
}): ReactNode {
  const { t } = useTranslation('flow');
  const env = useEnv();
  const own = props.defaultAccess ?? props.fallback;
  const options = (['editable', 'readOnly', 'hidden'] as const).map((a) => ({
    value: a,
    label: t(`fields.${a}`),
  }));
  const setField = (key: string, a: FieldAccess) => {
    const next = { ...(props.fields ?? {}) };
    if (a === own) delete next[key];
    else next[key] = a;
    props.onChange(Object.keys(next).length > 0 ? next : undefined, props.defaultAccess);
  };
  return (
    <div className="fw-flow-access" data-testid="field-access">
      {props.help && <div className="fw-flow-help">{props.help}</div>}
      <Prop label={t('fields.defaultAccess')}>
        {(id) => (
          <Select
            id={id}
            value={own}
            style={{ width: 160 }}
            options={options}
            onChange={(a: FieldAccess) => {
              // Listed fields that now equal the default need no entry.
              const next = Object.fromEntries(Object.entries(props.fields ?? {}).filter(([, x]) => x !== a));
              props.onChange(
                Object.keys(next).length > 0 ? next : undefined,
                a === props.fallback ? undefined : a,
              );
            }}
          />
        )}
      </Prop>
      <table className="fw-flow-access-table">
        <thead>
          <tr>
            <th>{t('fields.field')}</th>
            <th>{t('fields.access')}</th>
          </tr>
        </thead>
        <tbody>
          {env.entity.fields.map((f) => {
            const name = localize(f.label, env.locale, f.key);
            const value = props.fields?.[f.key] ?? own;
            return (
              <tr key={f.key} data-field={f.key}>
                <td>{name}</td>
                <td>
                  <Radio.Group
                    size="small"
                    optionType="button"
                    aria-label={name}
                    value={value}
                    options={options}
                    onChange={(e) => setField(f.key, e.target.value as FieldAccess)}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Deadline, reminders and what happens on timeout. */
export function DeadlineEditor(props: {
  value: Deadline | undefined;
  onChange(v: Deadline | undefined): void;
  allowReject: boolean;
}): ReactNode {
  const { t } = useTranslation('flow');
  const d = props.value;
  const set = (patch: Partial<Deadline>) => props.onChange({ after: { days: 1 }, ...(d ?? {}), ...patch });
  const actions = (['notify', 'approve', 'reject', 'escalate'] as const).filter(
    (a) => props.allowReject || a !== 'reject',
  );
  return (
    <div data-testid="deadline">
      <Checkbox
        checked={d !== undefined}
        onChange={(e) => props.onChange(e.target.checked ? { after: { days: 1 } } : undefined)}
      >
        {t('deadline.enabled')}
      </Checkbox>
      {d && (
        <>
          <div className="fw-flow-prop">
            <div className="fw-flow-prop-label">{t('deadline.after')}</div>
            <DurationInput label={t('deadline.after')} value={d.after} onChange={(after) => set({ after })} />
          </div>
          <Checkbox
            checked={d.reminders !== undefined}
            onChange={(e) => {
              const { reminders: _drop, ...rest } = d;
              props.onChange(
                e.target.checked ? { ...rest, reminders: { every: { hours: 8 }, max: 3 } } : rest,
              );
            }}
          >
            {t('deadline.remind')}
          </Checkbox>
          {d.reminders && (
            <>
              <div className="fw-flow-prop">
                <div className="fw-flow-prop-label">{t('deadline.first')}</div>
                <DurationInput
                  label={t('deadline.first')}
                  value={d.reminders.first ?? d.reminders.every}
                  onChange={(first) => set({ reminders: { ...d.reminders, first } })}
                />
              </div>
              <div className="fw-flow-prop">
                <div className="fw-flow-prop-label">{t('deadline.every')}</div>
                <DurationInput
                  label={t('deadline.every')}
                  value={d.reminders.every}
                  onChange={(every) => set({ reminders: { ...d.reminders, every } })}
                />
              </div>
              <Prop label={t('deadline.max')}>
                {(id) => (
                  <InputNumber
                    id={id}
                    min={1}
                    max={100}
                    precision={0}
                    value={d.reminders?.max ?? null}
                    onChange={(n) => {
                      const r = { ...d.reminders };
                      if (typeof n === 'number') r.max = n;
                      else delete r.max;
                      set({ reminders: r });
                    }}
                  />
                )}
              </Prop>
            </>
          )}
          <Prop label={t('deadline.onTimeout')}>
            {(id) => (
              <Select
                id={id}
                value={d.onTimeout?.action ?? 'notify'}
                style={{ width: '100%' }}
                options={actions.map((a) => ({ value: a, label: t(`deadline.actions.${a}`) }))}
                onChange={(action: 'notify' | 'approve' | 'reject' | 'escalate') => {
                  const { onTimeout: _drop, ...rest } = d;
                  if (action === 'notify') props.onChange(rest);
                  else if (action === 'escalate') props.onChange({ ...rest, onTimeout: { action, to: [] } });
                  else props.onChange({ ...rest, onTimeout: { action } });
                }}
              />
            )}
          </Prop>
          {d.onTimeout?.action === 'escalate' && (
            <AssigneeRulesEditor
              label={t('deadline.escalateTo')}
              value={d.onTimeout.to}
              onChange={(to) => set({ onTimeout: { action: 'escalate', to } })}
            />
          )}
        </>
      )}
    </div>
  );
}

/** A branch condition: a filter on the record, a formula, and who the submitter is — all must hold. */
export function ConditionEditor(props: {
  value: EdgeCondition | undefined;
  onChange(v: EdgeCondition | undefined): void;
  /** Changes when another edge is edited, so the FilterBuilder's own draft starts again. */
  edgeId: string;
}): ReactNode {
  const { t } = useTranslation('flow');
  const env = useEnv();
  const c = props.value ?? {};
  const set = (patch: Partial<EdgeCondition>) => {
    const next: EdgeCondition = { ...c, ...patch };
    for (const k of Object.keys(next) as Array<keyof EdgeCondition>)
      if (next[k] === undefined) delete next[k];
    props.onChange(Object.keys(next).length > 0 ? next : undefined);
  };
  const submitter = c.submitter ?? {};
  const setSubmitter = (k: 'roles' | 'departments' | 'members', ids: string[]) => {
    const s = { ...submitter };
    if (ids.length === 0) delete s[k];
    else s[k] = ids;
    set({ submitter: Object.keys(s).length > 0 ? s : undefined });
  };
  return (
    <div className="fw-flow-condition" data-testid="condition-editor">
      <div className="fw-flow-help">{t('condition.allParts')}</div>
      <div className="fw-flow-prop">
        <div className="fw-flow-prop-label">{t('condition.filter')}</div>
        <FilterBuilder
          key={props.edgeId}
          entity={env.entity}
          value={c.filter}
          locale={env.locale}
          members={env.dir.members ?? []}
          departments={env.dir.departments ?? []}
          onChange={(filter: FilterNode | undefined) => set({ filter })}
        />
      </div>
      <Prop label={t('condition.formula')}>
        {(id) => (
          <Input
            id={id}
            value={c.formula ?? ''}
            placeholder={t('condition.formulaPlaceholder')}
            maxLength={4000}
            onChange={(e) => set({ formula: e.target.value.trim() === '' ? undefined : e.target.value })}
          />
        )}
      </Prop>
      <div className="fw-flow-prop">
        <div className="fw-flow-prop-label">{t('condition.submitter')}</div>
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Select
            mode="multiple"
            aria-label={t('condition.submitterRoles')}
            placeholder={t('condition.submitterRoles')}
            value={submitter.roles ?? []}
            style={{ width: '100%' }}
            {...searchable}
            options={(env.dir.roles ?? []).map((r) => ({ value: r.id, label: r.name }))}
            onChange={(ids: string[]) => setSubmitter('roles', ids)}
          />
          <Select
            mode="multiple"
            aria-label={t('condition.submitterDepartments')}
            placeholder={t('condition.submitterDepartments')}
            value={submitter.departments ?? []}
            style={{ width: '100%' }}
            {...searchable}
            options={(env.dir.departments ?? []).map((r) => ({ value: r.id, label: r.name }))}
            onChange={(ids: string[]) => setSubmitter('departments', ids)}
          />
          <Select
            mode="multiple"
            aria-label={t('condition.submitterMembers')}
            placeholder={t('condition.submitterMembers')}
            value={submitter.members ?? []}
            style={{ width: '100%' }}
            {...searchable}
            options={(env.dir.members ?? []).map((r) => ({ value: r.id, label: r.name }))}
            onChange={(ids: string[]) => setSubmitter('members', ids)}
          />
        </Space>
      </div>
    </div>
  );
}

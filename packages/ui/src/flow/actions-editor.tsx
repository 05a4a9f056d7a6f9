import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { type EntityDefinition, type I18nText, type Locale, localize } from '@formwork/metadata';
import type { AutomationAction, ValueSource } from '@formwork/workflow';
import { Button, Checkbox, Input, InputNumber, Radio, Select, Space, Switch } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { AssigneeRulesEditor, LabelEditor, langOf, Prop, searchable, setLang, useEnv } from './editors.js';

type ActionType = AutomationAction['type'];
type Of<T extends ActionType> = Extract<AutomationAction, { type: T }>;

/** What an automated-action node of a flow (or a blueprint stage) can do, and what an automation can. */
const ACTION_TYPES: Record<'flow' | 'automation', readonly ActionType[]> = {
  flow: ['updateRecord', 'notify', 'webhook'],
  automation: [
    'updateRecord',
    'createRecord',
    'upsertRecord',
    'assignOwner',
    'notify',
    'webhook',
    'startFlow',
  ],
};

type SourceKind = 'value' | 'formula' | 'field';
const kindOf = (s: ValueSource): SourceKind =>
  'formula' in s ? 'formula' : 'field' in s ? 'field' : 'value';

const fieldOptions = (entity: EntityDefinition, locale: Locale) =>
  entity.fields.map((f) => ({ value: f.key, label: localize(f.label, locale, f.key) }));

/**
 * `set` of an action: a field of `target` (the record the action writes; default the flow's entity) → a
 * value, a formula or a copy of a field. Formulas and copied fields read the flow's (the automation's) record.
 */
export function SetEditor(props: {
  value: Record<string, ValueSource>;
  onChange(v: Record<string, ValueSource>): void;
  target?: EntityDefinition;
}): ReactNode {
  const { t } = useTranslation('flow');
  const env = useEnv();
  const target = props.target ?? env.entity;
  const entries = Object.entries(props.value);
  const fields = fieldOptions(target, env.locale);
  const sources = target === env.entity ? fields : fieldOptions(env.entity, env.locale);
  const replace = (i: number, key: string, src: ValueSource) => {
    const next: Record<string, ValueSource> = {};
    entries.forEach(([k, v], j) => {
      if (j === i) next[key] = src;
      else if (k !== key) next[k] = v;
    });
    props.onChange(next);
  };
  return (
    <div className="fw-flow-set">
      {entries.map(([key, src], i) => (
        <div key={key} className="fw-flow-rule" data-testid="set-row">
          <Space.Compact block>
            <Select
              aria-label={t('action.set')}
              value={key}
              style={{ width: '50%' }}
              {...searchable}
              options={fields}
              onChange={(k: string) => replace(i, k, src)}
            />
            <Select
              aria-label={t('action.valueKinds.value')}
              value={kindOf(src)}
              style={{ width: '35%' }}
              options={(['value', 'formula', 'field'] as const).map((k) => ({
                value: k,
                label: t(`action.valueKinds.${k}`),
              }))}
              onChange={(k: SourceKind) =>
                replace(
                  i,
                  key,
                  k === 'value'
                    ? { value: '' }
                    : k === 'formula'
                      ? { formula: '' }
                      : { field: sources.find((s) => s.value === key)?.value ?? sources[0]?.value ?? '' },
                )
              }
            />
            <Button
              aria-label={t('action.remove')}
              icon={<DeleteOutlined />}
              onClick={() => props.onChange(Object.fromEntries(entries.filter((_, j) => j !== i)))}
            />
          </Space.Compact>
          {'formula' in src && (
            <Input
              aria-label={t('action.valueKinds.formula')}
              value={src.formula}
              onChange={(e) => replace(i, key, { formula: e.target.value })}
            />
          )}
          {'field' in src && (
            <Select
              aria-label={t('action.valueKinds.field')}
              value={src.field || undefined}
              style={{ width: '100%' }}
              {...searchable}
              options={sources}
              onChange={(f: string) => replace(i, key, { field: f })}
            />
          )}
          {'value' in src && (
            <ValueInput
              entity={target}
              field={key}
              value={src.value}
              locale={env.locale}
              onChange={(value) => replace(i, key, { value })}
            />
          )}
        </div>
      ))}
      <Button
        size="small"
        icon={<PlusOutlined />}
        onClick={() => {
          const free = fields.find((f) => !(f.value in props.value));
          if (free) props.onChange({ ...props.value, [free.value]: { value: '' } });
        }}
      >
        {t('action.addField')}
      </Button>
      {target !== env.entity && <div className="fw-flow-help">{t('action.sourceHint')}</div>}
    </div>
  );
}

/** A constant for a field: its options, a number, a switch, or text. */
function ValueInput(props: {
  entity: EntityDefinition;
  field: string;
  value: unknown;
  locale: Locale;
  onChange(v: unknown): void;
}): ReactNode {
  const { t } = useTranslation('flow');
  const f = props.entity.fields.find((x) => x.key === props.field);
  const label = t('action.valueKinds.value');
  if (f?.options && f.options.length > 0) {
    return (
      <Select
        aria-label={label}
        mode={f.type === 'multiSelect' ? 'multiple' : undefined}
        value={(props.value as string | string[] | undefined) || undefined}
        style={{ width: '100%' }}
        options={f.options.map((o) => ({ value: o.value, label: localize(o.label, props.locale, o.value) }))}
        onChange={(v) => props.onChange(v)}
      />
    );
  }
  if (f && ['number', 'amount', 'percent', 'rating'].includes(f.type)) {
    return (
      <InputNumber
        aria-label={label}
        value={typeof props.value === 'number' ? props.value : null}
        style={{ width: '100%' }}
        onChange={(v) => props.onChange(typeof v === 'number' ? v : null)}
      />
    );
  }
  if (f?.type === 'boolean') {
    return <Switch aria-label={label} checked={props.value === true} onChange={(v) => props.onChange(v)} />;
  }
  return (
    <Input
      aria-label={label}
      value={
        typeof props.value === 'string'
          ? props.value
          : props.value === null || props.value === undefined
            ? ''
            : String(props.value)
      }
      onChange={(e) => props.onChange(e.target.value)}
    />
  );
}

/** A new action of `type`, filled in with what the editor can guess. */
export function freshAction(
  type: ActionType,
  env: {
    entity: EntityDefinition;
    entities?: readonly EntityDefinition[];
    flows?: readonly { id: string }[];
  },
): AutomationAction {
  const first = env.entity.fields[0]?.key;
  switch (type) {
    case 'updateRecord':
      return { type, set: first ? { [first]: { value: '' } } : {} };
    case 'createRecord':
    case 'upsertRecord': {
      const target = env.entities?.find((e) => e.key !== env.entity.key) ?? env.entity;
      return type === 'createRecord'
        ? { type, entity: target.key, set: {} }
        : { type, entity: target.key, match: [], set: {} };
    }
    case 'assignOwner':
      return { type, strategy: 'roundRobin', members: [] };
    case 'notify':
      return { type, to: [{ type: 'submitter' }], channels: ['inApp'], title: { 'zh-CN': '', en: '' } };
    case 'webhook':
      return { type, url: 'https://', method: 'POST' };
    case 'startFlow':
      return { type, flow: env.flows?.[0]?.id ?? '' };
  }
}

/**
 * The actions of an automated-action node, a blueprint stage (`for` 'flow': update the record, notify, call a
 * webhook) or an automation (`for` 'automation': also write other entities, assign the owner, start a flow,
 * e-mail other addresses), each edited by its own form.
 */
export function ActionsEditor<A extends AutomationAction>(props: {
  value: readonly A[];
  /** Actions of the kinds `for` offers, so of the caller's type. */
  onChange(v: A[]): void;
  for?: 'flow' | 'automation';
}): ReactNode {
  const { t } = useTranslation('flow');
  const env = useEnv();
  const list: readonly AutomationAction[] = props.value;
  const onChange = props.onChange as (v: AutomationAction[]) => void;
  const automation = props.for === 'automation';
  const types = ACTION_TYPES[automation ? 'automation' : 'flow'];
  const set = (i: number, a: AutomationAction) => onChange(list.map((x, j) => (j === i ? a : x)));
  const fresh = (type: ActionType) =>
    freshAction(type, { ...env, ...(env.dir.flows ? { flows: env.dir.flows } : {}) });
  return (
    <div className="fw-flow-actions" data-testid="actions-editor">
      {list.map((a, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: actions have no identity of their own
        <div key={i} className="fw-flow-action" data-testid="action-row">
          <Space.Compact block>
            <Select
              aria-label={t('action.title')}
              value={a.type}
              style={{ width: '100%' }}
              options={types.map((x) => ({ value: x, label: t(`action.types.${x}`) }))}
              onChange={(type: ActionType) => set(i, fresh(type))}
            />
            <Button
              aria-label={t('action.remove')}
              icon={<DeleteOutlined />}
              onClick={() => onChange(list.filter((_, j) => j !== i))}
            />
          </Space.Compact>
          <ActionForm action={a} automation={automation} onChange={(x) => set(i, x)} />
        </div>
      ))}
      <Button
        size="small"
        icon={<PlusOutlined />}
        onClick={() => onChange([...list, fresh('updateRecord')])}
        data-testid="add-action"
      >
        {t('action.add')}
      </Button>
    </div>
  );
}

function ActionForm(props: {
  action: AutomationAction;
  automation: boolean;
  onChange(a: AutomationAction): void;
}): ReactNode {
  const { action: a, onChange } = props;
  switch (a.type) {
    case 'updateRecord':
      return <SetEditor value={a.set} onChange={(s) => onChange({ ...a, set: s })} />;
    case 'createRecord':
    case 'upsertRecord':
      return <WriteOtherEditor action={a} onChange={onChange} />;
    case 'assignOwner':
      return <AssignOwnerEditor action={a} onChange={onChange} />;
    case 'notify':
      return <NotifyEditor action={a} emails={props.automation} onChange={onChange} />;
    case 'webhook':
      return <WebhookEditor action={a} onChange={onChange} />;
    case 'startFlow':
      return <StartFlowEditor action={a} onChange={onChange} />;
  }
}

/** Create a record in another entity, or update the one matching some of its fields (else create it). */
function WriteOtherEditor(props: {
  action: Of<'createRecord'> | Of<'upsertRecord'>;
  onChange(a: AutomationAction): void;
}): ReactNode {
  const { t } = useTranslation('flow');
  const env = useEnv();
  const a = props.action;
  const entities = env.entities ?? [env.entity];
  const target = entities.find((e) => e.key === a.entity);
  return (
    <>
      <Prop label={t('action.targetEntity')}>
        {(id) => (
          <Select
            id={id}
            value={a.entity || undefined}
            style={{ width: '100%' }}
            {...searchable}
            options={entities.map((e) => ({ value: e.key, label: localize(e.label, env.locale, e.key) }))}
            onChange={(entity: string) =>
              props.onChange(
                a.type === 'upsertRecord' ? { ...a, entity, match: [], set: {} } : { ...a, entity, set: {} },
              )
            }
          />
        )}
      </Prop>
      {target && a.type === 'upsertRecord' && (
        <Prop label={t('action.match')} help={t('action.matchHelp')}>
          {(id) => (
            <Select
              id={id}
              mode="multiple"
              value={a.match}
              style={{ width: '100%' }}
              {...searchable}
              options={fieldOptions(target, env.locale)}
              onChange={(match: string[]) => {
                // A match field must be set: a new one copies the same field of this record, if it has one.
                const set = { ...a.set };
                for (const k of match)
                  if (!(k in set))
                    set[k] = env.entity.fields.some((f) => f.key === k) ? { field: k } : { value: '' };
                props.onChange({ ...a, match, set });
              }}
            />
          )}
        </Prop>
      )}
      {target && (
        <SetEditor target={target} value={a.set} onChange={(set) => props.onChange({ ...a, set })} />
      )}
    </>
  );
}

function MemberSelect(props: { label: string; value: string[] | undefined; onChange(ids: string[]): void }) {
  const env = useEnv();
  return (
    <Select
      mode="multiple"
      aria-label={props.label}
      placeholder={props.label}
      value={props.value ?? []}
      style={{ width: '100%' }}
      {...searchable}
      options={(env.dir.members ?? []).map((m) => ({ value: m.id, label: m.name }))}
      onChange={props.onChange}
    />
  );
}

/** Round robin, by the value of a field (e.g. region → salespeople), or to whoever owns the fewest open records. */
function AssignOwnerEditor(props: {
  action: Of<'assignOwner'>;
  onChange(a: AutomationAction): void;
}): ReactNode {
  const { t } = useTranslation('flow');
  const env = useEnv();
  const a = props.action;
  const { members: _m, role: _r, field: _f, map: _p, fallback: _b, ...base } = a;
  const byField = a.strategy === 'byField';
  const field = byField ? env.entity.fields.find((f) => f.key === a.field) : undefined;
  const map = a.map ?? {};
  // Fields with options get a row per option; any other field a row per value typed in.
  const rows: string[] = field?.options ? field.options.map((o) => o.value) : Object.keys(map);
  const setMap = (next: Record<string, string[]>) =>
    props.onChange({
      ...a,
      map: Object.fromEntries(Object.entries(next).filter(([, v]) => v.length > 0 || !field?.options)),
    });
  return (
    <>
      <Prop label={t('action.strategy')}>
        {(id) => (
          <Select
            id={id}
            value={a.strategy}
            style={{ width: '100%' }}
            options={(['roundRobin', 'byField', 'leastOpen'] as const).map((s) => ({
              value: s,
              label: t(`action.strategies.${s}`),
            }))}
            onChange={(strategy: Of<'assignOwner'>['strategy']) =>
              props.onChange(
                strategy === 'byField'
                  ? { ...base, strategy, field: env.entity.fields.find((f) => f.options)?.key ?? '', map: {} }
                  : { ...base, strategy, members: a.members ?? [] },
              )
            }
          />
        )}
      </Prop>
      {!byField && (
        <fieldset className="fw-flow-prop fw-flow-fieldset">
          <legend className="fw-flow-prop-label">{t('action.candidates')}</legend>
          <Radio.Group
            value={a.role !== undefined ? 'role' : 'members'}
            options={(['members', 'role'] as const).map((k) => ({
              value: k,
              label: t(`action.candidateKinds.${k}`),
            }))}
            onChange={(e) =>
              props.onChange(
                e.target.value === 'role'
                  ? { ...base, role: env.dir.roles?.[0]?.id ?? '' }
                  : { ...base, members: [] },
              )
            }
          />
          {a.role !== undefined ? (
            <Select
              aria-label={t('action.role')}
              value={a.role || undefined}
              style={{ width: '100%', marginTop: 4 }}
              {...searchable}
              options={(env.dir.roles ?? []).map((r) => ({ value: r.id, label: r.name }))}
              onChange={(role: string) => props.onChange({ ...base, role })}
            />
          ) : (
            <MemberSelect
              label={t('action.members')}
              value={a.members}
              onChange={(members) => props.onChange({ ...base, members })}
            />
          )}
        </fieldset>
      )}
      {byField && (
        <>
          <Prop label={t('action.byField')}>
            {(id) => (
              <Select
                id={id}
                value={a.field || undefined}
                style={{ width: '100%' }}
                {...searchable}
                options={fieldOptions(env.entity, env.locale)}
                onChange={(f: string) => props.onChange({ ...a, field: f, map: {} })}
              />
            )}
          </Prop>
          <div className="fw-flow-prop" data-testid="owner-map">
            {rows.map((value, i) => (
              // A typed-in value changes as it is edited: its row is keyed by position.
              <Space.Compact key={field?.options ? value : `row${i}`} block style={{ marginBottom: 4 }}>
                {field?.options ? (
                  <Input
                    aria-label={t('action.mapValue')}
                    readOnly
                    value={localize(field.options.find((o) => o.value === value)?.label, env.locale, value)}
                    style={{ width: '40%' }}
                  />
                ) : (
                  <Input
                    aria-label={t('action.mapValue')}
                    value={value}
                    style={{ width: '40%' }}
                    onChange={(e) =>
                      setMap(
                        Object.fromEntries(
                          Object.entries(map).map(([k, v]) => [k === value ? e.target.value : k, v]),
                        ),
                      )
                    }
                  />
                )}
                <div style={{ width: '60%' }}>
                  <MemberSelect
                    label={t('action.mapMembers')}
                    value={map[value]}
                    onChange={(ids) => setMap({ ...map, [value]: ids })}
                  />
                </div>
                {!field?.options && (
                  <Button
                    aria-label={t('action.remove')}
                    icon={<DeleteOutlined />}
                    onClick={() =>
                      setMap(Object.fromEntries(Object.entries(map).filter(([k]) => k !== value)))
                    }
                  />
                )}
              </Space.Compact>
            ))}
            {!field?.options && (
              <Button
                size="small"
                icon={<PlusOutlined />}
                disabled={'' in map}
                onClick={() => setMap({ ...map, '': [] })}
              >
                {t('action.addMapping')}
              </Button>
            )}
          </div>
          <Prop label={t('action.fallback')}>
            {() => (
              <MemberSelect
                label={t('action.fallback')}
                value={a.fallback}
                onChange={(fallback) => {
                  const { fallback: _drop, ...rest } = a;
                  props.onChange(fallback.length > 0 ? { ...rest, fallback } : rest);
                }}
              />
            )}
          </Prop>
        </>
      )}
    </>
  );
}

/** `emails`: other addresses may be given (automations). */
function NotifyEditor(props: {
  action: Of<'notify'>;
  emails: boolean;
  onChange(a: AutomationAction): void;
}): ReactNode {
  const { t } = useTranslation('flow');
  const a = props.action;
  const set = props.onChange;
  const channels = a.channels ?? ['inApp'];
  return (
    <>
      <AssigneeRulesEditor label={t('action.to')} value={a.to} onChange={(to) => set({ ...a, to })} />
      <fieldset className="fw-flow-prop fw-flow-fieldset">
        <legend className="fw-flow-prop-label">{t('action.channels')}</legend>
        <Checkbox.Group
          value={channels}
          options={[
            { value: 'inApp', label: t('action.inApp') },
            { value: 'email', label: t('action.email') },
          ]}
          onChange={(v) =>
            set({ ...a, channels: (v.length > 0 ? v : ['inApp']) as Array<'inApp' | 'email'> })
          }
        />
      </fieldset>
      {props.emails && (channels.includes('email') || a.emails) && (
        <Prop label={t('action.emails')} help={t('action.emailsHelp')}>
          {(id) => (
            <Select
              id={id}
              mode="tags"
              value={a.emails ?? []}
              style={{ width: '100%' }}
              open={false}
              suffixIcon={null}
              tokenSeparators={[',', ' ', ';']}
              onChange={(list: string[]) => {
                const { emails: _drop, ...rest } = a;
                const emails = list.map((x) => x.trim()).filter(Boolean);
                set(emails.length > 0 ? { ...rest, emails } : rest);
              }}
            />
          )}
        </Prop>
      )}
      <LabelEditor
        zhLabel={t('action.titleZh')}
        enLabel={t('action.titleEn')}
        value={a.title}
        onChange={(title) => set({ ...a, title: title ?? '' })}
      />
      <LongTextEditor
        zhLabel={t('action.bodyZh')}
        enLabel={t('action.bodyEn')}
        value={a.body}
        onChange={(body) => {
          const { body: _drop, ...rest } = a;
          set(body === undefined ? rest : { ...rest, body });
        }}
      />
      <div className="fw-flow-help">{t('action.templateHint', { tag: '{{field}}' })}</div>
    </>
  );
}

function WebhookEditor(props: { action: Of<'webhook'>; onChange(a: AutomationAction): void }): ReactNode {
  const { t } = useTranslation('flow');
  const a = props.action;
  return (
    <>
      <Prop label={t('action.url')}>
        {(id) => (
          <Input
            id={id}
            value={a.url}
            maxLength={2000}
            onChange={(e) => props.onChange({ ...a, url: e.target.value.trim() })}
          />
        )}
      </Prop>
      <Prop label={t('action.method')}>
        {(id) => (
          <Select
            id={id}
            value={a.method ?? 'POST'}
            style={{ width: 120 }}
            options={['POST', 'PUT', 'PATCH'].map((x) => ({ value: x, label: x }))}
            onChange={(method: 'POST' | 'PUT' | 'PATCH') => props.onChange({ ...a, method })}
          />
        )}
      </Prop>
      <HeadersEditor
        value={a.headers ?? {}}
        onChange={(headers) => {
          const { headers: _drop, ...rest } = a;
          props.onChange(Object.keys(headers).length > 0 ? { ...rest, headers } : rest);
        }}
      />
    </>
  );
}

function StartFlowEditor(props: { action: Of<'startFlow'>; onChange(a: AutomationAction): void }): ReactNode {
  const { t } = useTranslation('flow');
  const env = useEnv();
  return (
    <Prop label={t('action.flow')}>
      {(id) => (
        <Select
          id={id}
          value={props.action.flow || undefined}
          style={{ width: '100%' }}
          {...searchable}
          options={(env.dir.flows ?? []).map((f) => ({ value: f.id, label: f.name }))}
          onChange={(flow: string) => props.onChange({ ...props.action, flow })}
        />
      )}
    </Prop>
  );
}

function LongTextEditor(props: {
  value: I18nText | undefined;
  onChange(v: I18nText | undefined): void;
  zhLabel: string;
  enLabel: string;
}): ReactNode {
  return (
    <>
      {(['zh-CN', 'en'] as const).map((l) => (
        <Prop key={l} label={l === 'zh-CN' ? props.zhLabel : props.enLabel}>
          {(id) => (
            <Input.TextArea
              id={id}
              autoSize={{ minRows: 2, maxRows: 6 }}
              value={langOf(props.value, l)}
              onChange={(e) => props.onChange(setLang(props.value, l, e.target.value))}
            />
          )}
        </Prop>
      ))}
    </>
  );
}

function HeadersEditor(props: {
  value: Record<string, string>;
  onChange(v: Record<string, string>): void;
}): ReactNode {
  const { t } = useTranslation('flow');
  const entries = Object.entries(props.value);
  const rebuild = (rows: Array<[string, string]>) =>
    props.onChange(Object.fromEntries(rows.filter(([k]) => k !== '')));
  return (
    <div className="fw-flow-prop">
      <div className="fw-flow-prop-label">{t('action.headers')}</div>
      {entries.map(([k, v], i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: header rows are edited in place
        <Space.Compact key={i} block style={{ marginBottom: 4 }}>
          <Input
            aria-label={t('action.headerName')}
            value={k}
            onChange={(e) =>
              rebuild(
                entries.map((x, j) => (j === i ? [e.target.value.replace(/[^A-Za-z0-9-]/g, ''), x[1]] : x)),
              )
            }
          />
          <Input
            aria-label={t('action.headerValue')}
            value={v}
            onChange={(e) => rebuild(entries.map((x, j) => (j === i ? [x[0], e.target.value] : x)))}
          />
          <Button
            icon={<DeleteOutlined />}
            aria-label={t('action.remove')}
            onClick={() => rebuild(entries.filter((_, j) => j !== i))}
          />
        </Space.Compact>
      ))}
      <Button
        size="small"
        icon={<PlusOutlined />}
        onClick={() => props.onChange({ ...props.value, [`X-Header-${entries.length + 1}`]: '' })}
      >
        {t('action.addHeader')}
      </Button>
    </div>
  );
}

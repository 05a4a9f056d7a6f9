import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  CopyOutlined,
  DeleteOutlined,
  PlusOutlined,
} from '@ant-design/icons';
import {
  type EntityDefinition,
  FIELD_KEY_PATTERN,
  type FieldDefinition,
  type FieldOption,
  fieldTypes,
  getFieldType,
  type I18nText,
  type Issue,
  type Locale,
  localize,
} from '@formwork/metadata';
import { Alert, Button, Checkbox, Input, InputNumber, Select, Space, Switch } from 'antd';
import type { TFunction } from 'i18next';
import { type ReactNode, useEffect, useId, useState } from 'react';
import { FormulaEditor } from './FormulaEditor.js';
import {
  canvasBlocks,
  type DesignerCommand,
  type DesignerState,
  fieldProblems,
  findField,
  placeOf,
  SUBFORM_COLUMN_TYPES,
} from './model.js';
import { ShowRuleEditor } from './ShowRuleEditor.js';

type Dispatch = (cmd: DesignerCommand) => void;

interface PanelProps {
  state: DesignerState;
  dispatch: Dispatch;
  issues: Issue[];
  locale: Locale;
  t: TFunction;
  knownEntities: EntityDefinition[];
  isNew: boolean;
}

function Prop({
  label,
  children,
  help,
}: {
  label: string;
  children: (id: string) => ReactNode;
  help?: string;
}) {
  const id = useId();
  return (
    <div className="fw-prop">
      <label htmlFor={id} className="fw-prop-label">
        {label}
      </label>
      {children(id)}
      {help && <div className="fw-help">{help}</div>}
    </div>
  );
}

function textOf(text: I18nText | undefined, locale: Locale): string {
  if (typeof text === 'string') return text;
  return text?.[locale] ?? '';
}

function setLang(text: I18nText | undefined, locale: Locale, v: string): I18nText | undefined {
  const base = typeof text === 'string' ? { 'zh-CN': text, en: text } : { ...(text ?? {}) };
  if (v === '') delete base[locale];
  else base[locale] = v;
  return Object.keys(base).length === 0 ? undefined : base;
}

function LabelInputs({
  text,
  onChange,
  t,
  zhLabel,
  enLabel,
}: {
  text: I18nText | undefined;
  onChange(v: I18nText | undefined, lang: Locale): void;
  t: TFunction;
  zhLabel?: string;
  enLabel?: string;
}) {
  return (
    <>
      <Prop label={zhLabel ?? t('designer.labelZh')}>
        {(id) => (
          <Input
            id={id}
            value={textOf(text, 'zh-CN')}
            maxLength={200}
            onChange={(e) => onChange(setLang(text, 'zh-CN', e.target.value), 'zh-CN')}
          />
        )}
      </Prop>
      <Prop label={enLabel ?? t('designer.labelEn')}>
        {(id) => (
          <Input
            id={id}
            value={textOf(text, 'en')}
            maxLength={200}
            onChange={(e) => onChange(setLang(text, 'en', e.target.value), 'en')}
          />
        )}
      </Prop>
    </>
  );
}

/** A key input that renames on blur / Enter, refusing keys that are taken or malformed. */
function KeyInput({
  value,
  taken,
  onRename,
  t,
}: {
  value: string;
  taken: string[];
  onRename(k: string): void;
  t: TFunction;
}) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  const valid = new RegExp(FIELD_KEY_PATTERN).test(draft) && (draft === value || !taken.includes(draft));
  const commit = () => {
    if (valid && draft !== value) onRename(draft);
    else setDraft(value);
  };
  return (
    <Prop label={t('designer.key')} help={t('designer.keyHelp')}>
      {(id) => (
        <Input
          id={id}
          value={draft}
          status={valid ? undefined : 'error'}
          aria-invalid={!valid || undefined}
          spellCheck={false}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={commit}
          onPressEnter={commit}
        />
      )}
    </Prop>
  );
}

type DefaultMode = 'none' | 'constant' | '$user' | '$department' | '$today' | '$now' | 'formula';

function defaultMode(v: unknown): DefaultMode {
  if (v === undefined) return 'none';
  if (v === '$user' || v === '$department' || v === '$today' || v === '$now') return v;
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return 'formula';
  return 'constant';
}

function DefaultEditor({
  field,
  onChange,
  t,
  locale,
}: {
  field: FieldDefinition;
  onChange(v: unknown): void;
  t: TFunction;
  locale: Locale;
}) {
  const mode = defaultMode(field.defaultValue);
  const modes: DefaultMode[] = ['none', 'constant', 'formula'];
  if (field.type === 'member') modes.push('$user');
  if (field.type === 'department') modes.push('$department');
  if (field.type === 'date' || field.type === 'datetime') modes.push('$today');
  if (field.type === 'datetime') modes.push('$now');
  const names: Record<DefaultMode, string> = {
    none: t('designer.defaultNone'),
    constant: t('designer.defaultConstant'),
    $user: t('designer.defaultUser'),
    $department: t('designer.defaultDepartment'),
    $today: t('designer.defaultToday'),
    $now: t('designer.defaultNow'),
    formula: t('designer.defaultFormula'),
  };
  const numeric = ['number', 'amount', 'percent', 'rating'].includes(field.type);
  const v = field.defaultValue;
  return (
    <Prop label={t('designer.defaultValue')}>
      {(id) => (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Select
            id={id}
            value={mode}
            options={modes.map((m) => ({ value: m, label: names[m] }))}
            onChange={(m: DefaultMode) => {
              if (m === 'none') onChange(undefined);
              else if (m === 'formula') onChange({ formula: 'TODAY()' });
              else if (m === 'constant')
                onChange(
                  field.type === 'boolean'
                    ? false
                    : numeric
                      ? 0
                      : field.type === 'multiSelect' || field.type === 'tags'
                        ? []
                        : (field.options?.[0]?.value ?? ''),
                );
              else onChange(m);
            }}
          />
          {mode === 'constant' &&
            (field.type === 'boolean' ? (
              <Switch
                aria-label={t('designer.defaultConstant')}
                checked={v === true}
                onChange={(c) => onChange(c)}
              />
            ) : field.type === 'multiSelect' || field.type === 'tags' ? (
              <Select
                aria-label={t('designer.defaultConstant')}
                mode={field.type === 'tags' ? 'tags' : 'multiple'}
                value={Array.isArray(v) ? (v as string[]) : []}
                options={(field.options ?? []).map((o) => ({
                  value: o.value,
                  label: localize(o.label, locale, o.value),
                }))}
                onChange={(x: string[]) => onChange(x.length === 0 ? undefined : x)}
              />
            ) : field.type === 'select' ? (
              <Select
                aria-label={t('designer.defaultConstant')}
                value={typeof v === 'string' ? v : undefined}
                options={(field.options ?? []).map((o) => ({
                  value: o.value,
                  label: localize(o.label, locale, o.value),
                }))}
                onChange={(x) => onChange(x)}
              />
            ) : numeric ? (
              <InputNumber
                aria-label={t('designer.defaultConstant')}
                value={typeof v === 'number' ? v : null}
                onChange={(x) => onChange(x ?? 0)}
              />
            ) : (
              <Input
                aria-label={t('designer.defaultConstant')}
                value={typeof v === 'string' ? v : ''}
                onChange={(e) => onChange(e.target.value)}
              />
            ))}
          {mode === 'formula' && (
            <Input
              aria-label={t('designer.defaultFormula')}
              value={String((v as { formula?: unknown }).formula ?? '')}
              style={{ fontFamily: 'monospace' }}
              onChange={(e) => onChange({ formula: e.target.value })}
            />
          )}
        </Space>
      )}
    </Prop>
  );
}

function OptionsEditor({
  field,
  onChange,
  t,
}: {
  field: FieldDefinition;
  onChange(o: FieldOption[]): void;
  t: TFunction;
}) {
  const options = field.options ?? [];
  const set = (i: number, patch: Partial<FieldOption>) =>
    onChange(options.map((o, j) => (j === i ? { ...o, ...patch } : o)));
  return (
    <fieldset className="fw-prop">
      <legend className="fw-prop-label">{t('designer.options')}</legend>
      {options.map((o, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: option values are being edited, the position is the identity
        <Space key={i} wrap style={{ marginBottom: 6 }} data-option={i}>
          <Input
            aria-label={`${t('designer.optionValue')} ${i + 1}`}
            style={{ width: 90 }}
            value={o.value}
            onChange={(e) => set(i, { value: e.target.value })}
          />
          <Input
            aria-label={`${t('designer.labelZh')} ${i + 1}`}
            style={{ width: 100 }}
            value={textOf(o.label, 'zh-CN')}
            onChange={(e) => set(i, { label: setLang(o.label, 'zh-CN', e.target.value) })}
          />
          <Input
            aria-label={`${t('designer.labelEn')} ${i + 1}`}
            style={{ width: 100 }}
            value={textOf(o.label, 'en')}
            onChange={(e) => set(i, { label: setLang(o.label, 'en', e.target.value) })}
          />
          <input
            type="color"
            aria-label={`${t('designer.optionColor')} ${i + 1}`}
            value={o.color && /^#[0-9a-f]{6}$/i.test(o.color) ? o.color : '#1677ff'}
            onChange={(e) => set(i, { color: e.target.value })}
          />
          <Button
            type="text"
            danger
            icon={<DeleteOutlined />}
            aria-label={t('designer.removeOption', { value: o.value })}
            disabled={options.length <= 1}
            onClick={() => onChange(options.filter((_, j) => j !== i))}
          />
        </Space>
      ))}
      <Button
        size="small"
        icon={<PlusOutlined />}
        onClick={() => {
          let n = options.length + 1;
          while (options.some((o) => o.value === `option${n}`)) n++;
          onChange([...options, { value: `option${n}`, label: { 'zh-CN': `选项${n}`, en: `Option ${n}` } }]);
        }}
      >
        {t('designer.addOption')}
      </Button>
    </fieldset>
  );
}

function FillEditor({
  entity,
  field,
  scope,
  knownEntities,
  locale,
  onChange,
  t,
}: {
  entity: EntityDefinition;
  field: FieldDefinition;
  scope: FieldDefinition[];
  knownEntities: EntityDefinition[];
  locale: Locale;
  onChange(fill: FieldDefinition['fill']): void;
  t: TFunction;
}) {
  const target = knownEntities.find((e) => e.key === field.target);
  const fill = field.fill ?? [];
  const targets = scope.filter((f) => f.key !== field.key && !getFieldType(f.type)?.computed);
  const set = (next: NonNullable<FieldDefinition['fill']>) => onChange(next.length === 0 ? undefined : next);
  return (
    <fieldset className="fw-prop">
      <legend className="fw-prop-label">{t('designer.fill')}</legend>
      {fill.map((f, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: linkage rows are edited in place
        <Space key={i} wrap style={{ marginBottom: 6 }}>
          <Select
            aria-label={`${t('designer.fillFrom')} ${i + 1}`}
            style={{ minWidth: 120 }}
            value={f.from}
            options={(target?.fields ?? []).map((x) => ({
              value: x.key,
              label: localize(x.label, locale, x.key),
            }))}
            onChange={(v) => set(fill.map((x, j) => (j === i ? { ...x, from: v } : x)))}
          />
          →
          <Select
            aria-label={`${t('designer.fillTo')} ${i + 1}`}
            style={{ minWidth: 120 }}
            value={f.to}
            options={targets.map((x) => ({ value: x.key, label: localize(x.label, locale, x.key) }))}
            onChange={(v) => set(fill.map((x, j) => (j === i ? { ...x, to: v } : x)))}
          />
          <Button
            type="text"
            danger
            icon={<DeleteOutlined />}
            aria-label={t('designer.removeCondition')}
            onClick={() => set(fill.filter((_, j) => j !== i))}
          />
        </Space>
      ))}
      <Button
        size="small"
        icon={<PlusOutlined />}
        disabled={!target || targets.length === 0 || entity.fields.length === 0}
        onClick={() => {
          const from = target?.fields[0]?.key;
          const to = targets[0]?.key;
          if (from && to) set([...fill, { from, to }]);
        }}
      >
        {t('designer.addFill')}
      </Button>
    </fieldset>
  );
}

function num(v: number | null | undefined): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** The properties of one field (or subform column). */
function FieldProps({
  state,
  dispatch,
  issues,
  locale,
  t,
  knownEntities,
  fieldKey,
  child,
}: PanelProps & { fieldKey: string; child?: string }) {
  const entity = state.entity;
  const field = findField(entity, fieldKey, child);
  const parent = child !== undefined ? entity.fields.find((f) => f.key === fieldKey) : undefined;
  if (!field) return null;
  const type = fieldTypes[field.type];
  const up = (patch: Partial<FieldDefinition>, group?: string) =>
    dispatch({
      type: 'updateField',
      key: fieldKey,
      ...(child !== undefined ? { child } : {}),
      patch,
      ...(group ? { group: `${fieldKey}.${child ?? ''}.${group}` } : {}),
    });
  const own = fieldProblems(entity, issues, fieldKey, child);
  const formulaIssues = own.filter((i) => i.field.endsWith('.formula'));
  const ruleIssues = own.filter((i) => i.field.endsWith('.visibleWhen'));
  const otherIssues = own.filter((i) => !formulaIssues.includes(i) && !ruleIssues.includes(i));
  const siblings = parent ? (parent.fields ?? []).map((c) => c.key) : entity.fields.map((f) => f.key);
  const numeric = ['number', 'amount', 'percent'].includes(field.type);
  const textual = ['text', 'longText', 'richText'].includes(field.type);
  const relations = entity.fields.filter((f) => f.type === 'relation');
  const lookupTarget = knownEntities.find(
    (e) => e.key === relations.find((r) => r.key === field.relation)?.target,
  );

  return (
    <div className="fw-props" data-props-for={child ? `${fieldKey}.${child}` : fieldKey}>
      <h3 className="fw-props-title">
        {type.label[locale]} · {localize(field.label, locale, field.key)}
      </h3>
      {otherIssues.map((i) => (
        <Alert
          key={`${i.field}|${i.code}`}
          type="error"
          showIcon
          role="alert"
          title={i.message[locale]}
          style={{ marginBottom: 8 }}
        />
      ))}
      <LabelInputs text={field.label} t={t} onChange={(label, lang) => up({ label }, `label.${lang}`)} />
      <KeyInput
        value={field.key}
        taken={siblings}
        t={t}
        onRename={(next) =>
          dispatch({ type: 'renameField', key: fieldKey, ...(child !== undefined ? { child } : {}), next })
        }
      />
      <LabelInputs
        text={field.description}
        t={t}
        zhLabel={t('designer.description')}
        enLabel={t('designer.descriptionEn')}
        onChange={(description, lang) => up({ description }, `description.${lang}`)}
      />
      {!type.computed && (
        <Space direction="vertical" className="fw-prop">
          <Checkbox
            checked={field.required === true}
            onChange={(e) => up({ required: e.target.checked || undefined })}
          >
            {t('designer.required')}
          </Checkbox>
          {type.indexable && child === undefined && (
            <>
              <Checkbox
                checked={field.unique === true}
                onChange={(e) => up({ unique: e.target.checked || undefined })}
              >
                {t('designer.unique')}
              </Checkbox>
              <Checkbox
                checked={field.indexed === true}
                onChange={(e) => up({ indexed: e.target.checked || undefined })}
              >
                {t('designer.indexed')}
              </Checkbox>
            </>
          )}
          {child === undefined && ['text', 'phone', 'email', 'url'].includes(field.type) && (
            <Checkbox
              checked={field.dedupe === true}
              onChange={(e) => up({ dedupe: e.target.checked || undefined })}
            >
              {t('designer.dedupe')}
            </Checkbox>
          )}
        </Space>
      )}
      {(field.type === 'select' || field.type === 'multiSelect') && (
        <OptionsEditor field={field} t={t} onChange={(options) => up({ options }, 'options')} />
      )}
      {field.type === 'formula' && (
        <Prop label={t('designer.formula')}>
          {() => (
            <FormulaEditor
              entity={entity}
              field={field}
              {...(parent ? { parent } : {})}
              value={field.formula ?? ''}
              issues={formulaIssues}
              locale={locale}
              t={t}
              label={t('designer.formula')}
              onChange={(formula) => up({ formula }, 'formula')}
            />
          )}
        </Prop>
      )}
      {(numeric || field.type === 'formula') && (
        <Prop label={t('designer.precision')}>
          {(id) => (
            <InputNumber
              id={id}
              min={0}
              max={10}
              value={field.precision ?? null}
              onChange={(v) => up({ precision: num(v) }, 'precision')}
            />
          )}
        </Prop>
      )}
      {field.type === 'amount' && (
        <Prop label={t('designer.currency')}>
          {(id) => (
            <Select
              id={id}
              value={field.currency ?? 'CNY'}
              options={['CNY', 'USD', 'EUR', 'GBP', 'JPY', 'HKD'].map((c) => ({ value: c, label: c }))}
              onChange={(currency) => up({ currency })}
            />
          )}
        </Prop>
      )}
      {(numeric || field.type === 'rating') && (
        <Space wrap>
          {field.type !== 'rating' && (
            <Prop label={t('designer.min')}>
              {(id) => (
                <InputNumber id={id} value={field.min ?? null} onChange={(v) => up({ min: num(v) }, 'min')} />
              )}
            </Prop>
          )}
          <Prop label={t('designer.max')}>
            {(id) => (
              <InputNumber
                id={id}
                min={field.type === 'rating' ? 1 : undefined}
                max={field.type === 'rating' ? 10 : undefined}
                value={field.max ?? null}
                onChange={(v) => up({ max: num(v) }, 'max')}
              />
            )}
          </Prop>
        </Space>
      )}
      {textual && (
        <Space wrap>
          <Prop label={t('designer.minLength')}>
            {(id) => (
              <InputNumber
                id={id}
                min={0}
                value={field.minLength ?? null}
                onChange={(v) => up({ minLength: num(v) }, 'minLength')}
              />
            )}
          </Prop>
          <Prop label={t('designer.maxLength')}>
            {(id) => (
              <InputNumber
                id={id}
                min={1}
                value={field.maxLength ?? null}
                onChange={(v) => up({ maxLength: num(v) }, 'maxLength')}
              />
            )}
          </Prop>
        </Space>
      )}
      {(field.type === 'text' || field.type === 'autoNumber') && (
        <Prop label={field.type === 'autoNumber' ? t('designer.autoNumberPattern') : t('designer.pattern')}>
          {(id) => (
            <Input
              id={id}
              value={field.pattern ?? ''}
              spellCheck={false}
              onChange={(e) =>
                up(
                  { pattern: e.target.value === '' && field.type === 'text' ? undefined : e.target.value },
                  'pattern',
                )
              }
            />
          )}
        </Prop>
      )}
      {field.type === 'relation' && (
        <>
          <Prop label={t('designer.target')}>
            {(id) => (
              <Select
                id={id}
                value={field.target}
                options={knownEntities.map((e) => ({
                  value: e.key,
                  label: `${localize(e.label, locale, e.key)} (${e.key})`,
                }))}
                onChange={(target) => up({ target, fill: undefined })}
              />
            )}
          </Prop>
          <Checkbox
            checked={field.multiple === true}
            onChange={(e) => up({ multiple: e.target.checked || undefined, fill: undefined })}
          >
            {t('designer.multiple')}
          </Checkbox>
          {field.multiple !== true && (
            <FillEditor
              entity={entity}
              field={field}
              scope={parent ? (parent.fields ?? []) : entity.fields}
              knownEntities={knownEntities}
              locale={locale}
              t={t}
              onChange={(fill) => up({ fill })}
            />
          )}
        </>
      )}
      {field.type === 'lookup' && (
        <>
          <Prop label={t('designer.relation')}>
            {(id) => (
              <Select
                id={id}
                value={field.relation}
                options={relations.map((r) => ({ value: r.key, label: localize(r.label, locale, r.key) }))}
                onChange={(relation) => up({ relation })}
              />
            )}
          </Prop>
          <Prop label={t('designer.targetField')}>
            {(id) =>
              lookupTarget ? (
                <Select
                  id={id}
                  value={field.targetField}
                  options={lookupTarget.fields.map((f) => ({
                    value: f.key,
                    label: localize(f.label, locale, f.key),
                  }))}
                  onChange={(targetField) => up({ targetField })}
                />
              ) : (
                <Input
                  id={id}
                  value={field.targetField ?? ''}
                  onChange={(e) => up({ targetField: e.target.value }, 'targetField')}
                />
              )
            }
          </Prop>
        </>
      )}
      {(field.type === 'attachment' || field.type === 'image') && (
        <>
          <Prop label={t('designer.maxSize')}>
            {(id) => (
              <InputNumber
                id={id}
                min={0.1}
                step={1}
                value={field.maxSize ? Math.round((field.maxSize / 1024 / 1024) * 10) / 10 : null}
                onChange={(v) =>
                  up(
                    { maxSize: typeof v === 'number' && v > 0 ? Math.round(v * 1024 * 1024) : undefined },
                    'maxSize',
                  )
                }
              />
            )}
          </Prop>
          <Prop label={t('designer.accept')}>
            {(id) => (
              <Select
                id={id}
                mode="tags"
                value={field.accept ?? []}
                onChange={(accept: string[]) => up({ accept: accept.length === 0 ? undefined : accept })}
              />
            )}
          </Prop>
        </>
      )}
      {!type.computed && field.type !== 'subform' && (
        <DefaultEditor
          field={field}
          t={t}
          locale={locale}
          onChange={(defaultValue) => up({ defaultValue }, 'default')}
        />
      )}
      {field.type === 'subform' && (
        <ColumnsEditor
          {...{ state, dispatch, issues, locale, t, knownEntities, isNew: false }}
          field={field}
        />
      )}
      {child === undefined && (entity.layout?.sections.length ?? 0) > 0 && (
        <Prop label={t('designer.moveTo')}>
          {(id) => (
            <Select
              id={id}
              value={placeOf(entity, fieldKey)?.section ?? ''}
              options={[
                { value: '', label: t('designer.noSection') },
                ...(entity.layout?.sections ?? []).map((s) => ({
                  value: s.key,
                  label: localize(s.label, locale, s.key),
                })),
              ]}
              onChange={(v: string) => {
                const section = v === '' ? null : v;
                const block = canvasBlocks(entity).find((b) => (b.section?.key ?? null) === section);
                dispatch({
                  type: 'moveField',
                  key: fieldKey,
                  to: { section, index: block?.fields.length ?? 0 },
                });
              }}
            />
          )}
        </Prop>
      )}
      {child === undefined && (
        <Prop label={t('designer.showRule')}>
          {() => (
            <>
              <ShowRuleEditor
                entity={entity}
                field={field}
                locale={locale}
                t={t}
                onChange={(visibleWhen) => up({ visibleWhen }, 'visibleWhen')}
              />
              {ruleIssues.map((i) => (
                <div key={i.code} role="alert" className="fw-error">
                  {i.message[locale]}
                </div>
              ))}
            </>
          )}
        </Prop>
      )}
      <Space wrap style={{ marginTop: 12 }}>
        <Button
          icon={<CopyOutlined />}
          onClick={() =>
            dispatch({ type: 'duplicateField', key: fieldKey, ...(child !== undefined ? { child } : {}) })
          }
        >
          {t('designer.duplicateField')}
        </Button>
        <Button
          danger
          icon={<DeleteOutlined />}
          onClick={() =>
            dispatch({ type: 'removeField', key: fieldKey, ...(child !== undefined ? { child } : {}) })
          }
        >
          {t('designer.removeField')}
        </Button>
      </Space>
    </div>
  );
}

function ColumnsEditor({ dispatch, locale, t, field }: PanelProps & { field: FieldDefinition }) {
  const cols = field.fields ?? [];
  return (
    <fieldset className="fw-prop">
      <legend className="fw-prop-label">{t('designer.subformColumns')}</legend>
      <ol className="fw-columns">
        {cols.map((c, i) => (
          <li key={c.key}>
            <Button
              type="link"
              onClick={() =>
                dispatch({ type: 'select', selection: { kind: 'field', key: field.key, child: c.key } })
              }
            >
              {localize(c.label, locale, c.key)}{' '}
              <span className="fw-muted">({fieldTypes[c.type].label[locale]})</span>
            </Button>
            <Button
              type="text"
              size="small"
              icon={<ArrowUpOutlined />}
              aria-label={`${t('designer.moveUp')} ${c.key}`}
              disabled={i === 0}
              onClick={() => dispatch({ type: 'moveColumn', parent: field.key, key: c.key, index: i - 1 })}
            />
            <Button
              type="text"
              size="small"
              icon={<ArrowDownOutlined />}
              aria-label={`${t('designer.moveDown')} ${c.key}`}
              disabled={i === cols.length - 1}
              onClick={() => dispatch({ type: 'moveColumn', parent: field.key, key: c.key, index: i + 1 })}
            />
            <Button
              type="text"
              size="small"
              danger
              icon={<DeleteOutlined />}
              aria-label={`${t('designer.removeField')} ${c.key}`}
              disabled={cols.length <= 1}
              onClick={() => dispatch({ type: 'removeField', key: field.key, child: c.key })}
            />
          </li>
        ))}
      </ol>
      <Select
        aria-label={t('designer.addColumn')}
        placeholder={t('designer.addColumn')}
        style={{ minWidth: 180 }}
        value={null}
        options={SUBFORM_COLUMN_TYPES.map((n) => ({ value: n, label: fieldTypes[n].label[locale] }))}
        onChange={(v) => v && dispatch({ type: 'addField', fieldType: v, parent: field.key })}
      />
    </fieldset>
  );
}

function SectionProps({ state, dispatch, t, sectionKey }: PanelProps & { sectionKey: string }) {
  const s = state.entity.layout?.sections.find((x) => x.key === sectionKey);
  if (!s) return null;
  const up = (
    patch: Parameters<Dispatch>[0] extends infer C
      ? C extends { type: 'updateSection'; patch: infer P }
        ? P
        : never
      : never,
    group?: string,
  ) =>
    dispatch({
      type: 'updateSection',
      key: sectionKey,
      patch,
      ...(group ? { group: `${sectionKey}.${group}` } : {}),
    });
  return (
    <div className="fw-props" data-props-for={`section:${sectionKey}`}>
      <h3 className="fw-props-title">{t('designer.section')}</h3>
      <LabelInputs text={s.label} t={t} onChange={(label, lang) => up({ label }, `label.${lang}`)} />
      <Prop label={t('designer.columns')}>
        {(id) => (
          <Select
            id={id}
            value={s.columns ?? 1}
            options={[1, 2, 3, 4].map((n) => ({ value: n, label: String(n) }))}
            onChange={(columns: 1 | 2 | 3 | 4) => up({ columns })}
          />
        )}
      </Prop>
      <Checkbox
        checked={s.collapsed === true}
        onChange={(e) => up({ collapsed: e.target.checked || undefined })}
      >
        {t('designer.collapsed')}
      </Checkbox>
      <div style={{ marginTop: 12 }}>
        <Button
          danger
          icon={<DeleteOutlined />}
          onClick={() => dispatch({ type: 'removeSection', key: sectionKey })}
        >
          {t('designer.removeSection')}
        </Button>
      </div>
    </div>
  );
}

function EntityProps({ state, dispatch, locale, t, isNew, issues }: PanelProps) {
  const e = state.entity;
  const own = issues.filter((i) => !i.field.startsWith('fields.'));
  return (
    <div className="fw-props" data-props-for="entity">
      <h3 className="fw-props-title">{t('designer.entityProps')}</h3>
      {own.map((i) => (
        <Alert
          key={`${i.field}|${i.code}`}
          type="error"
          showIcon
          role="alert"
          title={i.message[locale]}
          style={{ marginBottom: 8 }}
        />
      ))}
      <Prop label={t('designer.entityKey')}>
        {(id) => (
          <Input
            id={id}
            value={e.key}
            disabled={!isNew}
            spellCheck={false}
            onChange={(x) => dispatch({ type: 'updateEntity', patch: { key: x.target.value }, group: 'key' })}
          />
        )}
      </Prop>
      <LabelInputs
        text={e.label}
        t={t}
        onChange={(label, lang) =>
          dispatch({ type: 'updateEntity', patch: { label }, group: `label.${lang}` })
        }
      />
      <Prop label={t('designer.titleField')}>
        {(id) => (
          <Select
            id={id}
            allowClear
            value={e.titleField}
            options={e.fields
              .filter((f) => !getFieldType(f.type)?.multiValued(f))
              .map((f) => ({ value: f.key, label: localize(f.label, locale, f.key) }))}
            onChange={(titleField?: string) => dispatch({ type: 'updateEntity', patch: { titleField } })}
          />
        )}
      </Prop>
    </div>
  );
}

/** The right pane: properties of the selection (entity, section, field or subform column). */
export function PropertyPanel(props: PanelProps) {
  const sel = props.state.selection;
  if (sel.kind === 'field')
    return (
      <FieldProps {...props} fieldKey={sel.key} {...(sel.child !== undefined ? { child: sel.child } : {})} />
    );
  if (sel.kind === 'section') return <SectionProps {...props} sectionKey={sel.key} />;
  return <EntityProps {...props} />;
}

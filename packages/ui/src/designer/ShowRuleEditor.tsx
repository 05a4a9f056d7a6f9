import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  CONDITION_OPS,
  type Condition,
  type ConditionGroup,
  conditionsToFormula,
  type EntityDefinition,
  type FieldDefinition,
  formulaToConditions,
  getFieldType,
  type Locale,
  localize,
} from '@formwork/metadata';
import { Alert, Button, Input, InputNumber, Radio, Select, Space } from 'antd';
import type { TFunction } from 'i18next';
import { useState } from 'react';

const NO_VALUE = new Set(['isEmpty', 'isNotEmpty']);
const NUMERIC = new Set(['number', 'amount', 'percent', 'rating']);

function ValueInput({
  field,
  value,
  locale,
  label,
  onChange,
}: {
  field: FieldDefinition | undefined;
  value: Condition['value'];
  locale: Locale;
  label: string;
  onChange(v: Condition['value']): void;
}) {
  if (field && (field.type === 'select' || field.type === 'multiSelect')) {
    return (
      <Select
        aria-label={label}
        style={{ minWidth: 120 }}
        value={typeof value === 'string' ? value : undefined}
        options={(field.options ?? []).map((o) => ({
          value: o.value,
          label: localize(o.label, locale, o.value),
        }))}
        onChange={(v) => onChange(v)}
      />
    );
  }
  if (field?.type === 'boolean') {
    return (
      <Select
        aria-label={label}
        style={{ minWidth: 90 }}
        value={value === true ? 'true' : value === false ? 'false' : undefined}
        options={[
          { value: 'true', label: '✓' },
          { value: 'false', label: '✗' },
        ]}
        onChange={(v) => onChange(v === 'true')}
      />
    );
  }
  if (field && NUMERIC.has(field.type)) {
    return (
      <InputNumber
        aria-label={label}
        value={typeof value === 'number' ? value : null}
        onChange={(v) => onChange(typeof v === 'number' ? v : 0)}
      />
    );
  }
  return (
    <Input
      aria-label={label}
      style={{ width: 140 }}
      value={value === undefined ? '' : String(value)}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

/**
 * The show/hide rule (显隐规则) of a field: conditions on other fields (all / any), stored as a formula
 * (`status = "lost" && amount > 1000`) so the one evaluator runs it; complex rules are edited as formulas.
 */
export function ShowRuleEditor({
  entity,
  field,
  locale,
  t,
  onChange,
}: {
  entity: EntityDefinition;
  field: FieldDefinition;
  locale: Locale;
  t: TFunction;
  onChange(visibleWhen: string | undefined): void;
}) {
  const formula = field.visibleWhen ?? '';
  const parsed = formulaToConditions(formula);
  const [asFormula, setAsFormula] = useState(parsed === null);
  const group: ConditionGroup = parsed ?? { match: 'all', conditions: [] };
  const others = entity.fields.filter((f) => f.key !== field.key && f.type !== 'subform');
  const set = (g: ConditionGroup) => {
    const f = conditionsToFormula(g);
    onChange(f === '' ? undefined : f);
  };
  const setCondition = (i: number, c: Condition) =>
    set({ ...group, conditions: group.conditions.map((x, j) => (j === i ? c : x)) });

  return (
    <fieldset className="fw-show-rule" aria-label={t('designer.showRule')}>
      <Space style={{ marginBottom: 8 }} wrap>
        <span>{formula === '' ? t('designer.showAlways') : t('designer.showWhen')}</span>
        <Button size="small" onClick={() => setAsFormula(!asFormula)} disabled={!asFormula && false}>
          {asFormula ? t('designer.asBuilder') : t('designer.asFormula')}
        </Button>
      </Space>
      {asFormula ? (
        <>
          <Input.TextArea
            aria-label={t('designer.showRule')}
            value={formula}
            autoSize={{ minRows: 2 }}
            placeholder='status = "lost"'
            onChange={(e) => onChange(e.target.value.trim() === '' ? undefined : e.target.value)}
          />
          {parsed === null && formula !== '' && (
            <Alert type="info" showIcon title={t('designer.builderUnavailable')} style={{ marginTop: 8 }} />
          )}
        </>
      ) : (
        <>
          {group.conditions.length > 1 && (
            <Radio.Group
              value={group.match}
              onChange={(e) => set({ ...group, match: e.target.value })}
              options={[
                { value: 'all', label: t('designer.matchAll') },
                { value: 'any', label: t('designer.matchAny') },
              ]}
              style={{ marginBottom: 8 }}
            />
          )}
          {group.conditions.map((c, i) => {
            const target = entity.fields.find((f) => f.key === c.field);
            const ops = CONDITION_OPS.filter((op) => {
              if (op === 'contains')
                return target
                  ? getFieldType(target.type)?.multiValued(target) ||
                      target.type === 'text' ||
                      target.type === 'longText'
                  : true;
              if (op === 'gt' || op === 'gte' || op === 'lt' || op === 'lte')
                return target
                  ? NUMERIC.has(target.type) || target.type === 'date' || target.type === 'datetime'
                  : true;
              return true;
            });
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: conditions have no identity but their position
              <Space key={i} wrap style={{ marginBottom: 8 }} data-condition={i}>
                <Select
                  aria-label={`${t('designer.showRule')} ${i + 1}`}
                  style={{ minWidth: 120 }}
                  value={c.field}
                  options={others.map((f) => ({ value: f.key, label: localize(f.label, locale, f.key) }))}
                  onChange={(v) =>
                    setCondition(i, {
                      field: v,
                      op: c.op,
                      ...(c.value !== undefined ? { value: c.value } : {}),
                    })
                  }
                />
                <Select
                  aria-label={`${t('designer.showRule')} ${i + 1} op`}
                  style={{ minWidth: 110 }}
                  value={c.op}
                  options={ops.map((op) => ({ value: op, label: t(`designer.op.${op}`) }))}
                  onChange={(op) =>
                    setCondition(
                      i,
                      NO_VALUE.has(op)
                        ? { field: c.field, op }
                        : { field: c.field, op, value: c.value ?? '' },
                    )
                  }
                />
                {!NO_VALUE.has(c.op) && (
                  <ValueInput
                    field={target}
                    value={c.value}
                    locale={locale}
                    label={`${t('designer.showRule')} ${i + 1} value`}
                    onChange={(v) => setCondition(i, { ...c, value: v })}
                  />
                )}
                <Button
                  type="text"
                  danger
                  icon={<DeleteOutlined />}
                  aria-label={t('designer.removeCondition')}
                  onClick={() => set({ ...group, conditions: group.conditions.filter((_, j) => j !== i) })}
                />
              </Space>
            );
          })}
          <div>
            <Button
              size="small"
              icon={<PlusOutlined />}
              disabled={others.length === 0}
              onClick={() => {
                const first = others[0];
                if (!first) return;
                const value = first.type === 'select' ? (first.options?.[0]?.value ?? '') : '';
                set({ ...group, conditions: [...group.conditions, { field: first.key, op: 'eq', value }] });
              }}
            >
              {t('designer.addCondition')}
            </Button>
          </div>
        </>
      )}
    </fieldset>
  );
}

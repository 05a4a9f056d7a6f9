import {
  type EntityDefinition,
  type FieldDefinition,
  FORMULA_FUNCTIONS,
  type Issue,
  type Locale,
  localize,
} from '@formwork/metadata';
import { Input, Select, Space, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useRef } from 'react';

/**
 * The formula editor: the text, a field picker and a function picker that insert at the cursor, and the
 * parser's errors (from `checkEntityFormulas`, via the definition check) shown as you type.
 */
export function FormulaEditor({
  entity,
  field,
  parent,
  value,
  issues,
  locale,
  t,
  label,
  onChange,
}: {
  entity: EntityDefinition;
  field: FieldDefinition;
  /** Set for a subform column formula: its sibling columns can be referenced by key. */
  parent?: FieldDefinition;
  value: string;
  issues: Issue[];
  locale: Locale;
  t: TFunction;
  label: string;
  onChange(v: string): void;
}) {
  const ref = useRef<HTMLTextAreaElement | null>(null);
  const insert = (text: string) => {
    const el = ref.current;
    const start = el?.selectionStart ?? value.length;
    const end = el?.selectionEnd ?? value.length;
    onChange(`${value.slice(0, start)}${text}${value.slice(end)}`);
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + text.length, start + text.length);
    });
  };
  const refs: { value: string; label: string }[] = [];
  for (const c of parent?.fields ?? []) {
    if (c.key !== field.key)
      refs.push({ value: c.key, label: `${localize(c.label, locale, c.key)} (${c.key})` });
  }
  for (const f of entity.fields) {
    if (f.key === field.key) continue;
    if (f.type === 'subform') {
      for (const c of f.fields ?? [])
        refs.push({
          value: `${f.key}.${c.key}`,
          label: `${localize(f.label, locale, f.key)}.${localize(c.label, locale, c.key)} (${f.key}.${c.key})`,
        });
    } else refs.push({ value: f.key, label: `${localize(f.label, locale, f.key)} (${f.key})` });
  }
  return (
    <div className="fw-formula-editor">
      <Input.TextArea
        ref={(r) => {
          ref.current = r?.resizableTextArea?.textArea ?? null;
        }}
        aria-label={label}
        aria-invalid={issues.length > 0 || undefined}
        status={issues.length > 0 ? 'error' : undefined}
        value={value}
        placeholder={t('designer.formulaPlaceholder')}
        autoSize={{ minRows: 2, maxRows: 8 }}
        spellCheck={false}
        style={{ fontFamily: 'monospace' }}
        onChange={(e) => onChange(e.target.value)}
      />
      <Space wrap style={{ marginTop: 8 }}>
        <Select
          aria-label={t('designer.insertField')}
          placeholder={t('designer.insertField')}
          style={{ minWidth: 160 }}
          value={null}
          showSearch={{ optionFilterProp: 'label' }}
          options={refs}
          onChange={(v: string | null) => v && insert(v)}
        />
        <Select
          aria-label={t('designer.insertFunction')}
          placeholder={t('designer.insertFunction')}
          style={{ minWidth: 160 }}
          value={null}
          showSearch={{ optionFilterProp: 'label' }}
          options={FORMULA_FUNCTIONS.map((f) => ({
            value: f.name,
            label: `${f.syntax} — ${f.description[locale]}`,
          }))}
          onChange={(v: string | null) => v && insert(`${v}()`)}
        />
      </Space>
      <div aria-live="polite" style={{ marginTop: 4 }}>
        {issues.length === 0 ? (
          <Typography.Text type="success">{t('designer.formulaOk')}</Typography.Text>
        ) : (
          issues.map((i) => (
            <div key={`${i.code}|${i.message.en}`} role="alert" className="fw-error">
              {i.message[locale]}
            </div>
          ))
        )}
      </div>
    </div>
  );
}

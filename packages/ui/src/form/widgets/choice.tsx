import { DownOutlined } from '@ant-design/icons';
import type { Locale } from '@formwork/metadata';
import { Checkbox, Select, Switch, Tag } from 'antd';
import { type KeyboardEvent, type ReactNode, useState } from 'react';
import type { WidgetProps } from '../types.js';
import { emptyToUndefined, fwContext, isLocked } from './common.js';

interface UiOption {
  value: string;
  label: { 'zh-CN': string; en: string };
  color?: string;
}

function optionsOf(props: WidgetProps): UiOption[] {
  const o = props.options.options;
  return Array.isArray(o) ? (o as UiOption[]) : [];
}

function ColorDot({ color }: { color?: string }) {
  if (!color) return null;
  return <span className="fw-dot" style={{ background: color }} aria-hidden="true" />;
}

function selectOptions(props: WidgetProps, locale: Locale) {
  return optionsOf(props).map((o) => ({
    value: o.value,
    label: o.label[locale],
    color: o.color,
  }));
}

type Wake = 'hover' | 'focus' | 'open';

/**
 * A closed select drawn with plain elements, looking like antd's (sizes and colours from the theme, set as CSS
 * variables on the form — see `formThemeVars`). antd's Select costs several times a text input to mount, and a
 * form of many fields has many selects nobody opens; each becomes a real Select when the pointer reaches it,
 * when it gets the focus or is pressed — before the user can tell.
 */
function LiteSelect(props: { widget: WidgetProps; shown: ReactNode; onWake(how: Wake): void }): ReactNode {
  const { widget: w } = props;
  const locked = isLocked(w);
  const wake = (how: Wake) => {
    if (!locked) props.onWake(how);
  };
  return (
    <div
      id={w.id}
      role="combobox"
      aria-expanded={false}
      aria-haspopup="listbox"
      aria-label={w.label}
      aria-required={w.required || undefined}
      aria-disabled={locked || undefined}
      tabIndex={locked ? -1 : 0}
      className={`fw-lite-select${locked ? ' fw-lite-select-disabled' : ''}`}
      onPointerEnter={() => wake('hover')}
      onFocus={() => wake('focus')}
      onMouseDown={(e) => {
        e.preventDefault();
        wake('open');
      }}
      onKeyDown={(e: KeyboardEvent) => {
        if (e.key === 'Enter' || e.key === ' ' || e.key === 'ArrowDown') {
          e.preventDefault();
          wake('open');
        }
      }}
    >
      <span className="fw-lite-select-value">{props.shown}</span>
      <DownOutlined className="fw-lite-select-arrow" aria-hidden />
    </div>
  );
}

/** Whether a select starts as `LiteSelect` (and how it woke up, once it has). */
function useWake(): [Wake | null, (how: Wake) => void] {
  const [wake, setWake] = useState<Wake | null>(null);
  return [wake, (how) => setWake((w) => w ?? how)];
}

/** The label of a chosen option as the select shows it (a coloured tag when the option has a colour). */
function chosen(options: ReturnType<typeof selectOptions>, value: string, key?: string): ReactNode {
  const opt = options.find((x) => x.value === value);
  return opt?.color ? (
    <Tag key={key} color={opt.color}>
      {opt.label}
    </Tag>
  ) : (
    <span key={key}>{opt?.label ?? value}</span>
  );
}

/** A single choice; options show their colour. */
export function SelectWidget(props: WidgetProps) {
  const { locale } = fwContext(props);
  const options = selectOptions(props, locale);
  const [wake, setWake] = useWake();
  const value = typeof props.value === 'string' ? props.value : undefined;
  if (!wake) {
    return (
      <LiteSelect
        widget={props}
        shown={value === undefined ? null : chosen(options, value)}
        onWake={setWake}
      />
    );
  }
  return (
    <Select
      id={props.id}
      autoFocus={wake !== 'hover'}
      defaultOpen={wake === 'open'}
      className="fw-select"
      style={{ width: '100%' }}
      value={value}
      options={options}
      allowClear={!props.required}
      showSearch={options.length > 8 ? { optionFilterProp: 'label' } : false}
      disabled={props.disabled || props.readonly}
      aria-required={props.required || undefined}
      optionRender={(o) => (
        <span>
          <ColorDot color={(o.data as { color?: string }).color} />
          {o.label}
        </span>
      )}
      labelRender={(o) => chosen(options, String(o.value))}
      onChange={(v) => props.onChange(emptyToUndefined(v))}
      onBlur={() => props.onBlur(props.id, props.value)}
      onFocus={() => props.onFocus(props.id, props.value)}
    />
  );
}

/** Several choices, shown as coloured tags. */
export function MultiSelectWidget(props: WidgetProps) {
  const { locale } = fwContext(props);
  const options = selectOptions(props, locale);
  const [wake, setWake] = useWake();
  if (!wake) {
    const values = Array.isArray(props.value) ? (props.value as string[]) : [];
    return (
      <LiteSelect
        widget={props}
        shown={values.length === 0 ? null : values.map((v) => chosen(options, v, v))}
        onWake={setWake}
      />
    );
  }
  return (
    <Select
      id={props.id}
      autoFocus={wake !== 'hover'}
      defaultOpen={wake === 'open'}
      mode="multiple"
      className="fw-select"
      style={{ width: '100%' }}
      value={Array.isArray(props.value) ? (props.value as string[]) : []}
      options={options}
      showSearch={{ optionFilterProp: 'label' }}
      disabled={props.disabled || props.readonly}
      aria-required={props.required || undefined}
      optionRender={(o) => (
        <span>
          <ColorDot color={(o.data as { color?: string }).color} />
          {o.label}
        </span>
      )}
      tagRender={(p) => {
        const opt = options.find((x) => x.value === p.value);
        return (
          <Tag color={opt?.color} closable={p.closable} onClose={p.onClose} style={{ marginInlineEnd: 4 }}>
            {opt?.label ?? String(p.value)}
          </Tag>
        );
      }}
      onChange={(v) => props.onChange(emptyToUndefined(v))}
    />
  );
}

/** Yes/no as a switch (a large tap target) with the word beside it. */
export function CheckboxWidget(props: WidgetProps) {
  const { t } = fwContext(props);
  const checked = props.value === true;
  if (props.options.display === 'checkbox') {
    return (
      <Checkbox
        id={props.id}
        checked={checked}
        disabled={props.disabled || props.readonly}
        onChange={(e) => props.onChange(e.target.checked)}
      >
        {props.label}
      </Checkbox>
    );
  }
  return (
    <span className="fw-switch">
      <Switch
        id={props.id}
        checked={checked}
        disabled={props.disabled || props.readonly}
        aria-label={props.label}
        onChange={(v) => props.onChange(v)}
      />
      <span>{checked ? t('widget.yes') : t('widget.no')}</span>
    </span>
  );
}

/** Free tags: type and press Enter; duplicates are merged. */
export function TagsWidget(props: WidgetProps) {
  const { t } = fwContext(props);
  const value = Array.isArray(props.value) ? (props.value as string[]) : [];
  return (
    <Select
      id={props.id}
      mode="tags"
      className="fw-select"
      style={{ width: '100%' }}
      value={value}
      placeholder={t('widget.addTag')}
      tokenSeparators={[',', '，']}
      open={false}
      suffixIcon={null}
      disabled={props.disabled || props.readonly}
      onChange={(v: string[]) => {
        const out = [...new Set(v.map((x) => x.trim()))].filter((x) => x !== '' && x.length <= 50);
        props.onChange(emptyToUndefined(out));
      }}
    />
  );
}

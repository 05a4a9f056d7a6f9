import type { Locale } from '@formwork/metadata';
import type { WidgetProps } from '@rjsf/utils';
import { Checkbox, Select, Switch, Tag } from 'antd';
import { emptyToUndefined, fwContext } from './common.js';

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

/** A single choice; options show their colour. */
export function SelectWidget(props: WidgetProps) {
  const { locale } = fwContext(props);
  const options = selectOptions(props, locale);
  return (
    <Select
      id={props.id}
      className="fw-select"
      style={{ width: '100%' }}
      value={typeof props.value === 'string' ? props.value : undefined}
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
      labelRender={(o) => {
        const opt = options.find((x) => x.value === o.value);
        return opt?.color ? (
          <Tag color={opt.color}>{opt.label}</Tag>
        ) : (
          <span>{opt?.label ?? String(o.value)}</span>
        );
      }}
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
  return (
    <Select
      id={props.id}
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

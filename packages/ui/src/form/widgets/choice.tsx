import { DownOutlined, LoadingOutlined } from '@ant-design/icons';
import type { Locale } from '@formwork/metadata';
import { Checkbox, Tag } from 'antd';
import { type KeyboardEvent, type ReactNode, type RefObject, useEffect, useRef } from 'react';
import { type SelectComponent, useWakeSelect, type Wake } from '../../views/deferred-select.js';
import type { FormworkContext, WidgetProps } from '../types.js';
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

/**
 * A closed select drawn with plain elements, looking like antd's (sizes and colours from the theme, set as CSS
 * variables on the form — see `formThemeVars`). antd's Select costs several times a text input to mount, and a
 * form of many fields has many selects nobody opens; each becomes a real Select when the pointer reaches it,
 * when it gets the focus or is pressed. antd's Select is a chunk of its own (deferred-select.tsx) that the form
 * fetches as the user starts filling it in; should a select be reached before it is there, the box shows a
 * spinner (`aria-busy`) and takes no typing until it is — a press still opens the select then.
 */
export function LiteSelect(props: {
  widget: WidgetProps;
  shown: ReactNode;
  placeholder?: string;
  /** Without the arrow (a tags box, whose Select has none); the spinner still shows while loading. */
  noArrow?: boolean;
  onWake(how: Wake): void;
  busy: boolean;
  boxRef: RefObject<HTMLDivElement | null>;
}): ReactNode {
  const { widget: w } = props;
  const locked = isLocked(w);
  const wake = (how: Wake) => {
    if (!locked) props.onWake(how);
  };
  return (
    <div
      ref={props.boxRef}
      id={w.id}
      role="combobox"
      aria-expanded={false}
      aria-haspopup="listbox"
      aria-label={w.label}
      aria-required={w.required || undefined}
      aria-disabled={locked || undefined}
      aria-busy={props.busy || undefined}
      tabIndex={locked ? -1 : 0}
      className={`fw-lite-select${locked ? ' fw-lite-select-disabled' : ''}${props.busy ? ' fw-lite-select-busy' : ''}`}
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
      <span className="fw-lite-select-value">
        {props.shown ??
          (props.placeholder && !locked ? (
            <span className="fw-lite-select-placeholder">{props.placeholder}</span>
          ) : null)}
      </span>
      {props.busy ? (
        <LoadingOutlined className="fw-lite-select-arrow" spin aria-hidden />
      ) : props.noArrow ? null : (
        <DownOutlined className="fw-lite-select-arrow" aria-hidden />
      )}
    </div>
  );
}

interface SelectMount {
  autoFocus: boolean;
  defaultOpen: boolean;
}

/**
 * The props every woken form select gives antd's Select: its id, how it was woken, its look, whether it is
 * locked or required, and the form's focus events.
 */
export function formSelectProps(props: WidgetProps, mount: SelectMount) {
  return {
    id: props.id,
    autoFocus: mount.autoFocus,
    defaultOpen: mount.defaultOpen,
    className: 'fw-select',
    style: { width: '100%' },
    disabled: props.disabled || props.readonly,
    'aria-required': props.required || undefined,
    onBlur: () => props.onBlur(props.id, props.value),
    onFocus: () => props.onFocus(props.id, props.value),
  };
}

/** An option with its colour dot. */
const colouredOption = (o: { label?: ReactNode; data: unknown }) => (
  <span>
    <ColorDot color={(o.data as { color?: string }).color} />
    {o.label}
  </span>
);

/**
 * A form select: `LiteSelect` until it is woken, then antd's Select as `render` draws it — focused unless only
 * the pointer passed over it, opened if it was pressed.
 */
export function WakingSelect(props: {
  widget: WidgetProps;
  shown: ReactNode;
  placeholder?: string;
  noArrow?: boolean;
  render(Select: SelectComponent, mount: SelectMount): ReactNode;
  /** Called once the real Select has mounted, with how it mounted. */
  onMount?(mount: SelectMount): void;
}): ReactNode {
  const box = useRef<HTMLDivElement>(null);
  const { Select, wake, setWake, waiting } = useWakeSelect(box);
  const mount: SelectMount | null =
    Select && wake ? { autoFocus: wake !== 'hover', defaultOpen: wake === 'open' } : null;
  const onMount = useRef(props.onMount);
  onMount.current = props.onMount;
  const mountedAs = useRef(mount);
  mountedAs.current ??= mount;
  const mounted = mount !== null;
  useEffect(() => {
    if (mounted && mountedAs.current) onMount.current?.(mountedAs.current);
  }, [mounted]);
  if (Select && mount) return props.render(Select, mount);
  return (
    <LiteSelect
      widget={props.widget}
      shown={props.shown}
      {...(props.placeholder ? { placeholder: props.placeholder } : {})}
      {...(props.noArrow ? { noArrow: true } : {})}
      onWake={setWake}
      busy={waiting}
      boxRef={box}
    />
  );
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
  const value = typeof props.value === 'string' ? props.value : undefined;
  return (
    <WakingSelect
      widget={props}
      shown={value === undefined ? null : chosen(options, value)}
      render={(Select, mount) => (
        <Select
          {...formSelectProps(props, mount)}
          value={value}
          options={options}
          allowClear={!props.required}
          showSearch={options.length > 8 ? { optionFilterProp: 'label' } : false}
          optionRender={colouredOption}
          labelRender={(o) => chosen(options, String(o.value))}
          onChange={(v) => props.onChange(emptyToUndefined(v))}
        />
      )}
    />
  );
}

/** Several choices, shown as coloured tags. */
export function MultiSelectWidget(props: WidgetProps) {
  const { locale } = fwContext(props);
  const options = selectOptions(props, locale);
  const values = Array.isArray(props.value) ? (props.value as string[]) : [];
  return (
    <WakingSelect
      widget={props}
      shown={values.length === 0 ? null : values.map((v) => chosen(options, v, v))}
      render={(Select, mount) => (
        <Select
          {...formSelectProps(props, mount)}
          mode="multiple"
          value={values}
          options={options}
          showSearch={{ optionFilterProp: 'label' }}
          optionRender={colouredOption}
          tagRender={(p) => {
            const opt = options.find((x) => x.value === p.value);
            return (
              <Tag
                color={opt?.color}
                closable={p.closable}
                onClose={p.onClose}
                style={{ marginInlineEnd: 4 }}
              >
                {opt?.label ?? String(p.value)}
              </Tag>
            );
          }}
          onChange={(v) => props.onChange(emptyToUndefined(v))}
        />
      )}
    />
  );
}

/**
 * Yes/no as a switch (a large tap target) with the word beside it: a native button (`role="switch"`) drawn like
 * antd's Switch (`fw-switch-btn`), which costs a fraction of antd's to mount.
 */
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
  const locked = Boolean(props.disabled || props.readonly);
  return (
    <span className="fw-switch">
      <button
        type="button"
        role="switch"
        id={props.id}
        className="fw-switch-btn"
        aria-checked={checked}
        aria-label={props.label}
        disabled={locked}
        onClick={() => props.onChange(!checked)}
      />
      <span>{yesNo(t, checked)}</span>
    </span>
  );
}

const YES_NO = new WeakMap<object, { yes: string; no: string }>();

/** "Yes" or "no" in the form's language, looked up once per language (a form may show many switches). */
function yesNo(t: FormworkContext['t'], checked: boolean): string {
  let words = YES_NO.get(t);
  if (!words) {
    words = { yes: t('widget.yes'), no: t('widget.no') };
    YES_NO.set(t, words);
  }
  return checked ? words.yes : words.no;
}

/** Free tags: type and press Enter; duplicates are merged. */
export function TagsWidget(props: WidgetProps) {
  const { t } = fwContext(props);
  const value = Array.isArray(props.value) ? (props.value as string[]) : [];
  return (
    <WakingSelect
      widget={props}
      shown={value.length === 0 ? null : value.map((v) => <Tag key={v}>{v}</Tag>)}
      placeholder={t('widget.addTag')}
      noArrow
      render={(Select, mount) => (
        <Select
          id={props.id}
          autoFocus={mount.autoFocus}
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
      )}
    />
  );
}

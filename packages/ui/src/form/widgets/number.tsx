import { Rate } from 'antd';
import { useState } from 'react';
import type { WidgetProps } from '../types.js';
import { fieldOf, fwContext, groupThousands } from './common.js';
import { LiteInput } from './text.js';

const CURRENCY_SYMBOLS: Record<string, string> = {
  CNY: '¥',
  USD: '$',
  EUR: '€',
  GBP: '£',
  JPY: '¥',
  HKD: 'HK$',
};

/** What a number box shows when it is not being typed into. */
export function numberText(value: number | null, precision?: number, separators?: boolean): string {
  if (value === null || !Number.isFinite(value)) return '';
  const text = precision === undefined ? String(value) : value.toFixed(precision);
  return separators ? groupThousands(text) : text;
}

/** The number in a typed text (separators and spaces ignored); null for an empty box, NaN for no number. */
export function parseNumberText(text: string): number | null {
  const clean = text.replace(/[,\s，]/g, '').replace(/。/g, '.');
  if (clean === '' || clean === '-' || clean === '.') return null;
  return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(clean) ? Number(clean) : Number.NaN;
}

/**
 * A number box drawn by the form itself (`fw-input`, antd's look; antd's InputNumber costs many times a native
 * input to mount). It behaves as antd's InputNumber did here: while typing, each text that is a number within
 * min and max is the value (with all its digits); leaving the box rounds the value to the field's decimal places,
 * brings it within min and max and shows it formatted (thousands separators for amounts). The arrow keys step
 * by one.
 */
function NumberInput(
  props: WidgetProps & { precision?: number; prefix?: string; suffix?: string; separators?: boolean },
) {
  const field = fieldOf(props);
  const { precision, separators } = props;
  const value = typeof props.value === 'number' ? props.value : null;
  // The text being typed; null when the box shows the value formatted.
  const [typed, setTyped] = useState<string | null>(null);
  const min = typeof field.min === 'number' ? field.min : undefined;
  const max = typeof field.max === 'number' ? field.max : undefined;
  const inRange = (n: number) => (min === undefined || n >= min) && (max === undefined || n <= max);
  const settle = (n: number) => {
    let out = n;
    if (min !== undefined && out < min) out = min;
    if (max !== undefined && out > max) out = max;
    return precision === undefined ? out : Number(out.toFixed(precision));
  };
  const emit = (n: number | null) => {
    const next = n === null ? undefined : n;
    if (!Object.is(next, props.value)) props.onChange(next);
  };
  const locked = Boolean(props.disabled || props.readonly);
  return (
    <LiteInput
      id={props.id}
      role="spinbutton"
      inputMode="decimal"
      className="fw-number"
      value={typed ?? numberText(value, precision, separators)}
      disabled={props.disabled}
      readOnly={props.readonly}
      required={props.required}
      invalid={props.rawErrors !== undefined && props.rawErrors.length > 0}
      prefix={props.prefix}
      suffix={props.suffix}
      aria={{
        'aria-valuenow': value ?? undefined,
        'aria-valuemin': min,
        'aria-valuemax': max,
      }}
      onChange={(text) => {
        setTyped(text);
        const n = parseNumberText(text);
        if (n === null) emit(null);
        else if (!Number.isNaN(n) && inRange(n)) emit(n);
      }}
      onKeyDown={(e) => {
        if (locked || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
        e.preventDefault();
        const n = settle((value ?? 0) + (e.key === 'ArrowUp' ? 1 : -1));
        setTyped(null);
        emit(n);
      }}
      onBlur={() => {
        if (typed !== null) {
          // Text that is no number gives the box back its value.
          const n = parseNumberText(typed);
          if (n === null) emit(null);
          else if (!Number.isNaN(n)) emit(settle(n));
          setTyped(null);
        } else if (value !== null && settle(value) !== value) emit(settle(value));
        props.onBlur(props.id, props.value);
      }}
      onFocus={() => props.onFocus(props.id, props.value)}
    />
  );
}

/** A number, with the field's decimal places. */
export function NumberWidget(props: WidgetProps) {
  const p = props.options.precision;
  return <NumberInput {...props} precision={typeof p === 'number' ? p : undefined} />;
}

/** An amount with thousands separators, its currency symbol and 2 (or `precision`) decimals. */
export function AmountWidget(props: WidgetProps) {
  const p = props.options.precision;
  const currency = typeof props.options.currency === 'string' ? props.options.currency : 'CNY';
  return (
    <NumberInput
      {...props}
      precision={typeof p === 'number' ? p : 2}
      prefix={CURRENCY_SYMBOLS[currency] ?? currency}
      separators
    />
  );
}

/** A percentage: 12.5 is stored for 12.5 %. */
export function PercentWidget(props: WidgetProps) {
  const p = props.options.precision;
  return <NumberInput {...props} precision={typeof p === 'number' ? p : undefined} suffix="%" />;
}

/** Stars from 0 to `max` (default 5); large enough to tap. */
export function RatingWidget(props: WidgetProps) {
  const { t } = fwContext(props);
  const max = typeof props.options.max === 'number' ? props.options.max : 5;
  const value = typeof props.value === 'number' ? props.value : 0;
  return (
    <span className="fw-rating">
      <Rate
        id={props.id}
        count={max}
        value={value}
        disabled={props.disabled || props.readonly}
        allowClear
        style={{ fontSize: 28 }}
        aria-label={props.label}
        onChange={(v) => props.onChange(v === 0 ? undefined : v)}
      />
      <span className="fw-muted" aria-live="polite">
        {t('widget.rating', { value, max })}
      </span>
    </span>
  );
}

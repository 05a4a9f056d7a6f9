import { InputNumber, Rate } from 'antd';
import { useState } from 'react';
import type { WidgetProps } from '../types.js';
import { fieldOf, fwContext, groupThousands } from './common.js';

const CURRENCY_SYMBOLS: Record<string, string> = {
  CNY: '¥',
  USD: '$',
  EUR: '€',
  GBP: '£',
  JPY: '¥',
  HKD: 'HK$',
};

function NumberInput(
  props: WidgetProps & { precision?: number; prefix?: string; suffix?: string; separators?: boolean },
) {
  const field = fieldOf(props);
  const [focused, setFocused] = useState(false);
  const value = typeof props.value === 'number' ? props.value : null;
  return (
    <InputNumber<number>
      id={props.id}
      name={props.id}
      className="fw-number"
      style={{ width: '100%' }}
      value={value}
      min={field.min}
      max={field.max}
      precision={props.precision}
      prefix={props.prefix}
      suffix={props.suffix}
      inputMode="decimal"
      disabled={props.disabled}
      readOnly={props.readonly}
      controls={false}
      aria-required={props.required || undefined}
      formatter={
        props.separators
          ? (v) => {
              if (v === undefined || String(v) === '') return '';
              if (focused || props.precision === undefined) return groupThousands(String(v));
              const n = Number(v);
              return Number.isFinite(n) ? groupThousands(n.toFixed(props.precision)) : String(v);
            }
          : undefined
      }
      parser={props.separators ? (s) => Number((s ?? '').replace(/[,\s，]/g, '')) : undefined}
      onChange={(v) => props.onChange(v === null || v === undefined || Number.isNaN(v) ? undefined : v)}
      onBlur={() => {
        setFocused(false);
        props.onBlur(props.id, props.value);
      }}
      onFocus={() => {
        setFocused(true);
        props.onFocus(props.id, props.value);
      }}
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

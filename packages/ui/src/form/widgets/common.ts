import type { FieldDefinition, Locale } from '@formwork/metadata';
import { localize } from '@formwork/metadata';
import { useCallback, useSyncExternalStore } from 'react';
import type { FormRuntime } from '../runtime.js';
import type { FormworkContext, WidgetProps } from '../types.js';

/** The Formwork context of a widget (`registry.formContext`). */
export function fwContext(props: Pick<WidgetProps, 'registry'>): FormworkContext {
  return props.registry.formContext as FormworkContext;
}

/** The field definition a widget renders (put in `ui:options.fw` by the renderer). */
export function fieldOf(props: Pick<WidgetProps, 'options' | 'name'>): FieldDefinition {
  const fw = (props.options as { fw?: FieldDefinition }).fw;
  return fw ?? { key: props.name, type: 'text' };
}

/** Subscribe to one runtime channel; re-renders only when that channel changes. */
export function useRuntime<T>(runtime: FormRuntime, channel: string, read: () => T): T {
  const subscribe = useCallback((fn: () => void) => runtime.subscribe(channel, fn), [runtime, channel]);
  return useSyncExternalStore(subscribe, read, read);
}

/** Whether the widget may not be edited. */
export function isLocked(props: Pick<WidgetProps, 'disabled' | 'readonly'>): boolean {
  return Boolean(props.disabled || props.readonly);
}

export function fieldLabel(field: FieldDefinition, locale: Locale): string {
  return localize(field.label, locale, field.key);
}

/** `1,234,567.5` — thousands separators on the integer part. */
export function groupThousands(text: string): string {
  const [int = '', frac] = text.split('.');
  const sign = int.startsWith('-') ? '-' : '';
  const digits = sign ? int.slice(1) : int;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? `${sign}${grouped}` : `${sign}${grouped}.${frac}`;
}

/** A number for display with separators and fixed decimals (`1234.5`, 2 → `1,234.50`). */
export function formatAmount(value: unknown, precision = 2): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '';
  return groupThousands(value.toFixed(precision));
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10240 ? 1 : 0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** An empty input as no value (so `required` and clearing work). */
export function emptyToUndefined(v: unknown): unknown {
  if (v === '' || v === null) return undefined;
  if (Array.isArray(v) && v.length === 0) return undefined;
  return v;
}

import { Input } from 'antd';
import type { WidgetProps } from '../types.js';
import { emptyToUndefined } from './common.js';

const pad = (n: number) => String(n).padStart(2, '0');

/** ISO instant → the `datetime-local` text in the browser's time zone. */
export function toLocalInput(iso: unknown): string {
  if (typeof iso !== 'string' || iso === '') return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** `datetime-local` text (browser time zone) → ISO instant in UTC, as stored. */
export function fromLocalInput(text: string): string | undefined {
  if (text === '') return undefined;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** A date, with the browser's native picker (the phone's date wheel on mobiles). */
export function DateWidget(props: WidgetProps) {
  return (
    <Input
      id={props.id}
      name={props.id}
      type="date"
      className="fw-date"
      value={typeof props.value === 'string' ? props.value.slice(0, 10) : ''}
      disabled={props.disabled}
      readOnly={props.readonly}
      aria-required={props.required || undefined}
      onChange={(e) => props.onChange(emptyToUndefined(e.target.value))}
      onBlur={() => props.onBlur(props.id, props.value)}
      onFocus={() => props.onFocus(props.id, props.value)}
    />
  );
}

/** A date and time in the browser's time zone, stored as a UTC instant. */
export function DateTimeWidget(props: WidgetProps) {
  return (
    <Input
      id={props.id}
      name={props.id}
      type="datetime-local"
      className="fw-date"
      value={toLocalInput(props.value)}
      disabled={props.disabled}
      readOnly={props.readonly}
      aria-required={props.required || undefined}
      onChange={(e) => props.onChange(fromLocalInput(e.target.value))}
      onBlur={() => props.onBlur(props.id, props.value)}
      onFocus={() => props.onFocus(props.id, props.value)}
    />
  );
}

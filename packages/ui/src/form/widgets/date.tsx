import type { WidgetProps } from '../types.js';
import { emptyToUndefined } from './common.js';
import { LiteInput } from './text.js';

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
    <LiteInput
      id={props.id}
      type="date"
      className="fw-date"
      value={typeof props.value === 'string' ? props.value.slice(0, 10) : ''}
      disabled={props.disabled}
      readOnly={props.readonly}
      required={props.required}
      invalid={props.rawErrors !== undefined && props.rawErrors.length > 0}
      onChange={(text) => props.onChange(emptyToUndefined(text))}
      onBlur={() => props.onBlur(props.id, props.value)}
      onFocus={() => props.onFocus(props.id, props.value)}
    />
  );
}

/** A date and time in the browser's time zone, stored as a UTC instant. */
export function DateTimeWidget(props: WidgetProps) {
  return (
    <LiteInput
      id={props.id}
      type="datetime-local"
      className="fw-date"
      value={toLocalInput(props.value)}
      disabled={props.disabled}
      readOnly={props.readonly}
      required={props.required}
      invalid={props.rawErrors !== undefined && props.rawErrors.length > 0}
      onChange={(text) => props.onChange(fromLocalInput(text))}
      onBlur={() => props.onBlur(props.id, props.value)}
      onFocus={() => props.onFocus(props.id, props.value)}
    />
  );
}
